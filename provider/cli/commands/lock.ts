import * as path from "node:path";
import { hasErrors } from "../../planner/plan";
import { lockChanged } from "../../planner/lock";
import { writeLock } from "../../topology-files";
import { findingLines } from "../render/table";
import type { Terminal } from "../terminal";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command, type Values } from "./command";
import { frozenLockCheck, lockIsStale, loadAndPlan, type Loaded } from "./load";

export const lock: Command = {
  name: "lock",
  summary: "write or refresh the lock file (keeps every allocation still in use, releases the rest)",
  usage: `hns-plan lock [options]\n${TOPOLOGY_USAGE}\n  --check             only check: exit 3 when the lock would change (same as --frozen-lock)\n  --json              a JSON report on stdout: { ok, lockFile, written, added, moved, released, findings }`,
  options: { ...TOPOLOGY_OPTIONS, check: { type: "boolean" }, json: { type: "boolean" } },
  run(values, _positionals, term) {
    const loaded = loadAndPlan(values, term);
    const { plan, lockFile } = loaded;
    if (values.json) return lockJson({ ...values, "frozen-lock": values["frozen-lock"] || values.check }, loaded, term);
    if (hasErrors(plan)) {
      for (const line of findingLines(plan.findings, term)) term.err(line);
      term.err("the lock file was not written");
      return EXIT.invalid;
    }
    const frozen = frozenLockCheck({ ...values, "frozen-lock": values["frozen-lock"] || values.check }, loaded, term);
    if (frozen !== undefined) return frozen;
    const name = path.relative(process.cwd(), lockFile) || lockFile;
    const c = plan.lockChanges;
    if (writeLock(lockFile, plan.lock) || lockChanged(c)) {
      term.out(`${term.paint("green", "wrote")} ${name}: ${c.added.length} added, ${c.moved.length} moved, ${c.released.length} released`);
      for (const k of c.moved) term.out(`  moved ${k}`);
    } else term.out(`${name} is up to date`);
    return EXIT.ok;
  },
};

/** lock --json: the same decisions, reported as one JSON document. */
function lockJson(values: Values, loaded: Loaded, term: Terminal): number {
  const { plan, lockFile } = loaded;
  const c = plan.lockChanges;
  const report = (ok: boolean, written: boolean) =>
    term.out(JSON.stringify({ ok, lockFile, written, added: c.added, moved: c.moved, released: c.released, findings: plan.findings }, null, 2));
  const refused = hasErrors(plan) ? EXIT.invalid : lockIsStale(values, loaded) ? EXIT.lockOutdated : undefined;
  if (refused !== undefined) {
    report(false, false);
    return refused;
  }
  const written = writeLock(lockFile, plan.lock) || lockChanged(c);
  report(true, written);
  return EXIT.ok;
}
