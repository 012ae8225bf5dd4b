// Pure v1 <-> v2 conversions. HNS accepts v1 bodies on the HCN Create calls and shows HCN load
// balancers as v1 ELB policy lists (hcsshim internal/hns, https://github.com/microsoft/hcsshim/tree/main/internal/hns,
// and hns.v2.psm1, https://github.com/microsoft/SDN/blob/master/Kubernetes/windows/hns.v2.psm1).
import { z } from "zod";
import { hnsTypeOf } from "../../vocabulary/facts/network-types";
import {
  HcnProtocol,
  invalidJson,
  SCHEMA_VERSION_2_0,
  StringList,
  type HcnRoute,
} from "../common";
import { EndpointFlags, HostComputeEndpoint, type IpConfig } from "../endpoint";
import { HostComputeLoadBalancer } from "../loadbalancer";
import { HostComputeNetwork, type HcnSubnet } from "../network";
import {
  isKnownEndpointPolicy,
  isKnownNetworkPolicy,
  isKnownSubnetPolicy,
  type EndpointPolicy,
  type NetworkPolicy,
  type PolicyOf,
  type SubnetPolicy,
} from "../policy";
import { HnsEndpointV1, HnsNetworkV1, HnsPolicyListV1, KnownPolicyV1, PolicyV1, ProtocolNameV1, isKnownPolicyV1 } from "./schemas";
// ---------------------------------------------------------------------------
// Conversions

/** Drops keys whose value is undefined so converted documents serialise cleanly. */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

const isV6 = (ip: string | undefined) => ip !== undefined && ip.includes(":");
const defaultRouteFor = (family: "v4" | "v6") => (family === "v6" ? "::/0" : "0.0.0.0/0");

function gatewayOf(routes: readonly HcnRoute[] | undefined, family: "v4" | "v6"): string | undefined {
  const dest = defaultRouteFor(family);
  return routes?.find((r) => r.DestinationPrefix === dest)?.NextHop;
}

const nonEmpty = <T>(a: T[] | undefined): T[] | undefined => (a && a.length > 0 ? a : undefined);

type AnyPolicy = NetworkPolicy | EndpointPolicy | SubnetPolicy;

/**
 * v2 policy → v1 policy, for the types with both forms: PortMapping→NAT (Protocol 6/17 →
 * "tcp"/"udp"), OutBoundNAT (Exceptions→ExceptionList, VirtualIP→VIP), ProviderAddress→PA,
 * SDNRoute→ROUTE, VLAN/VSID (IsolationId→VLAN/VSID), ACL, QOS, L2Driver, L4Proxy→PROXY.
 * Returns undefined for v2-only types. Lost on the way: PortMapping VIP and flags other than
 * ExternalPortReserved, OutBoundNAT Flags/MaxPortPoolUsage.
 */
export function policyToV1(p: AnyPolicy): KnownPolicyV1 | undefined {
  switch (p.Type) {
    case "PortMapping": {
      const s = p.Settings;
      return compact({
        Type: "NAT" as const,
        Protocol: s.Protocol === undefined ? undefined : ProtocolNameV1.parse(s.Protocol),
        InternalPort: s.InternalPort,
        ExternalPort: s.ExternalPort,
        ExternalPortReserved: (s.Flags ?? 0) & 4 ? true : undefined,
      });
    }
    case "OutBoundNAT": {
      const s = p.Settings;
      return compact({ Type: "OutBoundNAT" as const, VIP: s.VirtualIP, ExceptionList: s.Exceptions, Destinations: s.Destinations });
    }
    case "ProviderAddress":
      return compact({ Type: "PA" as const, PA: p.Settings.ProviderAddress });
    case "SDNRoute": {
      const s = p.Settings;
      return compact({ Type: "ROUTE" as const, DestinationPrefix: s.DestinationPrefix, NextHop: s.NextHop, NeedEncap: s.NeedEncap });
    }
    case "VLAN":
      return { Type: "VLAN", VLAN: p.Settings.IsolationId };
    case "VSID":
      return { Type: "VSID", VSID: p.Settings.IsolationId };
    case "ACL": {
      const { Id, ...rest } = p.Settings;
      return compact({ ...rest, Type: "ACL" as const, ID: Id });
    }
    case "QOS":
      return compact({ Type: "QOS" as const, MaximumOutgoingBandwidthInBytes: p.Settings.MaximumOutgoingBandwidthInBytes });
    case "L2Driver":
      return { Type: "L2Driver" };
    case "L4Proxy": {
      const s = p.Settings;
      return compact({
        Type: "PROXY" as const,
        IP: s.IP,
        Port: s.Port,
        Protocol: s.Protocol === undefined ? undefined : String(s.Protocol),
        ExceptionList: s.Exceptions ?? s.ExceptionList,
        Destination: s.Destination,
        OutboundNat: s.OutboundNAT ?? s.OutboundNat,
      });
    }
    default:
      return undefined;
  }
}

