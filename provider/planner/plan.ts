/**
 * plan(): topology (+ the previous lock) → concrete networks, endpoints, addresses, policy
 * lists and load balancers per host, every finding of the rule catalog, and the new lock.
 * Pure: no clock, no randomness, no I/O, so the same input gives the same plan anywhere.
 */
import { zodFailures } from "../vocabulary/errors";
import type { EndpointPolicy, NetworkPolicy } from "../hcn";
import { formatVersion } from "../vocabulary/features";
import type { PortProtocolName } from "../vocabulary/fields";
import type { Host } from "../hosts/host";
import { copyEndpointSettings, type EndpointArgs, type EndpointSettings } from "../kinds/endpoint/args";
import { copyDefined } from "../kinds/args";
import { NETWORK_SETTINGS, type NetworkArgs, type Subnet } from "../kinds/network/args";
import type { LbPortMapping, LoadBalancerArgs } from "../kinds/policy/args";
import { allocate, type Assigned, type IpamResult } from "./ipam";
import { emptyLock, lockChanges, type Lock, type LockChanges } from "./lock";
import { buildModel, type EndpointNode, type LoadBalancerNode, type Model, type NetworkNode, type SubnetNode } from "./model";
import { networkPolicies, planEndpointPolicies } from "./policies";
import { RULES } from "./rules/catalog";
import type { Finding } from "./rules/rule";
import { Topology } from "./topology";
import { inputShapeProblems } from "../vocabulary/values";
import type { z } from "zod";

// The planned objects are the resources' arguments (types picked from their schemas) with what
// only the plan has: keys, allocated addresses, backends by key. planner/inputs.ts turns them
// back into arguments by taking those extras off.

export type PlannedEndpoint = Pick<EndpointArgs, "name"> & EndpointSettings & {
  key: string;
  ipv4?: Assigned;
  ipv6?: Assigned;
  attach?: Extract<EndpointArgs["attach"], "host">;
  policies: EndpointPolicy[];
};

export type PlannedLoadBalancer = Pick<LoadBalancerArgs, "sourceVip" | "dsr"> & {
  key: string;
  name: string;
  frontendVips: string[];
  /** Endpoint keys. */
  backends: string[];
  portMappings: (Omit<LbPortMapping, "protocol"> & { protocol: PortProtocolName })[];
};

type NetworkSetting = Exclude<keyof typeof NETWORK_SETTINGS, "policies">;

export type PlannedNetwork = Pick<NetworkArgs, "name" | NetworkSetting> & {
  key: string;
  /** Every subnet with its gateway decided. */
  subnets: (Subnet & { gateway: string })[];
  /** The planned policies, then the topology's own. */
  policies: NetworkPolicy[];
  endpoints: PlannedEndpoint[];
  loadBalancers: PlannedLoadBalancer[];
};

export interface PlannedHost {
  name: string;
  hnsVersion: string;
  domain?: string;
  connection?: Host;
  networks: PlannedNetwork[];
}

export interface Plan {
  hosts: PlannedHost[];
  /** Every finding, errors and warnings, in catalog order. */
  findings: Finding[];
  /** The lock after this plan. */
  lock: Lock;
  /** How the lock differs from the previous one. */
  lockChanges: LockChanges;
}

export function hasErrors(plan: Pick<Plan, "findings">): boolean {
  return plan.findings.some((f) => f.severity === "error");
}

/**
 * A value type's message is "<reason>: <fix>" (or "; <fix>", ", so <fix>"), the fix a last clause
 * starting with what to do; a finding shows them apart. Messages of another form keep a general fix.
 */
const FIX_CLAUSE = /^(.*?)(?:: |; |, so )((?:use|write|give|remove|pick|split|set|keep|put|move|add|swap|list|declare|omit) (?:(?!: |; |, so ).)*)$/s;

/** "got X, want Y" (the type and range messages of provider/vocabulary/issues.ts): Y is what to write. */
const GOT_WANT = /^((?:got|is required).*?)[,:]? (?:want|give) (.*)$/s;

function schemaFinding(at: string, text: string): Finding {
  const gw = GOT_WANT.exec(text);
  if (gw) return { rule: "schema", severity: "error", where: at || "(top)", path: at, message: gw[1], fix: `write ${gw[2]}` };
  const m = FIX_CLAUSE.exec(text);
  return { rule: "schema", severity: "error", where: at || "(top)", path: at, message: m ? m[1] : text, fix: m ? m[2] : "correct the field as the message says (see the topology reference)" };
}

/** Shape errors as findings of the pseudo-rule "schema", worded as a resource's check words them. */
function schemaFindings(error: z.ZodError, input: unknown): Finding[] {
  return zodFailures(error, input, Topology).map((f) => schemaFinding(f.property === "(inputs)" ? "" : f.property, f.reason));
}

/** Case-duplicate keys, depth and size (provider/vocabulary/values/json.ts) as "schema" findings. */
function shapeFindings(input: unknown): Finding[] {
  return inputShapeProblems(input).map((p) => schemaFinding(p.path.map(String).join("."), p.reason));
}

