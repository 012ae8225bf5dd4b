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
import { DOCKER_FIRST_VXLAN_ID, DOCKER_OPTION_FOR_RULE } from "./hints";
import { OVERLAY_VXLANID_LIST } from "./options";
import { parseNetworkCreate } from "./network-create";
import { parseRun, runArguments } from "./run";
import { joinWords, ShellSyntaxError, splitCommands, type ShellCommand } from "./shell-words";
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
  /** Docker's default network, brought along by the containers on it: no line created it. */
  implicit?: true;
}

export interface SourcedEndpoint extends ImportedEndpoint {
  /** "file:line" of the command. */
  origin: string;
  /** Index of its network in `networks`, and its own index on that network. */
  at: [network: number, endpoint: number];
}

/** A line that was not imported, and why; the other lines are imported without it. */
export interface Refusal {
  /** "file:line" of the command. */
  origin: string;
  /** The command as one line of shell text. */
  command: string;
  /** Every reason found for this line (a line can break several rules at once). */
  problems: RefusalProblem[];
}

export interface RefusalProblem {
  /** The planner rule; none when the command itself cannot be mapped (an option nothing maps to, a missing network). */
  rule?: string;
  message: string;
  /** The rule's own fix, in the words of a topology file. */
  fix?: string;
  /** The Docker option that supplies what the rule found missing or wrong (./hints.ts). */
  dockerOption?: string;
  /** The refused line this one depends on (a container on a refused network). */
  dependsOn?: string;
}

export interface DockerImport {
  networks: SourcedNetwork[];
  /** The containers of `docker run` lines (a --network none container has none). */
  endpoints: SourcedEndpoint[];
  topology: TopologyInput;
  plan: Plan;
  /** The plan's findings, each with the command it came from (when it belongs to one). */
  findings: (Finding & { origin?: string })[];
  /** Lines left out, in input order: refused by a planner rule, unmappable, or depending on one of those. */
  refused: Refusal[];
}

interface SourcedCommand extends ShellCommand {
  origin: string;
}

/**
 * Imports every line it can. A line that cannot be mapped, that a planner rule refuses, or
 * that depends on such a line (a container on a refused network) is left out and listed in
 * `refused`; the rest is planned again without it, until no line-bound error remains.
 * Throws DockerImportError only for input that cannot be read at all (shell syntax, no commands).
 */
export function importDocker(sources: DockerSource[], target: ImportTarget): DockerImport {
  const commands = readCommands(sources);
  const refused = new Map<string, Refusal>();
  for (;;) {
    const attempt = importLines(commands, target, refused);
    const newlyRefused = attempt.findings.filter((f) => f.severity === "error" && f.origin !== undefined && !refused.has(f.origin));
    if (!newlyRefused.length) {
      const inOrder = commands.filter((c) => refused.has(c.origin)).map((c) => refused.get(c.origin)!);
      return { ...attempt, refused: inOrder };
    }
    const added = new Map<string, Refusal>();
    for (const f of newlyRefused) {
      const command = commands.find((c) => c.origin === f.origin)!;
      const dockerOption = DOCKER_OPTION_FOR_RULE[f.rule];
      const r = added.get(f.origin!) ?? { origin: f.origin!, command: joinWords(command.words), problems: [] };
      r.problems.push({ rule: f.rule, message: f.message, fix: f.fix, ...(dockerOption ? { dockerOption } : {}) });
      added.set(f.origin!, r);
    }
    for (const [origin, r] of added) refused.set(origin, r);
  }
}

function readCommands(sources: DockerSource[]): SourcedCommand[] {
  const commands: SourcedCommand[] = [];
  for (const source of sources) {
    try {
      for (const cmd of splitCommands(source.text)) commands.push({ ...cmd, origin: `${source.name}:${cmd.line}` });
    } catch (e) {
      if (e instanceof ShellSyntaxError) throw new DockerImportError(`${source.name}:${e.line}: ${e.detail}`);
      throw e;
    }
  }
  if (!commands.length) throw new DockerImportError(`no docker network create, docker run or docker network connect command found in ${sources.map((s) => s.name).join(", ")}`);
  return commands;
}

