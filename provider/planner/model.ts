/**
 * The topology, flattened once into nodes that know their place: key (as in the lock file and
 * in messages), document path, resolved HNS version, domain, parsed subnets. IPAM, the policy
 * planner and the rules all walk these lists instead of re-walking the document.
 */
import { HNS_VERSION_PRESETS, parseHnsVersion, type HnsVersion } from "../vocabulary/features";
import { NETWORK_TYPE_TRAITS, defaultGateway, defaultNatPrefix } from "../vocabulary/facts";
import { canonicalIp, parseCidr, type Cidr } from "../vocabulary/net/cidr";
import type { Reservations, Topology, TopologyDomain, TopologyEndpoint, TopologyHost, TopologyLoadBalancer, TopologyNetwork, TopologySubnet } from "./topology";

/** Hosts that declare no version are planned as the newest preset. */
const DEFAULT_PLAN_VERSION: HnsVersion = HNS_VERSION_PRESETS.ws2025;

/**
 * Where a node's findings land. From a topology: its document path ("hosts.0.networks.1").
 * From one resource being checked (provider/judge): the resource's own field prefix, often ""
 * so a finding's path is the field the user wrote. `fields` names the fields the node's source
 * spells otherwise: a Policy load balancer's one frontend VIP is `frontendVips.0` where a
 * topology's is `vip`, and its backends are `endpoints` (IDs, not names).
 */
export interface Place {
  path: string;
  fields?: Readonly<Record<string, string>>;
  /** How messages name the object where its path means nothing to the reader (a resource being checked: "network web"). */
  label?: string;
}

/** The path of a field of a node (`rest` a dotted path whose first segment is the field), as findings report it. */
export function at(node: Place, rest: string): string {
  const dot = rest.indexOf(".");
  const head = dot < 0 ? rest : rest.slice(0, dot);
  const field = (node.fields?.[head] ?? head) + (dot < 0 ? "" : rest.slice(dot));
  return node.path ? `${node.path}.${field}` : field;
}

/** A field's name as the node's source spells it, for messages ("also endpoints.0"). */
export function fieldName(node: Place, field: string): string {
  return node.fields?.[field] ?? field;
}

export interface HostNode extends Place {
  host: TopologyHost;
  key: string;
  version: HnsVersion;
  /** The host's L2 domain; a host outside any domain is a domain of its own. */
  domain: string;
}

export interface SubnetNode {
  subnet: TopologySubnet;
  path: string;
  cidr: Cidr;
  /** Canonical gateway text (declared, or the first address of the prefix). */
  gateway: string;
  /** The prefix HNS would pick for a network declared without subnets (facts/nat-prefix.ts). */
  defaulted?: boolean;
}

/** A network's own fields; its endpoints and load balancers are nodes of their own. */
export type NetworkFields = Omit<TopologyNetwork, "endpoints" | "loadBalancers">;

export interface NetworkNode extends Place {
  host: HostNode;
  network: NetworkFields;
  key: string;
  subnets: SubnetNode[];
  reservations: Reservations;
  endpoints: EndpointNode[];
  loadBalancers: LoadBalancerNode[];
}

export interface EndpointNode extends Place {
  net: NetworkNode;
  endpoint: TopologyEndpoint;
  key: string;
}

export interface LoadBalancerNode extends Place {
  net: NetworkNode;
  lb: TopologyLoadBalancer;
  key: string;
}

export interface Model {
  hosts: HostNode[];
  networks: NetworkNode[];
  endpoints: EndpointNode[];
  loadBalancers: LoadBalancerNode[];
  domains: Map<string, TopologyDomain>;
  /** The domains in declared order, with their paths (duplicate names are a finding). */
  domainList: { domain: TopologyDomain; path: string }[];
  /** The topology's reservation convention (each network may override it). */
  reservations?: Reservations;
}

/**
 * The builders below are how a topology becomes nodes (buildModel) and how provider/judge lays
 * out resources being checked: the same nodes, with places in the resources' own fields, so the
 * planner's rules judge a resource with no topology document in between.
 */
export function emptyModel(o: { domains?: readonly TopologyDomain[]; reservations?: Reservations } = {}): Model {
  const model: Model = { hosts: [], networks: [], endpoints: [], loadBalancers: [], domains: new Map(), domainList: [], ...(o.reservations ? { reservations: o.reservations } : {}) };
  (o.domains ?? []).forEach((d, i) => {
    model.domains.set(d.name, d);
    model.domainList.push({ domain: d, path: `domains.${i}` });
  });
  return model;
}

