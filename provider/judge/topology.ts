/**
 * `check` judges one resource with the planner's own rules: its arguments become a one-host,
 * one-network topology, the planner runs over it, and each finding's document path is mapped
 * back to the field the user wrote. So a preview of plain resources and `hns-plan validate`
 * of a topology refuse the same things with the same rule ids, from the same code.
 *
 * A resource sees only its own arguments, so only the rules those decide can run here: an
 * endpoint that names its network by ID is judged against a network of unknown type (the
 * rules that need the type or the subnets are left out, see TYPE_RULES); the SDK passes the
 * network's type and subnets along (`__network`) when it has them.
 */
import { formatVersion, parseHnsVersion, supports, versionsOf, type HnsVersion } from "../vocabulary/features";
import { canonicalIp, familyOf, parseCidr } from "../vocabulary/net/cidr";
import { nextHopProblem } from "../planner/rules/subnet";
import { ruleById } from "../planner/rules/catalog";
import { problemOf, type Finding } from "../planner/rules/rule";
import { plan } from "../planner/plan";
import type { Host } from "../hosts/host";
import { checkFailureOf, type CheckFailure } from "../vocabulary/errors";
import { resourceRuleFailure } from "./rules";
import { UNKNOWN } from "../vocabulary/unknown";
import { copyDefined } from "../kinds/args";
import { NETWORK_SETTINGS, type NetworkArgs } from "../kinds/network/args";
import { copyEndpointSettings, type EndpointArgs, type EndpointSettings } from "../kinds/endpoint/args";

/** The network facts an endpoint's check can use: what the SDK knows of the Network it names. */
export interface NetworkContext {
  type: NetworkArgs["type"];
  subnets?: NetworkArgs["subnets"];
}

const HOST = "hosts.0";
const NET = `${HOST}.networks.0`;
const EP = `${NET}.endpoints.0`;

/**
 * Rules about what a planner can allocate offline, not about what HNS accepts: a resource
 * endpoint may leave its address to HNS (DHCP on transparent, or HNS's own allocation).
 */
const PLANNING_RULES = ["subnet-required", "pool-exhausted"];

/** Rules that need the network's subnets: a network that declares none (NAT left to HNS, one adopted as it is) has them only on the host. */
const SUBNET_RULES = ["address-outside-subnet", "address-reserved", "multiple-subnets"];

/** Rules that need to know the network an endpoint is on; without it they cannot judge. */
const TYPE_RULES = new Set([...PLANNING_RULES, ...SUBNET_RULES, "policy-network-type", "ipv6-network-type"]);

/** Topology names take no "/" or blanks; messages name the user's objects as closely as that allows. */
export function standIn(name: string): string {
  return name.replace(/[/\s]+/g, "-") || "unnamed";
}

function hostName(host: Host): string {
  return standIn(host.name);
}

function hostFields(host: Host | undefined): Record<string, unknown> {
  // Only an emulated host declares its version; a real host's is asked at run time, so check
  // judges it as the newest preset (no false refusals) and HNS itself has the last word.
  return host?.kind === "emulator" && host.hnsVersion ? { hnsVersion: host.hnsVersion } : {};
}

/** The network in topology form: the settings both declare (NETWORK_SETTINGS) and its subnets. */
function networkFields(args: Pick<NetworkArgs, "type" | "subnets"> & Partial<NetworkArgs>): Record<string, unknown> {
  const fields: Partial<NetworkArgs> & { name: string } = { name: "network" };
  copyDefined(args, fields, [...(Object.keys(NETWORK_SETTINGS) as (keyof typeof NETWORK_SETTINGS)[]), "subnets"]);
  return fields;
}

/** Topology field names that the resources spell otherwise. */
const RESOURCE_FIELD: Record<string, string> = { internal: "internalPort", external: "externalPort" };

/** Maps a planner finding to the resource field it is about; undefined when it is about nothing this resource declares. */
export function failureOf(f: Finding, paths: [prefix: string, field: string][]): CheckFailure | undefined {
  for (const [prefix, field] of paths) {
    if (f.path === prefix || f.path.startsWith(`${prefix}.`)) {
      const rest = f.path.slice(prefix.length + 1).split(".").map((k) => RESOURCE_FIELD[k] ?? k).join(".");
      return checkFailureOf({ ...problemOf(f), path: [field, rest].filter(Boolean).join(".") });
    }
  }
  return undefined;
}

function judged(topology: unknown, paths: [string, string][], skip: ReadonlySet<string> = new Set()): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const f of plan(topology).findings) {
    if (f.severity !== "error" || skip.has(f.rule)) continue;
    const failure = failureOf(f, paths);
    if (failure && !out.some((o) => o.property === failure.property && o.reason === failure.reason)) out.push(failure);
  }
  return out;
}

