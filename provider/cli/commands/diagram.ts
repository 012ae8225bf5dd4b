import * as fs from "node:fs";
import { hasErrors } from "../../planner/plan";
import { InputError } from "../../topology-files";
import { mermaid } from "../render/mermaid";
import { svg } from "../render/svg";
import { findingLines } from "../render/table";
import { EXIT, TOPOLOGY_OPTIONS, TOPOLOGY_USAGE, type Command } from "./command";
import { loadAndPlan } from "./load";

export const diagram: Command = {
  name: "diagram",
  summary: "draw hosts → vSwitches/networks → endpoints → policies as Mermaid text or an SVG file",
  usage: `hns-plan diagram [options]\n${TOPOLOGY_USAGE}\n  --format mermaid|svg  default: from -o's extension, else mermaid\n  -o, --output <path>   write to a file instead of stdout`,
  options: { ...TOPOLOGY_OPTIONS, format: { type: "string" }, output: { type: "string", short: "o" } },
  run(values, _positionals, term) {
    const output = values.output as string | undefined;
    const format = (values.format as string | undefined) ?? (output?.toLowerCase().endsWith(".svg") ? "svg" : "mermaid");
    if (format !== "mermaid" && format !== "svg") throw new InputError(`--format must be mermaid or svg, not "${format}"`);
    const { plan } = loadAndPlan(values, term);
    if (hasErrors(plan)) {
      for (const line of findingLines(plan.findings, term)) term.err(line);
      return EXIT.invalid;
    }
    const text = format === "svg" ? svg(plan) : mermaid(plan);
    if (output) {
      fs.writeFileSync(output, text);
      term.out(`wrote ${output}`);
    } else process.stdout.write(text);
    return EXIT.ok;
  },
};
