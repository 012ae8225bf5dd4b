/**
 * The topology document: everything declared for one or many hosts, as the planner reads it.
 * The same schema backs `hns-plan` (YAML or JSON files) and the SDK's Topology component.
 *
 * The schema checks shapes only. Ranges and cross-field facts (VLAN 1-4094, VSIDs, overlaps,
 * port conflicts, what a network type allows) are planner rules with ids, so every such
 * failure names its rule (see rules/catalog.ts). Options Windows does not support (Docker's
 * `--aux-address`, `--internal`, encrypted overlay, ...) are accepted here on purpose, only
 * so that a rule can refuse them with the reason instead of a bare "unknown key".
 */
import { z } from "zod";
import { EndpointPolicyInput } from "../hcn";
import { Host } from "../hosts/host";
import { HNS_VERSION_PRESETS, parseHnsVersion } from "../vocabulary/features";
import { ExceptionEntry, HostAddress, Ipv6HostAddress, Port, PortProtocolName, ProviderAddress, VipAddress, VipPoolPrefix } from "../vocabulary/fields";
import { PORT_PROTOCOLS, PortRangeText, TopologyName, addressOrPrefixProblem, familyOfText, textSchema } from "../vocabulary/values";
import { PROTOCOL_BY_NAME } from "../vocabulary/facts/protocols";
import { ENDPOINT_SETTINGS } from "../kinds/endpoint/args";
import { NETWORK_SETTINGS, Subnet } from "../kinds/network/args";

/** A name used in lock-file keys and resource names: no "/" (the key separator) and no blanks. */
const Name = textSchema(TopologyName);

/** An ACL's address: one address or prefix it matches (no zone, no host bits). */
const AclAddress = z.string().superRefine((v, ctx) => {
  const p = addressOrPrefixProblem(v, "match", "match");
  if (p) ctx.addIssue({ code: "custom", message: p });
});

/** An ACL's port: a number, or a "low-high" range as text. */
const AclPort = z.union([Port, textSchema(PortRangeText)]);

const HnsVersionText = z.string().refine((v) => parseHnsVersion(v) !== undefined, {
  message: `use "major.minor" (e.g. "13.3") or one of ${Object.keys(HNS_VERSION_PRESETS).join(", ")}`,
});

/**
 * Which addresses of a subnet are never handed out, besides the network address, the gateway
 * and (IPv4) the broadcast address:
 * - "hns": nothing more (what HNS itself does);
 * - "flannel": offset 2 is kept for the host endpoint (flannel host-gw, win-bridge);
 * - "calico": the first 3 and the last address of the subnet (Calico's Windows IPAM);
 * - { first, last, host }: the first `first` and last `last` offsets; `host` is the offset
 *   a host endpoint (attach: host) gets.
 */
export const Reservations = z.union([
  z.enum(["hns", "flannel", "calico"]),
  z
    .object({
      /** How many addresses at the start of each subnet are never handed out. */
      first: z.number().int().min(1).max(1024),
      /** How many addresses at the end of each subnet are never handed out. */
      last: z.number().int().min(0).max(1024),
      /** Offset the host endpoint (attach: host) gets. Defaults to none. */
      host: z.number().int().min(1).max(1024).optional(),
    })
    .strict(),
]);
export type Reservations = z.infer<typeof Reservations>;

export const PublishedPort = z
  .object({
    /** Defaults to tcp. */
    protocol: PortProtocolName.optional(),
    /** Port inside the container (HNS PortMapping InternalPort). */
    internalPort: Port,
    /** Port on the host (HNS PortMapping ExternalPort; NAT port forwarding is per host: unique per protocol on a host). */
    externalPort: Port,
  })
  .strict();
export type PublishedPort = z.infer<typeof PublishedPort>;