/** One pass over the lines not yet refused; lines that cannot be mapped are added to `refused`. */
function importLines(commands: SourcedCommand[], target: ImportTarget, refused: Map<string, Refusal>): Omit<DockerImport, "refused"> {
  const networks: SourcedNetwork[] = [];
  const runs: (ImportedEndpoint & { origin: string })[] = [];
  /** Containers docker run lines started, by --name, for docker network connect. */
  const started = new Map<string, ImportedEndpoint & { origin: string }>();
  const refuse = (cmd: SourcedCommand, message: string, dependsOn?: string) =>
    void refused.set(cmd.origin, { origin: cmd.origin, command: joinWords(cmd.words), problems: [{ message, ...(dependsOn ? { dependsOn } : {}) }] });
  /** Docker names of the networks whose lines were refused, so their containers say why they went too. */
  const refusedNetworks = new Map<string, string>();
  for (const cmd of commands) {
    const { origin } = cmd;
    if (refused.has(origin)) {
      const name = dockerNetworkName(cmd);
      if (name !== undefined) refusedNetworks.set(name, origin);
      continue;
    }
    try {
      if (runArguments(cmd.words)) {
        const run = toTopologyEndpoint(parseRun(cmd));
        if (run) runs.push({ ...run, origin });
        if (run?.source.name !== undefined) started.set(run.source.name, { ...run, origin });
      } else if (isNetworkConnect(cmd.words)) runs.push(connected(parseConnect(cmd), origin, started));
      else networks.push({ ...toTopologyNetwork(parseNetworkCreate(cmd)), origin });
    } catch (e) {
      if (!(e instanceof DockerImportError)) throw e;
      refuse(cmd, e.line === undefined || e.line === cmd.line ? e.detail : `line ${e.line}: ${e.detail}`);
    }
  }
  assignVxlanIds(networks);
  const endpoints = placeEndpoints(networks, runs, refusedNetworks, (origin, reason, dependsOn) => refuse(commands.find((c) => c.origin === origin)!, reason, dependsOn));

  const topology: TopologyInput = {
    version: 1,
    hosts: [{ name: target.host, ...(target.hnsVersion ? { hnsVersion: target.hnsVersion } : {}), networks: networks.map((n) => n.network) }],
  };
  const plan = planTopology(topology);
  const findings = plan.findings.map((f) => {
    const m = /^hosts\.0\.networks\.(\d+)(?:\.endpoints\.(\d+))?(\.|$)/.exec(f.path);
    if (!m) return f;
    const endpoint = m[2] === undefined ? undefined : endpoints.find((e) => e.at[0] === Number(m[1]) && e.at[1] === Number(m[2]));
    const network = networks[Number(m[1])];
    // Docker's default network has no line of its own: its findings belong to no command.
    const origin = endpoint?.origin ?? (network.implicit ? undefined : network.origin);
    return origin === undefined ? f : { ...f, origin };
  });
  return { networks, endpoints, topology, plan, findings };
}

/**
 * An overlay subnet with no VXLAN id gets one the way Docker's overlay driver assigns it: the
 * first id from 4096 up that no other network of the input uses (./hints.ts). Docker keeps its
 * choice in its own store; here it is written into the imported topology, which is reviewed and
 * committed, so it never changes.
 */
function assignVxlanIds(networks: SourcedNetwork[]): void {
  const used = new Set(networks.flatMap((n) => (n.network.subnets ?? []).map((s) => s.vsid).filter((v): v is number => v !== undefined)));
  let next = DOCKER_FIRST_VXLAN_ID;
  for (const n of networks) {
    if (n.network.type !== "overlay") continue;
    for (const subnet of n.network.subnets ?? []) {
      if (subnet.vsid !== undefined) continue;
      while (used.has(next)) next++;
      subnet.vsid = next;
      used.add(next);
      n.notes.push(`subnet ${subnet.prefix}: VXLAN id ${next}, the first free one from ${DOCKER_FIRST_VXLAN_ID} up, as Docker's overlay driver assigns it (-o ${OVERLAY_VXLANID_LIST}=${next} pins it in the command)`);
    }
  }
}

/** The Docker name a network create line gives, when it can be read. */
function dockerNetworkName(cmd: ShellCommand): string | undefined {
  if (runArguments(cmd.words) || isNetworkConnect(cmd.words)) return undefined;
  try {
    return parseNetworkCreate(cmd).name;
  } catch {
    return undefined;
  }
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
function placeEndpoints(
  networks: SourcedNetwork[],
  runs: (ImportedEndpoint & { origin: string })[],
  refusedNetworks: Map<string, string>,
  refuse: (origin: string, reason: string, dependsOn?: string) => void,
): SourcedEndpoint[] {
  const placed: SourcedEndpoint[] = [];
  for (const run of runs) {
    let n = networks.findIndex((net) => net.source.name === run.network);
    if (n < 0 && run.network === DEFAULT_NETWORK) {
      const created = toTopologyNetwork(parseNetworkCreate({ words: ["docker", "network", "create", "-d", "nat", DEFAULT_NETWORK], line: run.source.line }));
      // No line created it: say so where the command would be shown.
      created.source.command = `(Docker's default network "${DEFAULT_NETWORK}", which every Windows Docker host has)`;
      created.notes = [`imported for the containers on Docker's default network; HNS gives it 172.16.0.0/16, or the next free /16`];
      networks.push({ ...created, origin: run.origin, implicit: true });
      n = networks.length - 1;
    }
    if (n < 0) {
      const at = refusedNetworks.get(run.network);
      refuse(run.origin, at ? `docker run uses network "${run.network}", whose line (${at}) was refused` : `docker run uses network "${run.network}", which no docker network create in the input creates: add its command`, at);
      continue;
    }
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
