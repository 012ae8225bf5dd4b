// HCN v2 policies: {"Type": …, "Settings": {…}} at network, endpoint and subnet level.
// Types and settings: hcsshim hcn/hcnpolicy.go and the HNS schema docs (https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/main/virtualization/api/hcn/HNS_Schema.md).
// Every Settings object is loose: real hosts add fields we do not model.
import { z } from "zod";
import { CommaList, HcnGuid, HcnProtocol, ProtocolList, StringList, UInt, UInt16, UInt64, canonicalType, enumOf, lenientUnion, flagsOf, opt, ordinals } from "./common";

// ---------------------------------------------------------------------------
// Enums and flags used by policy settings

/** NatFlags (PortMapping, OutBoundNAT). ExternalPortReserved appears only in hns.v2.psm1 (https://github.com/microsoft/SDN/blob/master/Kubernetes/windows/hns.v2.psm1). */
export const NatFlags = { None: 0, LocalRoutedVip: 1, IPv6: 2, ExternalPortReserved: 4 } as const;
const NatFlagsValue = flagsOf(NatFlags);

// hcsshim models these as strings; the integer forms are the docs' variant order
// (unverified on a host, but the same rule holds for every enum observed in samples).
const ACTION_TYPES = ["Allow", "Block", "Pass"] as const;
export const ActionType = enumOf(ACTION_TYPES, ordinals(ACTION_TYPES));
export type ActionType = z.infer<typeof ActionType>;

const DIRECTION_TYPES = ["In", "Out"] as const;
export const DirectionType = enumOf(DIRECTION_TYPES, ordinals(DIRECTION_TYPES));
export type DirectionType = z.infer<typeof DirectionType>;

/** Host = WFP (Windows firewall) rules, Switch = VFP rules. */
const RULE_TYPES = ["Host", "Switch"] as const;
export const RuleType = enumOf(RULE_TYPES, ordinals(RULE_TYPES));
export type RuleType = z.infer<typeof RuleType>;

const SET_POLICY_TYPES = ["IPSET", "NESTEDIPSET"] as const;
export const SetPolicyType = enumOf(SET_POLICY_TYPES, ordinals(SET_POLICY_TYPES));
export type SetPolicyType = z.infer<typeof SetPolicyType>;

// hcsshim IovInterruptModerationType numbers (0, 1, 2, 100, 200, 300).
export const IovInterruptModerationType = enumOf(
  [
    "IovInterruptModerationDefault",
    "IovInterruptModerationAdaptive",
    "IovInterruptModerationOff",
    "IovInterruptModerationLow",
    "IovInterruptModerationMedium",
    "IovInterruptModerationHigh",
  ],
  {
    0: "IovInterruptModerationDefault",
    1: "IovInterruptModerationAdaptive",
    2: "IovInterruptModerationOff",
    100: "IovInterruptModerationLow",
    200: "IovInterruptModerationMedium",
    300: "IovInterruptModerationHigh",
  },
);
export type IovInterruptModerationType = z.infer<typeof IovInterruptModerationType>;

/** Ports in ACL rules are comma lists ("80,443"); a bare number is accepted. */
const PortList = CommaList;

// ---------------------------------------------------------------------------
// Settings, one schema per policy type

export const PortMappingPolicySetting = z.looseObject({
  Protocol: opt(HcnProtocol),
  InternalPort: opt(UInt16),
  ExternalPort: opt(UInt16),
  VIP: opt(z.string()),
  Flags: opt(NatFlagsValue),
});
export type PortMappingPolicySetting = z.infer<typeof PortMappingPolicySetting>;

export const FiveTuple = z.looseObject({
  Protocols: opt(ProtocolList),
  LocalAddresses: opt(CommaList),
  RemoteAddresses: opt(CommaList),
  LocalPorts: opt(PortList),
  RemotePorts: opt(PortList),
  Priority: opt(UInt16),
});
export type FiveTuple = z.infer<typeof FiveTuple>;

