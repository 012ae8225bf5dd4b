/**
 * Endpoint arguments: one HNS endpoint (vNIC + switch port) on a network, with its addresses,
 * DNS, routes and policies, optionally attached to the host compartment or a namespace.
 */
import { z } from "zod";
import { EndpointPolicyInput } from "../../hcn";
import { Host } from "../../hosts/host";
import { Dns, Guid, HnsName, HostAddress, Ipv6HostAddress, MacAddress, NetworkType, Route } from "../../vocabulary/fields";
import { Subnet } from "../network/args";
import { Adopt, Seed, copyDefined } from "../args";

export const Attach = z.union([
  /** The host's default compartment (the host vNIC of l2bridge / flannel "cbr0_ep" setups). */
  z.literal("host"),
  /** An existing namespace (container compartment), by ID. */
  z
    .object({
      /** Namespace ID (HostComputeNamespace). */
      namespace: Guid,
    })
    .strict(),
]);
export type Attach = z.infer<typeof Attach>;

/** How a container is isolated: "process" (shares the host kernel) or "hyperv" (runs in a utility VM). */
export const ContainerIsolation = z.enum(["process", "hyperv"]);

/**
 * The endpoint settings a Topology endpoint declares too (planner/topology.ts spreads them; plan.ts
 * carries them into the planned endpoint with copyEndpointSettings, and so to the Endpoint):
 * declared once, for both.
 */
export const ENDPOINT_SETTINGS = {
  /** MAC address (Docker run `--mac-address`). Defaults to the next free one of the network's MAC pool. */
  macAddress: MacAddress.optional(),
  /** DNS of this endpoint's container (Docker run `--dns`, `--dns-search`). Defaults to the network's. */
  dns: Dns.optional(),
  /** Sets DisableICC (no traffic to other endpoints of the network). Defaults to false. */
  disableIcc: z.boolean().optional(),
  /** How the container this endpoint is for is isolated (Docker run `--isolation`). Checked only (HNS stores no such field); see hotAdd. Defaults to process. */
  isolation: ContainerIsolation.optional(),
  /** The endpoint is attached while its container runs (hot-add), refused for isolation hyperv (rule hyperv-hot-add). Checked only. Defaults to false. */
  hotAdd: z.boolean().optional(),
};

export type EndpointSettings = { [K in keyof typeof ENDPOINT_SETTINGS]?: z.output<(typeof ENDPOINT_SETTINGS)[K]> };
const ENDPOINT_SETTING_KEYS = Object.keys(ENDPOINT_SETTINGS) as (keyof typeof ENDPOINT_SETTINGS)[];

/** Copies the settings `from` declares onto `to`: how the plan and the judge pass them on, whatever fields ENDPOINT_SETTINGS holds. */
export function copyEndpointSettings(from: EndpointSettings, to: EndpointSettings): void {
  copyDefined(from, to, ENDPOINT_SETTING_KEYS);
}

/**
 * What an endpoint's check learns of the Network it names (`__network`): its type, subnets and
 * HNS name, so the address, routes and policies are judged against the network, and the
 * endpoint with the other resources on its host (provider/judge). Every front door that knows
 * the Network builds it with networkContextOf.
 */
export const NetworkContext = z.object({ type: NetworkType, subnets: z.array(Subnet).optional(), name: HnsName.optional() });
export type NetworkContext = z.infer<typeof NetworkContext>;

/** The context of a network from its arguments (or the same fields of its state, where absent ones may be null). */
export function networkContextOf(n: { type: NetworkContext["type"]; subnets?: NetworkContext["subnets"] | null; name?: string | null }): NetworkContext {
  return { type: n.type, ...(n.subnets ? { subnets: n.subnets } : {}), ...(n.name ? { name: n.name } : {}) };
}

