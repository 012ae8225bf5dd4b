/**
 * The emulated host's access key, kept in its state file as a salted scrypt hash: a copied
 * or backed-up state file does not hand out the key. Checking a key costs one scrypt
 * derivation per key and salt per process (cached), so a deployment of hundreds of calls
 * pays it once; every check still compares the derived bytes in constant time.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * One of the scrypt settings the OWASP Password Storage Cheat Sheet lists as equivalent
 * minimums (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt:
 * "N=2^14 (16 MiB), r=8 (1024 bytes), p=5"); the smallest memory of that list, for small CI machines.
 */
const KDF = { N: 2 ** 14, r: 8, p: 5 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/**
 * Bounds on what a stored hash may ask for: the parameters come from a file, and a file
 * asking for N = 2^30 would make every check allocate a terabyte.
 */
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;

export const AccessKeyHash = z
  .object({
    kdf: z.literal("scrypt"),
    N: z
      .number()
      .int()
      .refine((n) => n >= 2 && n <= 2 ** MAX_LOG2_N && (n & (n - 1)) === 0, `must be a power of two up to 2^${MAX_LOG2_N}`),
    r: z.number().int().min(1).max(MAX_R),
    p: z.number().int().min(1).max(MAX_P),
    /** base64 */
    salt: z.base64(),
    /** base64 */
    hash: z.base64(),
  })
  .strict();
export type AccessKeyHash = z.infer<typeof AccessKeyHash>;

/** Derived keys by parameters, salt and (a digest of) the key; a few hosts per process at most. */
const derived = new Map<string, Promise<Buffer>>();
const CACHE_LIMIT = 64;

function derive(key: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const id = [params.N, params.r, params.p, salt.toString("base64"), createHash("sha256").update(key).digest("base64")].join(":");
  let out = derived.get(id);
  if (!out) {
    if (derived.size >= CACHE_LIMIT) derived.delete(derived.keys().next().value!);
    // scrypt needs 128·N·r bytes; Node refuses more than maxmem (32 MiB by default).
    const options = { ...params, maxmem: 256 * params.N * params.r };
    out = new Promise<Buffer>((resolve, reject) => scrypt(key, salt, HASH_BYTES, options, (err, buf) => (err ? reject(err) : resolve(buf))));
    out.catch(() => derived.delete(id));
    derived.set(id, out);
  }
  return out;
}

/** A new hash of key with a fresh random salt (one per state file). */
export async function hashAccessKey(key: string): Promise<AccessKeyHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(key, salt, KDF);
  return { kdf: "scrypt", ...KDF, salt: salt.toString("base64"), hash: hash.toString("base64") };
}

/** Whether key is the one stored; no key at all never is. */
export async function accessKeyMatches(stored: AccessKeyHash, key: string | undefined): Promise<boolean> {
  if (key === undefined) return false;
  const want = Buffer.from(stored.hash, "base64");
  const got = await derive(key, Buffer.from(stored.salt, "base64"), stored);
  return got.length === want.length && timingSafeEqual(got, want);
}
