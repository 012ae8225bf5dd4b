/**
 * Planned objects as resource arguments, for the Topology component and for generated
 * programs: everything but the host block and the IDs only a deployment knows. A planned object
 * is its resource's arguments plus what only the plan has (plan.ts), so this takes those off;
 * an empty list is no argument.
 */
import type { PlannedEndpoint, PlannedLoadBalancer, PlannedNetwork } from "./plan";

function withoutEmptyLists<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => !(Array.isArray(v) && v.length === 0))) as T;
}

export function networkInputs(net: PlannedNetwork) {
  const { key: _key, endpoints: _endpoints, loadBalancers: _loadBalancers, ...args } = net;
  return withoutEmptyLists(args);
}

/** The endpoint's address: IPv4 when it has one (an IPv6 one then goes to ipv6Address). */
export function endpointInputs(ep: PlannedEndpoint) {
  const { key: _key, name, ipv4, ipv6, policies, ...args } = ep;
  const primary = ipv4 ?? ipv6;
  return {
    name,
    ...(primary ? { ipAddress: primary.address, prefixLength: primary.prefixLength } : {}),
    ...(ipv4 && ipv6 ? { ipv6Address: ipv6.address } : {}),
    ...withoutEmptyLists({ policies }),
    ...args,
  };
}

export function loadBalancerInputs(lb: PlannedLoadBalancer) {
  const { key: _key, name: _name, backends: _backends, frontendVips, ...args } = lb;
  return { kind: "loadBalancer" as const, ...withoutEmptyLists({ frontendVips }), ...args };
}
