// HCN v2 HostComputeNetwork (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnnetwork.go).
import { z } from "zod";
import { HcnDns, HcnGuid, HcnMacPool, HcnRoute, enumOf, flagsOf, opt, orDefault, ordinals, baseFields } from "./common";
import { notFoundErrors } from "./not-found";
import { NetworkPolicyRead, SubnetPolicyRead } from "./policy";

/**
 * Network types. The integer forms follow the docs' NetworkMode order (NAT 0 … ConstrainedICS 10);
 * NAT = 0 is corroborated by HNS omitting NAT from output and the docs sample `"Type":0`.
 * "Layered" is PowerShell-only [PS1; PS2] and has no known integer form.
 */
export const NETWORK_TYPES = [
  "NAT",
  "ICS",
  "Transparent",
  "L2Bridge",
  "L2Tunnel",
  "Overlay",
  "Private",
  "Internal",
  "Mirrored",
  "Infiniband",
  "ConstrainedICS",
  "Layered",
] as const;
export const HcnNetworkType = enumOf(NETWORK_TYPES, ordinals(NETWORK_TYPES.slice(0, 11)));
export type HcnNetworkType = z.infer<typeof HcnNetworkType>;

/**
 * Network flag bits. hcsshim: EnableNonPersistent 8, DisableHostPort 1024, EnableIov 8192;
 * PowerShell: EnableDns 1, EnableDhcp 2, EnableMirroring 4 (the docs call the first two
 * EnableDnsProxy / EnableDhcpServer). Other docs-only names have no confirmed bit.
 */
export const NetworkFlags = {
  None: 0,
  EnableDns: 1,
  EnableDnsProxy: 1,
  EnableDhcp: 2,
  EnableDhcpServer: 2,
  EnableMirroring: 4,
  EnableNonPersistent: 8,
  DisableHostPort: 1024,
  EnableIov: 8192,
} as const;

/** SubnetFlags (hcsshim hcnnetwork.go): DoNotReserveGatewayAddress means "GatewayAddress == ManagementIP". */
export const SubnetFlags = { None: 0, DoNotReserveGatewayAddress: 1 } as const;
/** IPSubnetFlags (hns.v2.psm1 (https://github.com/microsoft/SDN/blob/master/Kubernetes/windows/hns.v2.psm1)). Hosts print 3 for NAT subnets (netrestore corpus). */
export const IpSubnetFlags = { None: 0, EnableBroadcast: 1, ReserveNetworkAddress: 2 } as const;

export const IpSubnet = z.looseObject({
  ID: opt(HcnGuid),
  IpAddressPrefix: opt(z.string()),
  Flags: opt(flagsOf(IpSubnetFlags)),
});
export type IpSubnet = z.infer<typeof IpSubnet>;

export const HcnSubnet = z.looseObject({
  ID: opt(HcnGuid),
  IpAddressPrefix: opt(z.string()),
  Policies: opt(z.array(SubnetPolicyRead)),
  Routes: opt(z.array(HcnRoute)),
  Flags: opt(flagsOf(SubnetFlags)),
  // Hosts and clients print null here (multipass corpus): kept as null.
  IpSubnets: z.array(IpSubnet).nullable().optional(),
});
export type HcnSubnet = z.infer<typeof HcnSubnet>;

const IPAM_TYPES = ["Static", "Dhcp"] as const;
export const IpamType = enumOf(IPAM_TYPES, ordinals(IPAM_TYPES));
export type IpamType = z.infer<typeof IpamType>;

/** Static is variant 0, so (like NAT) a missing Type reads as Static. */
export const Ipam = z.looseObject({
  Type: orDefault(IpamType, "Static"),
  Subnets: opt(z.array(HcnSubnet)),
});
export type Ipam = z.infer<typeof Ipam>;

export const HostComputeNetwork = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  // NAT is the zero value and HNS omits it from output; hcsshim pre-sets it (hcnnetwork.go).
  Type: orDefault(HcnNetworkType, "NAT"),
  Policies: opt(z.array(NetworkPolicyRead)),
  MacPool: opt(HcnMacPool),
  Dns: opt(HcnDns),
  Ipams: opt(z.array(Ipam)),
  Flags: opt(flagsOf(NetworkFlags)),
  ...baseFields,
  // Base fields every HCN object may carry (hcsshim hcn.go: ID, SchemaVersion, Flags).
});
export type HostComputeNetwork = z.infer<typeof HostComputeNetwork>;

/** A network that is not there: HcnOpenNetwork's HCN_E_NETWORK_NOT_FOUND (hcsshim NetworkNotFoundError). */
export const networkNotFound = notFoundErrors("network", "HCN_E_NETWORK_NOT_FOUND");
