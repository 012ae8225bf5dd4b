import * as path from "node:path";
import { hasErrors } from "../../planner/plan";
import { findingLines } from "../render/table";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command } from "./command";
import { frozenLockCheck, loadAndPlan } from "./load";

export const validate: Command = {
  name: "validate",
  summary: "check a topology against the schema and every planner rule; exit 1 with all failures",
  usage: `hns-plan validate [options]\n${TOPOLOGY_USAGE}\n  --json              findings as JSON on stdout`,
  options: { ...TOPOLOGY_OPTIONS, json: { type: "boolean" } },
  run(values, _positionals, term) {
    const loaded = loadAndPlan(values, term);
    const { plan } = loaded;
    const failed = hasErrors(plan);
    if (values.json) {
      term.out(JSON.stringify({ ok: !failed, findings: plan.findings }, null, 2));
    } else {
      for (const line of findingLines(plan.findings, term)) term.out(line);
      const networks = plan.hosts.flatMap((h) => h.networks);
      const endpoints = networks.reduce((n, net) => n + net.endpoints.length, 0);
      const errors = plan.findings.filter((f) => f.severity === "error").length;
      term.out(
        failed
          ? term.paint(["bold", "red"], `✗ ${errors} error${errors > 1 ? "s" : ""}`) + ` in ${path.relative(process.cwd(), loaded.topologyFile) || loaded.topologyFile}`
          : term.paint(["bold", "green"], "✓ valid") + `: ${plan.hosts.length} hosts, ${networks.length} networks, ${endpoints} endpoints`,
      );
    }
    if (failed) return EXIT.invalid;
    return frozenLockCheck(values, loaded, term) ?? EXIT.ok;
  },
};
