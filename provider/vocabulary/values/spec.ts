/**
 * A value type: one kind of value a user writes (a name, an address in a role, a prefix, a
 * port list, ...), with its written spec. `problem` is the whole judgement: undefined for a
 * good value, else one sentence with the reason and the fix. Every field of every resource,
 * host block, topology and known raw HCN policy validates through one of these, so a kind
 * of value is decided once; docs/reference/values.md is generated from the specs.
 */
import { z } from "zod";

export interface ValueSpec {
  /** The type's name in the docs, e.g. "HostAddress". */
  name: string;
  /** What it is, in one sentence. */
  summary: string;
  /** What is accepted, as the docs list it. */
  accepts: string[];
  /** What is refused, each with its reason. */
  refuses: string[];
  /** Good examples. */
  examples: string[];
}

export interface ValueType<T> {
  spec: ValueSpec;
  /** undefined when good; else reason and fix in one sentence. */
  problem(value: T): string | undefined;
}

/** Every value type, in the order the docs list them (filled by valueType). */
export const VALUE_TYPES: ValueType<never>[] = [];

export function valueType<T>(spec: ValueSpec, problem: (value: T) => string | undefined): ValueType<T> {
  const t = { spec, problem };
  VALUE_TYPES.push(t as unknown as ValueType<never>);
  return t;
}

/** The zod schema of a text value type: a string, then the type's judgement. */
export function textSchema(t: ValueType<string>) {
  return z.string().superRefine((v, ctx) => {
    const p = t.problem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });
}

/** The zod schema of a whole-number value type: an integer, then the type's judgement. */
export function numberSchema(t: ValueType<number>) {
  return z.number().int().superRefine((v, ctx) => {
    const p = t.problem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });
}

/** A value quoted for a message: JSON text, escaped, cut to a readable length. */
export function quote(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}
