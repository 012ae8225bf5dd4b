// HNS v1 (HNSCall, Get-HnsNetwork / Get-HnsEndpoint / Get-HnsPolicyList) shapes. Sources: hcsshim
// internal/hns (hnsnetwork.go, hnsendpoint.go, hnspolicy.go, hnspolicylist.go, namespace.go,
// https://github.com/microsoft/hcsshim/tree/main/internal/hns) and the corpus (test/fixtures/hns-corpus/INDEX.md "v1 vs v2" notes).
import { z } from "zod";
import { CommaList, HcnGuid, Health, MacRange, HcnProtocol, ProtocolList, StringList, UInt, UInt16, UInt64, canonicalType, flagsOf, lenientUnion, opt } from "../common";
import { EndpointFlags } from "../endpoint";
import { NetworkFlags, HcnNetworkType } from "../network";
import { ActionType, DirectionType, RuleType } from "../policy";

// ---------------------------------------------------------------------------
// v1 policies: flat objects, no Settings

/** v1 NAT protocols are names ("tcp"/"udp", Docker sends lower case); numbers are read too. */
export const ProtocolNameV1 = z.union([z.string(), z.number()]).transform((v) => {
  const n = HcnProtocol.safeParse(v);
  if (n.success && n.data === 6) return "tcp";
  if (n.success && n.data === 17) return "udp";
  return String(v).trim().toLowerCase();
});
export type ProtocolNameV1 = z.infer<typeof ProtocolNameV1>;

function v1member<const T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.looseObject({ Type: z.literal(type), ...shape });
}

const knownPolicyV1Union = z.discriminatedUnion("Type", [
  v1member("NAT", {
    Protocol: opt(ProtocolNameV1),
    InternalPort: opt(UInt16),
    ExternalPort: opt(UInt16),
    ExternalPortReserved: opt(z.boolean()),
  }),
  v1member("ACL", {
    ID: opt(z.string()),
    Protocol: opt(UInt16),
    Protocols: opt(ProtocolList),
    InternalPort: opt(UInt16),
    Action: opt(ActionType),
    Direction: opt(DirectionType),
    LocalAddresses: opt(CommaList),
    RemoteAddresses: opt(CommaList),
    LocalPorts: opt(CommaList),
    LocalPort: opt(UInt16),
    RemotePort: opt(UInt16),
    RemotePorts: opt(CommaList),
    RuleType: opt(RuleType),
    Priority: opt(UInt16),
    ServiceName: opt(z.string()),
  }),
  v1member("PA", { PA: opt(z.string()) }),
  v1member("VLAN", { VLAN: opt(UInt) }),
  v1member("VSID", { VSID: opt(UInt) }),
  // No documented fields; hosts add allocator details.
  v1member("VNET", {}),
  v1member("L2Driver", {}),
  v1member("Isolation", {}),
  v1member("QOS", { MaximumOutgoingBandwidthInBytes: opt(UInt64) }),
  v1member("OutBoundNAT", {
    VIP: opt(z.string()),
    ExceptionList: opt(StringList),
    Destinations: opt(StringList),
  }),
  v1member("ELB", {
    SourceVIP: opt(z.string()),
    VIPs: opt(z.array(z.string())),
    ILB: opt(z.boolean()),
    IsDSR: opt(z.boolean()),
    Protocol: opt(HcnProtocol),
    InternalPort: opt(UInt16),
    ExternalPort: opt(UInt16),
  }),
  v1member("ROUTE", {
    DestinationPrefix: opt(z.string()),
    NextHop: opt(z.string()),
    NeedEncap: opt(z.boolean()),
  }),
  v1member("PROXY", {
    IP: opt(z.string()),
    Port: opt(CommaList),
    Protocol: opt(CommaList),
    ExceptionList: opt(StringList),
    Destination: opt(z.string()),
    OutboundNat: opt(z.boolean()),
  }),
]);

export const POLICY_V1_TYPES = knownPolicyV1Union.options.map((o) => o.shape.Type.value);

/** A v1 policy of a known type ("nat", "OutboundNat" … are read in canonical casing). */
export const KnownPolicyV1 = z.preprocess(canonicalType(POLICY_V1_TYPES), knownPolicyV1Union);
export type KnownPolicyV1 = z.infer<typeof KnownPolicyV1>;

export const UnknownPolicyV1 = z.looseObject({ Type: z.string() });
export type UnknownPolicyV1 = z.infer<typeof UnknownPolicyV1>;

/** Any v1 policy: known types are typed, unknown types still parse (kept loose). */
export const PolicyV1 = lenientUnion(KnownPolicyV1, POLICY_V1_TYPES, UnknownPolicyV1);
export type PolicyV1 = z.infer<typeof PolicyV1>;

const policyV1TypeSet = new Set<string>(POLICY_V1_TYPES);
export function isKnownPolicyV1(p: PolicyV1): p is KnownPolicyV1 {
  return policyV1TypeSet.has(p.Type);
}

// ---------------------------------------------------------------------------
// v1 objects

export const IpSubnetV1 = z.looseObject({
  ID: opt(HcnGuid),
  IpAddressPrefix: opt(z.string()),
  Flags: opt(UInt),
  ObjectType: opt(UInt),
  Policies: opt(z.array(PolicyV1)),
  State: opt(UInt),
});
export type IpSubnetV1 = z.infer<typeof IpSubnetV1>;

