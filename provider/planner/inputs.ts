/**
 * Planned objects as resource arguments, for the Topology component and for generated
 * programs: everything but the host block and the IDs only a deployment knows.
 */
import type { PlannedEndpoint, PlannedLoadBalancer, PlannedNetwork } from "./plan";

export function networkInputs(net: PlannedNetwork) {
  return {
    name: net.name,
    type: net.type,
    ...(net.subnets.length ? { subnets: net.subnets } : {}),
    ...(net.dns ? { dns: net.dns } : {}),
    ...(net.adapterName ? { adapterName: net.adapterName } : {}),
    ...(net.macPool ? { macPool: net.macPool } : {}),
    ...(net.persistent !== undefined ? { persistent: net.persistent } : {}),
    ...(net.vxlanPort !== undefined ? { vxlanPort: net.vxlanPort } : {}),
    ...(net.policies.length ? { policies: net.policies } : {}),
  };
}

/** The endpoint's address: IPv4 when it has one (an IPv6 one then goes to ipv6Address). */
export function endpointInputs(ep: PlannedEndpoint) {
  const primary = ep.ipv4 ?? ep.ipv6;
  return {
    name: ep.name,
    ...(primary ? { ipAddress: primary.address, prefixLength: primary.prefixLength } : {}),
    ...(ep.ipv4 && ep.ipv6 ? { ipv6Address: ep.ipv6.address } : {}),
    ...(ep.policies.length ? { policies: ep.policies } : {}),
    ...(ep.attach ? { attach: ep.attach } : {}),
    ...(ep.disableIcc !== undefined ? { disableIcc: ep.disableIcc } : {}),
    ...(ep.macAddress ? { macAddress: ep.macAddress } : {}),
    ...(ep.dns ? { dns: ep.dns } : {}),
  };
}

export function loadBalancerInputs(lb: PlannedLoadBalancer) {
  return {
    kind: "loadBalancer" as const,
    ...(lb.frontendVips.length ? { frontendVips: lb.frontendVips } : {}),
    ...(lb.sourceVip ? { sourceVip: lb.sourceVip } : {}),
    portMappings: lb.portMappings,
    ...(lb.dsr ? { dsr: true } : {}),
  };
}
