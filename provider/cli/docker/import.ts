/**
 * Docker command text → a topology document for one host, planned once so everything the
 * planner refuses (unsupported Docker options, VLANs on nat, VSIDs below 4096, overlapping
 * prefixes …) is reported with its rule id, and each finding points back to its command.
 */
import { plan as planTopology, type Plan } from "../../planner/plan";
import type { Finding } from "../../planner/rules/rule";
import type { TopologyInput } from "../../planner/topology";
import { DockerImportError, parseNetworkCreate } from "./network-create";
import { ShellSyntaxError, splitCommands } from "./shell-words";
import { toTopologyNetwork, type ImportedNetwork } from "./to-topology";

export interface DockerSource {
  /** File name ("-" or "stdin" for standard input), for messages. */
  name: string;
  text: string;
}

export interface ImportTarget {
  /** The topology host the networks go on. */
  host: string;
  /** The host's HNS version, so version-gated rules apply ("major.minor" or a preset). */
  hnsVersion?: string;
}

export interface SourcedNetwork extends ImportedNetwork {
  /** "file:line" of the command. */
  origin: string;
}

export interface DockerImport {
  networks: SourcedNetwork[];
  topology: TopologyInput;
  plan: Plan;
  /** The plan's findings, each with the command it came from (when it belongs to one). */
  findings: (Finding & { origin?: string })[];
}

/** Throws DockerImportError (with file:line) for text that is not a mappable command. */
export function importDocker(sources: DockerSource[], target: ImportTarget): DockerImport {
  const networks: SourcedNetwork[] = [];
  for (const source of sources) {
    let commands;
    try {
      commands = splitCommands(source.text);
    } catch (e) {
      if (e instanceof ShellSyntaxError) throw new DockerImportError(`${source.name}:${e.line}: ${e.detail}`);
      throw e;
    }
    for (const cmd of commands) {
      try {
        networks.push({ ...toTopologyNetwork(parseNetworkCreate(cmd)), origin: `${source.name}:${cmd.line}` });
      } catch (e) {
        if (e instanceof DockerImportError) throw new DockerImportError(`${source.name}:${e.line ?? cmd.line}: ${e.detail}`);
        throw e;
      }
    }
  }
  if (!networks.length) throw new DockerImportError(`no docker network create command found in ${sources.map((s) => s.name).join(", ")}`);

  const topology: TopologyInput = {
    version: 1,
    hosts: [{ name: target.host, ...(target.hnsVersion ? { hnsVersion: target.hnsVersion } : {}), networks: networks.map((n) => n.network) }],
  };
  const plan = planTopology(topology);
  const findings = plan.findings.map((f) => {
    const m = /^hosts\.0\.networks\.(\d+)(\.|$)/.exec(f.path);
    return m ? { ...f, origin: networks[Number(m[1])].origin } : f;
  });
  return { networks, topology, plan, findings };
}
