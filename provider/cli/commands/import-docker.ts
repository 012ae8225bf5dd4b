import * as fs from "node:fs";
import { hasErrors } from "../../planner/plan";
import { importDocker, type DockerSource } from "../docker/import";
import { DockerImportError } from "../docker/flags";
import { renderProgram } from "../docker/render-ts";
import { renderTopologyYaml } from "../docker/render-yaml";
import { InputError } from "../../topology-files";
import { findingLines } from "../render/table";
import { EXIT, type Command } from "./command";

const DEFAULT_HOST = "docker-host";

export const importDockerCommand: Command = {
  name: "import-docker",
  summary: "turn `docker network create`, `docker run` and `docker network connect` commands into a topology file (or a Pulumi program); unsupported options are refused with the planner's reason",
  usage: `hns-plan import-docker [options] [file ...]
  reads docker network create and docker run commands from the files (or stdin when none is given, or "-"):
  one or more commands, \\ or \` line continuations, quotes, # comments; a docker run container becomes an
  endpoint of the network it names (--network, --ip, --ip6, -p, --dns, --dns-search, --dns-option, --mac-address, --isolation, --name),
  and docker network connect [--ip] NETWORK CONTAINER one more endpoint of a container started above (hotAdd)
  --format yaml|ts      yaml: a topology for hns-plan / hns.Topology (default); ts: a Pulumi program with hns.Network
  --host <name>         the topology host the networks go on (default ${DEFAULT_HOST})
  --hns-version <v>     that host's HNS version, for version-gated rules ("major.minor" or ws2019, ws2022, …)
  -o, --output <path>   write to a file instead of stdout
exit codes: 0 imported · 1 a planner rule refuses the result (e.g. --internal, --ip-range, --ip6) · 2 unreadable input, unknown option or driver`,
  options: { format: { type: "string" }, host: { type: "string" }, "hns-version": { type: "string" }, output: { type: "string", short: "o" } },
  run(values, positionals, term) {
    const format = (values.format as string | undefined) ?? "yaml";
    if (format !== "yaml" && format !== "ts") throw new InputError(`--format must be yaml or ts, not "${format}"`);
    const host = (values.host as string | undefined) ?? DEFAULT_HOST;
    const sources = readSources(positionals);

    let result;
    try {
      result = importDocker(sources, { host, hnsVersion: values["hns-version"] as string | undefined });
    } catch (e) {
      if (e instanceof DockerImportError) throw new InputError(e.message);
      throw e;
    }
    for (const n of [...result.networks, ...result.endpoints]) for (const note of n.notes) term.err(`${term.paint("dim", "note")} ${n.origin}: ${note}`);
    const located = result.findings.map((f) => (f.origin ? { ...f, where: `${f.origin} (${f.where})` } : f));
    for (const line of findingLines(located, term)) term.err(line);
    if (hasErrors(result.plan)) {
      term.err("nothing was written: Windows (or the topology) cannot take these networks as they are");
      return EXIT.invalid;
    }
    const text = format === "ts" ? renderProgram(result, host) : renderTopologyYaml(result);
    const output = values.output as string | undefined;
    if (output) {
      fs.writeFileSync(output, text);
      term.out(`wrote ${output}: ${result.networks.length} network${result.networks.length === 1 ? "" : "s"}`);
    } else process.stdout.write(text);
    return EXIT.ok;
  },
};

function readSources(positionals: string[]): DockerSource[] {
  const names = positionals.length ? positionals : ["-"];
  return names.map((name) => {
    if (name === "-") {
      // Never wait on a terminal: with nothing piped in, say what to pass instead.
      if (process.stdin.isTTY) throw new InputError("no input: pass files with docker network create commands, or pipe them on stdin");
      return { name: "stdin", text: fs.readFileSync(0, "utf8") };
    }
    try {
      return { name, text: fs.readFileSync(name, "utf8") };
    } catch (e) {
      throw new InputError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  });
}
