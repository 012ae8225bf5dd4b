/**
 * Secrets on the wire. The plugin tells the engine it accepts secrets (Configure), so the engine
 * sends secret values wrapped as `{ [specialSigKey]: specialSecretSig, value }` and keeps what
 * the plugin returns as it is: the resource code sees plain values, and the plugin marks the
 * same places secret again on the way out, plus every host credential field whatever the
 * program wrote (the SDK makes plaintext credentials secrets too, sdk/secrets.ts).
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CREDENTIALS_AT, credentialsIn } from "../kinds/secrets";

type Json = unknown;

export function isSecret(v: Json): v is { value: Json } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

export const secret = (value: Json) => ({ [specialSigKey]: specialSecretSig, value });

/** A path of object keys and array indexes. */
export type Path = (string | number)[];

/** The value without secret wrappers, and the paths where there were some. */
export function unwrap(v: Json, at: Path = [], found: Path[] = []): { value: Json; secrets: Path[] } {
  if (isSecret(v)) {
    found.push(at);
    return { value: unwrap(v.value, at, []).value, secrets: found };
  }
  if (Array.isArray(v)) return { value: v.map((x, i) => unwrap(x, [...at, i], found).value), secrets: found };
  if (v && typeof v === "object") {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrap(x, [...at, k], found).value;
    return { value: out, secrets: found };
  }
  return { value: v, secrets: found };
}

/** `v` with the values at `paths` (where present) and the host credential fields wrapped as secrets. */
export function rewrap<T>(v: T, paths: Path[]): T {
  const out = structuredClone(v) as Json;
  const host = (out as Record<string, Json> | undefined)?.[CREDENTIALS_AT] as Record<string, Json> | undefined;
  const all: Path[] = [...paths, ...credentialsIn(host).map((f) => [CREDENTIALS_AT, f])];
  for (const p of all) wrapAt(out, p);
  return out as T;
}

function wrapAt(root: Json, path: Path): void {
  if (path.length === 0) return;
  let parent = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) {
    const next = parent?.[k];
    if (!next || typeof next !== "object" || isSecret(next)) return;
    parent = next as Record<string | number, Json>;
  }
  const last = path[path.length - 1];
  if (parent && typeof parent === "object" && parent[last] !== undefined && !isSecret(parent[last])) parent[last] = secret(parent[last]);
}
