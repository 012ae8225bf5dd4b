/**
 * Plain resources judged together (issue 24, item 1). The dynamic provider and the native
 * plugin each serve every resource of a program from one process, so `check` can see what the
 * resources checked before it declare on the same host: their names, prefixes, static
 * addresses and published ports. Each check lays them out as the planner's nodes of one host
 * (planner/model.ts), each placed at its own fields, with the resource being checked last, and
 * keeps the findings of the planner's cross-resource rules that land on it: the second resource
 * of a clash is refused, naming the first, with the planner's rule id, message and fix.
 *
 * On an emulated host the objects it already holds that this stack did not make (Docker's
 * `nat`, another stack's) take part too, read once per run and never written.
 *
 * A real host (local, ssh, winrm) is read the same way only when its block sets
 * `previewReadsHost: true`; a host that cannot be read judges nothing.
 *
 * Identity is the resource's seed (`<project>/<stack>/<type>/<name>`, set by the SDK and by the
 * native plugin); input without one (a direct call) is judged alone. A resource checked again
 * (preview, then up) replaces its own entry. Values still unknown in a preview are left out.
 *
 * With PULUMI_HNS_CROSS_RESOURCE=policy-pack, check still records what each resource declares and
 * judges it against what the host holds, but leaves clashes among the program's resources to the
 * policy pack (judgeProgram below): the engine stops a deployment at the first check failure,
 * before a stack policy runs, so only then does one preview report every clash at once.
 */
import { existsSync } from "node:fs";
import type { CheckFailure } from "../vocabulary/errors";
import { connect } from "../hosts/connect";
import { Host, emulatorStateFile, hostLocation } from "../hosts/host";
import { fromHcn as networkFromHcn } from "../kinds/network/mapping";
import { judgeNodes } from "../planner/plan";
import { addEndpoint, addHost, addNetworks, emptyModel, type NetworkFields, type NetworkNode } from "../planner/model";
import { CONTEXT, endpointFields, failureOf, standIn } from "./resource";
import { frontendClashes, frontendOf } from "./frontends";
import { z } from "zod";
import { networkContextOf, type EndpointArgs, type NetworkContext } from "../kinds/endpoint/args";
import { Subnet, type NetworkArgs } from "../kinds/network/args";
import { HnsName, HostAddress, Ipv6HostAddress, NetworkType } from "../vocabulary/fields";
import { EndpointPolicyInput, type EndpointPolicy } from "../hcn";
import { stackTag } from "../kinds/identity";
import type { ResourceKind } from "../kinds/registry";
import { hasUnknown } from "../vocabulary/unknown";
import { parseHnsVersion } from "../vocabulary/features";
import { frontendKey, type HostComputeEndpoint, type HostComputeLoadBalancer, type HostComputeNetwork } from "../hcn";
import { DEFAULT_HNS_VERSION } from "../hosts/emulator";
import { newHostState } from "../hosts/emulator/new-host";

/** The planner's rules about several objects on one host: the ones a single resource's check cannot apply. */
export const CROSS_RESOURCE_RULES: ReadonlySet<string> = new Set(["host-port-conflict", "address-duplicate", "prefix-overlap-host", "duplicate-name", "single-nat-network"]);

/** Where the cross-resource rules run: PULUMI_HNS_CROSS_RESOURCE, "check" (the default) or "policy-pack". */
export const CROSS_RESOURCE_ENV = "PULUMI_HNS_CROSS_RESOURCE";
const CROSS_RESOURCE_PLACES = ["check", "policy-pack"] as const;

export function crossResourcePlace(env: NodeJS.ProcessEnv = process.env): (typeof CROSS_RESOURCE_PLACES)[number] {
  const v = env[CROSS_RESOURCE_ENV];
  if (v === undefined || v === "") return "check";
  if ((CROSS_RESOURCE_PLACES as readonly string[]).includes(v)) return v as (typeof CROSS_RESOURCE_PLACES)[number];
  throw new Error(`${CROSS_RESOURCE_ENV}=${JSON.stringify(v)} is not one of ${CROSS_RESOURCE_PLACES.map((p) => `"${p}"`).join(", ")}: unset it (check judges resources together) or set it to "policy-pack" when you run pulumi preview --policy-pack (docs/policy-pack.md)`);
}

// The engine's placeholder for a value not known yet in a preview (rpc.unknownValue).
const known = (v: unknown) => v !== undefined && !hasUnknown(v);

