import * as fs from "node:fs";
import { hasErrors } from "../../planner/plan";
import { importDocker, type DockerImport, type DockerSource } from "../docker/import";
import { DockerImportError, isDocker } from "../docker/flags";
import { renderProgram } from "../docker/render-ts";
import { renderTopologyYaml } from "../docker/render-yaml";
import { InputError, readBounded } from "../../topology-files";
import { findingLines } from "../render/table";
import type { Terminal } from "../terminal";
import { EXIT, type Command } from "./command";

const DEFAULT_HOST = "docker-host";

export const importDockerCommand: Command = {
  name: "import-docker",
  summary: "turn `docker network create`, `docker run` and `docker network connect` commands into a topology file (or a Pulumi program); lines Windows cannot take are refused with the reason and the Docker option that fixes them, the rest is imported",
  usage: `hns-plan import-docker [options] [file | "docker …" ...]
  reads docker network create and docker run commands from the files, from arguments that are themselves a
  docker command (quoted: hns-plan import-docker "docker network create -d nat web"), or from stdin when none
  is given (or "-"): one or more commands, \\ or \` line continuations, quotes, # comments; a docker run container
  becomes an endpoint of the network it names (--network, --ip, --ip6, -p, --dns, --dns-search, --dns-option,
  --mac-address, --isolation, --name), and docker network connect [--ip] NETWORK CONTAINER one more endpoint of a
  container started above (hotAdd). An overlay --subnet without a VXLAN id gets one as Docker assigns it (the
  first free id from 4096 up), written into the output.
  --format yaml|ts      yaml: a topology for hns-plan / hns.Topology (default); ts: a Pulumi program with hns.Network
  --host <name>         the topology host the networks go on (default ${DEFAULT_HOST})
  --hns-version <v>     that host's HNS version, for version-gated rules ("major.minor" or ws2019, ws2022, …)
  -o, --output <path>   write to a file instead of stdout
  --json                print a JSON report on stdout (imported counts, refused lines, notes, findings, and the
                        output text unless -o is given)
exit codes: 0 every line imported · 1 a planner rule refused a line (e.g. --internal, --ip-range, --ip6), the rest is
written · 2 unreadable input or unknown option (the rest is written when a line could not be mapped)`,
  options: { format: { type: "string" }, host: { type: "string" }, "hns-version": { type: "string" }, output: { type: "string", short: "o" }, json: { type: "boolean" } },
  run(values, positionals, term) {
    const format = (values.format as string | undefined) ?? "yaml";
    if (format !== "yaml" && format !== "ts") throw new InputError(`--format must be yaml or ts, not "${format}"`);
    const host = (values.host as string | undefined) ?? DEFAULT_HOST;
    const json = values.json === true;
    const sources = readSources(positionals);

    let result: DockerImport;
    try {
      result = importDocker(sources, { host, hnsVersion: values["hns-version"] as string | undefined });
    } catch (e) {
      if (e instanceof DockerImportError) throw new InputError(e.message);
      throw e;
    }
    const notes = [...result.networks, ...result.endpoints].flatMap((n) => n.notes.map((note) => ({ origin: n.origin, note })));
    const located = result.findings.map((f) => (f.origin ? { ...f, where: `${f.origin} (${f.where})` } : f));
    // A line-less error (one no single command caused) stops the import as a whole.
    const blocked = hasErrors(result.plan);
    const empty = result.networks.length === 0;
    const text = blocked || empty ? undefined : format === "ts" ? renderProgram(result, host) : renderTopologyYaml(result);
    const output = values.output as string | undefined;
    if (text !== undefined && output) fs.writeFileSync(output, text);
    const code = blocked ? EXIT.invalid : !result.refused.length ? EXIT.ok : result.refused.some((r) => r.problems.some((p) => !p.rule && !p.dependsOn)) ? EXIT.usage : EXIT.invalid;

    if (json) {
      const report = {
        imported: { networks: result.networks.length, endpoints: result.endpoints.length },
        refused: result.refused,
        notes,
        findings: located,
        ...(output && text !== undefined ? { output } : {}),
        ...(!output && text !== undefined ? { text } : {}),
        written: text !== undefined,
      };
      process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      return code;
    }
    for (const { origin, note } of notes) term.err(`${term.paint("dim", "note")} ${origin}: ${note}`);
    for (const line of findingLines(located, term)) term.err(line);
    for (const line of refusalLines(result, term)) term.err(line);
    if (text === undefined) {
      term.err(blocked ? "nothing was written: Windows (or the topology) cannot take these networks as they are" : "nothing was written: every network line was refused");
      return code === EXIT.ok ? EXIT.invalid : code;
    }
    const count = `${result.networks.length} network${result.networks.length === 1 ? "" : "s"}`;
    if (output) term.out(`wrote ${output}: ${count}${result.refused.length ? `; ${result.refused.length} line${result.refused.length === 1 ? "" : "s"} refused (above)` : ""}`);
    else process.stdout.write(text);
    return code;
  },
};

function refusalLines(result: DockerImport, term: Terminal): string[] {
  return result.refused.map((r) => {
    const problems = r.problems.flatMap((p) => {
      const fix = p.dockerOption ? `docker: ${p.dockerOption}` : p.fix ? `fix: ${p.fix}` : undefined;
      return [`  ${p.rule ? `${term.paint("bold", p.rule)}: ` : ""}${p.message}`, ...(fix ? [`    ${term.paint("dim", fix)}`] : [])];
    });
    return [`${term.paint(["bold", "red"], "refused")} ${r.origin}: ${r.command}`, ...problems].join("\n");
  });
}

/** Docker commands of a host or a compose-sized setup fit in far less; the planner's topology limit is 2 MiB too. */
const DOCKER_INPUT_MAX_BYTES = 2 * 1024 * 1024;
const tooMuch = (name: string) => new InputError(`${name} is larger than ${DOCKER_INPUT_MAX_BYTES} bytes of docker commands`, "split the commands over several files, one per host");

/** A file, stdin ("-" or nothing), or an argument that is itself a docker command. */
function readSources(positionals: string[]): DockerSource[] {
  const names = positionals.length ? positionals : ["-"];
  return names.map((name, i) => {
    if (name === "-") {
      // Never wait on a terminal: with nothing piped in, say what to pass instead.
      if (process.stdin.isTTY) throw new InputError("no input: pass files with docker network create commands, a quoted docker command, or pipe them on stdin");
      return { name: "stdin", text: readBounded(0, DOCKER_INPUT_MAX_BYTES, () => tooMuch("stdin")) };
    }
    if (!fs.existsSync(name) && isDocker(name.trim().split(/\s+/)[0] ?? "") && /\s/.test(name.trim())) return { name: `argument ${i + 1}`, text: name };
    try {
      return { name, text: readBounded(name, DOCKER_INPUT_MAX_BYTES, () => tooMuch(name)) };
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (give a file of docker commands, a docker command in quotes, or pipe them on stdin)`);
    }
  });
}