/** ACL (endpoint) and NetworkACL (network) share this shape. */
export const AclPolicySetting = FiveTuple.extend({
  Id: opt(z.string()),
  Action: opt(ActionType),
  Direction: opt(DirectionType),
  RuleType: opt(RuleType),
});
export type AclPolicySetting = z.infer<typeof AclPolicySetting>;

export const QosPolicySetting = z.looseObject({ MaximumOutgoingBandwidthInBytes: opt(UInt64) });
export type QosPolicySetting = z.infer<typeof QosPolicySetting>;

export const OutboundNatPolicySetting = z.looseObject({
  VirtualIP: opt(z.string()),
  Exceptions: opt(StringList),
  Destinations: opt(StringList),
  Flags: opt(NatFlagsValue),
  MaxPortPoolUsage: opt(UInt16),
});
export type OutboundNatPolicySetting = z.infer<typeof OutboundNatPolicySetting>;

export const SDNRoutePolicySetting = z.looseObject({
  DestinationPrefix: opt(z.string()),
  NextHop: opt(z.string()),
  NeedEncap: opt(z.boolean()),
  AutomaticEndpointMonitor: opt(z.boolean()),
});
export type SDNRoutePolicySetting = z.infer<typeof SDNRoutePolicySetting>;

/** hcsshim spells Exceptions/OutboundNAT, the docs ExceptionList/OutboundNat; both kept as sent. */
export const L4ProxyPolicySetting = z.looseObject({
  IP: opt(z.string()),
  Port: opt(CommaList),
  Protocol: opt(HcnProtocol),
  Exceptions: opt(StringList),
  ExceptionList: opt(StringList),
  Destination: opt(z.string()),
  OutboundNAT: opt(z.boolean()),
  OutboundNat: opt(z.boolean()),
});
export type L4ProxyPolicySetting = z.infer<typeof L4ProxyPolicySetting>;

export const ProxyExceptions = z.looseObject({
  IpAddressExceptions: opt(StringList),
  PortExceptions: opt(StringList),
});
export type ProxyExceptions = z.infer<typeof ProxyExceptions>;

/** L4WFPPROXY; `Port` is the older hcsshim field, In/OutboundProxyPort the 2.11 ones. */
export const L4WfpProxyPolicySetting = z.looseObject({
  Port: opt(CommaList),
  InboundProxyPort: opt(CommaList),
  OutboundProxyPort: opt(CommaList),
  FilterTuple: opt(FiveTuple),
  UserSID: opt(z.string()),
  InboundExceptions: opt(ProxyExceptions),
  OutboundExceptions: opt(ProxyExceptions),
});
export type L4WfpProxyPolicySetting = z.infer<typeof L4WfpProxyPolicySetting>;

export const PortnameEndpointPolicySetting = z.looseObject({ Name: opt(z.string()) });
export type PortnameEndpointPolicySetting = z.infer<typeof PortnameEndpointPolicySetting>;

export const EncapOverheadEndpointPolicySetting = z.looseObject({ Overhead: opt(UInt16) });
export type EncapOverheadEndpointPolicySetting = z.infer<typeof EncapOverheadEndpointPolicySetting>;

export const ProviderAddressPolicySetting = z.looseObject({ ProviderAddress: opt(z.string()) });
export type ProviderAddressPolicySetting = z.infer<typeof ProviderAddressPolicySetting>;

export const InterfaceConstraintPolicySetting = z.looseObject({
  InterfaceGuid: opt(HcnGuid),
  InterfaceLuid: opt(UInt64),
  InterfaceIndex: opt(UInt),
  InterfaceMediaType: opt(UInt),
  InterfaceAlias: opt(z.string()),
  InterfaceDescription: opt(z.string()),
});
export type InterfaceConstraintPolicySetting = z.infer<typeof InterfaceConstraintPolicySetting>;