interface NetworkDeclared {
  kind: "network";
  name: string;
  /** The HNS ID its create will use (deterministic), when it creates rather than adopts. */
  id?: string;
  fields: Pick<NetworkArgs, "type" | "subnets" | "adapterName">;
}
interface EndpointDeclared {
  kind: "endpoint";
  /** What the endpoint knows of its network (its HNS name when the program passed the Network resource). */
  network?: Partial<NetworkContext>;
  fields: Partial<Pick<EndpointArgs, "ipAddress" | "ipv6Address" | "policies">>;
}
/** A load balancer with a frontend: what HNS compares of it (frontends.ts). */
interface LoadBalancerDeclared {
  kind: "loadBalancer";
  frontend: { key: string; vips: string[] };
}
type Declared = (NetworkDeclared | EndpointDeclared | LoadBalancerDeclared) & { resource: string; hnsVersion?: string };

/** Per host location, per seed: what each resource checked so far declares. */
const declared = new Map<string, Map<string, Declared>>();

/** The resource's own name: the last segment of its seed. */
const resourceName = (seed: string) => seed.split("/").pop() || seed;

function declarationOf(kind: string, args: Record<string, unknown>, resource: string, plannedId?: () => string): Declared | undefined {
  const host = args.host as Host;
  const hnsVersion = host.kind === "emulator" ? host.hnsVersion : undefined;
  if (kind === "network" && known(args.name) && valid(NetworkType, args.type)) {
    const fields: NetworkDeclared["fields"] = { type: args.type };
    if (valid(Subnets, args.subnets)) fields.subnets = args.subnets;
    if (valid(z.string(), args.adapterName)) fields.adapterName = args.adapterName;
    const id = plannedId && !args.adopt ? plannedId().toLowerCase() : undefined;
    return { kind: "network", name: String(args.name), ...(id ? { id } : {}), fields, resource, hnsVersion };
  }
  if (kind === "endpoint") {
    const fields: EndpointDeclared["fields"] = {};
    if (valid(HostAddress, args.ipAddress)) fields.ipAddress = args.ipAddress;
    if (valid(Ipv6HostAddress, args.ipv6Address)) fields.ipv6Address = args.ipv6Address;
    // Only port mappings reach the cross-resource rules; other raw policies stay with the endpoint's own check.
    const ports = (Array.isArray(args.policies) ? (args.policies as unknown[]) : []).filter((p): p is EndpointPolicy => valid(EndpointPolicyInput, p) && p.Type === "PortMapping");
    if (ports.length) fields.policies = ports;
    if (!Object.keys(fields).length) return undefined;
    return { kind: "endpoint", ...(contextOf(args.__network) ?? {}), fields, resource, hnsVersion };
  }
  if (kind === "policy" && args.kind === "loadBalancer") {
    const frontend = frontendOf(args);
    return frontend && { kind: "loadBalancer", frontend, resource, hnsVersion };
  }
  return undefined;
}

/**
 * Whether a value is known and valid. Check has parsed its own resource, but the policy pack
 * reads the engine's inputs as they are: what is not known yet, or not valid (its own check
 * refuses it), is left out rather than judged.
 */
function valid<T>(schema: z.ZodType<T>, v: unknown): v is T {
  return known(v) && schema.safeParse(v).success;
}

const Subnets = z.array(Subnet);

/** What an endpoint knows of its network, each part that is known and valid (`__network` may hold unknowns in a preview). */
function contextOf(given: unknown): { network: Partial<NetworkContext> } | undefined {
  if (given === null || typeof given !== "object") return undefined;
  const c = given as Record<string, unknown>;
  const network: Partial<NetworkContext> = {
    ...(valid(NetworkType, c.type) ? { type: c.type } : {}),
    ...(valid(Subnets, c.subnets) ? { subnets: c.subnets } : {}),
    ...(valid(HnsName, c.name) ? { name: c.name } : {}),
  };
  return Object.keys(network).length ? { network } : undefined;
}

/** How messages name a declaration: its resource name, and for a network its HNS name when that differs. */
function labelOf(d: Declared): string {
  if (d.kind === "loadBalancer") return `load balancer ${d.resource}`;
  return d.kind === "network" && d.name !== d.resource ? `network ${d.resource} ("${d.name}")` : `${d.kind} ${d.resource}`;
}

/** A declaration's place: "@<n>", n its index in the entries; a stand-in network is context (resource.ts CONTEXT). */
const OWNED = /^@(\d+)(?:\.|$)/;

/**
 * The cross-resource findings of one host's declarations, each with the declaration it lands on.
 * One host's model: the networks first, then each endpoint on its network (a stand-in network
 * of the endpoint's type when that network's resource was not declared). Entries keep their
 * order, and `last` (an endpoint) goes last with its network: the planner reports a clash on the
 * later of the two objects. Each node is placed at "@<n>" plus the resource's own fields.
 */
