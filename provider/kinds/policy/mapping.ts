/** Policy arguments -> HostComputeLoadBalancer / HostComputeRoute. */
import { LoadBalancerDistribution, LoadBalancerFlags, LoadBalancerPortMappingFlags, SCHEMA_VERSION_2_0, type HostComputeLoadBalancer, type HostComputeRoute } from "../../hcn";
import { PROTOCOL_NUMBERS, protocolName, protocolNumber } from "../../vocabulary/facts/protocols";
import { PortProtocolName } from "../../vocabulary/fields";
import type { LoadBalancerArgs, RouteArgs } from "./args";

// The SDK's distribution names for HCN's LoadBalancerDistribution (provider/hcn/loadbalancer.ts).
const DISTRIBUTION = { none: LoadBalancerDistribution.None, sourceIpProtocol: LoadBalancerDistribution.SourceIPProtocol, sourceIp: LoadBalancerDistribution.SourceIP } as const;
// PortMapping flags (hcsshim hcnloadbalancer.go), declared once in provider/hcn/loadbalancer.ts
const { ILB, LocalRoutedVIP: LOCAL_ROUTED_VIP, PreserveDIP: PRESERVE_DIP } = LoadBalancerPortMappingFlags;

export function loadBalancerToHcn(a: Pick<LoadBalancerArgs, "endpoints" | "sourceVip" | "frontendVips" | "portMappings" | "dsr" | "ipv6">, id: string): HostComputeLoadBalancer {
  const flags = (a.dsr ? LoadBalancerFlags.DSR : 0) | (a.ipv6 ? LoadBalancerFlags.IPv6 : 0);
  return {
    ID: id,
    HostComputeEndpoints: a.endpoints,
    ...(a.sourceVip ? { SourceVIP: a.sourceVip } : {}),
    ...(a.frontendVips?.length ? { FrontendVIPs: a.frontendVips } : {}),
    PortMappings: a.portMappings.map((m) => {
      const f = (m.ilb ? ILB : 0) | (m.localRoutedVip ? LOCAL_ROUTED_VIP : 0) | (m.preserveDip ? PRESERVE_DIP : 0);
      const protocol = m.protocol === undefined ? PROTOCOL_NUMBERS.TCP : protocolNumber(m.protocol);
      return {
        Protocol: protocol,
        InternalPort: m.internalPort,
        ExternalPort: m.externalPort,
        ...(m.distribution && m.distribution !== "none" ? { DistributionType: DISTRIBUTION[m.distribution] } : {}),
        ...(f ? { Flags: f } : {}),
      };
    }),
    ...(flags ? { Flags: flags } : {}),
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  } as HostComputeLoadBalancer;
}

export function routeToHcn(a: RouteArgs, id: string): HostComputeRoute {
  return {
    ID: id,
    HostComputeEndpoints: a.endpoints,
    Setting: a.routes.map((r) => ({ DestinationPrefix: r.destinationPrefix, NextHop: r.nextHop, ...(r.needEncap ? { NeedEncap: true } : {}) })),
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  } as HostComputeRoute;
}

const DISTRIBUTION_NAME = Object.fromEntries(Object.entries(DISTRIBUTION).map(([name, n]) => [n, name])) as Record<number, keyof typeof DISTRIBUTION>;

/** A host's load balancer in argument form (for drift), shaped like the arguments given. */
export function loadBalancerFromHcn(lb: HostComputeLoadBalancer, like: LoadBalancerArgs): Partial<LoadBalancerArgs> {
  const flags = Number(lb.Flags ?? 0);
  return {
    endpoints: lb.HostComputeEndpoints ?? [],
    ...(lb.SourceVIP ? { sourceVip: lb.SourceVIP } : {}),
    ...(lb.FrontendVIPs?.length ? { frontendVips: lb.FrontendVIPs } : {}),
    portMappings: (lb.PortMappings ?? []).map((m, i) => {
      const want = like.portMappings[i];
      const f = Number(m.Flags ?? 0);
      const proto = Number(m.Protocol ?? PROTOCOL_NUMBERS.TCP);
      const dist = DISTRIBUTION_NAME[Number(m.DistributionType ?? 0)] ?? "none";
      return {
        ...(want?.protocol !== undefined || proto !== PROTOCOL_NUMBERS.TCP ? { protocol: typeof want?.protocol === "number" ? proto : (protocolName(proto, PortProtocolName.options) ?? proto) } : {}),
        internalPort: Number(m.InternalPort),
        externalPort: Number(m.ExternalPort),
        ...(want?.distribution !== undefined || dist !== "none" ? { distribution: dist } : {}),
        ...(want?.ilb !== undefined || f & ILB ? { ilb: !!(f & ILB) } : {}),
        ...(want?.localRoutedVip !== undefined || f & LOCAL_ROUTED_VIP ? { localRoutedVip: !!(f & LOCAL_ROUTED_VIP) } : {}),
        ...(want?.preserveDip !== undefined || f & PRESERVE_DIP ? { preserveDip: !!(f & PRESERVE_DIP) } : {}),
      };
    }),
    ...(like.dsr !== undefined || flags & LoadBalancerFlags.DSR ? { dsr: !!(flags & LoadBalancerFlags.DSR) } : {}),
    ...(like.ipv6 !== undefined || flags & LoadBalancerFlags.IPv6 ? { ipv6: !!(flags & LoadBalancerFlags.IPv6) } : {}),
  };
}

export function routeFromHcn(r: HostComputeRoute): Partial<RouteArgs> {
  return {
    endpoints: r.HostComputeEndpoints ?? [],
    routes: (r.Setting ?? []).map((s) => ({ destinationPrefix: s.DestinationPrefix!, nextHop: s.NextHop!, ...(s.NeedEncap ? { needEncap: true } : {}) })),
  };
}
