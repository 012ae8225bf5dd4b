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

export interface HostNode {
  host: TopologyHost;
  path: string;
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

export interface NetworkNode {
  host: HostNode;
  network: TopologyNetwork;
  path: string;
  key: string;
  subnets: SubnetNode[];
  reservations: Reservations;
}

export interface EndpointNode {
  net: NetworkNode;
  endpoint: TopologyEndpoint;
  path: string;
  key: string;
}

export interface LoadBalancerNode {
  net: NetworkNode;
  lb: TopologyLoadBalancer;
  path: string;
  key: string;
}

export interface Model {
  topology: Topology;
  hosts: HostNode[];
  networks: NetworkNode[];
  endpoints: EndpointNode[];
  loadBalancers: LoadBalancerNode[];
  domains: Map<string, TopologyDomain>;
}

export function buildModel(topology: Topology): Model {
  const model: Model = { topology, hosts: [], networks: [], endpoints: [], loadBalancers: [], domains: new Map() };
  for (const d of topology.domains ?? []) model.domains.set(d.name, d);
  topology.hosts.forEach((host, h) => {
    const hostNode: HostNode = {
      host,
      path: `hosts.${h}`,
      key: host.name,
      version: (host.hnsVersion && parseHnsVersion(host.hnsVersion)) || DEFAULT_PLAN_VERSION,
      domain: host.domain ?? `host:${host.name}`,
    };
    model.hosts.push(hostNode);
    // Prefixes the host's networks declare, so a defaulted prefix avoids them (as HNS does).
    const taken: Cidr[] = (host.networks ?? []).flatMap((nw) => (nw.subnets ?? []).map((s) => parseCidr(s.prefix)!));
    (host.networks ?? []).forEach((network, n) => {
      const path = `${hostNode.path}.networks.${n}`;
      const subnets: SubnetNode[] = [];
      (network.subnets ?? []).forEach((subnet, s) => {
        const cidr = parseCidr(subnet.prefix)!; // the schema accepted it
        subnets.push({ subnet, path: `${path}.subnets.${s}`, cidr, gateway: (subnet.gateway && canonicalIp(subnet.gateway)) || defaultGateway(cidr) });
      });
      const auto = !network.subnets?.length && NETWORK_TYPE_TRAITS[network.type].autoPrefix ? defaultNatPrefix(taken) : undefined;
      if (auto) {
        const cidr = parseCidr(auto)!;
        taken.push(cidr);
        subnets.push({ subnet: { prefix: auto }, path: `${path}.subnets.0`, cidr, gateway: defaultGateway(cidr), defaulted: true });
      }
      const net: NetworkNode = {
        host: hostNode,
        network,
        path,
        key: `${host.name}/${network.name}`,
        subnets,
        reservations: network.reservations ?? topology.reservations ?? "hns",
      };
      model.networks.push(net);
      (network.endpoints ?? []).forEach((endpoint, e) =>
        model.endpoints.push({ net, endpoint, path: `${path}.endpoints.${e}`, key: `${net.key}/${endpoint.name}` }),
      );
      (network.loadBalancers ?? []).forEach((lb, l) =>
        model.loadBalancers.push({ net, lb, path: `${path}.loadBalancers.${l}`, key: `${net.key}/${lb.name}` }),
      );
    });
  });
  return model;
}
