/**
 * Hosts that change stack between two runs of a fleet (a host's domain changed, a host was
 * inserted before others with --hosts-per-stack N, the split itself changed).
 *
 * Every stack of a fleet makes the same HNS IDs for a host (sdk/topology.ts `fleet`), and a create
 * that finds its ID on the host takes that object as its own (the provider's retry path). So if
 * the stack gaining a host ran before the stack losing it, the gainer would take the objects over
 * and the loser's up would then delete them under it. A fleet `up` therefore runs in two steps:
 * first each losing stack lets go (its up keeps only the hosts it still has), then every group's
 * stack runs. A stack gaining a host whose loser could not let go is skipped, and says why.
 */
import type { FleetGroup } from "./split";

/** What the stacks of the fleet hold now (their `hosts` output), by stack. */
export type Holdings = Map<string, string[]>;

export interface Moves {
  /** Step one: each stack that holds hosts its group no longer has, with the hosts it keeps. */
  leave: FleetGroup[];
  /** Stacks of the fleet that are in no group any more (their leave step empties them). */
  retiring: string[];
  /** The stacks each gaining stack waits for, by gaining stack. */
  gainsFrom: Map<string, string[]>;
}

export function movesOf(groups: FleetGroup[], held: Holdings): Moves {
  const groupOf = new Map(groups.flatMap((g) => g.hosts.map((h) => [h, g.stack] as const)));
  const current = new Map(groups.map((g) => [g.stack, new Set(g.hosts)]));
  const moves: Moves = { leave: [], retiring: [], gainsFrom: new Map() };
  for (const [stack, hosts] of held) {
    const keeps = current.get(stack) ?? new Set<string>();
    const leaving = hosts.filter((h) => !keeps.has(h));
    if (!current.has(stack)) moves.retiring.push(stack);
    if (!leaving.length && current.has(stack)) continue;
    moves.leave.push({ stack, hosts: hosts.filter((h) => keeps.has(h)) });
    for (const h of leaving) {
      const gainer = groupOf.get(h);
      if (gainer === undefined) continue;
      const from = moves.gainsFrom.get(gainer) ?? [];
      if (!from.includes(stack)) moves.gainsFrom.set(gainer, [...from, stack]);
    }
  }
  return moves;
}

/**
 * The stacks not to run in step two, with the reason: those whose leave step did not succeed,
 * and those gaining a host from one of them.
 */
export function blockedBy(moves: Moves, failedToLeave: Set<string>): Map<string, string> {
  const blocked = new Map<string, string>();
  for (const stack of failedToLeave) blocked.set(stack, "could not let go of the hosts that moved out of it (see above)");
  for (const [gainer, from] of moves.gainsFrom) {
    const failed = from.filter((s) => failedToLeave.has(s));
    if (failed.length && !blocked.has(gainer)) blocked.set(gainer, `gains hosts still deployed by ${failed.join(", ")}, which could not let go of them`);
  }
  return blocked;
}

/** A stack's outputs (stacks.ts GroupOutputs) when they say it belongs to this fleet: the hosts it holds. */
export function heldHosts(outputs: Record<string, { value: unknown }>, fleet: string): string[] | undefined {
  const hosts = outputs.hosts?.value;
  if (outputs.fleet?.value !== fleet || !Array.isArray(hosts) || !hosts.every((h) => typeof h === "string")) return undefined;
  return hosts;
}