function crossFindings(hostName: string, entries: [string, Declared][], last?: string): { key: string; failure: CheckFailure; rule: string }[] {
  const model = emptyModel();
  const hnsVersion = entries.find(([, d]) => d.hnsVersion)?.[1].hnsVersion;
  const hostNode = addHost(model, { name: standIn(hostName), ...(hnsVersion ? { hnsVersion } : {}) }, { path: CONTEXT });
  type Laid = { network: NetworkFields; place: { path: string; label?: string }; endpoints: [number, EndpointDeclared & Declared][] };
  const laid: Laid[] = [];
  const byName = new Map<string, Laid>();
  entries.forEach(([, d], i) => {
    if (d.kind !== "network") return;
    // Names in keys take no "/" or blanks (an HNS name may: "Default Switch").
    const n: Laid = { network: { name: standIn(d.name), ...d.fields }, place: { path: `@${i}`, label: labelOf(d) }, endpoints: [] };
    laid.push(n);
    byName.set(d.name, n);
  });
  let lastLaid: Laid | undefined;
  entries.forEach(([key, d], i) => {
    if (d.kind !== "endpoint") return;
    // A network named only by ID: its type is unknown, and so is whether its ports are host-wide
    // (NAT) or its own (VFP); the endpoint is not judged with the others (docs/reference/endpoint.md).
    const context = d.network;
    if (context?.name === undefined && context?.type === undefined) return;
    let n = context.name !== undefined ? byName.get(context.name) : undefined;
    if (!n) {
      n = { network: { name: `network-of-${standIn(d.resource)}`, type: context.type ?? "nat", ...(context.subnets ? { subnets: context.subnets } : {}) }, place: { path: CONTEXT }, endpoints: [] };
      laid.push(n);
      if (context.name !== undefined) byName.set(context.name, n);
    }
    n.endpoints.push([i, d as EndpointDeclared & Declared]);
    if (key === last) lastLaid = n;
  });
  // The planner puts a clash on the object that comes later, and endpoints come in their
  // networks' order: the endpoint being checked goes last with its network, or a clash with an
  // endpoint of a later network would land on that one, whichever was checked first.
  if (lastLaid) laid.push(...laid.splice(laid.indexOf(lastLaid), 1));
  const nets: NetworkNode[] = addNetworks(model, hostNode, laid);
  laid.forEach((n, k) => {
    for (const [i, d] of n.endpoints) addEndpoint(model, nets[k], endpointFields(standIn(d.resource), d.fields), { path: `@${i}`, label: labelOf(d) });
  });
  const out: { key: string; failure: CheckFailure; rule: string }[] = [];
  for (const f of judgeNodes(model, { rules: CROSS_RESOURCE_RULES }).findings) {
    if (f.severity !== "error") continue;
    const owner = OWNED.exec(f.path);
    if (!owner) continue;
    const key = entries[Number(owner[1])][0];
    const failure = failureOf({ ...f, path: f.path.slice(owner[0].length) });
    if (!out.some((o) => o.key === key && o.failure.property === failure.property && o.failure.reason === failure.reason)) out.push({ key, failure, rule: f.rule });
  }
  // Load balancers in entry order, the one being checked last: the second of a frontend is refused.
  const lbs = entries.filter(([key, d]) => d.kind === "loadBalancer" && key !== last);
  const mine = entries.find(([key, d]) => d.kind === "loadBalancer" && key === last);
  const ordered = (mine ? [...lbs, mine] : lbs) as [string, LoadBalancerDeclared & Declared][];
  for (const [i, failure] of frontendClashes(hostName, ordered.map(([, d]) => ({ name: labelOf(d), ...d.frontend })))) out.push({ key: ordered[i][0], failure, rule: "lb-frontend-duplicate" });
  return out;
}

/**
 * Records what a checked resource declares and judges it with the others on its host: the
 * failures of the cross-resource rules that land on it. `args` are its checked inputs;
 * `plannedId` gives the HNS ID its create would use (so an endpoint naming that ID finds it).
 */
