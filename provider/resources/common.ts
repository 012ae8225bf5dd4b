/**
 * What the three resource providers share: input checking that reports every failure with
 * its field and fix, the engine's "unknown" sentinel, and field-table diffs (deterministic IDs: provider/kinds/identity.ts).
 */
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { isHnsError, zodFailures, type CheckFailure } from "../vocabulary/errors";
import { hostIdentity, type Host } from "../hosts/host";
import { inputShapeProblems } from "../vocabulary/values";

/** The value the engine sends for inputs not known yet during preview (rpc.unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

export type { CheckFailure } from "../vocabulary/errors";

/** The schema's issues in the user's words, leaving out values not known yet (a preview). */
function failuresOf(error: z.ZodError, news: Record<string, unknown>, schema: z.ZodType): CheckFailure[] {
  return zodFailures(error, news, schema, containsUnknown);
}

/**
 * Parses inputs with a zod schema. Every issue becomes {property, reason}; the reason says
 * what is wrong and what to write instead. Fields still unknown (preview) skip validation.
 */
export function checkWith<S extends z.ZodType>(
  schema: S,
  given: Record<string, unknown> | null | undefined,
  judge?: (inputs: z.output<S>) => CheckFailure[],
): { inputs?: z.output<S>; failures: CheckFailure[] } {
  // The engine always sends an object; a direct caller may not.
  const news = given ?? {};
  // Case-duplicate keys, depth and size first: the schema then walks a bounded JSON object.
  const shape = inputShapeProblems(news).map((p) => ({ property: p.path.map(String).join(".") || "(inputs)", reason: p.reason }));
  // Too deep or too big: no schema walks it. Case-duplicate keys: the schema's findings join them.
  if (shape.some((f) => !/differ only in case/.test(f.reason))) return { failures: shape };
  const r = schema.safeParse(news);
  if (shape.length) return { failures: [...shape, ...(r.success ? [] : failuresOf(r.error, news, schema))] };
  if (r.success) {
    // The HNS rules these arguments decide (provider/judge). Values not known yet (preview)
    // cannot be judged; IDs of other objects are not judged, so they may be unknown.
    const { network: _n, endpoint: _e, endpoints: _es, ...judged } = r.data as Record<string, unknown>;
    const failures = judge && !containsUnknown(judged) ? judge(r.data) : [];
    return failures.length ? { failures } : { inputs: r.data, failures: [] };
  }
  return { failures: failuresOf(r.error, news, schema) };
}

export type FieldRule = "replace" | "update" | "ignore";

/**
 * The values of the fields that force a replacement, as stable text: part of a deterministic
 * ID, so a retry of the same create finds its object while a replacement gets a new ID
 * (HNS has been seen to fail a create right after a delete of the same object, hcsshim#95).
 */
export function replaceKey(args: Record<string, unknown>, rules: Record<string, FieldRule>): string {
  return fieldsKey(args, Object.keys(rules).filter((k) => rules[k] === "replace"));
}

/** The values of `fields` as stable text (the host by its identity, not its credentials). */
export function fieldsKey(args: Record<string, unknown>, fields: readonly string[]): string {
  return JSON.stringify([...fields].sort().map((k) => [k, canonical(k === "host" ? hostIdentity(args.host as Host) : args[k]) ?? null]));
}

/** Whether anything changed, and the fields whose change replaces the object. */
export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
}

/**
 * Diffs checked inputs against old outputs field by field. A field that is undefined in the
 * new inputs but was resolved by the host (an allocated address) is "no preference", not a change.
 */
export function diffFields(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  rules: Record<string, FieldRule>,
  optionalResolved: ReadonlySet<string> = new Set(),
): DiffOutcome {
  const replaces: string[] = [];
  let changes = false;
  for (const [field, rule] of Object.entries(rules)) {
    if (rule === "ignore") continue;
    const want = news[field];
    if (want === undefined && optionalResolved.has(field)) continue;
    if (sameValue(olds[field], want)) continue;
    changes = true;
    // Another host replaces; the same host with a new credential only updates the state.
    const sameHost = field === "host" && sameValue(hostIdentity(olds.host as Host), hostIdentity(news.host as Host));
    if (rule === "replace" && !sameHost) replaces.push(field);
  }
  return { changes, replaces };
}

/** Equality over JSON values where absent, undefined and empty arrays mean the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(canonical(a), canonical(b));
}

function canonical(v: unknown): unknown {
  // Built with literals, not v.map: arrays made by structuredClone can come from another realm
  // (jest's sandbox) and their species would make equal values compare unequal.
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    const out: unknown[] = [];
    for (const x of v) out.push(canonical(x));
    return out;
  }
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/** Errors reach the engine as one line with the fix, not a stack of internals. */
export function explain(e: unknown, action: string): Error {
  if (isHnsError(e)) {
    const err = new Error(`error while ${action}: ${e.toString()}`);
    (err as Error & { code?: string }).code = e.code;
    return err;
  }
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * What goes back to the engine must be plain JSON: the dynamic-provider host refuses
 * `undefined` anywhere in a struct ("Unexpected struct type").
 */
export function plain<T>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}