/** A v1 protocol as HCN's number; one HCN does not know is HNS's invalid-JSON error, as in a v2 body. */
function protocolOrAsGiven(v: string | number): number {
  const n = HcnProtocol.safeParse(v);
  if (!n.success) throw invalidJson(n.error);
  return n.data;
}

/** v1 policy → v2 policy (inverse of policyToV1); undefined for v1-only types (VNET, ELB …). */
export function policyFromV1(input: PolicyV1 | z.input<typeof PolicyV1>): EndpointPolicy | SubnetPolicy | undefined {
  const p = PolicyV1.parse(input);
  if (!isKnownPolicyV1(p)) return undefined;
  switch (p.Type) {
    case "NAT":
      return {
        Type: "PortMapping",
        Settings: compact({
          Protocol: p.Protocol === undefined ? undefined : protocolOrAsGiven(p.Protocol),
          InternalPort: p.InternalPort,
          ExternalPort: p.ExternalPort,
          Flags: p.ExternalPortReserved ? 4 : undefined,
        }),
      };
    case "OutBoundNAT":
      return {
        Type: "OutBoundNAT",
        Settings: compact({ VirtualIP: p.VIP, Exceptions: p.ExceptionList, Destinations: p.Destinations }),
      };
    case "PA":
      return { Type: "ProviderAddress", Settings: compact({ ProviderAddress: p.PA }) };
    case "ROUTE":
      return {
        Type: "SDNRoute",
        Settings: compact({ DestinationPrefix: p.DestinationPrefix, NextHop: p.NextHop, NeedEncap: p.NeedEncap }),
      };
    case "VLAN":
      return p.VLAN === undefined ? undefined : { Type: "VLAN", Settings: { IsolationId: p.VLAN } };
    case "VSID":
      return p.VSID === undefined ? undefined : { Type: "VSID", Settings: { IsolationId: p.VSID } };
    case "ACL": {
      const { Type: _t, ID, Protocol: _p, InternalPort: _i, LocalPort: _l, RemotePort: _r, ServiceName: _s, ...rest } = p;
      return { Type: "ACL", Settings: compact({ ...rest, Id: ID }) };
    }
    case "QOS":
      return { Type: "QOS", Settings: compact({ MaximumOutgoingBandwidthInBytes: p.MaximumOutgoingBandwidthInBytes }) };
    case "L2Driver":
      return { Type: "L2Driver", Settings: {} };
    case "PROXY":
      return {
        Type: "L4Proxy",
        Settings: compact({
          IP: p.IP,
          Port: p.Port,
          Protocol: p.Protocol === undefined ? undefined : protocolOrAsGiven(p.Protocol),
          Exceptions: p.ExceptionList,
          Destination: p.Destination,
          OutboundNAT: p.OutboundNat,
        }),
      };
    default:
      return undefined;
  }
}

function subnetPoliciesToV1(policies: HcnSubnet["Policies"]): KnownPolicyV1[] | undefined {
  if (policies === undefined) return undefined;
  return policies.filter(isKnownSubnetPolicy).flatMap((p) => policyToV1(p) ?? []);
}

function subnetPolicyFromV1(p: PolicyV1): SubnetPolicy | undefined {
  const v2 = policyFromV1(p);
  return v2 && (v2.Type === "VLAN" || v2.Type === "VSID") ? (v2 as SubnetPolicy) : undefined;
}