export async function judgeTogether(kind: string, args: Record<string, unknown>, olds?: Record<string, unknown>, plannedId?: () => string): Promise<CheckFailure[]> {
  const seed = args.__seed;
  const host = args.host as Host | undefined;
  if (typeof seed !== "string" || !host || !known(host)) return [];
  const place = crossResourcePlace();
  const mine = declarationOf(kind, args, resourceName(seed), plannedId);
  const where = hostLocation(host);
  let table = declared.get(where);
  if (!mine) {
    table?.delete(seed);
    return [];
  }
  if (!table) declared.set(where, (table = new Map()));
  // Re-inserted, so the resource being checked is the last one laid out: the second of any clash.
  table.delete(seed);
  table.set(seed, mine);
  // An object this resource adopts, or already manages under the same name (imported, or made by an
  // older version without the stack's tag: its old inputs carry the name), is its own, not a clash.
  const adopt = args.adopt as boolean | { id: string } | undefined;
  const sameName = (d: Declared) => d.kind === mine.kind && d.resource === (d.kind === "network" ? (mine as NetworkDeclared).name : String(args.name));
  const managed = olds?.name !== undefined && olds.name === args.name;
  const adopted = (key: string, d: Declared) =>
    (managed && sameName(d)) || (adopt !== undefined && adopt !== false && (typeof adopt === "object" ? key.slice(HELD.length).toLowerCase() === adopt.id.toLowerCase() : sameName(d)));
  const held = (await hostHolds(host, where, stackTag(seed))).filter(([key, d]) => !adopted(key, d));
  // With the policy pack judging the program's resources together, check still judges this one
  // against what the host holds: the pack reads no host.
  const declarations: [string, Declared][] = place === "policy-pack" ? [[seed, mine]] : [...table.entries()];
  if (declarations.length + held.length < 2) return [];
  const heldNames = new Set(held.filter(([, d]) => d.kind === "network").map(([, d]) => standIn((d as NetworkDeclared).name).toLowerCase()));
  const out: CheckFailure[] = [];
  for (const { key, failure: found, rule } of crossFindings(host.name, [...held, ...declarations], seed)) {
    if (key !== seed) continue;
    let failure = found;
    // A network of this name that the host holds already: taking it over is the likelier intent.
    if (rule === "duplicate-name" && mine.kind === "network" && heldNames.has(standIn(mine.name).toLowerCase())) {
      failure = { property: "name", reason: `a network named "${mine.name}" already exists on host ${host.name}, made outside this stack (rule duplicate-name): set adopt: true to take it over, or give this one another name` };
    }
    if (!out.some((o) => o.property === failure.property && o.reason === failure.reason)) out.push(failure);
  }
  return out;
}

/**
 * The network checked earlier in this run on `host` that an endpoint names: by the HNS ID its
 * create will use (`network: web.networkId`, known in a preview where the front door plans IDs)
 * or by its seed (a resource reference). Undefined when no such network was checked here.
 */
export function declaredNetwork(host: unknown, by: { id?: string; seed?: string }): NetworkContext | undefined {
  const parsed = Host.safeParse(host);
  if (!parsed.success) return undefined;
  const table = declared.get(hostLocation(parsed.data));
  if (!table) return undefined;
  const id = by.id?.toLowerCase();
  for (const [seed, d] of table) {
    if (d.kind !== "network") continue;
    if ((by.seed !== undefined && seed === by.seed) || (id !== undefined && d.id === id)) {
      return networkContextOf({ ...d.fields, name: d.name });
    }
  }
  return undefined;
}

/** One resource of a whole program, as a policy pack sees it: a key to report on (its URN), its kind and its inputs. */
export interface ProgramResource {
  key: string;
  kind: ResourceKind;
  args: Record<string, unknown>;
}

/** A cross-resource finding of judgeProgram: the resource (its key), the field (dotted path), the reason with its fix, the rule. */
export interface ProgramFinding {
  key: string;
  property: string;
  reason: string;
  rule: string;
}

/**
 * Every cross-resource finding over a whole program's resources at once, per host, with no host
 * read: what check reports one resource at a time, for the policy pack (provider/policy-pack).
 * Resources keep the given order, so of two that clash the later one is reported, as at check.
 */
export function judgeProgram(resources: readonly ProgramResource[]): ProgramFinding[] {
  const hosts = new Map<string, { name: string; entries: [string, Declared][] }>();
  for (const r of resources) {
    const host = Host.safeParse(r.args.host);
    if (!host.success) continue;
    const seed = typeof r.args.__seed === "string" ? r.args.__seed : undefined;
    const d = declarationOf(r.kind, { ...r.args, host: host.data }, seed ? resourceName(seed) : (r.key.split("::").pop() ?? r.key));
    if (!d) continue;
    const where = hostLocation(host.data);
    let group = hosts.get(where);
    if (!group) hosts.set(where, (group = { name: host.data.name, entries: [] }));
    group.entries.push([r.key, d]);
  }
  const out: ProgramFinding[] = [];
  for (const { name, entries } of hosts.values()) {
    if (entries.length < 2) continue;
    for (const { key, failure, rule } of crossFindings(name, entries)) out.push({ key, property: failure.property, reason: failure.reason, rule });
  }
  return out;
}

