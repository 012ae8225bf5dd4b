/**
 * What a fleet run tells its caller: a summary (succeeded, failed, changed, each failed stack
 * named with the engine's reason) and an exit status. An exit status is 8 bits and a fleet may
 * have hundreds of stacks, so the status says how the run went and the summary (or --json)
 * says which stacks failed.
 */
import type { StackOutcome } from "./run";

/**
 * Exit statuses of `hns-plan fleet` besides the CLI's own (0 ok, 1 topology invalid, 2 usage,
 * 3 lock out of date, 70 internal): chosen apart from every value of the CLI's EXIT table.
 */
export const FLEET_EXIT = {
  /** Some stacks failed or were skipped; every other stack succeeded. */
  someFailed: 5,
  /** No stack succeeded. */
  allFailed: 6,
} as const;

export interface FleetTotals {
  stacks: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Stacks whose operation changed something (or would, for a preview; drifted, for a refresh). */
  changed: number;
}

export function totals(outcomes: StackOutcome[]): FleetTotals {
  const count = (f: (o: StackOutcome) => boolean) => outcomes.filter(f).length;
  return {
    stacks: outcomes.length,
    succeeded: count((o) => o.result === "succeeded"),
    failed: count((o) => o.result === "failed"),
    skipped: count((o) => o.result === "skipped"),
    changed: count((o) => o.result === "succeeded" && o.changed > 0),
  };
}

/** 0 when every stack succeeded (an empty fleet included), 5 when some did not, 6 when none did. */
export function fleetExitCode(outcomes: StackOutcome[]): number {
  const t = totals(outcomes);
  if (t.succeeded === t.stacks) return 0;
  return t.succeeded === 0 ? FLEET_EXIT.allFailed : FLEET_EXIT.someFailed;
}

/** "create 3, delete 1": the engine's counts, "same" left out. */
export function changeText(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([kind, n]) => kind !== "same" && n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`);
  return parts.length ? parts.join(", ") : "no changes";
}

/** One line per stack, then the totals; failed and skipped stacks carry their reason. */
export function summaryLines(title: string, outcomes: StackOutcome[]): string[] {
  const t = totals(outcomes);
  const width = Math.max(0, ...outcomes.map((o) => o.stack.length));
  const rows = outcomes.map((o) => {
    const hosts = `${o.hosts.length} host${o.hosts.length === 1 ? "" : "s"}`;
    const what = o.result === "succeeded" ? changeText(o.changes) : `${o.result}: ${o.error ?? "no reason given"}`;
    return `  ${o.result === "succeeded" ? "ok  " : o.result === "failed" ? "FAIL" : "SKIP"} ${o.stack.padEnd(width)}  ${hosts.padStart(9)}  ${o.seconds.toFixed(1).padStart(6)} s  ${what}`;
  });
  const failed = outcomes.filter((o) => o.result !== "succeeded").map((o) => o.stack);
  return [
    title,
    ...rows,
    `${t.stacks} stack${t.stacks === 1 ? "" : "s"}: ${t.succeeded} succeeded, ${t.failed} failed, ${t.skipped} skipped, ${t.changed} changed`,
    ...(failed.length ? [`not done: ${failed.join(", ")}`] : []),
  ];
}