export function judgeNetwork(args: NetworkArgs): CheckFailure[] {
  const topology = { hosts: [{ name: hostName(args.host), ...hostFields(args.host), networks: [{ ...networkFields(args), name: standIn(args.name) }] }] };
  const out = judged(topology, [
    [`${HOST}.hnsVersion`, "host.hnsVersion"],
    [NET, ""],
  ]);
  // The topology has no disableHostPort (a planner never needs it), so its feature gate is asked here.
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

/** The endpoint in topology form: its addresses, attach, policies and the settings both declare (ENDPOINT_SETTINGS). */
function endpointFields(args: EndpointFacts & { name?: string }): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: standIn(args.name ?? "endpoint"),
    ...(args.ipAddress ? { ipAddress: args.ipAddress } : {}),
    ...(args.ipv6Address ? { ipv6Address: args.ipv6Address } : {}),
    ...(args.attach === "host" ? { attach: "host" } : {}),
    ...(args.policies ? { policies: args.policies } : {}),
  };
  // dns.options (Docker's --dns-option) has no HNS counterpart: the planner's rule refuses it there.
  copyEndpointSettings(args, fields);
  return fields;
}

export function judgeEndpoint(args: EndpointFacts, network: NetworkContext | undefined): CheckFailure[] {
  // Without the network's facts, judge on the most permissive type and drop the rules that need the real one.
  const net = network ?? { type: "l2bridge" as const };
  const topology = { hosts: [{ name: hostName(args.host), ...hostFields(args.host), networks: [{ ...networkFields(net), endpoints: [endpointFields(args)] }] }] };
  return [
    ...judged(
      topology,
      [
        [`${HOST}.hnsVersion`, "host.hnsVersion"],
        [EP, ""],
      ],
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
  const topology = { hosts: [{ name: hostName(host), ...hostFields(host), networks: [{ ...networkFields({ type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }] }), policies }] }] };
  return judged(topology, [[`${NET}.policies`, "policies"]], TYPE_RULES);
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

/**
 * A load balancer over endpoints named by ID becomes a topology load balancer over stand-in
 * endpoints of a network of unknown type (l2bridge, the most permissive), one per backend.
 */
export function judgeLoadBalancer(args: LoadBalancerFacts): CheckFailure[] {
  const misfits = vipProblems(args);
  if (misfits.length) return misfits;
  const names = args.endpoints.map((_, i) => `backend-${i}`);
  // GUIDs compare without regard to case: the first index of each ID, in one pass.
  const firstBackend = new Map<string, number>();
  // One GUID in any spelling: case and braces aside.
  const guidKey = (id: string) => id.toLowerCase().replace(/^\{(.*)\}$/, "$1");
  args.endpoints.forEach((id, i) => {
    if (!firstBackend.has(guidKey(id))) firstBackend.set(guidKey(id), i);
  });
  const v6 = args.ipv6 === true;
  const prefix = v6 ? "fd00:1::/64" : "10.0.0.0/16";
  const lb = {
    name: "lb",
    ...(args.frontendVips?.[0] ? { vip: args.frontendVips[0] } : {}),
    ...(args.sourceVip ? { sourceVip: args.sourceVip } : {}),
    // Backends named by ID map onto the stand-ins in order; the same ID twice names the same one.
    // An ID not known yet (preview, before its endpoint exists) is its own: two unknowns are not one ID.
    backends: args.endpoints.map((id, i) => names[id === UNKNOWN ? i : firstBackend.get(guidKey(id))!]),
    ports: args.portMappings.map((m) => ({
      ...(typeof m.protocol === "string" ? { protocol: m.protocol } : {}),
      internal: m.internalPort,
      external: m.externalPort,
      ...(m.distribution ? { distribution: m.distribution } : {}),
    })),
    ...(args.dsr !== undefined ? { dsr: args.dsr } : {}),
    ...(args.portMappings.some((m) => m.ilb) ? { ilb: true } : {}),
  };
  const topology = {
    hosts: [
      {
        name: hostName(args.host),
        ...hostFields(args.host),
        vipPool: v6 ? "fd00:96::/112" : "10.96.0.0/24",
        networks: [{ name: "network", type: "l2bridge", subnets: [{ prefix }], endpoints: names.map((name) => ({ name })), loadBalancers: [lb] }],
      },
    ],
  };
  const at = `${NET}.loadBalancers.0`;
  // The stand-ins are the user's endpoints: messages name them by ID and by the user's field.
  const own = (text: string) => text.replace(/\bbackend-(\d+)\b/g, (_m, n: string) => args.endpoints[Number(n)] ?? _m).replace(/\bbackends\.(\d+)\b/g, "endpoints.$1");
  return judged(
    topology,
    [
      [`${at}.vip`, "frontendVips.0"],
      [`${at}.sourceVip`, "sourceVip"],
      [`${at}.backends`, "endpoints"],
      [`${at}.ports`, "portMappings"],
      [`${at}.dsr`, "dsr"],
      [at, ""],
    ],
    TYPE_RULES,
  ).map((f) => ({ property: f.property, reason: own(f.reason) }));
}
