/**
 * Docker command text → a topology document for one host, planned once so everything the
 * planner refuses (unsupported Docker options, VLANs on nat, VSIDs below 4096, overlapping
 * prefixes, --ip6 …) is reported with its rule id, and each finding points back to its command.
 * `docker network create` lines become networks; `docker run` lines become endpoints of the
 * network they name (Docker's default "nat" network when they name none), and `docker network
 * connect` lines further endpoints of a container started above.
 */
import { plan as planTopology, type Plan } from "../../planner/plan";
import type { Finding } from "../../planner/rules/rule";
import type { TopologyInput } from "../../planner/topology";
import { isNetworkConnect, parseConnect, type DockerConnect } from "./connect";
import { DockerImportError } from "./flags";
import { parseNetworkCreate } from "./network-create";
import { parseRun, runArguments } from "./run";
import { ShellSyntaxError, splitCommands, type ShellCommand } from "./shell-words";
import { DEFAULT_NETWORK, toTopologyEndpoint, type ImportedEndpoint } from "./to-endpoint";
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

export interface SourcedEndpoint extends ImportedEndpoint {
  /** "file:line" of the command. */
  origin: string;
  /** Index of its network in `networks`, and its own index on that network. */
  at: [network: number, endpoint: number];
}

export interface DockerImport {
  networks: SourcedNetwork[];
  /** The containers of `docker run` lines (a --network none container has none). */
  endpoints: SourcedEndpoint[];
  topology: TopologyInput;
  plan: Plan;
  /** The plan's findings, each with the command it came from (when it belongs to one). */
  findings: (Finding & { origin?: string })[];
}

/** Throws DockerImportError (with file:line) for text that is not a mappable command. */
export function importDocker(sources: DockerSource[], target: ImportTarget): DockerImport {
  const networks: SourcedNetwork[] = [];
  const runs: (ImportedEndpoint & { origin: string })[] = [];
  /** Containers docker run lines started, by --name, for docker network connect. */
  const started = new Map<string, ImportedEndpoint & { origin: string }>();
  for (const source of sources) {
    let commands: ShellCommand[];
    try {
      commands = splitCommands(source.text);
    } catch (e) {
      if (e instanceof ShellSyntaxError) throw new DockerImportError(`${source.name}:${e.line}: ${e.detail}`);
      throw e;
    }
    for (const cmd of commands) {
      const origin = `${source.name}:${cmd.line}`;
      try {
        if (runArguments(cmd.words)) {
          const run = toTopologyEndpoint(parseRun(cmd));
          if (run) runs.push({ ...run, origin });
          if (run?.source.name !== undefined) started.set(run.source.name, { ...run, origin });
        } else if (isNetworkConnect(cmd.words)) runs.push(connected(parseConnect(cmd), origin, started));
        else networks.push({ ...toTopologyNetwork(parseNetworkCreate(cmd)), origin });
      } catch (e) {
        if (e instanceof DockerImportError) throw new DockerImportError(`${source.name}:${e.line ?? cmd.line}: ${e.detail}`);
        throw e;
      }
    }
  }
  if (!networks.length && !runs.length) throw new DockerImportError(`no docker network create, docker run or docker network connect command found in ${sources.map((s) => s.name).join(", ")}`);
  const endpoints = placeEndpoints(networks, runs);

  const topology: TopologyInput = {
    version: 1,
    hosts: [{ name: target.host, ...(target.hnsVersion ? { hnsVersion: target.hnsVersion } : {}), networks: networks.map((n) => n.network) }],
  };
  const plan = planTopology(topology);
  const findings = plan.findings.map((f) => {
    const m = /^hosts\.0\.networks\.(\d+)(?:\.endpoints\.(\d+))?(\.|$)/.exec(f.path);
    if (!m) return f;
    const endpoint = m[2] === undefined ? undefined : endpoints.find((e) => e.at[0] === Number(m[1]) && e.at[1] === Number(m[2]));
    return { ...f, origin: endpoint?.origin ?? networks[Number(m[1])].origin };
  });
  return { networks, endpoints, topology, plan, findings };
}

/** A further endpoint of a container an earlier docker run started: it is running, so this is a hot-add. */
function connected(c: DockerConnect, origin: string, started: Map<string, ImportedEndpoint & { origin: string }>): ImportedEndpoint & { origin: string } {
  const run = started.get(c.container);
  if (!run) {
    throw new DockerImportError(`docker network connect: no earlier docker run --name ${c.container} in the input starts that container: add its docker run line before this one`, c.line);
  }
  const endpoint = {
    name: c.container,
    ...(c.ip !== undefined ? { ipAddress: c.ip } : {}),
    ...(c.ip6 !== undefined ? { ip6: c.ip6 } : {}),
    ...(run.endpoint.isolation ? { isolation: run.endpoint.isolation } : {}),
    hotAdd: true,
  };
  const notes = [...c.dropped, `${c.container} is running (docker run at ${run.origin}): this endpoint is attached to it while it runs (hotAdd)`];
  return { source: { line: c.line, command: c.command, name: c.container }, network: c.network, endpoint, notes, origin };
}

/**
 * Each container's endpoint onto the network it names (by Docker name, as `docker run` does),
 * in the order of the lines. Docker's default network exists on every Windows Docker host, so
 * a container on it brings it along; any other network must be created in the input.
 */
function placeEndpoints(networks: SourcedNetwork[], runs: (ImportedEndpoint & { origin: string })[]): SourcedEndpoint[] {
  const placed: SourcedEndpoint[] = [];
  for (const run of runs) {
    let n = networks.findIndex((net) => net.source.name === run.network);
    if (n < 0 && run.network === DEFAULT_NETWORK) {
      const created = toTopologyNetwork(parseNetworkCreate({ words: ["docker", "network", "create", "-d", "nat", DEFAULT_NETWORK], line: run.source.line }));
      // No line created it: say so where the command would be shown.
      created.source.command = `(Docker's default network "${DEFAULT_NETWORK}", which every Windows Docker host has)`;
      created.notes = [`imported for the containers on Docker's default network; HNS gives it 172.16.0.0/16, or the next free /16`];
      networks.push({ ...created, origin: run.origin });
      n = networks.length - 1;
    }
    if (n < 0) throw new DockerImportError(`${run.origin}: docker run uses network "${run.network}", which no docker network create in the input creates: add its command`);
    const net = networks[n];
    const list = (net.network.endpoints ??= []);
    const endpoint = { ...run.endpoint };
    // Docker applies a network's disableicc to every container it connects.
    if (net.endpointDefaults.disableIcc) endpoint.disableIcc = true;
    if (run.source.name === undefined) endpoint.name = unique(endpoint.name, list.map((e) => e.name));
    list.push(endpoint);
    placed.push({ ...run, endpoint, origin: run.origin, at: [n, list.length - 1] });
  }
  return placed;
}

/** An image-derived name made unique on its network: nginx, nginx-2, … */
function unique(name: string, taken: string[]): string {
  let v = name;
  for (let k = 2; taken.includes(v); k++) v = `${name}-${k}`;
  return v;
}
