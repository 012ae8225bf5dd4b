// HCN v2 HostComputeLoadBalancer (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnloadbalancer.go).
// hcsshim models Flags and DistributionType as integers, so numbers are canonical here.
import { z } from "zod";
import { HcnGuid, HcnProtocol, UInt16, flagsOf, namedNumber, opt, baseFields } from "./common";

/** LoadBalancerFlags: DSR 1 (docs EnableDirectServerReturn), IPv6 2. */
export const LoadBalancerFlags = { None: 0, DSR: 1, IPv6: 2 } as const;
/** LoadBalancerPortMappingFlags; the docs call 4 "NotUsed". */
export const LoadBalancerPortMappingFlags = { None: 0, ILB: 1, LocalRoutedVIP: 2, UseMux: 4, PreserveDIP: 8 } as const;
/** LoadBalancerDistribution (2.7): session affinity. */
export const LoadBalancerDistribution = { None: 0, SourceIPProtocol: 1, SourceIP: 2 } as const;

// Docs variant names read as aliases of the hcsshim names.
const lbFlags = flagsOf({ ...LoadBalancerFlags, EnableDirectServerReturn: 1 });
const portMappingFlags = flagsOf({
  ...LoadBalancerPortMappingFlags,
  EnableInternalLoadBalancer: 1,
  LocalRoutedVip: 2,
  NotUsed: 4,
  EnablePreserveDip: 8,
});

const DistributionType = namedNumber(LoadBalancerDistribution, "a distribution type or its number");

export const LoadBalancerPortMapping = z.looseObject({
  Protocol: opt(HcnProtocol),
  InternalPort: opt(UInt16),
  ExternalPort: opt(UInt16),
  DistributionType: opt(DistributionType),
  Flags: opt(portMappingFlags),
});
export type LoadBalancerPortMapping = z.infer<typeof LoadBalancerPortMapping>;

export const HostComputeLoadBalancer = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  HostComputeEndpoints: opt(z.array(HcnGuid)),
  SourceVIP: opt(z.string()),
  FrontendVIPs: opt(z.array(z.string())),
  PortMappings: opt(z.array(LoadBalancerPortMapping)),
  Flags: opt(lbFlags),
  // Docs 2.5.
  HostComputeNetwork: opt(HcnGuid),
  ...baseFields,
});
export type HostComputeLoadBalancer = z.infer<typeof HostComputeLoadBalancer>;

/**
 * What makes two load balancers one to HNS: their frontend VIPs and port mappings, as stored (a
 * document read with HostComputeLoadBalancer), compared as written: how HNS normalises them
 * (an IPv6 VIP's spelling, their order) has not been observed. A second load balancer of the same frontend is
 * refused with HCN_E_POLICY_ALREADY_EXISTS; kube-proxy's winkernel proxier looks such a one up
 * and re-uses it instead of making a second (kubernetes pkg/proxy/winkernel/hns.go
 * getLoadBalancer). Undefined for a load balancer with no frontend VIP, which is not refused so.
 */
export function frontendKey(lb: HostComputeLoadBalancer): string | undefined {
  return lb.FrontendVIPs?.length ? JSON.stringify([lb.FrontendVIPs, lb.PortMappings]) : undefined;
}