export const SubnetV1 = z.looseObject({
  ID: opt(HcnGuid),
  AddressPrefix: opt(z.string()),
  GatewayAddress: opt(z.string()),
  Policies: opt(z.array(PolicyV1)),
  IpSubnets: z.array(IpSubnetV1).nullable().optional(),
  Flags: opt(UInt),
  // 5 = subnet, 6 = IP subnet (corpus).
  ObjectType: opt(UInt),
  State: opt(UInt),
  Health: opt(Health),
});
export type SubnetV1 = z.infer<typeof SubnetV1>;

export const ExtensionV1 = z.looseObject({ Id: opt(HcnGuid), IsEnabled: opt(z.boolean()), Name: opt(z.string()) });
export type ExtensionV1 = z.infer<typeof ExtensionV1>;

/** The fields a v1 network, endpoint and namespace all end with. */
const V1_OBJECT_TRAILER = {
  State: opt(UInt),
  // major<<32 | minor of the HNS that wrote it.
  Version: opt(UInt64),
  Health: opt(Health),
  // Allocator blob (an object in v1; v2 namespaces use an array here), kept opaque.
  Resources: opt(z.looseObject({})),
  ActivityId: opt(HcnGuid),
  AdditionalParams: opt(z.looseObject({})),
};

export const HnsNetworkV1 = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  // Hosts print "nat", "overlay", "ICS", "Transparent" (v1 casing is not stable).
  Type: opt(HcnNetworkType),
  Flags: opt(flagsOf(NetworkFlags)),
  Policies: opt(z.array(PolicyV1)),
  MacPools: opt(z.array(MacRange)),
  Subnets: opt(z.array(SubnetV1)),
  // A comma string in v1 ("192.168.5.1, 192.168.5.2").
  DNSServerList: opt(CommaList),
  DNSSuffix: opt(z.string()),
  DNSServerCompartment: opt(UInt),
  NetworkAdapterName: opt(z.string()),
  SourceMac: opt(z.string()),
  ManagementIP: opt(z.string()),
  AutomaticDNS: opt(z.boolean()),
  DrMacAddress: opt(z.string()),
  // "NATName" before RS5, "NatName" after.
  NatName: opt(z.string()),
  NATName: opt(z.string()),
  IPv6: opt(z.boolean()),
  IsolateSwitch: opt(z.boolean()),
  SwitchGuid: opt(HcnGuid),
  LayeredOn: opt(HcnGuid),
  GatewayMac: opt(z.string()),
  Extensions: opt(z.array(ExtensionV1)),
  CurrentEndpointCount: opt(UInt),
  TotalEndpoints: opt(UInt),
  MaxConcurrentEndpoints: opt(UInt),
  ...V1_OBJECT_TRAILER,
});
export type HnsNetworkV1 = z.infer<typeof HnsNetworkV1>;

export const NamespaceRefV1 = z.looseObject({ ID: opt(HcnGuid), IsDefault: opt(z.boolean()), CompartmentId: opt(UInt) });
export type NamespaceRefV1 = z.infer<typeof NamespaceRefV1>;

export const HnsEndpointV1 = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  VirtualNetwork: opt(HcnGuid),
  VirtualNetworkName: opt(z.string()),
  Type: opt(HcnNetworkType),
  Policies: opt(z.array(PolicyV1)),
  MacAddress: z.string().nullable().optional(),
  IPAddress: opt(z.string()),
  IPv6Address: opt(z.string()),
  PrefixLength: opt(UInt.max(128)),
  IPv6PrefixLength: opt(UInt.max(128)),
  IPSubnetId: opt(HcnGuid),
  DNSSuffix: opt(z.string()),
  DNSServerList: opt(CommaList),
  DNSDomain: opt(z.string()),
  GatewayAddress: opt(z.string()),
  GatewayAddressV6: opt(z.string()),
  EnableInternalDNS: opt(z.boolean()),
  DisableICC: opt(z.boolean()),
  IsRemoteEndpoint: opt(z.boolean()),
  // hcsshim sends EnableLowMetric; hosts print EnableLowInterfaceMetric (moby corpus).
  EnableLowMetric: opt(z.boolean()),
  EnableLowInterfaceMetric: opt(z.boolean()),
  Namespace: opt(NamespaceRefV1),
  EncapOverhead: opt(UInt16),
  SharedContainers: opt(z.array(z.string())),
  Flags: opt(flagsOf(EndpointFlags)),
  ...V1_OBJECT_TRAILER,
});
export type HnsEndpointV1 = z.infer<typeof HnsEndpointV1>;

export const HnsPolicyListV1 = z.looseObject({
  ID: opt(HcnGuid),
  // "/endpoints/<id>" paths (hcsshim's EndpointReferences).
  References: opt(z.array(z.string())).transform((v) => v ?? []),
  Policies: opt(z.array(PolicyV1)).transform((v) => v ?? []),
  // Seen on HCN load balancers viewed through v1 [ISS:calico#8465].
  HostComputeNetwork: opt(HcnGuid),
  IsApplied: opt(z.boolean()),
  State: opt(UInt),
  Version: opt(UInt64),
  Health: opt(Health),
});
export type HnsPolicyListV1 = z.infer<typeof HnsPolicyListV1>;

export const NamespaceResourceV1 = z.looseObject({ Type: opt(z.string()), Data: z.unknown().optional() });
export type NamespaceResourceV1 = z.infer<typeof NamespaceResourceV1>;

export const HnsNamespaceV1 = z.looseObject({
  ID: opt(HcnGuid),
  IsDefault: opt(z.boolean()),
  CompartmentId: opt(UInt),
  ResourceList: opt(z.array(NamespaceResourceV1)),
  Containers: opt(z.array(z.unknown())),
  Policies: opt(z.array(PolicyV1)),
  ...V1_OBJECT_TRAILER,
});
export type HnsNamespaceV1 = z.infer<typeof HnsNamespaceV1>;
