/**
 * `check` judges one resource with the planner's own rules: its arguments become the planner's
 * model nodes (planner/model.ts), placed at the resource's own fields, and the rule catalog
 * runs over them (judgeNodes). A finding's path is then the field the user wrote: no topology
 * document is built, parsed or mapped back. So a preview of plain resources and `hns-plan
 * validate` of a topology refuse the same things with the same rule ids, from the same code.
 *
 * A resource sees only its own arguments, so only the rules those decide can run here: an
 * endpoint that names its network by ID is judged against a network of unknown type (the
 * rules that need the type or the subnets are left out, see TYPE_RULES); the SDK passes the
 * network's type and subnets along (`__network`) when it has them.
 */
import { formatVersion, parseHnsVersion, supports, versionsOf, type HnsVersion } from "../vocabulary/features";
import { canonicalIp, familyOf, parseCidr } from "../vocabulary/net/cidr";
import { protocolName } from "../vocabulary/facts/protocols";
import { nextHopProblem } from "../planner/rules/subnet";
import { ruleById } from "../planner/rules/catalog";
import { problemOf, type Finding } from "../planner/rules/rule";
import { judgeNodes } from "../planner/plan";
import { addEndpoint, addHost, addLoadBalancer, addNetworks, emptyModel, type HostNode, type Model, type NetworkFields, type NetworkNode, type Place } from "../planner/model";
import type { TopologyEndpoint, TopologyHost, TopologyLoadBalancer } from "../planner/topology";
import type { Host } from "../hosts/host";
import { checkFailureOf, type CheckFailure } from "../vocabulary/errors";
import { resourceRuleFailure } from "./rules";
import { UNKNOWN } from "../vocabulary/unknown";
import { copyDefined } from "../kinds/args";
import { NETWORK_SETTINGS, type NetworkArgs } from "../kinds/network/args";
import { copyEndpointSettings, type EndpointArgs, type EndpointSettings, type NetworkContext } from "../kinds/endpoint/args";

/**
 * Where the nodes a resource does not declare are placed (the network an endpoint is on, the
 * stand-in backends of a load balancer): findings there are about something else, not the
 * resource, and are dropped. "~" starts no field name.
 */
export const CONTEXT = "~";

/** Whether a finding's path is about a node placed as context. */
function aboutContext(path: string): boolean {
  return path.startsWith(CONTEXT);
}

/** The host's own fields sit under `host` in every resource. */
const HOST: Place = { path: "host" };

/**
 * Rules about what a planner can allocate offline, not about what HNS accepts: a resource
 * endpoint may leave its address to HNS (DHCP on transparent, or HNS's own allocation).
 */
const PLANNING_RULES = ["subnet-required", "pool-exhausted"];

/** Rules that need the network's subnets: a network that declares none (NAT left to HNS, one adopted as it is) has them only on the host. */
const SUBNET_RULES = ["address-outside-subnet", "address-reserved", "multiple-subnets"];

/** Rules that need to know the network an endpoint is on; without it they cannot judge. */
const TYPE_RULES = new Set([...PLANNING_RULES, ...SUBNET_RULES, "policy-network-type", "ipv6-network-type"]);

/** Names in lock keys and messages take no "/" or blanks; messages name the user's objects as closely as that allows. */
export function standIn(name: string): string {
  return name.replace(/[/\s]+/g, "-") || "unnamed";
}

/** The host as the planner sees it: its name, and the version only an emulated host declares. */
function hostOf(host: Host, extra: Partial<TopologyHost> = {}): TopologyHost {
  // A real host's version is asked at run time, so check judges it as the newest preset (no
  // false refusals) and HNS itself has the last word.
  return { name: standIn(host.name), ...(host.kind === "emulator" && host.hnsVersion ? { hnsVersion: host.hnsVersion } : {}), ...extra };
}

/** A model of one host, its node placed at the resource's `host` field. */
function oneHost(host: Host, extra?: Partial<TopologyHost>): { model: Model; hostNode: HostNode } {
  const model = emptyModel();
  return { model, hostNode: addHost(model, hostOf(host, extra), HOST) };
}

/** The network's own fields as the planner takes them: the settings both declare (NETWORK_SETTINGS) and its subnets. */
function networkFields(name: string, args: Pick<NetworkArgs, "type" | "subnets"> & Partial<NetworkArgs>): NetworkFields {
  const fields = { name, type: args.type } as NetworkFields;
  copyDefined(args, fields, [...(Object.keys(NETWORK_SETTINGS) as (keyof typeof NETWORK_SETTINGS)[]), "subnets"]);
  return fields;
}

/** One network on the model's host, placed at `place`. */
function networkNode(model: Model, hostNode: HostNode, fields: NetworkFields, place: Place): NetworkNode {
  return addNetworks(model, hostNode, [{ network: fields, place }])[0];
}