export const AclRule = z
  .object({
    /** allow or block. */
    action: z.enum(["allow", "block"]),
    /** in or out. */
    direction: z.enum(["in", "out"]),
    /** Lower runs first; two rules of one direction must not share a priority. */
    priority: z.number().int().min(0).max(65535),
    /** Protocol name or IP protocol number. Defaults to any. */
    protocol: z.union([z.enum(["tcp", "udp", "icmp"]), z.number().int().min(0).max(255)]).optional(),
    /** Local addresses or prefixes the rule matches. Defaults to any. */
    localAddresses: z.array(AclAddress).optional(),
    /** Remote addresses or prefixes the rule matches. Defaults to any. */
    remoteAddresses: z.array(AclAddress).optional(),
    /** Local ports or "low-high" ranges. Defaults to any. */
    localPorts: z.array(AclPort).optional(),
    /** Remote ports or "low-high" ranges. Defaults to any. */
    remotePorts: z.array(AclPort).optional(),
    /** "switch" (VFP, default) or "host" (WFP). */
    ruleType: z.enum(["switch", "host"]).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // Only TCP and UDP carry ports; an ICMP rule with ports would match nothing.
    const number = typeof r.protocol === "number" ? r.protocol : r.protocol === undefined ? undefined : PROTOCOL_BY_NAME[r.protocol];
    for (const key of ["localPorts", "remotePorts"] as const) {
      if (r[key]?.length && number === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `ports match only TCP and UDP, and the rule names no protocol: set protocol to "tcp" or "udp", or remove ${key}` });
      } else if (r[key]?.length && number !== undefined && !PORT_PROTOCOLS.has(number)) {
        ctx.addIssue({ code: "custom", path: [key], message: `protocol ${String(r.protocol)} carries no ports: remove ${key}, or use "tcp" or "udp"` });
      }
    }
    const families = new Set([...(r.localAddresses ?? []), ...(r.remoteAddresses ?? [])].map(familyOfText).filter((f) => f !== undefined));
    if (families.size > 1) ctx.addIssue({ code: "custom", path: ["remoteAddresses"], message: "mixes IPv4 and IPv6 addresses in one rule, which can never match: split it into one rule per family" });
    // ICMP is two protocols: 1 for IPv4, 58 (ICMPv6) for IPv6 (RFC 4443).
    if (number === PROTOCOL_BY_NAME.icmp && families.has("ipv6")) ctx.addIssue({ code: "custom", path: ["protocol"], message: "icmp (protocol 1) is ICMP for IPv4, and the rule's addresses are IPv6: use protocol 58 (ICMPv6)" });
    if (number === 58 && families.has("ipv4")) ctx.addIssue({ code: "custom", path: ["protocol"], message: "protocol 58 (ICMPv6) with IPv4 addresses: use \"icmp\" (protocol 1)" });
  });
export type AclRule = z.infer<typeof AclRule>;

export const TopologyEndpoint = z
  .object({
    name: Name,
    /** Static IPv4 (or IPv6) address. Omit to let the planner allocate one (recorded in the lock file). */
    ipAddress: HostAddress.optional(),
    /** Static IPv6 address of a dual-stack endpoint. Omit to allocate when the network has an IPv6 subnet. */
    ipv6Address: Ipv6HostAddress.optional(),
    /** "host": the host's own vNIC on this network; it gets the reservation convention's host slot (offset 2 under flannel). */
    attach: z.literal("host").optional(),
    /** Published ports (PortMapping policies). */
    ports: z.array(PublishedPort).optional(),
    /** ACL rules (VFP or WFP) of the endpoint. Defaults to none. */
    acls: z.array(AclRule).optional(),
    /** Set false to leave this endpoint out of the network's outbound NAT. */
    outboundNat: z.boolean().optional(),
    /** More endpoint policies in HCN form, appended after the planned ones. */
    policies: z.array(EndpointPolicyInput).optional(),
    ...ENDPOINT_SETTINGS,
    // Recognised only to be refused with the reason (Windows does not support them):
    /** Docker run `--dns-option` (rule docker-dns-option). */
    dnsOptions: z.array(z.string()).optional(),
    /** Docker run `--ip6`, a static IPv6 address given the Docker way (rule docker-ip6); HNS takes a dual-stack endpoint's address in ipv6Address. */
    ip6: HostAddress.optional(),
  })
  .strict();
