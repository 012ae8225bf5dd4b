/**
 * A parsed `docker run` → one endpoint of our topology document, on the network it names.
 *
 * As for `docker network create`, what Windows refuses (`--ip6`, `--dns-option`) is carried
 * into the topology fields the planner's rules refuse (docker-ip6, docker-dns-option), so the
 * reason and the fix come from the rule catalog; what nothing maps to is an error naming it.
 */
import type { z } from "zod";
import type { TopologyEndpoint } from "../../planner/topology";
import type { PublishedPort } from "../../planner/topology";
import { DockerImportError } from "./flags";
import type { DockerRun } from "./run";

type EndpointDoc = z.input<typeof TopologyEndpoint>;

/** Docker's default network on Windows: every Docker host has it, a nat network named "nat". */
export const DEFAULT_NETWORK = "nat";

export interface ImportedEndpoint {
  /** The docker run (or docker network connect) line; `name` is the container's --name. */
  source: Pick<DockerRun, "line" | "command" | "name">;
  /** The Docker name of the network the endpoint goes on. */
  network: string;
  endpoint: EndpointDoc;
  notes: string[];
}

/** undefined for `--network none`: the container has no endpoint. */
export function toTopologyEndpoint(r: DockerRun): ImportedEndpoint | undefined {
  const fail = (message: string): never => {
    throw new DockerImportError(message, r.line);
  };
  const notes = [...r.dropped];
  if (r.networks.length > 1) fail(`--network is given ${r.networks.length} times: import one network per docker run, and give each further network its own docker run line`);
  let network = r.networks[0] ?? DEFAULT_NETWORK;
  if (!r.networks.length) notes.push(`no --network: the container goes on Docker's default network "${DEFAULT_NETWORK}"`);
  if (network === "default") network = DEFAULT_NETWORK;
  if (network === "none") return undefined;
  if (network === "host") fail("--network host: Windows containers have no host network mode; use a nat network with -p, or transparent / l2bridge for addresses of the host's network");
  if (network.startsWith("container:")) fail(`--network ${network} shares another container's endpoint: the topology has no place for it; give this container a network of its own`);
  if (network.includes(",") || network.includes("=")) fail(`--network ${network}: give the network by name (--network NAME) and its address with --ip`);

  const endpoint: EndpointDoc = { name: r.name ?? nameFromImage(r.image) };
  if (r.name === undefined) notes.push(`no --name: the endpoint is named "${endpoint.name}" after the image`);
  if (r.ip !== undefined) endpoint.ipAddress = r.ip;
  if (r.ip6 !== undefined) endpoint.ip6 = r.ip6;
  if (r.macAddress !== undefined) endpoint.macAddress = r.macAddress;
  const ports = r.publish.flatMap((p) => publishedPorts(p, fail));
  if (ports.length) endpoint.ports = ports;
  if (r.dns.length || r.dnsSearch.length) endpoint.dns = { ...(r.dns.length ? { servers: r.dns } : {}), ...(r.dnsSearch.length ? { search: r.dnsSearch } : {}) };
  if (r.dnsOptions.length) endpoint.dnsOptions = r.dnsOptions;
  if (r.isolation !== undefined) {
    const isolation = r.isolation.toLowerCase();
    if (isolation === "hyperv" || isolation === "process") endpoint.isolation = isolation;
    else if (isolation !== "default") fail(`--isolation takes process, hyperv or default, not "${r.isolation}"`);
  }
  return { source: r, network, endpoint, notes };
}

/** Docker names an unnamed container at random; the image's own name is a stable stand-in. */
function nameFromImage(image: string): string {
  const last = image.split("/").pop() ?? image;
  return last.split(/[:@]/)[0].replace(/[^A-Za-z0-9_.-]/g, "-") || "container";
}

const port = (text: string, what: string, fail: (m: string) => never): number[] => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (!m || lo < 1 || hi > 65535 || hi < lo) fail(`-p: ${what} "${text}" is not a port (1-65535) or a low-high range`);
  return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
};

/** `-p [host address:][host port:]container port[/protocol]`, ranges of equal length paired in order. */
function publishedPorts(text: string, fail: (m: string) => never): PublishedPort[] {
  const slash = text.lastIndexOf("/");
  const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
  if (protocol !== "tcp" && protocol !== "udp") fail(`-p ${text}: HNS publishes tcp or udp ports, not ${protocol}`);
  const rest = slash < 0 ? text : text.slice(0, slash);
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  const parts = bracketed ? [bracketed[1], ...bracketed[2].split(":")] : rest.split(":");
  if (parts.length > 3) fail(`-p ${text}: write [host address:]host port:container port[/protocol]`);
  const [address, hostPort, containerPort] = parts.length === 3 ? parts : parts.length === 2 ? ["", ...parts] : ["", "", parts[0]];
  if (address !== "" && address !== "0.0.0.0" && address !== "::") {
    fail(`-p ${text} publishes on one host address (${address}): the topology publishes on all of the host's addresses; remove the address`);
  }
  if (hostPort === "") fail(`-p ${text} leaves the host port to Docker, which a plan cannot know: give it, e.g. -p 8080:${containerPort}`);
  const external = port(hostPort, "host port", fail);
  const internal = port(containerPort, "container port", fail);
  if (external.length !== internal.length) fail(`-p ${text}: the host and container port ranges differ in length; give ranges of the same length`);
  return internal.map((p, k) => ({ ...(protocol === "udp" ? { protocol } : {}), internalPort: p, externalPort: external[k] }));
}