/**
 * A node's place, copied field by field: builders run once per object of a plan (10,000
 * endpoints), and V8 clones an object spread of varying shape on a slow path.
 */
function placed<T extends Place>(node: T, place: Place): T {
  if (place.fields) node.fields = place.fields;
  if (place.label !== undefined) node.label = place.label;
  return node;
}

export function addHost(model: Model, host: TopologyHost, place: Place & { key?: string }): HostNode {
  const node: HostNode = {
    path: place.path,
    host,
    key: place.key ?? host.name,
    version: (host.hnsVersion && parseHnsVersion(host.hnsVersion)) || DEFAULT_PLAN_VERSION,
    domain: host.domain ?? `host:${host.name}`,
  };
  placed(node, place);
  model.hosts.push(node);
  return node;
}

/**
 * A host's networks, in order. A network declared without subnets where HNS picks a prefix gets
 * the one HNS would, avoiding every prefix the host's networks declare (as HNS does).
 */
export function addNetworks(model: Model, host: HostNode, networks: readonly { network: NetworkFields; place: Place; key?: string }[]): NetworkNode[] {
  const taken: Cidr[] = networks.flatMap(({ network }) => (network.subnets ?? []).map((s) => parseCidr(s.prefix)!));
  return networks.map(({ network, place, key }) => {
    const subnets: SubnetNode[] = [];
    (network.subnets ?? []).forEach((subnet, s) => {
      const cidr = parseCidr(subnet.prefix)!; // the schema accepted it
      subnets.push({ subnet, path: at(place, `subnets.${s}`), cidr, gateway: (subnet.gateway && canonicalIp(subnet.gateway)) || defaultGateway(cidr) });
    });
    const auto = !network.subnets?.length && NETWORK_TYPE_TRAITS[network.type].autoPrefix ? defaultNatPrefix(taken) : undefined;
    if (auto) {
      const cidr = parseCidr(auto)!;
      taken.push(cidr);
      subnets.push({ subnet: { prefix: auto }, path: at(place, "subnets.0"), cidr, gateway: defaultGateway(cidr), defaulted: true });
    }
    const net: NetworkNode = {
      path: place.path,
      host,
      network,
      key: key ?? `${host.key}/${network.name}`,
      subnets,
      reservations: network.reservations ?? model.reservations ?? "hns",
      endpoints: [],
      loadBalancers: [],
    };
    placed(net, place);
    model.networks.push(net);
    return net;
  });
}

export function addEndpoint(model: Model, net: NetworkNode, endpoint: TopologyEndpoint, place: Place & { key?: string }): EndpointNode {
  const node = placed<EndpointNode>({ path: place.path, net, endpoint, key: place.key ?? `${net.key}/${endpoint.name}` }, place);
  net.endpoints.push(node);
  model.endpoints.push(node);
  return node;
}

export function addLoadBalancer(model: Model, net: NetworkNode, lb: TopologyLoadBalancer, place: Place & { key?: string }): LoadBalancerNode {
  const node = placed<LoadBalancerNode>({ path: place.path, net, lb, key: place.key ?? `${net.key}/${lb.name}` }, place);
  net.loadBalancers.push(node);
  model.loadBalancers.push(node);
  return node;
}

export function buildModel(topology: Topology): Model {
  const model = emptyModel(topology);
  topology.hosts.forEach((host, h) => {
    const hostNode = addHost(model, host, { path: `hosts.${h}` });
    const networks = host.networks ?? [];
    const nets = addNetworks(
      model,
      hostNode,
      networks.map(({ endpoints: _e, loadBalancers: _l, ...network }, n) => ({ network, place: { path: `${hostNode.path}.networks.${n}` } })),
    );
    networks.forEach((network, n) => {
      const net = nets[n];
      (network.endpoints ?? []).forEach((endpoint, e) => addEndpoint(model, net, endpoint, { path: `${net.path}.endpoints.${e}` }));
      (network.loadBalancers ?? []).forEach((lb, l) => addLoadBalancer(model, net, lb, { path: `${net.path}.loadBalancers.${l}` }));
    });
  });
  return model;
}