export type TopologyEndpoint = z.infer<typeof TopologyEndpoint>;

/** A topology network's subnet is a Network's, declared once in provider/kinds/network/args.ts (the plan decides its gateway). */
export const TopologySubnet = Subnet;
export type TopologySubnet = Subnet;

export const TopologyLoadBalancer = z
  .object({
    name: Name,
    /** Frontend VIP. Omit to allocate one from the domain's (or host's) vipPool. */
    vip: VipAddress.optional(),
    /** Source VIP (overlay/l2bridge kube-proxy style); "auto" takes an address of the network. */
    sourceVip: z.union([z.literal("auto"), VipAddress]).optional(),
    /** Endpoint names of this network. */
    backends: z.array(Name).min(1, "a load balancer needs at least one backend"),
    /** Frontend port → backend port mappings, as a Policy load balancer's portMappings. */
    portMappings: z
      .array(
        z
          .object({
            /** tcp or udp. Defaults to tcp. */
            protocol: PortProtocolName.optional(),
            /** Port on the backends. */
            internalPort: Port,
            /** Port on the VIP. */
            externalPort: Port,
            /** Session affinity (HNS 12.0+). Defaults to none. */
            distribution: z.enum(["none", "sourceIpProtocol", "sourceIp"]).optional(),
          })
          .strict(),
      )
      .min(1, "give at least one port"),
    /** Direct server return (HNS 10.2+). Defaults to false. */
    dsr: z.boolean().optional(),
    /** Internal load balancer (PortMapping flag ILB). Defaults to false. */
    ilb: z.boolean().optional(),
  })
  .strict();
export type TopologyLoadBalancer = z.infer<typeof TopologyLoadBalancer>;

export const OutboundNat = z.union([
  z.boolean(),
  z
    .object({
      /** Destinations reached without NAT (the network's own prefixes are always added). */
      exceptions: z.array(ExceptionEntry).optional(),
    })
    .strict(),
]);

