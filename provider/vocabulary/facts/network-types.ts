/**
 * What each HNS network type takes: the one table the planner's rules, the emulator and the
 * reference docs read. Sources, per trait:
 * - adapter, vlan, remote endpoints: Microsoft, "Windows container network drivers" and
 *   "Advanced network options in Windows" (learn.microsoft.com/virtualization/windowscontainers/
 *   container-networking/network-drivers-topologies and …/advanced): transparent, l2bridge,
 *   l2tunnel and overlay use an external vSwitch bound to an adapter; "-o
 *   com.docker.network.windowsshim.vlanid" applies to transparent and l2bridge (l2tunnel is
 *   created "identically to l2bridge").
 * - vsid: virtual subnet ids are VFP isolation of overlay and l2bridge networks (hcsshim
 *   hcn/hcnnetwork_test.go sends VSID subnet policies on Overlay; Azure CNI and Calico on L2Bridge).
 * - multipleSubnets: Microsoft, "Multiple subnets per network" (…/container-networking/multi-subnet):
 *   l2bridge, l2tunnel and overlay only, on Windows Server 2022 and later.
 * - ipv6: Microsoft, "Windows container networking" architecture page, IPv6 section: l2bridge
 *   takes dual-stack subnets; transparent addresses are only self-assigned (SLAAC) with no HNS
 *   IPAM; nat and overlay take none.
 * - autoPrefix: a NAT network created without subnets gets a prefix from HNS (hcsshim
 *   hcn/hcnnetwork_test.go creates one without Ipams; Docker sends a 0.0.0.0/0 placeholder,
 *   moby libnetwork ipams/windowsipam); ICS, internal and private switches are host-internal too.
 * - ports / outboundNat / loadBalancers / vxlanPort / hostRoute: WinNAT port forwarding on nat
 *   and ics; VFP rules (kube-proxy winkernel, pkg/proxy/winkernel) on l2bridge and overlay;
 *   OutboundNAT on l2bridge, l2tunnel, overlay (…/advanced "enable_outboundnat: applies to
 *   l2bridge"); VxlanPort and HostRoute are overlay encapsulation policies (hcsshim hcnpolicy.go).
 */
export const NETWORK_TYPES = ["nat", "ics", "transparent", "l2bridge", "l2tunnel", "overlay", "private", "internal"] as const;
type NetworkTypeName = (typeof NETWORK_TYPES)[number];

/** How a type takes IPv6: HNS-managed dual stack, self-assigned only, or not at all. */
type Ipv6Support = "dual-stack" | "self-assigned" | "none";

export interface NetworkTypeTraits {
  /** The HCN document's Type. */
  hns: string;
  /** Its vSwitch is external, bound to a physical adapter (NetAdapterName). */
  adapter: boolean;
  vlan: boolean;
  vsid: boolean;
  /** Takes more than one subnet per address family (from the MultipleSubnets version). */
  multipleSubnets: boolean;
  ipv6: Ipv6Support;
  /** Takes remote endpoints (RemoteEndpoint flag). */
  remoteEndpoints: boolean;
  /** HNS picks a prefix when none is given (see ./nat-prefix.ts). */
  autoPrefix: boolean;
  /** Needs a static subnet: no DHCP and no server-chosen prefix. */
  staticSubnetRequired: boolean;
  ports: boolean;
  outboundNat: boolean;
  loadBalancers: boolean;
  vxlanPort: boolean;
  hostRoute: boolean;
}

const base = {
  adapter: false,
  vlan: false,
  vsid: false,
  multipleSubnets: false,
  ipv6: "none",
  remoteEndpoints: true,
  autoPrefix: false,
  staticSubnetRequired: false,
  ports: false,
  outboundNat: false,
  loadBalancers: false,
  vxlanPort: false,
  hostRoute: false,
} as const satisfies Omit<NetworkTypeTraits, "hns">;

export const NETWORK_TYPE_TRAITS: Record<NetworkTypeName, NetworkTypeTraits> = {
  nat: { ...base, hns: "NAT", autoPrefix: true, ports: true, remoteEndpoints: false },
  ics: { ...base, hns: "ICS", autoPrefix: true, ports: true, remoteEndpoints: false },
  transparent: { ...base, hns: "Transparent", adapter: true, vlan: true, ipv6: "self-assigned" },
  l2bridge: {
    ...base,
    hns: "L2Bridge",
    adapter: true,
    vlan: true,
    vsid: true,
    multipleSubnets: true,
    ipv6: "dual-stack",
    staticSubnetRequired: true,
    ports: true,
    outboundNat: true,
    loadBalancers: true,
  },
  l2tunnel: { ...base, hns: "L2Tunnel", adapter: true, vlan: true, multipleSubnets: true, outboundNat: true },
  overlay: { ...base, hns: "Overlay", adapter: true, vsid: true, multipleSubnets: true, ports: true, outboundNat: true, loadBalancers: true, vxlanPort: true, hostRoute: true },
  private: { ...base, hns: "Private", autoPrefix: true },
  internal: { ...base, hns: "Internal", autoPrefix: true },
};

/** Why a type does or does not take an option, for messages (one sentence per option). */
export const TRAIT_REASONS = {
  ports: "published ports are WinNAT port forwarding (nat, ics) or VFP host-port mappings (l2bridge, overlay)",
  outboundNat: "a nat network already NATs through WinNAT, and transparent, private and internal networks are not NATed",
  loadBalancers: "HNS load balancers are VFP rules on l2bridge and overlay networks (kube-proxy's winkernel mode)",
  vxlanPort: "only overlay networks encapsulate in VXLAN",
  hostRoute: "HostRoute is an overlay encapsulation policy",
  adapter: "only external vSwitches bind to a physical adapter",
  vlan: "VLAN isolation applies to external switches without encapsulation (transparent, l2bridge, l2tunnel)",
  vsid: "virtual subnet ids belong to VFP-based networks (overlay, l2bridge)",
} as const satisfies Partial<Record<keyof NetworkTypeTraits, string>>;
export type TraitOption = keyof typeof TRAIT_REASONS;

/** Topology types that have a trait. */
export function typesWith(trait: TraitOption | "multipleSubnets" | "autoPrefix" | "remoteEndpoints"): NetworkTypeName[] {
  return NETWORK_TYPES.filter((t) => NETWORK_TYPE_TRAITS[t][trait]);
}

const BY_HNS = new Map(NETWORK_TYPES.map((t) => [NETWORK_TYPE_TRAITS[t].hns.toLowerCase(), t]));

/** The topology type of an HCN Type ("L2Bridge" → "l2bridge"); undefined for types we do not model. */
function typeOfHns(hnsType: string): NetworkTypeName | undefined {
  return BY_HNS.get(hnsType.toLowerCase());
}

/** An HCN network's Type: a document without one is NAT, HNS's enum 0 (hcsshim hcn/hcnnetwork.go NetworkType). */
export function hnsTypeOf<T extends string>(network: { Type?: T }): T | "NAT" {
  return network.Type ?? "NAT";
}

/** Traits of an HCN Type (a missing Type is NAT, as hnsTypeOf says). */
export function traitsOfHns(hnsType: string | undefined): NetworkTypeTraits | undefined {
  const t = typeOfHns(hnsTypeOf({ Type: hnsType }));
  return t && NETWORK_TYPE_TRAITS[t];
}
