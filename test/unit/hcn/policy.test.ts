import {
  ENDPOINT_POLICY_TYPES,
  EndpointPolicy,
  EndpointPolicyRead,
  HostComputeEndpoint,
  HostComputeNetwork,
  NETWORK_POLICY_TYPES,
  NetworkPolicy,
  NetworkPolicyRead,
  SUBNET_POLICY_TYPES,
  SubnetPolicy,
  SubnetPolicyRead,
  isKnownEndpointPolicy,
  isKnownNetworkPolicy,
} from "../../../provider/hcn";

describe("policy type lists (hcsshim hcn/hcnpolicy.go)", () => {
  it("covers every network policy type", () => {
    expect([...NETWORK_POLICY_TYPES].sort()).toEqual(
      [
        "SourceMacAddress",
        "NetAdapterName",
        "VSwitchExtension",
        "DrMacAddress",
        "AutomaticDNS",
        "InterfaceConstraint",
        "ProviderAddress",
        "RemoteSubnetRoute",
        "VxlanPort",
        "HostRoute",
        "SetPolicy",
        "L4Proxy",
        "LayerConstraint",
        "NetworkACL",
      ].sort(),
    );
  });
  it("covers every endpoint policy type, docs-only ones included", () => {
    expect([...ENDPOINT_POLICY_TYPES].sort()).toEqual(
      [
        "PortMapping",
        "ACL",
        "QOS",
        "L2Driver",
        "OutBoundNAT",
        "SDNRoute",
        "L4Proxy",
        "L4WFPPROXY",
        "ProviderAddress",
        "PortName",
        "EncapOverhead",
        "InterfaceConstraint",
        "Encryption",
        "VLAN",
        "InterfaceParameters",
        "Iov",
        "TierAcl",
      ].sort(),
    );
  });
  it("covers the subnet policy types", () => expect([...SUBNET_POLICY_TYPES].sort()).toEqual(["VLAN", "VSID"]));
});

describe("Type casing", () => {
  it.each([
    [NetworkPolicy, "INTERFACECONSTRAINT", "InterfaceConstraint"],
    [NetworkPolicy, "netadaptername", "NetAdapterName"],
    [EndpointPolicy, "portmapping", "PortMapping"],
    [EndpointPolicy, "OutboundNat", "OutBoundNAT"],
    [EndpointPolicy, "l4wfpproxy", "L4WFPPROXY"],
    [EndpointPolicy, "sdnroute", "SDNRoute"],
    [SubnetPolicy, "vsid", "VSID"],
  ] as const)("%#: %s → %s", (schema, type, canonical) => {
    const settings = canonical === "VSID" ? { IsolationId: 1 } : {};
    expect(schema.parse({ Type: type, Settings: settings }).Type).toBe(canonical);
  });
});