export const TopologyNetwork = z
  .object({
    name: Name,
    ...NETWORK_SETTINGS,
    /**
     * Subnets; endpoints are allocated from them. A nat, ics, private or internal network without
     * subnets gets 172.16.0.0/16, or the next free /16 of 172.16.0.0/12, as HNS would; another
     * network with endpoints needs one (rule subnet-required).
     */
    subnets: z.array(Subnet).optional(),
    /**
     * VLAN id of the whole network, 1-4094 (transparent, l2bridge, l2tunnel), as Docker's
     * `-o com.docker.network.windowsshim.vlanid`: it applies to every subnet without a vlan of
     * its own, and on a network without subnets (transparent with DHCP) to every endpoint.
     */
    vlan: z.number().int().optional(),
    /** Overlay only: the HostRoute policy, so the host reaches its pods (HNS 9.2+). */
    hostRoute: z.boolean().optional(),
    /**
     * Overlay only: add a RemoteSubnetRoute to every other host of the domain that has an
     * overlay network of the same name (flannel vxlan style). Defaults to true.
     */
    remoteSubnetRoutes: z.boolean().optional(),
    /** Outbound NAT for the endpoints (l2bridge, overlay): `true` or `{ exceptions }`. */
    outboundNat: OutboundNat.optional(),
    /** Overrides the topology's reservation convention for this network. */
    reservations: Reservations.optional(),
    /** Extra addresses never handed out. */
    reserved: z.array(HostAddress).optional(),
    /** Endpoints on the network; the planner allocates their addresses. Defaults to none. */
    endpoints: z.array(TopologyEndpoint).optional(),
    /** HNS load balancers over the network's endpoints (l2bridge, overlay). Defaults to none. */
    loadBalancers: z.array(TopologyLoadBalancer).optional(),
    // Recognised only to be refused with the reason (Windows does not support them):
    /** Docker `--opt encrypted` / IPsec overlay (rule encrypted-overlay). */
    encrypted: z.boolean().optional(),
    /** Docker `--internal` (rule docker-internal). */
    internal: z.boolean().optional(),
    /** Docker `--ip-range` (rule docker-ip-range). */
    ipRange: z.string().optional(),
    /** Docker `--aux-address` (rule docker-aux-address). */
    auxAddresses: z.record(z.string(), z.string()).optional(),
    /** Docker `--ipam-driver` (rule docker-ipam-driver). */
    ipamDriver: z.string().optional(),
    /** Docker `--ipam-opt` (rule docker-ipam-opt). */
    ipamOptions: z.record(z.string(), z.string()).optional(),
    /** Docker `--ipv6` (rule docker-ipv6). */
    enableIpv6: z.boolean().optional(),
    /** An HTTP proxy for the network (rule http-proxy). */
    httpProxy: z.string().optional(),
  })
  .strict()
  .superRefine((n, ctx) => {
    // One place for the VLAN: a network's vlan with a subnet's own vlan/vsid would leave one unused.
    const i = (n.subnets ?? []).findIndex((s) => s.vlan !== undefined || s.vsid !== undefined);
    if (n.vlan !== undefined && i >= 0) {
      ctx.addIssue({ code: "custom", path: ["vlan"], message: `give the isolation either on the network (vlan) or on its subnets (subnets.${i} has its own), not both` });
    }
  });
export type TopologyNetwork = z.infer<typeof TopologyNetwork>;

export const TopologyHost = z
  .object({
    name: Name,
    /** The HNS version the planner checks features against: "major.minor" or a preset. Defaults to ws2025. */
    hnsVersion: HnsVersionText.optional(),
    /** The L2 domain / cluster this host belongs to: prefixes must not overlap across its hosts. */
    domain: Name.optional(),
    /**
     * What the host runs on: "physical", "vm" (a virtual machine: a transparent network needs MAC
     * address spoofing on its adapter, rule transparent-vm-mac-spoofing) or "azure-vm" (where a
     * transparent network does not work at all, rule transparent-azure-vm). Defaults to unknown (no such check).
     */
    platform: z.enum(["physical", "vm", "azure-vm"]).optional(),
    /** The host's provider address (its own IP on the physical network), for overlay encapsulation. */
    providerAddress: ProviderAddress.optional(),
    /** VIP pool of a host outside any domain. */
    vipPool: VipPoolPrefix.optional(),
    /** How to reach the host. Defaults to the emulator host of the same name. Never read by the planner. */
    connection: Host.optional(),
    /** The host's HNS networks. Defaults to none. */
    networks: z.array(TopologyNetwork).optional(),
  })
  .strict();
export type TopologyHost = z.infer<typeof TopologyHost>;

export const TopologyDomain = z
  .object({
    name: Name,
    /** Service VIPs of load balancers without a `vip` come from here. */
    vipPool: VipPoolPrefix.optional(),
  })
  .strict();
export type TopologyDomain = z.infer<typeof TopologyDomain>;

export const Topology = z
  .object({
    version: z.literal(1).optional(),
    /** The reservation convention of every network (overridable per network). Defaults to "hns". */
    reservations: Reservations.optional(),
    /** L2 domains (clusters): hosts that name one share its VIP pool, and their prefixes must not overlap. Defaults to none. */
    domains: z.array(TopologyDomain).optional(),
    /** The hosts, each with its networks. */
    hosts: z.array(TopologyHost).min(1, "declare at least one host"),
  })
  .strict();
export type Topology = z.infer<typeof Topology>;
export type TopologyInput = z.input<typeof Topology>;
