import {
  EndpointPolicy,
  HnsEndpointV1,
  HnsNetworkV1,
  HostComputeEndpoint,
  HostComputeLoadBalancer,
  HostComputeNetwork,
  KnownPolicyV1,
  PolicyV1,
  SubnetPolicy,
  endpointFromV1,
  endpointToV1,
  isKnownPolicyV1,
  loadBalancerToPolicyListV1,
  networkFromV1,
  networkToV1,
  policyFromV1,
  policyToV1,
} from "../../../provider/hcn";
import { loadBalancerFromPolicyListV1, routeToPolicyListV1 } from "./policy-list-v1";

describe("v1 policies", () => {
  it("read known types in any case, typed", () => {
    expect(PolicyV1.parse({ Type: "nat", Protocol: "TCP", InternalPort: 80, ExternalPort: 8080, ExternalPortReserved: true })).toEqual({
      Type: "NAT",
      Protocol: "tcp",
      InternalPort: 80,
      ExternalPort: 8080,
      ExternalPortReserved: true,
    });
    expect(PolicyV1.parse({ Type: "NAT", Protocol: 17 })).toEqual({ Type: "NAT", Protocol: "udp" });
    expect(PolicyV1.parse({ Type: "outboundnat", ExceptionList: ["10.0.0.0/8"] })).toEqual({ Type: "OutBoundNAT", ExceptionList: ["10.0.0.0/8"] });
    expect(PolicyV1.parse({ Type: "elb", VIPs: ["11.0.0.1"], Protocol: "tcp" })).toEqual({ Type: "ELB", VIPs: ["11.0.0.1"], Protocol: 6 });
  });

  it("keep unknown types loose", () => {
    const odd = { Type: "NatExceptions", Whatever: [1, 2] };
    const p = PolicyV1.parse(odd);
    expect(p).toEqual(odd);
    expect(isKnownPolicyV1(p)).toBe(false);
    expect(KnownPolicyV1.safeParse(odd).success).toBe(false);
  });

  it("still reject a malformed known type", () => {
    expect(PolicyV1.safeParse({ Type: "VSID", VSID: "many" }).success).toBe(false);
  });
});