describe("strict unions", () => {
  it("reject an unknown Type, naming the known ones", () => {
    const r = NetworkPolicy.safeParse({ Type: "Bogus", Settings: {} });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["Type"]);
    expect(r.error?.issues[0].message).toContain("NetAdapterName");
    expect(EndpointPolicy.safeParse({ Type: "VSID", Settings: { IsolationId: 1 } }).success).toBe(false);
    expect(SubnetPolicy.safeParse({ Type: "PortMapping", Settings: {} }).success).toBe(false);
  });

  it("lenient readers keep unknown types as read", () => {
    const p = { Type: "FuturePolicy", Settings: { Knob: 1 } };
    expect(NetworkPolicyRead.parse(p)).toEqual(p);
    expect(EndpointPolicyRead.parse(p)).toEqual(p);
    expect(SubnetPolicyRead.parse(p)).toEqual(p);
    const read = NetworkPolicyRead.parse(p);
    expect(isKnownNetworkPolicy(read)).toBe(false);
    expect(isKnownNetworkPolicy(NetworkPolicyRead.parse({ Type: "hostroute" }))).toBe(true);
  });

  it("lenient readers still reject a malformed known policy, with the path into Settings", () => {
    const r = HostComputeNetwork.safeParse({ Policies: [{ Type: "vxlanport", Settings: { Port: "x" } }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["Policies", 0, "Settings", "Port"]);
  });

  it("type guards narrow to the typed member", () => {
    const ep = HostComputeEndpoint.parse({
      HostComputeNetwork: "n",
      Policies: [
        { Type: "PortMapping", Settings: { Protocol: "tcp", InternalPort: 80, ExternalPort: 8080 } },
        { Type: "Mystery" },
      ],
    });
    const known = (ep.Policies ?? []).filter(isKnownEndpointPolicy);
    expect(known).toHaveLength(1);
    const pm = known[0];
    if (pm.Type !== "PortMapping") throw new Error("narrowing");
    expect(pm.Settings.Protocol).toBe(6);
  });
});

describe("settings", () => {
  it("PortMapping: protocol and NAT flags as names or numbers", () => {
    expect(
      EndpointPolicy.parse({ Type: "PortMapping", Settings: { Protocol: "UDP", InternalPort: 53, ExternalPort: 53, Flags: "LocalRoutedVip|IPv6" } }),
    ).toEqual({ Type: "PortMapping", Settings: { Protocol: 17, InternalPort: 53, ExternalPort: 53, Flags: 3 } });
    expect(EndpointPolicy.parse({ Type: "PortMapping", Settings: { Protocol: 6, Flags: 4 } }).Settings).toEqual({ Protocol: 6, Flags: 4 });
    expect(EndpointPolicy.safeParse({ Type: "PortMapping", Settings: { InternalPort: 70000 } }).success).toBe(false);
  });

  it("ACL: Action/Direction/RuleType in any case or as integers; Protocols as a list", () => {
    expect(
      EndpointPolicy.parse({
        Type: "ACL",
        Settings: { Action: "allow", Direction: "in", RuleType: "switch", Protocols: 6, LocalPorts: 80, Priority: 1000 },
      }).Settings,
    ).toEqual({ Action: "Allow", Direction: "In", RuleType: "Switch", Protocols: "6", LocalPorts: "80", Priority: 1000 });
    expect(EndpointPolicy.parse({ Type: "ACL", Settings: { Action: 1, Direction: 1, RuleType: 0 } }).Settings).toEqual({
      Action: "Block",
      Direction: "Out",
      RuleType: "Host",
    });
    expect(EndpointPolicy.safeParse({ Type: "ACL", Settings: { Action: "Deny" } }).success).toBe(false);
    expect(NetworkPolicy.parse({ Type: "NetworkACL", Settings: { Action: "Pass", Protocols: "tcp,udp" } }).Settings).toEqual({
      Action: "Pass",
      Protocols: "6,17",
    });
  });

  it("settings objects keep keys real hosts add", () => {
    expect(EndpointPolicy.parse({ Type: "OutBoundNAT", Settings: { Exceptions: ["10.0.0.0/8"], NewField: { a: 1 } } })).toEqual({
      Type: "OutBoundNAT",
      Settings: { Exceptions: ["10.0.0.0/8"], NewField: { a: 1 } },
    });
  });

  it("a missing Settings reads as {} but required fields still apply", () => {
    expect(EndpointPolicy.parse({ Type: "L2Driver" })).toEqual({ Type: "L2Driver", Settings: {} });
    expect(NetworkPolicy.parse({ Type: "HostRoute" })).toEqual({ Type: "HostRoute", Settings: {} });
    expect(SubnetPolicy.safeParse({ Type: "VLAN" }).success).toBe(false);
  });

  it("subnet VLAN/VSID also read the flat docs and v1 forms", () => {
    expect(SubnetPolicy.parse({ Type: "VLAN", IsolationId: 100 })).toEqual({ Type: "VLAN", Settings: { IsolationId: 100 } });
    expect(SubnetPolicy.parse({ Type: "vsid", VSID: 4096 })).toEqual({ Type: "VSID", Settings: { IsolationId: 4096 } });
  });

  it.each([
    ["L4WFPPROXY", { InboundProxyPort: "15001", OutboundProxyPort: 15002, FilterTuple: { Protocols: "6", Priority: 1 }, UserSID: "S-1-5-18", InboundExceptions: { IpAddressExceptions: ["10.0.0.1"] } }],
    ["TierAcl", { Name: "t", Direction: "Out", Order: 1, TierAclRules: [{ Id: "r", Protocols: "17", TierAclRuleAction: "block", Priority: 5 }] }],
    ["Iov", { IovOffloadWeight: 100, QueuePairsRequested: 1, InterruptModeration: 200 }],
    ["PortName", { Name: "port" }],
    ["EncapOverhead", { Overhead: 50 }],
    ["Encryption", { EncryptionMethodType: "Ipsec", AuthenticationMethods: [{ Type: "PresharedKey", Settings: { Key: "k" } }] }],
    ["VLAN", { IsolationId: 7 }],
    ["InterfaceParameters", { Mtu: 1400 }],
    ["QOS", { MaximumOutgoingBandwidthInBytes: 1e9 }],
    ["SDNRoute", { DestinationPrefix: "11.0.0.0/8", NeedEncap: true }],
    ["L4Proxy", { IP: "10.0.0.1", Port: 8080, Protocol: "TCP", ExceptionList: ["10.0.0.2"], OutboundNat: true }],
    ["InterfaceConstraint", { InterfaceGuid: "g", InterfaceLuid: 1689399632855040, InterfaceIndex: 3 }],
  ])("endpoint %s settings parse", (type, settings) => {
    expect(EndpointPolicy.parse({ Type: type, Settings: settings }).Type).toBe(type);
  });

  it("canonicalises nested enums (TierAcl rule action, Iov moderation, L4Proxy protocol)", () => {
    const tier = EndpointPolicy.parse({ Type: "TierAcl", Settings: { Direction: 0, TierAclRules: [{ TierAclRuleAction: "block" }] } });
    expect(tier.Settings).toEqual({ Direction: "In", TierAclRules: [{ TierAclRuleAction: "Block" }] });
    expect(EndpointPolicy.parse({ Type: "Iov", Settings: { InterruptModeration: 200 } }).Settings).toEqual({
      InterruptModeration: "IovInterruptModerationMedium",
    });
    expect(EndpointPolicy.parse({ Type: "L4Proxy", Settings: { Protocol: "tcp", Port: 80 } }).Settings).toEqual({ Protocol: 6, Port: "80" });
  });

  it.each([
    ["SourceMacAddress", { SourceMacAddress: "00-15-5D-00-00-01" }],
    ["VSwitchExtension", { ExtensionID: "e9b59cfa-2be1-4b21-828f-b6fbdbddc017", Enable: true }],
    ["DrMacAddress", { Address: "00-15-5D-BB-6E-B1" }],
    ["AutomaticDNS", { Enable: true }],
    ["ProviderAddress", { ProviderAddress: "10.0.0.4" }],
    ["RemoteSubnetRoute", { DestinationPrefix: "10.1.0.0/16", IsolationId: 4096, ProviderAddress: "10.0.0.5", DistributedRouterMacAddress: "00-01" }],
    ["VxlanPort", { Port: 4789 }],
    ["SetPolicy", { Id: "s", Name: "set", PolicyType: "nestedipset", Values: "a,b" }],
    ["LayerConstraint", { LayerId: "l" }],
  ])("network %s settings parse", (type, settings) => {
    expect(NetworkPolicy.parse({ Type: type, Settings: settings }).Type).toBe(type);
  });

  it("SetPolicy type is canonical", () => {
    expect(NetworkPolicy.parse({ Type: "SetPolicy", Settings: { PolicyType: "ipset" } }).Settings).toEqual({ PolicyType: "IPSET" });
  });
});
