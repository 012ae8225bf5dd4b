/** Shared by the topology commands: read topology and lock, plan, report lock drift. */
import { plan as planTopology, type Plan } from "../../planner/plan";
import { lockChanged } from "../../planner/lock";
import { findTopology, lockPathFor, readLock, readTopology } from "../../topology-files";
import type { Terminal } from "../terminal";
import { EXIT, type Values } from "./command";

export interface Loaded {
  plan: Plan;
  topologyFile: string;
  lockFile: string;
}

export function loadAndPlan(values: Values, term: Terminal): Loaded {
  const topologyFile = findTopology(values.file as string | undefined);
  const lockFile = lockPathFor(topologyFile, values.lock as string | undefined);
  term.progress(`reading ${topologyFile}`);
  const doc = readTopology(topologyFile);
  const lock = readLock(lockFile);
  term.progress("planning");
  const plan = planTopology(doc, lock);
  term.done();
  return { plan, topologyFile, lockFile };
}

/** Whether --frozen-lock is given and the plan would change the lock file. */
export function lockIsStale(values: Values, loaded: Loaded): boolean {
  return Boolean(values["frozen-lock"]) && lockChanged(loaded.plan.lockChanges);
}

/** The command that refreshes this lock, as a user pastes it from where they ran hns-plan. */
export function lockCommand(values: Values): string {
  const quote = (s: string) => (/^[\w./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return ["npx hns-plan lock", ...(values.file ? ["-f", quote(values.file as string)] : []), ...(values.lock ? ["--lock", quote(values.lock as string)] : [])].join(" ");
}

/** With --frozen-lock, a plan that would change the lock is an error (exit 3), listing how. */
export function frozenLockCheck(values: Values, loaded: Loaded, term: Terminal): number | undefined {
  if (!lockIsStale(values, loaded)) return undefined;
  const c = loaded.plan.lockChanges;
  term.err(`${term.paint(["bold", "red"], "error")} ${loaded.lockFile} is out of date (--frozen-lock):`);
  for (const [what, keys] of [["added", c.added], ["moved", c.moved], ["released", c.released]] as const) for (const k of keys) term.err(`  ${what} ${k}`);
  term.err(`  run "${lockCommand(values)}" and commit the lock file`);
  return EXIT.lockOutdated;
}