/** The error findings of the catalog over the model that are about the resource (not context, kept by `keep`), as check failures, once each. */
function judged(model: Model, skip: ReadonlySet<string> = new Set(), keep: (path: string) => boolean = () => true): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const f of judgeNodes(model).findings) {
    if (f.severity !== "error" || skip.has(f.rule) || aboutContext(f.path) || !keep(f.path)) continue;
    const failure = failureOf(f);
    if (!out.some((o) => o.property === failure.property && o.reason === failure.reason)) out.push(failure);
  }
  return out;
}

/** A finding as a check failure: its path is already the resource's field. */
export function failureOf(f: Finding): CheckFailure {
  return checkFailureOf(problemOf(f));
}

export function judgeNetwork(args: NetworkArgs): CheckFailure[] {
  const { model, hostNode } = oneHost(args.host);
  networkNode(model, hostNode, networkFields(standIn(args.name), args), { path: "" });
  const out = judged(model);
  // The planner has no disableHostPort (a plan never needs it), so its feature gate is asked here.
  const version = declaredVersion(args.host);
  if (args.disableHostPort && version && !supports(version, "DisableHostPort")) {
    out.push(
      checkFailureOf({
        code: "feature-unsupported",
        path: "disableHostPort",
        reason: `the DisableHostPort flag needs HNS ${versionsOf("DisableHostPort")}, and the host declares ${formatVersion(version)}`,
        fix: "remove it, or target a newer Windows host",
      }),
    );
  }
  return out;
}

function declaredVersion(host: Host): HnsVersion | undefined {
  return host.kind === "emulator" && host.hnsVersion ? parseHnsVersion(host.hnsVersion) : undefined;
}

type EndpointFacts = Pick<EndpointArgs, "host" | "ipAddress" | "ipv6Address" | "policies" | "attach" | "routes"> & EndpointSettings;

/** The endpoint as the planner takes it: its addresses, attach, policies and the settings both declare (ENDPOINT_SETTINGS). */
export function endpointFields(name: string, args: Omit<EndpointFacts, "host">): TopologyEndpoint {
  const fields: TopologyEndpoint = {
    name,
    ...(args.ipAddress ? { ipAddress: args.ipAddress } : {}),
    ...(args.ipv6Address ? { ipv6Address: args.ipv6Address } : {}),
    ...(args.attach === "host" ? { attach: "host" as const } : {}),
    ...(args.policies ? { policies: args.policies } : {}),
  };
  // dns.options (Docker's --dns-option) has no HNS counterpart: the planner's rule refuses it there.
  copyEndpointSettings(args, fields);
  return fields;
}

export function judgeEndpoint(args: EndpointFacts & { name?: string }, network: NetworkContext | undefined): CheckFailure[] {
  // Without the network's facts, judge on the most permissive type and drop the rules that need the real one.
  const net = network ?? { type: "l2bridge" as const };
  const { model, hostNode } = oneHost(args.host);
  const netNode = networkNode(model, hostNode, networkFields("network", net), { path: CONTEXT });
  addEndpoint(model, netNode, endpointFields(standIn(args.name ?? "endpoint"), args), { path: "" });
  return [
    ...judged(
      model,
      // Without declared subnets the planner would lay the network on its default prefix, which
      // is not where HNS puts it (Docker's nat may hold it): the address rules wait for the host.
      !network ? TYPE_RULES : network.subnets?.length ? new Set(PLANNING_RULES) : new Set([...PLANNING_RULES, ...SUBNET_RULES]),
    ),
    ...endpointRouteFailures(args.routes, network),
  ];
}

/** An endpoint's own routes, judged by the subnet routes' rule when its network's subnets are known. */
function endpointRouteFailures(routes: EndpointFacts["routes"], network: NetworkContext | undefined): CheckFailure[] {
  const subnets = (network?.subnets ?? []).map((s) => parseCidr(s.prefix)).filter((c) => c !== undefined);
  if (!subnets.length) return [];
  return (routes ?? []).flatMap((r, i) => {
    const reason = nextHopProblem(r, subnets);
    return reason ? [checkFailureOf({ code: "route-next-hop", path: `routes.${i}.nextHop`, reason, fix: ruleById("route-next-hop")!.fix })] : [];
  });
}

/** Network policies added by a Policy resource: judged as the network's own, on a network of unknown type. */
export function judgeNetworkPolicies(host: Host, policies: NetworkArgs["policies"]): CheckFailure[] {
  const { model, hostNode } = oneHost(host);
  networkNode(model, hostNode, { ...networkFields("network", { type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }] }), policies }, { path: "" });
  return judged(model, TYPE_RULES, (path) => path.startsWith("policies"));
}

