/**
 * Policy arguments, one of four kinds:
 * - loadBalancer: an HCN load balancer (VFP) over endpoints;
 * - route: an SDN route over endpoints;
 * - endpointPolicies / networkPolicies: a set of policies this resource adds to an existing
 *   endpoint or network and removes again on delete.
 */
import { z } from "zod";
import { EndpointPolicy, NetworkPolicy } from "../../hcn";
import { Host } from "../../hosts/host";
import { Guid, IpAddress, Port, Prefix, Seed } from "../args";

export const Protocol = z.union([z.enum(["tcp", "udp"]), z.number().int().min(0).max(255)]);

export const LbPortMapping = z
  .object({
    /** "tcp", "udp" or an IP protocol number. Defaults to "tcp". */
    protocol: Protocol.optional(),
    internalPort: Port,
    externalPort: Port,
    /** Session affinity (HNS 12.0+). Defaults to "none". */
    distribution: z.enum(["none", "sourceIpProtocol", "sourceIp"]).optional(),
    /** Internal load balancer (PortMapping flag ILB). */
    ilb: z.boolean().optional(),
    localRoutedVip: z.boolean().optional(),
    preserveDip: z.boolean().optional(),
  })
  .strict();

const base = { host: Host, __seed: Seed.optional() };

export const LoadBalancerArgs = z
  .object({
    kind: z.literal("loadBalancer"),
    ...base,
    /** Backend endpoint IDs. */
    endpoints: z.array(Guid).min(1, "a load balancer needs at least one backend endpoint"),
    sourceVip: IpAddress.optional(),
    frontendVips: z.array(IpAddress).optional(),
    portMappings: z.array(LbPortMapping).min(1, "give at least one port mapping"),
    /** Direct server return (HNS 10.2+). Defaults to false. */
    dsr: z.boolean().optional(),
    ipv6: z.boolean().optional(),
  })
  .strict();

export const RouteArgs = z
  .object({
    kind: z.literal("route"),
    ...base,
    endpoints: z.array(Guid).min(1, "an SDN route needs at least one endpoint"),
    routes: z
      .array(z.object({ destinationPrefix: Prefix, nextHop: IpAddress, needEncap: z.boolean().optional() }).strict())
      .min(1, "give at least one route"),
  })
  .strict();

export const EndpointPoliciesArgs = z
  .object({
    kind: z.literal("endpointPolicies"),
    ...base,
    /** Endpoint ID the policies are added to. */
    endpoint: Guid,
    policies: z.array(EndpointPolicy).min(1, "give at least one policy"),
  })
  .strict();

export const NetworkPoliciesArgs = z
  .object({
    kind: z.literal("networkPolicies"),
    ...base,
    /** Network ID the policies are added to. */
    network: Guid,
    policies: z.array(NetworkPolicy).min(1, "give at least one policy"),
  })
  .strict();

export const PolicyArgs = z.discriminatedUnion("kind", [LoadBalancerArgs, RouteArgs, EndpointPoliciesArgs, NetworkPoliciesArgs]);
export type PolicyArgs = z.infer<typeof PolicyArgs>;
export type PolicyInput = z.input<typeof PolicyArgs>;
export type LoadBalancerArgs = z.infer<typeof LoadBalancerArgs>;
export type RouteArgs = z.infer<typeof RouteArgs>;

export interface PolicyResolved {
  /** HNS object ID (load balancer or route); for policy sets, the endpoint or network ID. */
  hnsId: string;
}
export type PolicyState = PolicyArgs & PolicyResolved;