/**
 * HostComputeNetwork → v1 network (what `Get-HnsNetwork` / HNSCall print). Every IPAM subnet
 * becomes a v1 subnet whose GatewayAddress is the NextHop of its default route; the
 * NetAdapterName, SourceMacAddress, DrMacAddress and AutomaticDNS policies become the v1
 * fields of those names. Other network policies and non-default subnet routes have no v1 form.
 */
export function networkToV1(input: HostComputeNetwork): HnsNetworkV1 {
  const net = HostComputeNetwork.parse(input);
  const policies = (net.Policies ?? []).filter(isKnownNetworkPolicy);
  const find = <T extends NetworkPolicy["Type"]>(t: T) => policies.find((p) => p.Type === t) as PolicyOf<NetworkPolicy, T> | undefined;
  const adapter = find("NetAdapterName");
  const sourceMac = find("SourceMacAddress");
  const drMac = find("DrMacAddress");
  const autoDns = find("AutomaticDNS");
  const subnets = (net.Ipams ?? []).flatMap((ipam) =>
    (ipam.Subnets ?? []).map((s) =>
      compact({
        ID: s.ID,
        AddressPrefix: s.IpAddressPrefix,
        GatewayAddress: gatewayOf(s.Routes, isV6(s.IpAddressPrefix) ? "v6" : "v4"),
        Policies: subnetPoliciesToV1(s.Policies),
        IpSubnets: s.IpSubnets,
        Flags: s.Flags,
      }),
    ),
  );
  const dns = net.Dns;
  return compact({
    ID: net.ID,
    Name: net.Name,
    Type: net.Type,
    Flags: net.Flags,
    Subnets: nonEmpty(subnets),
    MacPools: nonEmpty(net.MacPool?.Ranges),
    DNSServerList: dns?.ServerList?.join(","),
    DNSSuffix: dns?.Search?.join(",") ?? dns?.Domain,
    NetworkAdapterName: adapter?.Settings.NetworkAdapterName,
    SourceMac: sourceMac?.Settings.SourceMacAddress,
    DrMacAddress: drMac?.Settings.Address,
    AutomaticDNS: autoDns?.Settings.Enable,
    Policies: [],
    State: net.State,
  });
}

/**
 * v1 network body → HostComputeNetwork (HCN Create accepts v1 bodies: hcsshim hcn/hcnv1schema_test.go sends marshalled v1 HNSNetwork). A missing Type
 * is NAT; each v1 subnet becomes a Static IPAM subnet with a default route to its gateway;
 * network-level v1 VLAN/VSID policies (v1 puts isolation on the network, HCN on subnets)
 * are copied to every subnet; the v1 adapter/MAC/DNS fields become the matching policies.
 * Throws a ZodError when the body is not a v1 network.
 */
export function networkFromV1(input: HnsNetworkV1 | z.input<typeof HnsNetworkV1>): HostComputeNetwork {
  const v1 = HnsNetworkV1.parse(input);
  const networkIsolation = (v1.Policies ?? []).flatMap((p) => subnetPolicyFromV1(p) ?? []);
  const subnets: HcnSubnet[] = (v1.Subnets ?? []).map((s) => {
    const own = (s.Policies ?? []).flatMap((p) => subnetPolicyFromV1(p) ?? []);
    const policies = [...own, ...networkIsolation.filter((n) => !own.some((o) => o.Type === n.Type))];
    const family = isV6(s.AddressPrefix) ? "v6" : "v4";
    return compact({
      ID: s.ID,
      IpAddressPrefix: s.AddressPrefix,
      Policies: s.Policies !== undefined || policies.length > 0 ? policies : undefined,
      Routes: s.GatewayAddress ? [{ NextHop: s.GatewayAddress, DestinationPrefix: defaultRouteFor(family) }] : undefined,
      Flags: s.Flags,
      IpSubnets:
        s.IpSubnets === undefined || s.IpSubnets === null
          ? s.IpSubnets
          : s.IpSubnets.map((i) => compact({ ID: i.ID, IpAddressPrefix: i.IpAddressPrefix, Flags: i.Flags })),
    });
  });
  const policies: NetworkPolicy[] = [];
  if (v1.NetworkAdapterName) policies.push({ Type: "NetAdapterName", Settings: { NetworkAdapterName: v1.NetworkAdapterName } });
  if (v1.SourceMac) policies.push({ Type: "SourceMacAddress", Settings: { SourceMacAddress: v1.SourceMac } });
  if (v1.DrMacAddress) policies.push({ Type: "DrMacAddress", Settings: { Address: v1.DrMacAddress } });
  if (v1.AutomaticDNS !== undefined) policies.push({ Type: "AutomaticDNS", Settings: { Enable: v1.AutomaticDNS } });
  for (const p of v1.Policies ?? []) {
    const v2 = policyFromV1(p);
    if (v2?.Type === "ProviderAddress") policies.push(v2);
  }
  const servers = v1.DNSServerList === undefined ? [] : StringList.parse(v1.DNSServerList);
  const search = v1.DNSSuffix === undefined ? [] : StringList.parse(v1.DNSSuffix);
  return compact({
    ID: v1.ID,
    Name: v1.Name,
    Type: hnsTypeOf(v1),
    Flags: v1.Flags,
    Ipams: subnets.length > 0 ? [{ Type: "Static" as const, Subnets: subnets }] : undefined,
    MacPool: v1.MacPools ? { Ranges: v1.MacPools } : undefined,
    Dns: servers.length || search.length ? compact({ ServerList: nonEmpty(servers), Search: nonEmpty(search) }) : undefined,
    Policies: nonEmpty(policies),
    State: v1.State,
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  });
}

