import { hasErrors } from "../../planner/plan";
import { findingLines, planTable } from "../render/table";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command } from "./command";
import { frozenLockCheck, loadAndPlan } from "./load";

export const plan: Command = {
  name: "plan",
  summary: "print every host's networks, endpoint addresses, policies and load balancers",
  usage: `hns-plan plan [options]\n${TOPOLOGY_USAGE}\n  --json              the whole plan as JSON on stdout`,
  options: { ...TOPOLOGY_OPTIONS, json: { type: "boolean" } },
  run(values, _positionals, term) {
    const loaded = loadAndPlan(values, term);
    const { plan: p } = loaded;
    if (hasErrors(p)) {
      for (const line of findingLines(p.findings, term)) term.err(line);
      return EXIT.invalid;
    }
    for (const line of findingLines(p.findings, term)) term.err(line); // warnings
    if (values.json) term.out(JSON.stringify({ hosts: p.hosts, findings: p.findings, lockChanges: p.lockChanges }, null, 2));
    else term.out(planTable(p, term));
    return frozenLockCheck(values, loaded, term) ?? EXIT.ok;
  },
};