export function plan(input: unknown, previous: Lock = emptyLock()): Plan {
  const refused = (findings: Finding[]): Plan => ({ hosts: [], findings, lock: previous, lockChanges: { added: [], released: [], moved: [] } });
  const shape = shapeFindings(input);
  // Too deep or too big: no schema walks it. Case-duplicate keys: the schema's findings join them.
  if (shape.some((f) => !/differ only in case/.test(f.message))) return refused(shape);
  const parsed = Topology.safeParse(input);
  if (!parsed.success) return refused([...shape, ...schemaFindings(parsed.error, input)]);
  if (shape.length) return refused(shape);
  const model = buildModel(parsed.data);
  const { ipam, endpointPolicies, findings } = judgeNodes(model, { previous });

  const hosts: PlannedHost[] = model.hosts.map((h) => ({
    name: h.host.name,
    hnsVersion: formatVersion(h.version),
    ...(h.host.domain ? { domain: h.host.domain } : {}),
    ...(h.host.connection ? { connection: h.host.connection } : {}),
    networks: [],
  }));
  const hostOf = new Map(model.hosts.map((h, i) => [h, hosts[i]]));
  const planned = new Map<string, PlannedNetwork>();
  for (const net of model.networks) {
    const pn = plannedNetwork(net, model);
    planned.set(net.key, pn);
    hostOf.get(net.host)!.networks.push(pn);
  }
  for (const ep of model.endpoints) planned.get(ep.net.key)!.endpoints.push(plannedEndpoint(ep, ipam, endpointPolicies.get(ep)!));
  for (const lb of model.loadBalancers) planned.get(lb.net.key)!.loadBalancers.push(plannedLoadBalancer(lb, ipam));
  return { hosts, findings, lock: ipam.lock, lockChanges: lockChanges(previous, ipam.lock) };
}

/**
 * The rule catalog over model nodes, with the allocation and the policy lists the rules read:
 * plan() runs it over a topology's nodes, and check (provider/judge) over nodes it builds from
 * the resources being checked, placed at their own fields.
 */
export function judgeNodes(model: Model, o: { previous?: Lock; rules?: ReadonlySet<string> } = {}): { ipam: IpamResult; endpointPolicies: Map<EndpointNode, EndpointPolicy[]>; findings: Finding[] } {
  const ipam = allocate(model, o.previous ?? emptyLock());
  const endpointPolicies = planEndpointPolicies(model);
  // `rules`: only these (check judging a program together asks for the cross-resource ones).
  const findings: Finding[] = (o.rules ? RULES.filter((r) => o.rules!.has(r.id)) : RULES).flatMap((rule) =>
    rule.check({ model, ipam, endpointPolicies }).map((r) => ({ rule: rule.id, severity: rule.severity, where: r.where, path: r.path, message: r.message, fix: r.fix ?? rule.fix })),
  );
  return { ipam, endpointPolicies, findings };
}

function plannedNetwork(net: NetworkNode, model: Model): PlannedNetwork {
  const n = net.network;
  // A network's vlan applies to each subnet without its own.
  const vlanOf = (s: SubnetNode) => s.subnet.vlan ?? n.vlan;
  return {
    key: net.key,
    name: n.name,
    type: n.type,
    subnets: net.subnets.map((s) => ({
      prefix: s.cidr.text,
      gateway: s.gateway,
      ...(vlanOf(s) !== undefined ? { vlan: vlanOf(s) } : {}),
      ...(s.subnet.vsid !== undefined ? { vsid: s.subnet.vsid } : {}),
      ...(s.subnet.routes?.length ? { routes: s.subnet.routes } : {}),
    })),
    ...settingsOf(n),
    policies: networkPolicies(net, model),
    endpoints: [],
    loadBalancers: [],
  };
}

const SETTINGS = (Object.keys(NETWORK_SETTINGS) as (keyof typeof NETWORK_SETTINGS)[]).filter((k): k is NetworkSetting => k !== "policies");

/** The settings the topology network declares (NETWORK_SETTINGS), as the planned network carries them. */
function settingsOf(n: NetworkNode["network"]): Partial<Pick<NetworkArgs, NetworkSetting>> {
  const settings: Partial<Pick<NetworkNode["network"], NetworkSetting>> = {};
  copyDefined(n, settings, SETTINGS);
  return settings;
}

function plannedEndpoint(ep: EndpointNode, ipam: IpamResult, policies: EndpointPolicy[]): PlannedEndpoint {
  const a = ipam.endpoints.get(ep);
  const e = ep.endpoint;
  // Assigned field by field: spreading objects of varying shapes costs more than the rest of
  // this function together (V8's object-clone path), and this runs once per endpoint.
  const planned: PlannedEndpoint = { key: ep.key, name: e.name, policies };
  if (a?.ipv4) planned.ipv4 = a.ipv4;
  if (a?.ipv6) planned.ipv6 = a.ipv6;
  if (e.attach) planned.attach = e.attach;
  copyEndpointSettings(e, planned);
  return planned;
}

function plannedLoadBalancer(lb: LoadBalancerNode, ipam: IpamResult): PlannedLoadBalancer {
  const vips = ipam.vips.get(lb.key) ?? {};
  const sourceVip = lb.lb.sourceVip === "auto" ? vips.source : lb.lb.sourceVip;
  return {
    key: lb.key,
    name: lb.lb.name,
    frontendVips: vips.frontend ? [vips.frontend] : [],
    ...(sourceVip ? { sourceVip } : {}),
    backends: lb.lb.backends.map((b) => `${lb.net.key}/${b}`),
    portMappings: lb.lb.portMappings.map((p) => ({
      protocol: p.protocol ?? "tcp",
      internalPort: p.internalPort,
      externalPort: p.externalPort,
      ...(p.distribution ? { distribution: p.distribution } : {}),
      ...(lb.lb.ilb ? { ilb: true } : {}),
    })),
    ...(lb.lb.dsr ? { dsr: true } : {}),
  };
}
