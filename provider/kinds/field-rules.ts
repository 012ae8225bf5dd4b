/**
 * What a change of each field does to a resource (its field table, `<kind>/mapping.ts`), and
 * the comparisons diffs and deterministic IDs make over argument values: pure, so the
 * controllers (provider/resources), the judge and the registry share them.
 */
import { isDeepStrictEqual } from "node:util";
import { hostIdentity, type Host } from "../hosts/host";

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

/** Whether the host holds a policy equal to `p` (see provider/resources/owned-policies.ts for who owns what). */
export function isPresent(p: unknown, onHost: readonly unknown[]): boolean {
  return onHost.some((q) => sameValue(p, q));
}

/** The declared policies present on the host, in declared order; undefined when none are. */
export function ownedOf<P>(declared: readonly P[] | undefined, onHost: readonly unknown[] | undefined): P[] | undefined {
  const owned = (declared ?? []).filter((p) => isPresent(p, onHost ?? []));
  return owned.length ? owned : undefined;
}