export const EncryptionPolicySetting = z.looseObject({
  EncryptionMethodType: opt(z.string()),
  AuthenticationMethods: opt(z.array(z.looseObject({ Type: opt(z.string()), Settings: opt(z.looseObject({})) }))),
  Name: opt(z.string()),
  Endpoints1: opt(StringList),
  Endpoints2: opt(StringList),
  ProtocolType: opt(z.string()),
  Endpoint1Ports: opt(StringList),
  Endpoint2Ports: opt(StringList),
});
export type EncryptionPolicySetting = z.infer<typeof EncryptionPolicySetting>;

/** VLAN / VSID isolation (subnet level; VLAN also endpoint level since 2.4). */
export const VlanPolicySetting = z.looseObject({ IsolationId: UInt });
export type VlanPolicySetting = z.infer<typeof VlanPolicySetting>;
export const VsidPolicySetting = z.looseObject({ IsolationId: UInt });
export type VsidPolicySetting = z.infer<typeof VsidPolicySetting>;

export const InterfaceParametersPolicySetting = z.looseObject({ Mtu: opt(UInt16) });
export type InterfaceParametersPolicySetting = z.infer<typeof InterfaceParametersPolicySetting>;

export const IovPolicySetting = z.looseObject({
  IovOffloadWeight: opt(UInt),
  QueuePairsRequested: opt(UInt),
  InterruptModeration: opt(IovInterruptModerationType),
});
export type IovPolicySetting = z.infer<typeof IovPolicySetting>;

export const TierAclRule = FiveTuple.extend({
  Id: opt(z.string()),
  TierAclRuleAction: opt(ActionType),
});
export type TierAclRule = z.infer<typeof TierAclRule>;

export const TierAclPolicySetting = z.looseObject({
  Name: opt(z.string()),
  Direction: opt(DirectionType),
  Order: opt(UInt16),
  TierAclRules: opt(z.array(TierAclRule)),
});
export type TierAclPolicySetting = z.infer<typeof TierAclPolicySetting>;

/** Policies that carry no settings (L2Driver; HostRoute must be sent as `{}`). */
export const EmptyPolicySetting = z.looseObject({});
export type EmptyPolicySetting = z.infer<typeof EmptyPolicySetting>;

export const SourceMacAddressNetworkPolicySetting = z.looseObject({ SourceMacAddress: opt(z.string()) });
export type SourceMacAddressNetworkPolicySetting = z.infer<typeof SourceMacAddressNetworkPolicySetting>;

export const NetAdapterNameNetworkPolicySetting = z.looseObject({ NetworkAdapterName: opt(z.string()) });
export type NetAdapterNameNetworkPolicySetting = z.infer<typeof NetAdapterNameNetworkPolicySetting>;

export const VSwitchExtensionNetworkPolicySetting = z.looseObject({
  ExtensionID: opt(HcnGuid),
  Enable: opt(z.boolean()),
});
export type VSwitchExtensionNetworkPolicySetting = z.infer<typeof VSwitchExtensionNetworkPolicySetting>;

export const DrMacAddressNetworkPolicySetting = z.looseObject({ Address: opt(z.string()) });
export type DrMacAddressNetworkPolicySetting = z.infer<typeof DrMacAddressNetworkPolicySetting>;

export const AutomaticDNSNetworkPolicySetting = z.looseObject({ Enable: opt(z.boolean()) });
export type AutomaticDNSNetworkPolicySetting = z.infer<typeof AutomaticDNSNetworkPolicySetting>;

/** IsolationId is uint16 in hcsshim, uint32 in the docs: accept the wider range. */
export const RemoteSubnetRoutePolicySetting = z.looseObject({
  DestinationPrefix: opt(z.string()),
  IsolationId: opt(UInt),
  ProviderAddress: opt(z.string()),
  DistributedRouterMacAddress: opt(z.string()),
});
export type RemoteSubnetRoutePolicySetting = z.infer<typeof RemoteSubnetRoutePolicySetting>;

export const VxlanPortPolicySetting = z.looseObject({ Port: opt(UInt16) });
export type VxlanPortPolicySetting = z.infer<typeof VxlanPortPolicySetting>;

