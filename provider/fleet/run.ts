/**
 * Runs one operation (preview, up, refresh, destroy) over the fleet's stacks: at most K at a
 * time, each stack's engine output handed on line by line as it comes, and an outcome per stack.
 * A stack that fails does not stop the others.
 */
import type { Stack } from "@pulumi/pulumi/automation";
import type { FleetGroup } from "./split";

export const FLEET_OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;
export type FleetOperation = (typeof FLEET_OPERATIONS)[number];

export interface StackOutcome {
  stack: string;
  hosts: string[];
  operation: FleetOperation;
  result: "succeeded" | "failed" | "skipped";
  /** Resource operations by kind (create, update, delete, same, ...), as the engine counts them. */
  changes: Record<string, number>;
  /** Resources the operation changed, or would change in a preview: every kind but "same". */
  changed: number;
  /** Why it failed or was skipped: the engine's error lines, or the reason. */
  error?: string;
  seconds: number;
}

export interface FleetRunOptions {
  /** How many stacks run at once. */
  concurrency: number;
  /** Stops the run: running operations are cancelled (the engine gets SIGINT), pending stacks are skipped. */
  signal?: AbortSignal;
  /** Each complete line of a stack's engine output (stdout and stderr), as it comes. */
  onLine?: (stack: string, line: string) => void;
  /** Called as each stack finishes. */
  onOutcome?: (outcome: StackOutcome) => void;
  /** Stacks not to run, with the reason (moves.ts: a host they gain is still deployed elsewhere). */
  skip?: Map<string, string>;
}

export async function runFleet(groups: FleetGroup[], operation: FleetOperation, open: (g: FleetGroup) => Promise<Stack>, options: FleetRunOptions): Promise<StackOutcome[]> {
  const work = async (g: FleetGroup): Promise<StackOutcome> => {
    const started = Date.now();
    const lines = lineSplitter((line) => options.onLine?.(g.stack, line));
    const base = { stack: g.stack, hosts: g.hosts, operation };
    try {
      const changes = await operate(await open(g), operation, { onOutput: lines.push, onError: lines.push, color: "never", signal: options.signal });
      lines.flush();
      return { ...base, result: "succeeded", changes, changed: changedCount(changes), seconds: (Date.now() - started) / 1000 };
    } catch (e) {
      lines.flush();
      return { ...base, result: "failed", changes: {}, changed: 0, error: lines.errors()[0] ? lines.errors().join("; ") : firstLine(e), seconds: (Date.now() - started) / 1000 };
    }
  };
  const skip = (g: FleetGroup, why: string): StackOutcome => ({ stack: g.stack, hosts: g.hosts, operation, result: "skipped", changes: {}, changed: 0, error: why, seconds: 0 });
  return schedule(groups, options, work, skip);
}

type OperationOptions = { onOutput: (s: string) => void; onError: (s: string) => void; color: "never"; signal?: AbortSignal };

async function operate(stack: Stack, operation: FleetOperation, o: OperationOptions): Promise<Record<string, number>> {
  switch (operation) {
    case "preview":
      return (await stack.preview(o)).changeSummary;
    case "up":
      return (await stack.up(o)).summary.resourceChanges ?? {};
    case "refresh":
      return (await stack.refresh(o)).summary.resourceChanges ?? {};
    case "destroy":
      return (await stack.destroy(o)).summary.resourceChanges ?? {};
  }
}

function changedCount(changes: Record<string, number>): number {
  return Object.entries(changes).reduce((n, [kind, count]) => (kind === "same" ? n : n + count), 0);
}

/** Hands out the groups in order, at most `concurrency` at once; skipped ones, and all once stopped, do not run. */
async function schedule(groups: FleetGroup[], options: FleetRunOptions, work: (g: FleetGroup) => Promise<StackOutcome>, skip: (g: FleetGroup, why: string) => StackOutcome): Promise<StackOutcome[]> {
  const outcomes = new Map<string, StackOutcome>();
  const finish = (o: StackOutcome) => {
    outcomes.set(o.stack, o);
    options.onOutcome?.(o);
  };
  await forEachAtMost(groups, options.concurrency, async (g) => {
    const why = options.signal?.aborted ? "stopped before it started" : options.skip?.get(g.stack);
    finish(why !== undefined ? skip(g, why) : await work(g));
  });
  return groups.map((g) => outcomes.get(g.stack)!);
}

/** Runs `each` over the items in order, at most `k` at once (at least one); resolves when all have run. */
export async function forEachAtMost<T>(items: readonly T[], k: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(k, items.length)) }, worker));
}

/** Engine output arrives in chunks: hands on whole lines, and keeps the error lines for the summary. */
function lineSplitter(onLine: (line: string) => void) {
  let rest = "";
  const errors: string[] = [];
  const emit = (line: string) => {
    const error = /^\s*error: (.*)$/.exec(line)?.[1];
    // "update failed" and the like only say that something above failed.
    if (error && !/^(update|preview|refresh|destroy) failed$/.test(error) && !errors.includes(error)) errors.push(error);
    onLine(line);
  };
  return {
    push: (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop()!;
      for (const line of parts) emit(line);
    },
    flush: () => {
      if (rest) emit(rest);
      rest = "";
    },
    errors: () => errors.slice(0, 3),
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim()) ?? "failed";
}
