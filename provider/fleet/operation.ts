/**
 * One fleet operation from start to end: find what the fleet's stacks hold now, run the
 * operation over every stack (and over the stacks that are in no group any more), and for an
 * `up`, let moving hosts go before anyone takes them (moves.ts).
 */
import type { Stack } from "@pulumi/pulumi/automation";
import { blockedBy, movesOf, type Holdings, type Moves } from "./moves";
import { runFleet, type FleetOperation, type FleetRunOptions, type StackOutcome } from "./run";
import type { FleetGroup } from "./split";

/** The stacks of a fleet, as stacks.ts fleetStacks opens them. */
export interface FleetStacks {
  open(group: FleetGroup): Promise<Stack>;
  holdings(groups: FleetGroup[], concurrency: number): Promise<Holdings>;
}

export interface FleetOutcome {
  /** One outcome per stack: the retiring stacks first, then the groups in split order. */
  stacks: StackOutcome[];
  /** Stacks of the fleet in no group any more; an up empties and removes them. */
  retiring: string[];
}

export async function fleetOperation(groups: FleetGroup[], operation: FleetOperation, stacks: FleetStacks, options: Omit<FleetRunOptions, "skip">): Promise<FleetOutcome> {
  const moves = movesOf(groups, await stacks.holdings(groups, options.concurrency));
  const retiring = moves.retiring.map((stack) => ({ stack, hosts: [] }));
  if (operation !== "up") return { stacks: await runFleet([...retiring, ...groups], operation, stacks.open, options), retiring: moves.retiring };
  return { stacks: await up(groups, moves, stacks, options), retiring: moves.retiring };
}

/**
 * Step one lets moving hosts go: a stack still in the split runs up with the hosts it keeps; a
 * retiring stack is destroyed, then removed. Step two deploys every group.
 */
async function up(groups: FleetGroup[], moves: Moves, stacks: FleetStacks, options: Omit<FleetRunOptions, "skip">): Promise<StackOutcome[]> {
  const retiring = moves.leave.filter((g) => moves.retiring.includes(g.stack));
  const shrinking = moves.leave.filter((g) => !moves.retiring.includes(g.stack));
  const retired = await runFleet(retiring, "destroy", stacks.open, options);
  const left = await runFleet(shrinking, "up", stacks.open, options);
  const failed = new Set([...retired, ...left].filter((o) => o.result !== "succeeded").map((o) => o.stack));
  const joined = await runFleet(groups, "up", stacks.open, { ...options, skip: blockedBy(moves, failed) });
  for (const o of retired) if (o.result === "succeeded") await removeStack(stacks, o);
  const leftBy = new Map(left.map((o) => [o.stack, o]));
  const merged = joined.map((o) => {
    const first = leftBy.get(o.stack);
    if (!first) return o;
    if (first.result !== "succeeded") return first;
    // Both steps' changes; "same" is the second step's count (the first one saw the same resources).
    const changes: Record<string, number> = { ...first.changes, same: 0 };
    for (const [kind, n] of Object.entries(o.changes)) changes[kind] = (changes[kind] ?? 0) + n;
    if (!changes.same) delete changes.same;
    return { ...o, changes, changed: first.changed + o.changed, seconds: first.seconds + o.seconds };
  });
  return [...retired, ...merged];
}

/** An emptied retiring stack is removed; if that fails, its outcome says so (it holds nothing). */
async function removeStack(stacks: FleetStacks, o: StackOutcome): Promise<void> {
  try {
    await (await stacks.open({ stack: o.stack, hosts: [] })).workspace.removeStack(o.stack);
  } catch (e) {
    o.result = "failed";
    o.error = `destroyed, but not removed (${(e as Error).message.split("\n")[0]}): run "pulumi stack rm ${o.stack}"`;
  }
}
