import * as path from "node:path";
import { hasErrors } from "../../planner/plan";
import { findingLines } from "../render/table";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command } from "./command";
import { frozenLockCheck, lockIsStale, loadAndPlan } from "./load";

export const validate: Command = {
  name: "validate",
  summary: "check a topology against the schema and every planner rule; exit 1 with all failures",
  usage: `hns-plan validate [options]\n${TOPOLOGY_USAGE}\n  --json              findings as JSON on stdout ({ ok, findings, lockOutdated })`,
  options: { ...TOPOLOGY_OPTIONS, json: { type: "boolean" } },
  run(values, _positionals, term) {
    const loaded = loadAndPlan(values, term);
    const { plan } = loaded;
    const failed = hasErrors(plan);
    // A stale lock under --frozen-lock fails the check: the summary must not say "valid".
    const stale = !failed && lockIsStale(values, loaded);
    if (values.json) {
      term.out(JSON.stringify({ ok: !failed && !stale, findings: plan.findings, lockOutdated: stale }, null, 2));
      return failed ? EXIT.invalid : stale ? EXIT.lockOutdated : EXIT.ok;
    } else {
      for (const line of findingLines(plan.findings, term)) term.out(line);
      const networks = plan.hosts.flatMap((h) => h.networks);
      const endpoints = networks.reduce((n, net) => n + net.endpoints.length, 0);
      const errors = plan.findings.filter((f) => f.severity === "error").length;
      term.out(
        failed
          ? term.paint(["bold", "red"], `✗ ${errors} error${errors > 1 ? "s" : ""}`) + ` in ${path.relative(process.cwd(), loaded.topologyFile) || loaded.topologyFile}`
          : stale
            ? term.paint(["bold", "red"], "✗ lock file out of date") + `: the topology is valid (${plan.hosts.length} hosts, ${networks.length} networks, ${endpoints} endpoints) but its plan changes the lock`
            : term.paint(["bold", "green"], "✓ valid") + `: ${plan.hosts.length} hosts, ${networks.length} networks, ${endpoints} endpoints`,
      );
    }
    if (failed) return EXIT.invalid;
    return frozenLockCheck(values, loaded, term) ?? EXIT.ok;
  },
};