/** Forgets every declaration and every host read (a provider process lives for one engine run). */
export function forgetProgram(): void {
  declared.clear();
  holdings.clear();
}

/** What each host held when first asked in this run, per location. */
const holdings = new Map<string, Promise<[string, Declared][]>>();

/**
 * What a host already holds that this stack did not make (Docker's `nat`, another stack's
 * networks and published ports), read once per run and never written: an emulator state file
 * that does not exist is not made, a real host is read only when its block sets
 * previewReadsHost, and a host that cannot be read judges nothing. Objects whose ID carries
 * this stack's tag are its own resources' (kinds/identity.ts deterministicId).
 */
function hostHolds(host: Host, where: string, tag: string | undefined): Promise<[string, Declared][]> {
  let read = holdings.get(where);
  if (!read) holdings.set(where, (read = readHost(host).catch(() => [])));
  const own = (id: string) => tag !== undefined && id.toLowerCase().startsWith(tag);
  return read.then((all) => all.filter(([key]) => !own(key.slice(HELD.length))));
}

const HELD = "held:";

async function readHost(host: Host): Promise<[string, Declared][]> {
  if (host.kind === "emulator" && !existsSync(emulatorStateFile(host))) {
    if (!host.docker) return [];
    // A Docker host not started yet: what its state file will hold at first use (Docker's nat),
    // made in memory; nothing is written.
    const state = await newHostState({ version: (host.hnsVersion && parseHnsVersion(host.hnsVersion)) || DEFAULT_HNS_VERSION, docker: true });
    return heldOf(Object.values(state.objects.network), Object.values(state.objects.endpoint), []);
  }
  if (host.kind !== "emulator" && host.previewReadsHost !== true) return [];
  const client = connect(host);
  const [networks, endpoints, loadBalancers] = await Promise.all([client.list("network"), client.list("endpoint"), client.list("loadBalancer")]);
  return heldOf(networks, endpoints, loadBalancers);
}

/** What the cross-resource rules compare of a host's networks, endpoints and load balancers. */
function heldOf(networks: HostComputeNetwork[], endpoints: HostComputeEndpoint[], loadBalancers: HostComputeLoadBalancer[]): [string, Declared][] {
  const out: [string, Declared][] = [];
  const byId = new Map<string, NetworkContext>();
  for (const doc of networks) {
    const args = networkFromHcn(doc, { subnets: [] });
    if (!doc.ID || !args.name || !args.type) continue;
    const fields = { type: args.type, ...(args.subnets?.length ? { subnets: args.subnets.map((x) => ({ prefix: x.prefix })) } : {}) };
    byId.set(doc.ID.toLowerCase(), networkContextOf({ ...fields, name: args.name }));
    out.push([`${HELD}${doc.ID}`, { kind: "network", name: args.name, fields, resource: args.name }]);
  }
  for (const doc of endpoints) {
    const net = byId.get(String(doc.HostComputeNetwork ?? "").toLowerCase());
    if (!doc.ID || !net) continue;
    // Only what the cross-resource rules compare: its addresses and published ports, rewritten clean.
    const ports = (doc.Policies ?? []).flatMap((p) => {
      const x = p as { Type?: string; Settings?: { Protocol?: number; InternalPort?: number; ExternalPort?: number } };
      return x.Type === "PortMapping" && x.Settings?.ExternalPort ? [{ Type: "PortMapping" as const, Settings: { Protocol: x.Settings.Protocol ?? 6, InternalPort: x.Settings.InternalPort || 1, ExternalPort: x.Settings.ExternalPort } }] : [];
    });
    const v4 = doc.IpConfigurations?.find((c) => c.IpAddress && !c.IpAddress.includes(":"))?.IpAddress;
    const fields = { ...(v4 ? { ipAddress: v4 } : {}), ...(ports.length ? { policies: ports } : {}) };
    if (!Object.keys(fields).length) continue;
    out.push([`${HELD}${doc.ID}`, { kind: "endpoint", network: net, fields, resource: String(doc.Name ?? doc.ID) }]);
  }
  for (const doc of loadBalancers) {
    const key = frontendKey(doc);
    if (doc.ID && key !== undefined) out.push([`${HELD}${doc.ID}`, { kind: "loadBalancer", frontend: { key, vips: doc.FrontendVIPs ?? [] }, resource: doc.ID }]);
  }
  return out;
}