/** SetPolicy; the Go field `Type` is serialised as "PolicyType"; Values is a comma list. */
export const SetPolicySetting = z.looseObject({
  Id: opt(z.string()),
  Name: opt(z.string()),
  PolicyType: opt(SetPolicyType),
  Values: opt(CommaList),
});
export type SetPolicySetting = z.infer<typeof SetPolicySetting>;

export const LayerConstraintNetworkPolicySetting = z.looseObject({ LayerId: opt(HcnGuid) });
export type LayerConstraintNetworkPolicySetting = z.infer<typeof LayerConstraintNetworkPolicySetting>;

// ---------------------------------------------------------------------------
// Unions

/**
 * One union member. A missing Settings reads as `{}` (hcsshim marshals Settings with
 * omitempty), so parsed policies always carry a Settings object.
 */
function member<const T extends string, S extends z.ZodType>(type: T, settings: S) {
  return z.looseObject({ Type: z.literal(type), Settings: z.prefault(settings, {} as z.input<S>) });
}

function typeNames<U extends { options: readonly { shape: { Type: { value: string } } }[] }>(du: U) {
  return du.options.map((o) => o.shape.Type.value) as U["options"][number]["shape"]["Type"]["value"][];
}

export const networkUnion = z.discriminatedUnion("Type", [
  member("SourceMacAddress", SourceMacAddressNetworkPolicySetting),
  member("NetAdapterName", NetAdapterNameNetworkPolicySetting),
  member("VSwitchExtension", VSwitchExtensionNetworkPolicySetting),
  member("DrMacAddress", DrMacAddressNetworkPolicySetting),
  member("AutomaticDNS", AutomaticDNSNetworkPolicySetting),
  member("InterfaceConstraint", InterfaceConstraintPolicySetting),
  member("ProviderAddress", ProviderAddressPolicySetting),
  member("RemoteSubnetRoute", RemoteSubnetRoutePolicySetting),
  member("VxlanPort", VxlanPortPolicySetting),
  member("HostRoute", EmptyPolicySetting),
  member("SetPolicy", SetPolicySetting),
  member("L4Proxy", L4ProxyPolicySetting),
  member("LayerConstraint", LayerConstraintNetworkPolicySetting),
  member("NetworkACL", AclPolicySetting),
]);

export const endpointUnion = z.discriminatedUnion("Type", [
  member("PortMapping", PortMappingPolicySetting),
  member("ACL", AclPolicySetting),
  member("QOS", QosPolicySetting),
  member("L2Driver", EmptyPolicySetting),
  member("OutBoundNAT", OutboundNatPolicySetting),
  member("SDNRoute", SDNRoutePolicySetting),
  member("L4Proxy", L4ProxyPolicySetting),
  member("L4WFPPROXY", L4WfpProxyPolicySetting),
  member("ProviderAddress", ProviderAddressPolicySetting),
  member("PortName", PortnameEndpointPolicySetting),
  member("EncapOverhead", EncapOverheadEndpointPolicySetting),
  member("InterfaceConstraint", InterfaceConstraintPolicySetting),
  member("Encryption", EncryptionPolicySetting),
  member("VLAN", VlanPolicySetting),
  member("InterfaceParameters", InterfaceParametersPolicySetting),
  member("Iov", IovPolicySetting),
  member("TierAcl", TierAclPolicySetting),
]);

const subnetUnion = z.discriminatedUnion("Type", [
  member("VLAN", VlanPolicySetting),
  member("VSID", VsidPolicySetting),
]);

export const NETWORK_POLICY_TYPES = typeNames(networkUnion);
export const ENDPOINT_POLICY_TYPES = typeNames(endpointUnion);
export const SUBNET_POLICY_TYPES = typeNames(subnetUnion);

/**
 * Subnet policies also read the flat forms seen outside hcsshim: the docs sample's
 * `{"Type":"VLAN","IsolationId":100}` [SCEN] and the v1 `{"Type":"VSID","VSID":9999}`.
 */