/**
 * HostComputeEndpoint → v1 endpoint. `network` (the endpoint's network, when known) fills
 * VirtualNetworkName and Type. The first IPv4 / IPv6 IpConfiguration becomes
 * IPAddress / IPv6Address, default routes become GatewayAddress(V6), Flags bits become the
 * v1 booleans (Flags is kept too), the EncapOverhead policy becomes the EncapOverhead field.
 */
export function endpointToV1(input: HostComputeEndpoint, network?: HostComputeNetwork): HnsEndpointV1 {
  const ep = HostComputeEndpoint.parse(input);
  const configs = ep.IpConfigurations ?? [];
  const v4 = configs.find((c) => c.IpAddress !== undefined && !isV6(c.IpAddress));
  const v6 = configs.find((c) => isV6(c.IpAddress));
  const known = (ep.Policies ?? []).filter(isKnownEndpointPolicy);
  const encap = known.find((p) => p.Type === "EncapOverhead");
  const flags = ep.Flags ?? 0;
  const bit = (b: number) => ((flags & b) !== 0 ? true : undefined);
  return compact({
    ID: ep.ID,
    Name: ep.Name,
    VirtualNetwork: ep.HostComputeNetwork ?? network?.ID,
    VirtualNetworkName: network?.Name,
    Type: network?.Type,
    Policies: known.flatMap((p) => policyToV1(p) ?? []),
    MacAddress: ep.MacAddress ?? undefined,
    IPAddress: v4?.IpAddress,
    PrefixLength: v4?.PrefixLength,
    IPSubnetId: v4?.IpSubnetId,
    IPv6Address: v6?.IpAddress,
    IPv6PrefixLength: v6?.PrefixLength,
    GatewayAddress: gatewayOf(ep.Routes, "v4"),
    GatewayAddressV6: gatewayOf(ep.Routes, "v6"),
    DNSServerList: ep.Dns?.ServerList?.join(","),
    DNSSuffix: ep.Dns?.Search?.join(","),
    DNSDomain: ep.Dns?.Domain,
    IsRemoteEndpoint: bit(EndpointFlags.RemoteEndpoint),
    DisableICC: bit(EndpointFlags.DisableICC),
    EnableLowMetric: bit(EndpointFlags.EnableLowInterfaceMetric),
    Namespace: ep.HostComputeNamespace ? { ID: ep.HostComputeNamespace } : undefined,
    EncapOverhead: encap?.Type === "EncapOverhead" ? encap.Settings.Overhead : undefined,
    Flags: ep.Flags,
    State: ep.State,
  });
}

/**
 * v1 endpoint body → HostComputeEndpoint (inverse of endpointToV1). The v1 booleans are
 * OR-ed into Flags; v1 policies without a v2 form (VNET, Isolation …) are dropped.
 * Throws a ZodError when the body is not a v1 endpoint.
 */
