/**
 * Network arguments: one HNS network (and the Hyper-V vSwitch HNS makes for it).
 * State = these arguments + what the host resolved (NetworkOutputs).
 */
import { z } from "zod";
import { Dns, GatewayAddress, HnsName, MacPool, NetworkType, Port, Prefix, Route } from "../../vocabulary/fields";
import { NetworkPolicyInput } from "../../hcn";
import { Host } from "../../hosts/host";
import { Adopt, Seed } from "../args";

// Imported from here by the docker importer; declared in provider/vocabulary/fields.ts.
export { NetworkType };

export const Subnet = z
  .object({
    /** Address prefix, e.g. "10.244.1.0/24". */
    prefix: Prefix,
    /** Default gateway. Defaults to the first address of the prefix, as HNS does. */
    gateway: GatewayAddress.optional(),
    /** Extra routes of the subnet (the default route via the gateway is always added). */
    routes: z.array(Route).optional(),
    /** VLAN isolation (1-4094, rule vlan-range), for transparent, l2bridge and l2tunnel networks. Excludes vsid. */
    vlan: z.number().int().optional(),
    /** Virtual subnet ID (4096-16777215, rule isolation-id-range; Windows reserves lower values), for overlay and l2bridge. Excludes vlan. */
    vsid: z.number().int().optional(),
  })
  // Ranges (vlan-range, isolation-id-range), a gateway outside the prefix and a VLAN beside a VSID
  // are planner rules, judged by check through provider/judge with the same rule ids.
  .strict();
export type Subnet = z.infer<typeof Subnet>;

/**
 * The settings a network is declared with both here and in a topology (provider/planner/topology.ts
 * spreads them; plan.ts carries them into the planned network): a field added here reaches the
 * topology, the plan and the Network the Topology component declares.
 */
export const NETWORK_SETTINGS = {
  /** HNS network type: nat, ics, transparent, l2bridge, l2tunnel, overlay, private or internal. */
  type: NetworkType,
  /** DNS settings the network's endpoints inherit. Defaults to none. */
  dns: Dns.optional(),
  /** Physical adapter the external vSwitch binds to (transparent, l2bridge, l2tunnel, overlay), e.g. "Ethernet". */
  adapterName: HnsName.optional(),
  /** MAC range for the network's endpoints. Defaults to a 4096-address block HNS picks. */
  macPool: MacPool.optional(),
  /** Survives a reboot (false sets EnableNonPersistent). NAT networks never survive one on WS2019+. Defaults to true. */
  persistent: z.boolean().optional(),
  /** VXLAN UDP port (overlay only, HNS 10.3+). Defaults to 4789. */
  vxlanPort: Port.optional(),
  /** More network policies, in HCN v2 form ({ Type, Settings }); a topology appends them after the planned ones. */
  policies: z.array(NetworkPolicyInput).optional(),
};

export const NetworkArgs = z
  .object({
    /** The host whose HNS holds this object, and how to reach it (docs/reference/hosts.md). */
    host: Host,
    /** HNS network name, unique on the host. The SDK auto-names it from the resource name. */
    name: HnsName,
    ...NETWORK_SETTINGS,
    /** Subnets. Omit for nat/ics to let HNS pick a prefix; l2bridge needs one. Defaults to none. */
    subnets: z.array(Subnet).optional(),
    /** Sets the DisableHostPort flag (HNS 15.1+). Defaults to false. */
    disableHostPort: z.boolean().optional(),
    adopt: Adopt.optional(),
    __seed: Seed.optional(),
  })
  // What the type allows (VLANs, VSIDs, an adapter, a VXLAN port, a static subnet) is judged by
  // the planner's rules after parsing (provider/judge), not restated here.
  .strict();
export type NetworkArgs = z.infer<typeof NetworkArgs>;
/** What a program may write (enums in any accepted form, before defaults). */
export type NetworkInput = z.input<typeof NetworkArgs>;

/** What the host resolved: the resource's outputs, added to the arguments in its state. */
export const NetworkOutputs = z.object({
  /** HNS network ID (also the resource ID): pass it to Endpoint.network. */
  networkId: z.string(),
  /** Subnets as the host applied them: prefix and gateway filled in. */
  appliedSubnets: z.array(
    z.object({
      /** Address prefix, e.g. "10.244.1.0/24". */
      prefix: z.string(),
      /** Default gateway the host applied. */
      gateway: z.string().optional(),
    }),
  ),
  /** MAC range endpoints get their addresses from. */
  appliedMacPool: z
    .object({
      /** First MAC address of the range. */
      start: z.string(),
      /** Last MAC address of the range. */
      end: z.string(),
    })
    .optional(),
});
export type NetworkOutputs = z.infer<typeof NetworkOutputs>;
export type NetworkState = NetworkArgs & NetworkOutputs;