describe("policyToV1 / policyFromV1", () => {
  const v2: (EndpointPolicy | SubnetPolicy)[] = [
    { Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } },
    { Type: "PortMapping", Settings: { Protocol: 17, InternalPort: 53, ExternalPort: 5353, Flags: 4 } },
    { Type: "OutBoundNAT", Settings: { VirtualIP: "10.0.0.4", Exceptions: ["10.244.0.0/16", "10.96.0.0/12"], Destinations: ["10.0.0.9"] } },
    { Type: "ProviderAddress", Settings: { ProviderAddress: "10.123.74.74" } },
    { Type: "SDNRoute", Settings: { DestinationPrefix: "11.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true } },
    { Type: "VSID", Settings: { IsolationId: 4096 } },
    { Type: "VLAN", Settings: { IsolationId: 12 } },
    {
      Type: "ACL",
      Settings: { Id: "allow-80", Protocols: "6", Action: "Allow", Direction: "In", LocalPorts: "80", RuleType: "Switch", Priority: 100 },
    },
    { Type: "QOS", Settings: { MaximumOutgoingBandwidthInBytes: 1000000 } },
    { Type: "L2Driver", Settings: {} },
    { Type: "L4Proxy", Settings: { IP: "10.0.0.1", Port: "8080", Protocol: 6, Exceptions: ["10.0.0.2"], Destination: "10.0.0.3", OutboundNAT: true } },
  ];

  it.each(v2.map((p) => [p.Type, p] as const))("%s round-trips v2 → v1 → v2", (_t, p) => {
    const v1 = policyToV1(p);
    expect(v1).toBeDefined();
    expect(KnownPolicyV1.safeParse(v1).success).toBe(true);
    expect(policyFromV1(v1!)).toEqual(p);
  });

  it("maps the renamed members", () => {
    expect(policyToV1(v2[0])).toEqual({ Type: "NAT", Protocol: "tcp", InternalPort: 80, ExternalPort: 8080 });
    expect(policyToV1(v2[1])).toMatchObject({ Type: "NAT", Protocol: "udp", ExternalPortReserved: true });
    expect(policyToV1(v2[2])).toEqual({
      Type: "OutBoundNAT",
      VIP: "10.0.0.4",
      ExceptionList: ["10.244.0.0/16", "10.96.0.0/12"],
      Destinations: ["10.0.0.9"],
    });
    expect(policyToV1(v2[3])).toEqual({ Type: "PA", PA: "10.123.74.74" });
    expect(policyToV1(v2[4])).toEqual({ Type: "ROUTE", DestinationPrefix: "11.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true });
    expect(policyToV1(v2[5])).toEqual({ Type: "VSID", VSID: 4096 });
    expect(policyToV1(v2[6])).toEqual({ Type: "VLAN", VLAN: 12 });
  });

  it.each([
    [{ Type: "NAT", Protocol: "tcp", InternalPort: 80, ExternalPort: 8080 }],
    [{ Type: "OutBoundNAT", ExceptionList: ["10.0.0.0/8"] }],
    [{ Type: "PA", PA: "10.0.0.5" }],
    [{ Type: "ROUTE", DestinationPrefix: "10.0.0.0/8", NeedEncap: true }],
    [{ Type: "VSID", VSID: 9999 }],
    [{ Type: "VLAN", VLAN: 2 }],
  ])("v1 %j round-trips v1 → v2 → v1", (p) => {
    expect(policyToV1(policyFromV1(p)!)).toEqual(p);
  });

  it("has no v1 form for v2-only types and no v2 form for v1-only types", () => {
    expect(policyToV1({ Type: "HostRoute", Settings: {} })).toBeUndefined();
    expect(policyToV1({ Type: "EncapOverhead", Settings: { Overhead: 50 } })).toBeUndefined();
    expect(policyFromV1({ Type: "VNET" })).toBeUndefined();
    expect(policyFromV1({ Type: "ELB", VIPs: [] })).toBeUndefined();
    expect(policyFromV1({ Type: "SomethingNew" })).toBeUndefined();
  });
});

describe("networks", () => {
  const overlay: HostComputeNetwork = HostComputeNetwork.parse({
    ID: "9b219d6e-6847-43fc-8258-81db4b63c09c",
    Name: "vxlan0",
    Type: "Overlay",
    Flags: 8,
    Policies: [
      { Type: "NetAdapterName", Settings: { NetworkAdapterName: "Ethernet" } },
      { Type: "SourceMacAddress", Settings: { SourceMacAddress: "00-15-5D-00-00-01" } },
      { Type: "DrMacAddress", Settings: { Address: "00-15-5D-BB-6E-B1" } },
      { Type: "AutomaticDNS", Settings: { Enable: true } },
    ],
    MacPool: { Ranges: [{ StartMacAddress: "00-15-5D-69-30-00", EndMacAddress: "00-15-5D-69-3F-FF" }] },
    Dns: { ServerList: ["10.0.0.10", "10.0.0.11"], Search: ["corp.example"] },
    Ipams: [
      {
        Type: "Static",
        Subnets: [
          {
            IpAddressPrefix: "10.244.3.0/24",
            Policies: [{ Type: "VSID", Settings: { IsolationId: 4096 } }],
            Routes: [{ NextHop: "10.244.3.1", DestinationPrefix: "0.0.0.0/0" }],
          },
        ],
      },
    ],
    SchemaVersion: { Major: 2, Minor: 0 },
  });

  it("networkToV1 gives the v1 field names", () => {
    const v1 = networkToV1(overlay);
    expect(HnsNetworkV1.safeParse(v1).success).toBe(true);
    expect(v1).toMatchObject({
      Name: "vxlan0",
      Type: "Overlay",
      Flags: 8,
      NetworkAdapterName: "Ethernet",
      SourceMac: "00-15-5D-00-00-01",
      DrMacAddress: "00-15-5D-BB-6E-B1",
      AutomaticDNS: true,
      DNSServerList: "10.0.0.10,10.0.0.11",
      DNSSuffix: "corp.example",
      MacPools: [{ StartMacAddress: "00-15-5D-69-30-00", EndMacAddress: "00-15-5D-69-3F-FF" }],
      Subnets: [{ AddressPrefix: "10.244.3.0/24", GatewayAddress: "10.244.3.1", Policies: [{ Type: "VSID", VSID: 4096 }] }],
    });
  });

  it("round-trips v2 → v1 → v2", () => {
    const back = networkFromV1(networkToV1(overlay));
    expect(back).toEqual({ ...overlay, Policies: expect.arrayContaining(overlay.Policies!) });
    expect(back.Policies).toHaveLength(overlay.Policies!.length);
  });

  it("networkFromV1 defaults to NAT and builds default routes (IPv6 too)", () => {
    const v2 = networkFromV1({
      Name: "nat",
      Subnets: [
        { AddressPrefix: "172.16.0.0/16", GatewayAddress: "172.16.0.1" },
        { AddressPrefix: "fd00::/64", GatewayAddress: "fd00::1" },
      ],
    });
    expect(v2.Type).toBe("NAT");
    expect(v2.Ipams?.[0].Subnets?.map((s) => s.Routes?.[0].DestinationPrefix)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(v2.SchemaVersion).toEqual({ Major: 2, Minor: 0 });
  });

  it("networkFromV1 keeps a subnet's own isolation over the network's", () => {
    const v2 = networkFromV1({
      Type: "l2bridge",
      Policies: [{ Type: "VLAN", VLAN: 5 }, { Type: "PA", PA: "10.0.0.4" }],
      Subnets: [{ AddressPrefix: "10.0.0.0/24", Policies: [{ Type: "VLAN", VLAN: 7 }] }, { AddressPrefix: "10.0.1.0/24" }],
    });
    expect(v2.Type).toBe("L2Bridge");
    expect(v2.Ipams?.[0].Subnets?.map((s) => s.Policies)).toEqual([
      [{ Type: "VLAN", Settings: { IsolationId: 7 } }],
      [{ Type: "VLAN", Settings: { IsolationId: 5 } }],
    ]);
    expect(v2.Policies).toEqual([{ Type: "ProviderAddress", Settings: { ProviderAddress: "10.0.0.4" } }]);
  });

  it("networkFromV1 throws on a body that is not a v1 network", () => {
    // @ts-expect-error: Subnets must be a list; this body is deliberately not a v1 network
    expect(() => networkFromV1({ Subnets: "nope" })).toThrow();
  });
});

describe("endpoints", () => {
  const network = HostComputeNetwork.parse({ ID: "5c242c1e-8e0f-4f65-b9e0-a0b7a6ea41e2", Name: "nat", Type: "NAT" });
  const ep: HostComputeEndpoint = HostComputeEndpoint.parse({
    ID: "7eb7bc15-4510-4225-8535-9f121f8fc438",
    Name: "web",
    HostComputeNetwork: network.ID,
    HostComputeNamespace: "97fba58f-ecc2-42d8-a8ab-52766f41144d",
    IpConfigurations: [
      { IpAddress: "172.25.145.155", PrefixLength: 20 },
      { IpAddress: "fd00::5", PrefixLength: 64 },
    ],
    Routes: [
      { NextHop: "172.25.144.1", DestinationPrefix: "0.0.0.0/0" },
      { NextHop: "fd00::1", DestinationPrefix: "::/0" },
    ],
    Dns: { ServerList: ["172.25.144.1"], Search: ["svc.local"], Domain: "corp" },
    MacAddress: "00-15-5D-AB-58-C6",
    Flags: 1 | 2 | 8,
    Policies: [
      { Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } },
      { Type: "OutBoundNAT", Settings: { Exceptions: ["10.0.0.0/8"] } },
      { Type: "ProviderAddress", Settings: { ProviderAddress: "10.0.0.4" } },
      { Type: "SDNRoute", Settings: { DestinationPrefix: "11.0.0.0/8", NeedEncap: true } },
      { Type: "EncapOverhead", Settings: { Overhead: 50 } },
    ],
    SchemaVersion: { Major: 2, Minor: 0 },
  });

  it("endpointToV1 gives the v1 field names", () => {
    const v1 = endpointToV1(ep, network);
    expect(HnsEndpointV1.safeParse(v1).success).toBe(true);
    expect(v1).toMatchObject({
      VirtualNetwork: network.ID,
      VirtualNetworkName: "nat",
      Type: "NAT",
      IPAddress: "172.25.145.155",
      PrefixLength: 20,
      IPv6Address: "fd00::5",
      IPv6PrefixLength: 64,
      GatewayAddress: "172.25.144.1",
      GatewayAddressV6: "fd00::1",
      DNSServerList: "172.25.144.1",
      DNSSuffix: "svc.local",
      DNSDomain: "corp",
      IsRemoteEndpoint: true,
      DisableICC: true,
      EnableLowMetric: true,
      EncapOverhead: 50,
      Namespace: { ID: "97fba58f-ecc2-42d8-a8ab-52766f41144d" },
      Policies: [
        { Type: "NAT", Protocol: "tcp", InternalPort: 80, ExternalPort: 8080 },
        { Type: "OutBoundNAT", ExceptionList: ["10.0.0.0/8"] },
        { Type: "PA", PA: "10.0.0.4" },
        { Type: "ROUTE", DestinationPrefix: "11.0.0.0/8", NeedEncap: true },
      ],
    });
  });

  it("round-trips v2 → v1 → v2", () => {
    expect(endpointFromV1(endpointToV1(ep, network))).toEqual(ep);
  });

  it("endpointFromV1 reads a hcsshim-style v1 body", () => {
    const v2 = endpointFromV1({
      VirtualNetwork: "8e68213e-9443-4395-a50c-3977cb7bdba7",
      IPAddress: "10.190.178.37",
      IsRemoteEndpoint: true,
      Policies: [{ Type: "PA", PA: "10.0.0.1" }, { Type: "VNET" }],
    });
    expect(v2).toEqual({
      HostComputeNetwork: "8e68213e-9443-4395-a50c-3977cb7bdba7",
      IpConfigurations: [{ IpAddress: "10.190.178.37" }],
      Flags: 1,
      Policies: [{ Type: "ProviderAddress", Settings: { ProviderAddress: "10.0.0.1" } }],
      SchemaVersion: { Major: 2, Minor: 0 },
    });
  });
});

describe("load balancers and routes as v1 policy lists", () => {
  const lb: HostComputeLoadBalancer = HostComputeLoadBalancer.parse({
    ID: "a335d997-4160-44f9-9f72-1087a2cba45e",
    HostComputeEndpoints: ["028abaed-7ff6-4fdc-992c-d3b004936be0", "e84bad42-a6ee-40a8-8145-c9f084654774"],
    SourceVIP: "100.244.206.66",
    FrontendVIPs: ["10.99.234.145"],
    PortMappings: [
      { Protocol: "TCP", InternalPort: 8080, ExternalPort: 80, Flags: "ILB" },
      { Protocol: 17, InternalPort: 53, ExternalPort: 53 },
    ],
    Flags: "DSR",
    SchemaVersion: { Major: 2, Minor: 0 },
  });

  it("loadBalancerToPolicyListV1 builds an ELB list referencing /endpoints/<id>", () => {
    const pl = loadBalancerToPolicyListV1(lb);
    expect(pl.ID).toBe(lb.ID);
    expect(pl.References).toEqual(["/endpoints/028abaed-7ff6-4fdc-992c-d3b004936be0", "/endpoints/e84bad42-a6ee-40a8-8145-c9f084654774"]);
    expect(pl.Policies).toEqual([
      { Type: "ELB", SourceVIP: "100.244.206.66", VIPs: ["10.99.234.145"], ILB: true, IsDSR: true, Protocol: 6, InternalPort: 8080, ExternalPort: 80 },
      { Type: "ELB", SourceVIP: "100.244.206.66", VIPs: ["10.99.234.145"], IsDSR: true, Protocol: 17, InternalPort: 53, ExternalPort: 53 },
    ]);
  });

  it("round-trips through the policy list", () => {
    expect(loadBalancerFromPolicyListV1(loadBalancerToPolicyListV1(lb))).toEqual(lb);
  });

  it("an LB without port mappings still yields one ELB policy", () => {
    const pl = loadBalancerToPolicyListV1({ HostComputeEndpoints: ["x"], FrontendVIPs: ["10.0.0.1"] });
    expect(pl.Policies).toEqual([{ Type: "ELB", VIPs: ["10.0.0.1"] }]);
  });

  it("routeToPolicyListV1 builds ROUTE policies", () => {
    expect(
      routeToPolicyListV1({
        ID: "r",
        HostComputeEndpoints: ["e1"],
        Setting: [{ DestinationPrefix: "10.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true }],
      }),
    ).toEqual({
      ID: "r",
      References: ["/endpoints/e1"],
      Policies: [{ Type: "ROUTE", DestinationPrefix: "10.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true }],
    });
  });
});
