/**
 * The policy planner: each endpoint's and network's final HNS policy list, in HCN v2 form,
 * from the topology's intent (outbound NAT, published ports, ACLs, overlay encapsulation).
 * Planned policies come first, the user's raw `policies` after them.
 */
import { protocolNumber } from "../vocabulary/facts/protocols";
import type { EndpointPolicy, NetworkPolicy } from "../hcn";
import type { EndpointNode, Model, NetworkNode } from "./model";
import type { AclRule } from "./topology";


/** Destinations an endpoint reaches without NAT: its network's own prefixes, then the declared ones. */
function outboundNatExceptions(net: NetworkNode): string[] {
  const declared = typeof net.network.outboundNat === "object" ? (net.network.outboundNat.exceptions ?? []) : [];
  const own = net.subnets.filter((s) => s.cidr.family === "ipv4").map((s) => s.cidr.text);
  return [...new Set([...own, ...declared])];
}

function aclPolicy(rule: AclRule): EndpointPolicy {
  const list = (v: (string | number)[] | undefined) => (v?.length ? v.join(",") : undefined);
  const protocol = rule.protocol === undefined ? undefined : protocolNumber(rule.protocol);
  const settings: Record<string, unknown> = {
    Action: rule.action === "allow" ? "Allow" : "Block",
    Direction: rule.direction === "in" ? "In" : "Out",
    Priority: rule.priority,
    RuleType: rule.ruleType === "host" ? "Host" : "Switch",
    ...(protocol !== undefined ? { Protocols: String(protocol) } : {}),
    ...(list(rule.localAddresses) ? { LocalAddresses: list(rule.localAddresses) } : {}),
    ...(list(rule.remoteAddresses) ? { RemoteAddresses: list(rule.remoteAddresses) } : {}),
    ...(list(rule.localPorts) ? { LocalPorts: list(rule.localPorts) } : {}),
    ...(list(rule.remotePorts) ? { RemotePorts: list(rule.remotePorts) } : {}),
  };
  return { Type: "ACL", Settings: settings } as EndpointPolicy;
}

/** Every endpoint's final policy list, planned once per plan: the rules and the planned objects read the same lists. */
export function planEndpointPolicies(model: Model): Map<EndpointNode, EndpointPolicy[]> {
  const exceptions = new Map<NetworkNode, string[]>();
  const lists = new Map<EndpointNode, EndpointPolicy[]>();
  for (const ep of model.endpoints) {
    let own = exceptions.get(ep.net);
    if (!own) exceptions.set(ep.net, (own = outboundNatExceptions(ep.net)));
    lists.set(ep, endpointPolicies(ep, own));
  }
  return lists;
}

/** `exceptions`: the network's outbound NAT exceptions, when the caller has them already. */
export function endpointPolicies(ep: EndpointNode, exceptions?: string[]): EndpointPolicy[] {
  const { endpoint, net } = ep;
  const nat = net.network.outboundNat;
  // The host's own vNIC is never NATed: it is the host.
  // The list starts as a literal: V8 gives an empty array a 17-slot store on its first push,
  // which over 10,000 endpoints is megabytes of garbage for lists of one policy.
  const policies: EndpointPolicy[] =
    nat && endpoint.outboundNat !== false && endpoint.attach !== "host"
      ? // A copy per endpoint: lists shared between endpoints' policies would change together.
        [{ Type: "OutBoundNAT", Settings: { Exceptions: exceptions ? exceptions.slice() : outboundNatExceptions(net) } } as EndpointPolicy]
      : [];
  for (const p of endpoint.ports ?? []) {
    policies.push({
      Type: "PortMapping",
      Settings: { Protocol: protocolNumber(p.protocol ?? "tcp"), InternalPort: p.internalPort, ExternalPort: p.externalPort },
    } as EndpointPolicy);
  }
  for (const rule of endpoint.acls ?? []) policies.push(aclPolicy(rule));
  // A network VLAN with no subnet to carry it isolates each endpoint instead (HCN endpoint
  // policy VLAN, HNS_Schema.md; Microsoft: a network's VLAN sets "VLAN isolation for any
  // container endpoints that will be attached to that network").
  if (net.network.vlan !== undefined && !net.subnets.length) policies.push({ Type: "VLAN", Settings: { IsolationId: net.network.vlan } } as EndpointPolicy);
  if (endpoint.policies) for (const p of endpoint.policies) policies.push(p);
  return policies;
}

/** Overlay encapsulation: provider address, host route, and a route to each peer's subnet. */
export function networkPolicies(net: NetworkNode, model: Model): NetworkPolicy[] {
  const { network, host } = net;
  const policies: NetworkPolicy[] = [];
  if (network.type === "overlay") {
    if (host.host.providerAddress) policies.push({ Type: "ProviderAddress", Settings: { ProviderAddress: host.host.providerAddress } } as NetworkPolicy);
    if (network.hostRoute) policies.push({ Type: "HostRoute", Settings: {} } as NetworkPolicy);
    for (const peer of overlayPeers(net, model)) {
      for (const s of peer.subnets) {
        policies.push({
          Type: "RemoteSubnetRoute",
          Settings: {
            DestinationPrefix: s.cidr.text,
            ...(s.subnet.vsid !== undefined ? { IsolationId: s.subnet.vsid } : {}),
            ...(peer.host.host.providerAddress ? { ProviderAddress: peer.host.host.providerAddress } : {}),
          },
        } as NetworkPolicy);
      }
    }
  }
  return [...policies, ...(network.policies ?? [])];
}

/** Same-named overlay networks on the other hosts of this host's domain. */
export function overlayPeers(net: NetworkNode, model: Model): NetworkNode[] {
  if (net.network.type !== "overlay" || net.network.remoteSubnetRoutes === false || !net.host.host.domain) return [];
  return model.networks.filter(
    (other) => other.host !== net.host && other.host.domain === net.host.domain && other.network.type === "overlay" && other.network.name === net.network.name,
  );
}
