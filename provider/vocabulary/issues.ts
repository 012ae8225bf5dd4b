/**
 * Zod's issues in words: the one formatter of them, re-exported by errors.ts, where callers take
 * it from. Two forms:
 * - zodFailures, for what a user wrote (a resource's check, the topology, the native plugin): the
 *   field as written, what is wrong with the value given and what to write instead. zod 4 does
 *   not put the offending value in its issues, so it is looked up in the input.
 * - issuesText, for documents read from a host or a file (HCN documents, state files, lock files,
 *   stack exports, host blocks): "path: message; ...", never quoting what the document holds.
 */
import type { z } from "zod";
import { nearestName, quote } from "./values";

/** A failure of a provider's `check`, as Pulumi takes it: the property, and one line of text. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * A schema's issues as check failures: the field as the user wrote its path, and one sentence
 * with what is wrong, what was given and what to write instead. `schema` lets an unknown key
 * name the known key it is closest to.
 */
export function zodFailures(found: z.ZodError | readonly z.core.$ZodIssue[], input: unknown, schema?: z.ZodType, skip?: (value: unknown) => boolean): CheckFailure[] {
  const issues = issuesOf(found).filter((i) => !skip?.(valueAt(input, i.path)));
  return issues.flatMap((i) => {
      // One failure per unknown key, at the key's own path, with the known key it is closest to.
      if (i.code === "unrecognized_keys") {
        const known = schema ? knownKeysAt(schema, i.path) : [];
        // A key another member of a union takes (a field of the ssh host block on an emulator
        // one) is spelt right: say so instead of suggesting the same key.
        return i.keys.map((k) => ({
          property: [...i.path, k].map(String).join("."),
          reason: known.includes(k) ? "is not a field of this kind: remove it (other kinds of this block take it)" : `is not a field here: remove it or check the spelling${didYouMean([k], known)}`,
        }));
      }
      return [{ property: i.path.map(String).join(".") || "(inputs)", reason: reasonOf(i, valueAt(input, i.path)) }];
    });
}

function issuesOf(found: z.ZodError | readonly z.core.$ZodIssue[]): readonly z.core.$ZodIssue[] {
  return Array.isArray(found) ? found : (found as z.ZodError).issues;
}

/** The dotted path of an issue, or `top` for one about the whole document. */
function pathOf(i: z.core.$ZodIssue, top: string): string {
  return i.path.map(String).join(".") || top;
}

export interface IssuesTextOptions {
  /** What an issue about the whole document is said to be at ("(document)", "(host)"); false: no paths, messages only. */
  at: string | false;
  /** At most this many issues, the first ones (default: all). */
  limit?: number;
  /**
   * "message" (default): zod's message after the path. "type": only what type is wanted
   * ("Dns is not a list"), for files whose values must not be repeated.
   */
  words?: "message" | "type";
}

/** Issues of a document as one line: "path: message; path: message". */
export function issuesText(found: z.ZodError | readonly z.core.$ZodIssue[], o: IssuesTextOptions): string {
  return issuesOf(found)
    .slice(0, o.limit)
    .map((i) => {
      if (o.words === "type") return `${pathOf(i, o.at || "")} ${i.code === "invalid_type" ? `is not ${i.expected === "array" ? "a list" : `a ${i.expected}`}` : `is not valid (${i.code})`}`;
      return o.at === false ? i.message : `${pathOf(i, o.at)}: ${i.message}`;
    })
    .join("; ");
}

/** Each issue's path, its keys as text: where a document went wrong, for code that branches on it. */
export function issuePaths(found: z.ZodError | readonly z.core.$ZodIssue[]): string[][] {
  return issuesOf(found).map((i) => i.path.map(String));
}

/** " (did you mean ...?)" for an unknown key close to a known one. */
function didYouMean(keys: string[], known: string[]): string {
  const hints = keys.map((k) => nearestName(k, known)).filter((n) => n !== undefined);
  return hints.length ? ` (did you mean "${hints[0]}"?)` : "";
}

