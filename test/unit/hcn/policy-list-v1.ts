// The inverse v1 conversions only the tests need: reading a v1 policy list back into a v2 load
// balancer (to check that loadBalancerToPolicyListV1 loses nothing) and writing an SDN route as
// the ROUTE policy list hns.psm1 creates. The product never reads or writes these forms.
import type { z } from "zod";
import { HnsPolicyListV1, HostComputeLoadBalancer, HostComputeRoute, SCHEMA_VERSION_2_0, isKnownPolicyV1, type KnownPolicyV1 } from "../../../provider/hcn";

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
const nonEmpty = <T>(a: T[] | undefined): T[] | undefined => (a && a.length > 0 ? a : undefined);
const endpointIdOf = (ref: string) => /^\/?endpoints\/(.+)$/i.exec(ref)?.[1];

/** A v1 ELB policy list → HostComputeLoadBalancer (inverse of loadBalancerToPolicyListV1). */
export function loadBalancerFromPolicyListV1(input: HnsPolicyListV1 | z.input<typeof HnsPolicyListV1>): HostComputeLoadBalancer {
  const pl = HnsPolicyListV1.parse(input);
  const elbs = pl.Policies.filter(isKnownPolicyV1).filter((p) => p.Type === "ELB") as Extract<KnownPolicyV1, { Type: "ELB" }>[];
  const first = elbs[0];
  const mappings = elbs
    .filter((e) => e.Protocol !== undefined || e.InternalPort !== undefined || e.ExternalPort !== undefined)
    .map((e) => compact({ Protocol: e.Protocol, InternalPort: e.InternalPort, ExternalPort: e.ExternalPort, Flags: e.ILB ? 1 : undefined }));
  return compact({
    ID: pl.ID,
    HostComputeEndpoints: pl.References.flatMap((r) => endpointIdOf(r) ?? []),
    SourceVIP: first?.SourceVIP,
    FrontendVIPs: first?.VIPs,
    PortMappings: nonEmpty(mappings),
    Flags: elbs.some((e) => e.IsDSR) ? 1 : undefined,
    HostComputeNetwork: pl.HostComputeNetwork,
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  });
}

/** HostComputeRoute → v1 ROUTE policy list, as hns.psm1 creates SDN routes [PS1]. */
export function routeToPolicyListV1(input: HostComputeRoute): HnsPolicyListV1 {
  const route = HostComputeRoute.parse(input);
  return compact({
    ID: route.ID,
    References: (route.HostComputeEndpoints ?? []).map((id) => `/endpoints/${id}`),
    Policies: (route.Setting ?? []).map((s) =>
      compact({ Type: "ROUTE" as const, DestinationPrefix: s.DestinationPrefix, NextHop: s.NextHop, NeedEncap: s.NeedEncap }),
    ),
    HostComputeNetwork: route.HostComputeNetwork,
  });
}