export function endpointFromV1(input: HnsEndpointV1 | z.input<typeof HnsEndpointV1>): HostComputeEndpoint {
  const v1 = HnsEndpointV1.parse(input);
  const flags =
    (v1.Flags ?? 0) |
    (v1.IsRemoteEndpoint ? EndpointFlags.RemoteEndpoint : 0) |
    (v1.DisableICC ? EndpointFlags.DisableICC : 0) |
    (v1.EnableLowMetric || v1.EnableLowInterfaceMetric ? EndpointFlags.EnableLowInterfaceMetric : 0);
  const configs: IpConfig[] = [];
  if (v1.IPAddress) configs.push(compact({ IpAddress: v1.IPAddress, PrefixLength: v1.PrefixLength, IpSubnetId: v1.IPSubnetId }));
  if (v1.IPv6Address) configs.push(compact({ IpAddress: v1.IPv6Address, PrefixLength: v1.IPv6PrefixLength }));
  const routes: HcnRoute[] = [];
  if (v1.GatewayAddress) routes.push({ NextHop: v1.GatewayAddress, DestinationPrefix: "0.0.0.0/0" });
  if (v1.GatewayAddressV6) routes.push({ NextHop: v1.GatewayAddressV6, DestinationPrefix: "::/0" });
  const policies: EndpointPolicy[] = (v1.Policies ?? []).flatMap((p) => {
    const v2 = policyFromV1(p);
    return v2 && v2.Type !== "VSID" ? [v2 as EndpointPolicy] : [];
  });
  if (v1.EncapOverhead) policies.push({ Type: "EncapOverhead", Settings: { Overhead: v1.EncapOverhead } });
  const servers = v1.DNSServerList === undefined ? [] : StringList.parse(v1.DNSServerList);
  const search = v1.DNSSuffix === undefined ? [] : StringList.parse(v1.DNSSuffix);
  const dns = compact({ ServerList: nonEmpty(servers), Search: nonEmpty(search), Domain: v1.DNSDomain || undefined });
  return compact({
    ID: v1.ID,
    Name: v1.Name,
    HostComputeNetwork: v1.VirtualNetwork,
    HostComputeNamespace: v1.Namespace?.ID,
    Policies: v1.Policies !== undefined || policies.length > 0 ? policies : undefined,
    IpConfigurations: nonEmpty(configs),
    Dns: Object.keys(dns).length > 0 ? dns : undefined,
    Routes: nonEmpty(routes),
    MacAddress: v1.MacAddress,
    Flags: v1.Flags !== undefined || flags !== 0 ? flags : undefined,
    State: v1.State,
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  });
}

const endpointRef = (id: string) => `/endpoints/${id}`;

/**
 * HostComputeLoadBalancer → the v1 ELB policy list HNS shows for it (hcsshim internal/hns/hnspolicylist.go): References are
 * "/endpoints/<id>", one ELB policy per port mapping (ILB from the mapping's flag 1, IsDSR
 * from the load balancer's DSR flag).
 */
export function loadBalancerToPolicyListV1(input: HostComputeLoadBalancer): HnsPolicyListV1 {
  const lb = HostComputeLoadBalancer.parse(input);
  const dsr = ((lb.Flags ?? 0) & 1) !== 0 ? true : undefined;
  const mappings = lb.PortMappings && lb.PortMappings.length > 0 ? lb.PortMappings : [{}];
  const elb = (pm: NonNullable<HostComputeLoadBalancer["PortMappings"]>[number] | Record<string, never>): KnownPolicyV1 =>
    compact({
      Type: "ELB" as const,
      SourceVIP: lb.SourceVIP,
      VIPs: lb.FrontendVIPs,
      ILB: "Flags" in pm && ((pm.Flags ?? 0) & 1) !== 0 ? true : undefined,
      IsDSR: dsr,
      Protocol: "Protocol" in pm ? pm.Protocol : undefined,
      InternalPort: "InternalPort" in pm ? pm.InternalPort : undefined,
      ExternalPort: "ExternalPort" in pm ? pm.ExternalPort : undefined,
    });
  return compact({
    ID: lb.ID,
    References: (lb.HostComputeEndpoints ?? []).map(endpointRef),
    Policies: mappings.map(elb),
    HostComputeNetwork: lb.HostComputeNetwork,
  });
}
