/**
 * Drift healed without a person: each cycle refreshes every stack of the fleet, then runs `up`
 * on the stacks whose refresh changed something (an object gone, as NAT and non-persistent
 * networks are after a host reboots, or edited behind Pulumi's back). The other stacks are
 * left alone. Reconcile heals toward the plan the fleet was deployed with; it does not roll out
 * a changed split (that is `fleet up`, which lets moving hosts go first).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { InputError } from "../topology-files";
import { movesOf } from "./moves";
import type { FleetStacks } from "./operation";
import { forEachAtMost, runFleet, type FleetRunOptions, type StackOutcome } from "./run";
import type { FleetGroup } from "./split";

export interface Cycle {
  cycle: number;
  refreshed: StackOutcome[];
  /** The up of each stack whose refresh found drift. */
  healed: StackOutcome[];
}

export interface ReconcileOptions extends Omit<FleetRunOptions, "skip"> {
  /** Seconds from the end of one cycle to the start of the next. */
  intervalSeconds: number;
  /** One cycle, then return. */
  once: boolean;
  onCycle?: (cycle: Cycle) => void;
}

/** Cycles until `once` or the signal; returns the last cycle that ran to its end. */
export async function reconcile(groups: FleetGroup[], stacks: FleetStacks, options: ReconcileOptions): Promise<Cycle | undefined> {
  await requireDeployed(groups, stacks, options.concurrency);
  // A stack whose last up failed holds less than its plan, and a refresh only compares what the
  // state holds: it is drifted too. Its history is read once; after that this loop's own ups
  // say how each stack's last update ended (a refresh is not an update).
  const failedLast = await unfinished(groups, stacks, options.concurrency);
  let last: Cycle | undefined;
  for (let cycle = 1; !options.signal?.aborted; cycle++) {
    const refreshed = await runFleet(groups, "refresh", stacks.open, options);
    const drifted = new Set(refreshed.filter((o) => o.result === "succeeded" && o.changed > 0).map((o) => o.stack));
    for (const stack of failedLast) drifted.add(stack);
    const healed = drifted.size ? await runFleet(groups.filter((g) => drifted.has(g.stack)), "up", stacks.open, options) : [];
    for (const o of healed) {
      if (o.result === "succeeded") failedLast.delete(o.stack);
      else if (o.result === "failed") failedLast.add(o.stack);
    }
    if (options.signal?.aborted) break;
    last = { cycle, refreshed, healed };
    options.onCycle?.(last);
    if (options.once) break;
    await sleep(options.intervalSeconds * 1000, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return last;
}

/** The stacks whose last update (an up or a destroy, not a refresh) did not succeed, read K at a time. */
async function unfinished(groups: FleetGroup[], stacks: FleetStacks, concurrency: number): Promise<Set<string>> {
  const out = new Set<string>();
  await forEachAtMost(groups, concurrency, async (g) => {
    const history = await (await stacks.open(g)).history(20).catch(() => []);
    const last = history.find((u) => u.kind === "update" || u.kind === "destroy");
    if (last && last.result !== "succeeded") out.add(g.stack);
  });
  return out;
}

/**
 * Reconcile heals stacks that `fleet up` made for this split: a stack not deployed yet, or a host
 * that moved to another group since, is for `fleet up`. Refused before any host is touched.
 */
async function requireDeployed(groups: FleetGroup[], stacks: FleetStacks, concurrency: number): Promise<void> {
  const held = await stacks.holdings(groups, concurrency);
  const missing = groups.filter((g) => !held.has(g.stack)).map((g) => g.stack);
  const moves = movesOf(groups, held);
  const moved = [...moves.leave.map((g) => g.stack), ...moves.retiring.filter((s) => !moves.leave.some((g) => g.stack === s))];
  if (missing.length || moved.length) {
    const what = [
      ...(missing.length ? [`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not deployed`] : []),
      ...(moved.length ? [`${moved.join(", ")} still ${moved.length === 1 ? "holds" : "hold"} hosts its group no longer has`] : []),
    ];
    throw new InputError(`reconcile heals a deployed fleet, and ${what.join("; ")}`, 'run "hns-plan fleet up" with the same options first');
  }
}
