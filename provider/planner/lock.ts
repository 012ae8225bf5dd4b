/**
 * The lock file (`hns.lock.json`): every address the planner allocated, keyed by where it
 * belongs, committed next to the program so allocations stay put and are reviewed in pull
 * requests like a package lock. Static addresses are not recorded: the program holds them.
 *
 * Keys: `<host>/<network>/<endpoint>` for endpoint addresses, `<host>/<network>/<lb>` for
 * load balancer VIPs (and `<host>/<network>/<lb>#source` for source VIPs).
 */
import { z } from "zod";
import { HnsError, issuePaths, issuesText } from "../vocabulary/errors";
import { HostAddress, VipAddress } from "../vocabulary/fields";

const LOCKFILE_VERSION = 1;

export const LockedEndpoint = z
  .object({
    ipv4: HostAddress.optional(),
    ipv6: HostAddress.optional(),
  })
  .strict();
export type LockedEndpoint = z.infer<typeof LockedEndpoint>;

export const Lock = z
  .object({
    lockfileVersion: z.literal(LOCKFILE_VERSION),
    endpoints: z.record(z.string(), LockedEndpoint),
    vips: z.record(z.string(), VipAddress),
  })
  .strict();
export type Lock = z.infer<typeof Lock>;

export function emptyLock(): Lock {
  return { lockfileVersion: LOCKFILE_VERSION, endpoints: {}, vips: {} };
}

/** Parses lock-file text; a message that names the problem when it is not a lock file. */
export function parseLock(text: string): Lock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the text; a lock is data someone handed over, so say where instead.
    throw new HnsError({ code: "InvalidInput", message: `the lock file is not JSON${/position (\d+)/.exec((e as Error).message) ? ` (at character ${/position (\d+)/.exec((e as Error).message)![1]})` : ""}`, fix: 'fix it, or delete it and run "npx hns-plan lock -f <topology file>" (or one pulumi up, for a topology in the program)' });
  }
  const r = Lock.safeParse(data);
  if (!r.success) {
    throw new HnsError({ code: "InvalidInput", path: issuePaths(r.error)[0].join("."), message: `the lock file is not valid at ${issuesText(r.error, { at: "(top)", limit: 1 })}`, fix: 'delete it and run "npx hns-plan lock -f <topology file>" (or one pulumi up, for a topology in the program)' });
  }
  return r.data;
}

/** Canonical text: sorted keys and a final newline, so the same lock is the same bytes everywhere. */
export function formatLock(lock: Lock): string {
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const endpoints = Object.fromEntries(
    Object.entries(sorted(lock.endpoints)).map(([k, v]) => [k, { ...(v.ipv4 ? { ipv4: v.ipv4 } : {}), ...(v.ipv6 ? { ipv6: v.ipv6 } : {}) }]),
  );
  return `${JSON.stringify({ lockfileVersion: LOCKFILE_VERSION, endpoints, vips: sorted(lock.vips) }, null, 2)}\n`;
}

/** What changed between two locks, for review output. */
export interface LockChanges {
  added: string[];
  released: string[];
  moved: string[];
}

export function lockChanges(before: Lock, after: Lock): LockChanges {
  const changes: LockChanges = { added: [], released: [], moved: [] };
  const compare = <T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean) => {
    let kept = 0;
    for (const k of Object.keys(b)) {
      const before = Object.hasOwn(a, k) ? a[k] : undefined;
      if (before === undefined) changes.added.push(k);
      else {
        kept++;
        if (!same(before, b[k])) changes.moved.push(k);
      }
    }
    // Every key of `a` is kept: nothing released, no second pass over thousands of keys.
    const keys = Object.keys(a);
    if (kept < keys.length) for (const k of keys) if (!Object.hasOwn(b, k)) changes.released.push(k);
  };
  compare(before.endpoints, after.endpoints, (x, y) => x.ipv4 === y.ipv4 && x.ipv6 === y.ipv6);
  compare(before.vips, after.vips, (x, y) => x === y);
  for (const list of Object.values(changes)) list.sort();
  return changes;
}

export function lockChanged(c: LockChanges): boolean {
  return c.added.length + c.released.length + c.moved.length > 0;
}
