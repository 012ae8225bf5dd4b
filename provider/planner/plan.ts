/**
 * plan(): topology (+ the previous lock) → concrete networks, endpoints, addresses, policy
 * lists and load balancers per host, every finding of the rule catalog, and the new lock.
 * Pure: no clock, no randomness, no I/O, so the same input gives the same plan anywhere.
 */
import type { EndpointPolicy, NetworkPolicy } from "../hcn";
import { formatVersion } from "../features";
import type { Host } from "../hosts/host";
import type { Dns, NetworkType, Route } from "../fields";
import { allocate, type Assigned } from "./ipam";
import { emptyLock, lockChanges, type Lock, type LockChanges } from "./lock";
import { buildModel, type SubnetNode } from "./model";
import { endpointPolicies, networkPolicies } from "./policies";
import { RULES } from "./rules/catalog";
import type { Finding } from "./rules/rule";
import { Topology } from "./topology";

export interface PlannedEndpoint {
  key: string;
  name: string;
  ipv4?: Assigned;
  ipv6?: Assigned;
  attach?: "host";
  disableIcc?: boolean;
  macAddress?: string;
  dns?: Dns;
  policies: EndpointPolicy[];
}

export interface PlannedLoadBalancer {
  key: string;
  name: string;
  frontendVips: string[];
  sourceVip?: string;
  /** Endpoint keys. */
  backends: string[];
  portMappings: { protocol: "tcp" | "udp"; internalPort: number; externalPort: number; distribution?: "none" | "sourceIpProtocol" | "sourceIp"; ilb?: boolean }[];
  dsr?: boolean;
}

export interface PlannedNetwork {
  key: string;
  name: string;
  type: NetworkType;
  subnets: { prefix: string; gateway: string; vlan?: number; vsid?: number; routes?: Route[] }[];
  dns?: Dns;
  adapterName?: string;
  macPool?: { start: string; end: string };
  persistent?: boolean;
  vxlanPort?: number;
  policies: NetworkPolicy[];
  endpoints: PlannedEndpoint[];
  loadBalancers: PlannedLoadBalancer[];
}

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

/** Shape errors as findings of the pseudo-rule "schema", with the zod path. */
function schemaFindings(error: { issues: { path: PropertyKey[]; message: string }[] }): Finding[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    return { rule: "schema", severity: "error", where: path || "(top)", path, message: i.message, fix: "correct the field as the message says (see the topology reference)" };
  });
}

export function plan(input: unknown, previous: Lock = emptyLock()): Plan {
  const parsed = Topology.safeParse(input);
  if (!parsed.success) return { hosts: [], findings: schemaFindings(parsed.error), lock: previous, lockChanges: { added: [], released: [], moved: [] } };
  const model = buildModel(parsed.data);
  const ipam = allocate(model, previous);
  const findings: Finding[] = RULES.flatMap((rule) =>
    rule.check({ model, ipam }).map((r) => ({ rule: rule.id, severity: rule.severity, where: r.where, path: r.path, message: r.message, fix: r.fix ?? rule.fix })),
  );

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
    const n = net.network;
    const vlanOf = (s: SubnetNode) => s.subnet.vlan ?? n.vlan;
    const pn: PlannedNetwork = {
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
      ...(n.dns ? { dns: n.dns } : {}),
      ...(n.adapterName ? { adapterName: n.adapterName } : {}),
      ...(n.macPool ? { macPool: n.macPool } : {}),
      ...(n.persistent !== undefined ? { persistent: n.persistent } : {}),
      ...(n.vxlanPort !== undefined ? { vxlanPort: n.vxlanPort } : {}),
      policies: networkPolicies(net, model),
      endpoints: [],
      loadBalancers: [],
    };
    planned.set(net.key, pn);
    hostOf.get(net.host)!.networks.push(pn);
  }
  for (const ep of model.endpoints) {
    const a = ipam.endpoints.get(ep.key) ?? {};
    planned.get(ep.net.key)!.endpoints.push({
      key: ep.key,
      name: ep.endpoint.name,
      ...(a.ipv4 ? { ipv4: a.ipv4 } : {}),
      ...(a.ipv6 ? { ipv6: a.ipv6 } : {}),
      ...(ep.endpoint.attach ? { attach: ep.endpoint.attach } : {}),
      ...(ep.endpoint.disableIcc !== undefined ? { disableIcc: ep.endpoint.disableIcc } : {}),
      ...(ep.endpoint.macAddress ? { macAddress: ep.endpoint.macAddress } : {}),
      ...(ep.endpoint.dns ? { dns: ep.endpoint.dns } : {}),
      policies: endpointPolicies(ep),
    });
  }
  for (const lb of model.loadBalancers) {
    const vips = ipam.vips.get(lb.key) ?? {};
    const sourceVip = lb.lb.sourceVip === "auto" ? vips.source : lb.lb.sourceVip;
    planned.get(lb.net.key)!.loadBalancers.push({
      key: lb.key,
      name: lb.lb.name,
      frontendVips: vips.frontend ? [vips.frontend] : [],
      ...(sourceVip ? { sourceVip } : {}),
      backends: lb.lb.backends.map((b) => `${lb.net.key}/${b}`),
      portMappings: lb.lb.ports.map((p) => ({
        protocol: p.protocol ?? "tcp",
        internalPort: p.internal,
        externalPort: p.external,
        ...(p.distribution ? { distribution: p.distribution } : {}),
        ...(lb.lb.ilb ? { ilb: true } : {}),
      })),
      ...(lb.lb.dsr ? { dsr: true } : {}),
    });
  }
  return { hosts, findings, lock: ipam.lock, lockChanges: lockChanges(previous, ipam.lock) };
}
