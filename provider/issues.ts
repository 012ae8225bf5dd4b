/**
 * Zod's issues in the user's words, for every front door: a resource's check (provider/resources),
 * the topology (planner) and the native plugin read them through here, so a kind of mistake is
 * worded once. zod 4 does not put the offending value in its issues, so it is looked up in the input.
 */
import type { z } from "zod";
import type { CheckFailure } from "./errors";
import { nearestName, quote } from "./values";

/**
 * A schema's issues as check failures: the field as the user wrote its path, and one sentence
 * with what is wrong, what was given and what to write instead. `schema` lets an unknown key
 * name the known key it is closest to.
 */
export function zodFailures(issues: z.core.$ZodIssue[], input: unknown, schema?: z.ZodType): CheckFailure[] {
  return issues.flatMap((i) => {
      // One failure per unknown key, at the key's own path, with the known key it is closest to.
      if (i.code === "unrecognized_keys") {
        const known = schema ? knownKeysAt(schema, i.path) : [];
        return i.keys.map((k) => ({ property: [...i.path, k].map(String).join("."), reason: `is not a field here: remove it or check the spelling${didYouMean([k], known)}` }));
      }
      return [{ property: i.path.map(String).join(".") || "(inputs)", reason: reasonOf(i, valueAt(input, i.path)) }];
    });
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