/** The keys an object schema at `path` declares (through optionals, arrays, unions and pipes). */
function knownKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; out?: z.ZodType };
  const defOf = (t: z.ZodType) => (t as unknown as { _zod: { def: Def } })._zod.def;
  let level: z.ZodType[] = [schema];
  const objects = (ts: z.ZodType[]): z.ZodType[] => {
    const out: z.ZodType[] = [];
    const seen = new Set<z.ZodType>();
    const stack = [...ts];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t)) continue;
      seen.add(t);
      const d = defOf(t);
      if (d.type === "object") out.push(t);
      for (const inner of [d.innerType, d.in, d.out, ...(d.options ?? [])]) if (inner) stack.push(inner);
    }
    return out;
  };
  for (const key of path) {
    const next: z.ZodType[] = [];
    for (const t of level) {
      if (typeof key === "number") {
        for (const u of [t, ...objectsAndArrays(t)]) if (defOf(u).type === "array") next.push(defOf(u).element!);
      } else for (const o of objects([t])) if (defOf(o).shape![key as string]) next.push(defOf(o).shape![key as string]);
    }
    level = next;
  }
  return [...new Set(objects(level).flatMap((o) => Object.keys(defOf(o).shape!)))];

  function objectsAndArrays(t: z.ZodType): z.ZodType[] {
    const d = defOf(t);
    return [d.innerType, d.in, d.out, ...(d.options ?? [])].filter((x): x is z.ZodType => !!x).flatMap((x) => [x, ...objectsAndArrays(x)]);
  }
}

export function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

/** zod's type names in the words a user writes values in. */
const WANTED: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

/** What the user wrote, short enough for one line. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  // JSON has no NaN or Infinity (JSON.stringify prints null for them): say what it was.
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  // Escaped: a value with control or bidi characters must not reach the terminal raw.
  return quote(v);
}

/** What each branch of a union takes, in words ("true or false", "one of \"host\"", "an object"). */
function unionForms(branches: z.core.$ZodIssue[][]): string[] {
  const forms = branches.map((issues) => {
    const top = issues.find((x) => x.path.length === 0 && (x.code === "invalid_type" || x.code === "invalid_value"));
    if (top?.code === "invalid_type") return WANTED[top.expected] ?? top.expected;
    if (top?.code === "invalid_value") return `one of ${top.values.map((v) => JSON.stringify(v)).join(", ")}`;
    return "an object";
  });
  return [...new Set(forms)];
}

/**
 * One sentence: what is wrong, what was given and what to write instead. zod 4 does not put
 * the offending value in its issues, so it is looked up in the inputs (`got`).
 */
export function reasonOf(i: z.core.$ZodIssue, got: unknown): string {
  const oneOf = (values: readonly unknown[]) => `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  switch (i.code) {
    case "invalid_type": {
      const want = WANTED[i.expected] ?? i.expected;
      // A schema may say how to give a required value (the host block shows an example).
      if (got === undefined) return i.message.startsWith("is required:") ? i.message : `is required: give ${want}`;
      if (got === null && i.message.startsWith("got null:")) return i.message;
      return `got ${describe(got)}, want ${want}`;
    }
    case "unrecognized_keys":
      return `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(", ")}: remove them or check the spelling`;
    case "invalid_value":
      return got === undefined ? `is required: give ${oneOf(i.values)}` : `got ${describe(got)}, want ${oneOf(i.values)}`;
    case "invalid_union": {
      const options = (i as { options?: readonly unknown[] }).options;
      if (options) return got === undefined ? `is required: give ${oneOf(options)}` : `got ${describe(got)}, want ${oneOf(options)}`;
      const forms = unionForms(i.errors);
      // When a branch of the right shape failed deeper in (an object with a bad field), say that.
      const deeper = i.errors.flat().find((x) => x.path.length > 0 || x.code === "unrecognized_keys");
      const detail = deeper && got && typeof got === "object" ? `; as ${forms.at(-1)}: ${deeper.path.length ? `${deeper.path.join(".")} ` : ""}${reasonOf(deeper, valueAt(got, deeper.path))}` : "";
      return `${got === undefined ? "is required:" : `got ${describe(got)},`} want ${forms.join(", or ")}${detail}`;
    }
    case "too_big":
    case "too_small": {
      const limit = Number(i.code === "too_big" ? i.maximum : i.minimum);
      const bound = i.code === "too_big" ? (i.inclusive === false ? "less than" : "at most") : i.inclusive === false ? "more than" : "at least";
      const unit = i.origin === "string" ? ["character", "characters"] : i.origin === "array" ? ["entry", "entries"] : undefined;
      if (!unit) return `got ${describe(got)}, want ${bound} ${limit}`;
      const size = (got as { length: number }).length;
      const count = (n: number) => `${n} ${n === 1 ? unit[0] : unit[1]}`;
      return `got ${count(size)}, want ${bound} ${count(limit)}`;
    }
    default:
      // Custom messages (refine, regex with a message) already say what to write.
      // Value types quote the value themselves (escaped); others get it appended.
      if (got === undefined || typeof got === "object" || i.message.includes(describe(got))) return i.message;
      return `${i.message} (got ${describe(got)})`;
  }
}

