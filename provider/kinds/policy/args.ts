/**
 * Policy arguments, one of four kinds:
 * - loadBalancer: an HCN load balancer (VFP) over endpoints;
 * - route: an SDN route over endpoints;
 * - endpointPolicies / networkPolicies: a set of policies this resource adds to an existing
 *   endpoint or network and removes again on delete.
 */
import { z } from "zod";
import { EndpointPolicyInput, NetworkPolicyInput } from "../../hcn";
import { Host } from "../../hosts/host";
import { Guid, NextHopAddress, Port, PortProtocol, SdnRouteDestinationPrefix, VipAddress } from "../../vocabulary/fields";
import { Seed } from "../args";

export const LbPortMapping = z
  .object({
    /** "tcp" or "udp" (or 6, 17): HNS balances the ports of these two. Defaults to "tcp". */
    protocol: PortProtocol.optional(),
    /** Port on the backends. */
    internalPort: Port,
    /** Port on the frontend VIP. */
    externalPort: Port,
    /** Session affinity (HNS 12.0+). Defaults to "none". */
    distribution: z.enum(["none", "sourceIpProtocol", "sourceIp"]).optional(),
    /** Internal load balancer (PortMapping flag ILB). */
    ilb: z.boolean().optional(),
    /** PortMapping flag LocalRoutedVIP: the VIP is reachable from the host itself. Defaults to false. */
    localRoutedVip: z.boolean().optional(),
    /** PortMapping flag PreserveDIP: backends see the original destination address. Defaults to false. */
    preserveDip: z.boolean().optional(),
  })
  .strict();

const base = {
  /** The host whose HNS holds this object, and how to reach it (docs/reference/hosts.md). */
  host: Host,
  __seed: Seed.optional(),
};

export const LoadBalancerArgs = z
  .object({
    kind: z.literal("loadBalancer"),
    ...base,
    /** Backend endpoint IDs. */
    endpoints: z.array(Guid).min(1, "a load balancer needs at least one backend endpoint"),
    /** Source address of traffic to the backends (kube-proxy's source VIP on overlay / l2bridge). Defaults to none. */
    sourceVip: VipAddress.optional(),
    /** Frontend VIPs, e.g. a ClusterIP "10.96.0.50". Defaults to none (the backends' host address). */
    frontendVips: z.array(VipAddress).optional(),
    /** Frontend port → backend port mappings. */
    portMappings: z.array(LbPortMapping).min(1, "give at least one port mapping"),
    /** Direct server return (HNS 10.2+). Defaults to false. */
    dsr: z.boolean().optional(),
    /** An IPv6 load balancer (Flags IPv6). Defaults to false. */
    ipv6: z.boolean().optional(),
  })
  .strict();

export const RouteArgs = z
  .object({
    kind: z.literal("route"),
    ...base,
    /** Endpoint IDs the route applies to. */
    endpoints: z.array(Guid).min(1, "an SDN route needs at least one endpoint"),
    /** The routes. */
    routes: z
      .array(
        z
          .object({
            /** Destination prefix, e.g. "10.0.0.0/8". */
            destinationPrefix: SdnRouteDestinationPrefix,
            /** Next hop address. */
            nextHop: NextHopAddress,
            /** Encapsulate (overlay) traffic on this route. Defaults to false. */
            needEncap: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1, "give at least one route"),
  })
  .strict();

export const EndpointPoliciesArgs = z
  .object({
    kind: z.literal("endpointPolicies"),
    ...base,
    /** Endpoint ID the policies are added to. */
    endpoint: Guid,
    policies: z.array(EndpointPolicyInput).min(1, "give at least one policy"),
  })
  .strict();

export const NetworkPoliciesArgs = z
  .object({
    kind: z.literal("networkPolicies"),
    ...base,
    /** Network ID the policies are added to. */
    network: Guid,
    policies: z.array(NetworkPolicyInput).min(1, "give at least one policy"),
  })
  .strict();

export const PolicyArgs = z.discriminatedUnion("kind", [LoadBalancerArgs, RouteArgs, EndpointPoliciesArgs, NetworkPoliciesArgs]);
export type PolicyArgs = z.infer<typeof PolicyArgs>;
export type PolicyInput = z.input<typeof PolicyArgs>;
export type LoadBalancerArgs = z.infer<typeof LoadBalancerArgs>;
export type RouteArgs = z.infer<typeof RouteArgs>;
export type LbPortMapping = z.infer<typeof LbPortMapping>;

/** What the host resolved: the resource's outputs, added to the arguments in its state. */
export const PolicyOutputs = z.object({
  /**
   * HNS object ID (load balancer or route); for policy sets, the endpoint or network ID. A load
   * balancer made anew on a host without ModifyLoadBalancer gets a new one; the resource keeps its ID.
   */
  hnsId: z.string(),
});
export type PolicyOutputs = z.infer<typeof PolicyOutputs>;
export type PolicyState = PolicyArgs & PolicyOutputs;
