/**
 * What the three resource providers share: input checking that reports every failure with
 * its field and fix, errors in the engine's words and plain JSON replies (field-table diffs: provider/kinds/field-rules.ts; deterministic IDs: provider/kinds/identity.ts).
 */
import type { z } from "zod";
import { isHnsError, zodFailures, type CheckFailure } from "../vocabulary/errors";
import { UNKNOWN } from "../vocabulary/unknown";
import { inputShapeProblems } from "../vocabulary/values";

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