export const EndpointArgs = z
  .object({
    /** The host whose HNS holds this object, and how to reach it (docs/reference/hosts.md). */
    host: Host,
    /**
     * The network. How the endpoint names it decides what `pulumi preview` judges before any host
     * is touched. The Network resource (`network: web`; in YAML `network: ${web}`): the address,
     * prefix length, routes and policies against the network's type and subnets, and the endpoint
     * with the other resources on its host (the same host port or static address twice), even
     * while the network's ID is unknown (it adopts). Its ID output (`web.networkId`; in YAML
     * `${web.networkId}` or `${web.id}`, the form `pulumi import` writes): the same, when that
     * network is created by the same program on the same host. A literal ID string of a network
     * made elsewhere: only the checks that need no network; HNS has the last word at `up`.
     * The state holds the ID string either way (docs/how-it-works.md).
     */
    network: Guid,
    /** Endpoint name (HNS allows duplicates). The SDK auto-names it from the resource name. */
    name: HnsName,
    /** IP address. Defaults to the lowest free address HNS hands out. */
    ipAddress: HostAddress.optional(),
    /** Prefix length of the address. Defaults to the subnet's. */
    prefixLength: z.number().int().min(0).max(128).optional(),
    /** Second, IPv6 address of a dual-stack endpoint (l2bridge on Windows Server 2022+); ipAddress is then the IPv4 one. */
    ipv6Address: Ipv6HostAddress.optional(),
    /** Routes. Defaults to a default route via the subnet gateway. */
    routes: z.array(Route).optional(),
    /** Endpoint policies in HCN v2 form ({ Type, Settings }): PortMapping, ACL, OutBoundNAT, SDNRoute, ... */
    policies: z.array(EndpointPolicyInput).optional(),
    /** A remote endpoint (RemoteEndpoint flag): represents a peer on another host; needs ipAddress. */
    remote: z.boolean().optional(),
    /** Attach to the host compartment ("host") or a namespace ({ namespace }). Defaults to unattached. */
    attach: Attach.optional(),
    ...ENDPOINT_SETTINGS,
    adopt: Adopt.optional(),
    __seed: Seed.optional(),
    /** Set by the front door when the endpoint names a Network resource (NetworkContext): never written by hand. */
    __network: NetworkContext.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.remote && !a.ipAddress) {
      ctx.addIssue({ code: "custom", path: ["ipAddress"], message: "a remote endpoint needs its peer's address: give it in ipAddress, or remove remote" });
    }
    if (a.remote && a.attach) {
      ctx.addIssue({ code: "custom", path: ["attach"], message: "a remote endpoint cannot be attached: remove attach or remote" });
    }
    if (a.ipv6Address && a.ipAddress?.includes(":")) {
      ctx.addIssue({ code: "custom", path: ["ipAddress"], message: "with ipv6Address set, ipAddress is the IPv4 address: move the IPv6 address to ipv6Address" });
    }
    if (a.prefixLength !== undefined && a.ipAddress && !a.ipAddress.includes(":") && a.prefixLength > 32) {
      ctx.addIssue({ code: "custom", path: ["prefixLength"], message: `${a.ipAddress} is IPv4, whose prefix lengths end at 32: use 0-32` });
    }
    if (a.prefixLength !== undefined && !a.ipAddress) {
      ctx.addIssue({ code: "custom", path: ["prefixLength"], message: "set ipAddress with prefixLength, or leave both to HNS" });
    }
  });
export type EndpointArgs = z.infer<typeof EndpointArgs>;
export type EndpointInput = z.input<typeof EndpointArgs>;

/** What the host resolved: the resource's outputs, added to the arguments in its state. */
export const EndpointOutputs = z.object({
  /** HNS endpoint ID (also the resource ID). */
  endpointId: z.string(),
  /** Address as the host applied it (allocated by HNS when ipAddress was not given). */
  appliedIpAddress: z.string().optional(),
  /** Prefix length as the host applied it. */
  appliedPrefixLength: z.number().optional(),
  /** MAC address as the host applied it (from the network's MAC pool when macAddress was not given). */
  appliedMacAddress: z.string().optional(),
  /** Default gateway of the endpoint's subnet. */
  gateway: z.string().optional(),
  /** Namespace the endpoint is attached to. */
  namespaceId: z.string().optional(),
});
export type EndpointOutputs = z.infer<typeof EndpointOutputs>;
export type EndpointState = EndpointArgs & EndpointOutputs;