function liftIsolationId(p: Record<string, unknown>): Record<string, unknown> {
  if (p.Settings !== undefined) return p;
  const flat = p.IsolationId ?? p[p.Type as string];
  if (flat === undefined) return p;
  const { IsolationId: _a, [p.Type as string]: _b, ...rest } = p;
  return { ...rest, Settings: { IsolationId: flat } };
}

/** A network policy of a known type (unknown Type is rejected). */
export const NetworkPolicy = z.preprocess(canonicalType(NETWORK_POLICY_TYPES), networkUnion);
export type NetworkPolicy = z.infer<typeof NetworkPolicy>;
/** An endpoint policy of a known type (unknown Type is rejected). */
export const EndpointPolicy = z.preprocess(canonicalType(ENDPOINT_POLICY_TYPES), endpointUnion);
export type EndpointPolicy = z.infer<typeof EndpointPolicy>;
/** A subnet policy (VLAN or VSID with Settings.IsolationId). */
export const SubnetPolicy = z.preprocess(canonicalType(SUBNET_POLICY_TYPES, liftIsolationId), subnetUnion);
export type SubnetPolicy = z.infer<typeof SubnetPolicy>;

export type NetworkPolicyType = NetworkPolicy["Type"];
export type EndpointPolicyType = EndpointPolicy["Type"];
export type SubnetPolicyType = SubnetPolicy["Type"];
export const NetworkPolicyType = enumOf(NETWORK_POLICY_TYPES as [NetworkPolicyType, ...NetworkPolicyType[]]);
export const EndpointPolicyType = enumOf(ENDPOINT_POLICY_TYPES as [EndpointPolicyType, ...EndpointPolicyType[]]);
export const SubnetPolicyType = enumOf(SUBNET_POLICY_TYPES as [SubnetPolicyType, ...SubnetPolicyType[]]);

/** A policy whose Type this model does not know (a newer Windows build); kept as read. */
export const UnknownPolicy = z.looseObject({ Type: z.string(), Settings: z.unknown().optional() });
export type UnknownPolicy = z.infer<typeof UnknownPolicy>;

// Lenient readers used inside host documents: known types are parsed by the strict union
// (so a malformed PortMapping still fails, with its own path), unknown types are kept.
export const NetworkPolicyRead = lenientUnion(NetworkPolicy, NETWORK_POLICY_TYPES, UnknownPolicy);
export type NetworkPolicyRead = z.infer<typeof NetworkPolicyRead>;
export const EndpointPolicyRead = lenientUnion(EndpointPolicy, ENDPOINT_POLICY_TYPES, UnknownPolicy);
export type EndpointPolicyRead = z.infer<typeof EndpointPolicyRead>;
export const SubnetPolicyRead = lenientUnion(SubnetPolicy, SUBNET_POLICY_TYPES, UnknownPolicy);
export type SubnetPolicyRead = z.infer<typeof SubnetPolicyRead>;

const networkTypeSet = new Set<string>(NETWORK_POLICY_TYPES);
const endpointTypeSet = new Set<string>(ENDPOINT_POLICY_TYPES);
const subnetTypeSet = new Set<string>(SUBNET_POLICY_TYPES);

// Parsed known policies carry the canonical Type, so membership is an exact check.
export function isKnownNetworkPolicy(p: NetworkPolicyRead): p is NetworkPolicy {
  return networkTypeSet.has(p.Type);
}
export function isKnownEndpointPolicy(p: EndpointPolicyRead): p is EndpointPolicy {
  return endpointTypeSet.has(p.Type);
}
export function isKnownSubnetPolicy(p: SubnetPolicyRead): p is SubnetPolicy {
  return subnetTypeSet.has(p.Type);
}

/** The member of a policy union with the given Type, e.g. PolicyOf<EndpointPolicy, "PortMapping">. */
export type PolicyOf<U extends { Type: string }, T extends U["Type"]> = Extract<U, { Type: T }>;