type LoadBalancerFacts = { host: Host; endpoints: string[]; frontendVips?: string[]; sourceVip?: string; dsr?: boolean; ipv6?: boolean; portMappings: { protocol?: "tcp" | "udp" | number; internalPort: number; externalPort: number; distribution?: "none" | "sourceIpProtocol" | "sourceIp"; ilb?: boolean }[] };

/** VIPs of the wrong family (for the ipv6 flag) or listed twice. */
function vipProblems(args: LoadBalancerFacts): CheckFailure[] {
  // The Flags IPv6 bit makes HNS program IPv6 rules: every VIP must then be IPv6, and none otherwise.
  const family = args.ipv6 ? "ipv6" : "ipv4";
  const misfits: CheckFailure[] = [...(args.frontendVips ?? []).map((v, i) => [v, `frontendVips.${i}`] as const), ...(args.sourceVip ? [[args.sourceVip, "sourceVip"] as const] : [])]
    .filter(([v]) => familyOf(v) !== family)
    .map(([v, path]) =>
      resourceRuleFailure("lb-vip-family", path, `${v} is ${familyOf(v)} but the load balancer is ${args.ipv6 ? "flagged ipv6" : "IPv4 (ipv6 not set)"}`, args.ipv6 ? "use IPv6 VIPs, or remove ipv6" : "set ipv6: true for IPv6 VIPs"),
    );
  // The same VIP twice, however spelt ("fd00::a" and "FD00:0::A"), is one frontend.
  const firstVip = new Map<string, number>();
  (args.frontendVips ?? []).forEach((v, i) => {
    const key = canonicalIp(v) ?? v;
    const first = firstVip.get(key);
    if (first === undefined) firstVip.set(key, i);
    else misfits.push(resourceRuleFailure("lb-vip-duplicate", `frontendVips.${i}`, `${v} is listed twice (also frontendVips.${first})`));
  });
  return misfits;
}

/** Where a Policy load balancer keeps what a topology's spells otherwise: one frontend VIP of a list, backends by ID. */
const LB_FIELDS = { vip: "frontendVips.0", backends: "endpoints" } as const;

/**
 * A load balancer over endpoints named by ID: placed at the Policy's own fields, over stand-in
 * endpoints named by those IDs (placed as context) on a network of unknown type (l2bridge, the
 * most permissive), so messages name each backend by its ID.
 */
export function judgeLoadBalancer(args: LoadBalancerFacts): CheckFailure[] {
  const misfits = vipProblems(args);
  if (misfits.length) return misfits;
  // One GUID in any spelling: case and braces aside. The same ID twice names one backend; an ID
  // not known yet (preview, before its endpoint exists) is its own: two unknowns are not one ID.
  const guidKey = (id: string) => id.toLowerCase().replace(/^\{(.*)\}$/, "$1");
  const firstSpelling = new Map<string, string>();
  const backends = args.endpoints.map((id, i) => {
    if (id === UNKNOWN) return `endpoint-${i}-not-known-yet`;
    if (!firstSpelling.has(guidKey(id))) firstSpelling.set(guidKey(id), id);
    return firstSpelling.get(guidKey(id))!;
  });
  const v6 = args.ipv6 === true;
  const { model, hostNode } = oneHost(args.host, { vipPool: v6 ? "fd00:96::/112" : "10.96.0.0/24" });
  const net = networkNode(model, hostNode, networkFields("network", { type: "l2bridge", subnets: [{ prefix: v6 ? "fd00:1::/64" : "10.0.0.0/16" }] }), { path: CONTEXT });
  for (const name of new Set(backends)) addEndpoint(model, net, { name }, { path: CONTEXT });
  const lb: TopologyLoadBalancer = {
    name: "lb",
    ...(args.frontendVips?.[0] ? { vip: args.frontendVips[0] } : {}),
    ...(args.sourceVip ? { sourceVip: args.sourceVip } : {}),
    backends,
    // A protocol given by number is the name it has (6 is tcp, 17 udp), so mappings compare alike.
    portMappings: args.portMappings.map(({ protocol, internalPort, externalPort, distribution }) => {
      const name = typeof protocol === "number" ? protocolName(protocol, ["tcp", "udp"]) : protocol;
      return { ...(name ? { protocol: name } : {}), internalPort, externalPort, ...(distribution ? { distribution } : {}) };
    }),
    ...(args.dsr !== undefined ? { dsr: args.dsr } : {}),
    ...(args.portMappings.some((m) => m.ilb) ? { ilb: true } : {}),
  };
  addLoadBalancer(model, net, lb, { path: "", fields: LB_FIELDS });
  return judged(model, TYPE_RULES);
}
