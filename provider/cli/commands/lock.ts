import * as path from "node:path";
import { hasErrors } from "../../planner/plan";
import { lockChanged } from "../../planner/lock";
import { writeLock } from "../../topology-files";
import { findingLines } from "../render/table";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command } from "./command";
import { frozenLockCheck, loadAndPlan } from "./load";

export const lock: Command = {
  name: "lock",
  summary: "write or refresh the lock file (keeps every allocation still in use, releases the rest)",
  usage: `hns-plan lock [options]\n${TOPOLOGY_USAGE}\n  --check             only check: exit 3 when the lock would change (same as --frozen-lock)`,
  options: { ...TOPOLOGY_OPTIONS, check: { type: "boolean" } },
  run(values, _positionals, term) {
    const loaded = loadAndPlan(values, term);
    const { plan, lockFile } = loaded;
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
