/**
 * Cases from the clients that drive HNS every day: windows-container-networking's plugin tests
 * (plugins/{nat,sdnbridge,sdnoverlay}/*_windows_test.go and test/utilities, read at commit
 * b96345f1; they run on windows-2022 in that repository's CI), what kube-proxy's winkernel
 * proxier sends (kubernetes pkg/proxy/winkernel/hns.go), what flannel's Windows backends send,
 * and quirks users reported from real hosts.
 */
import { randomUUID } from "node:crypto";
import { sameGuid } from "../../../provider/hosts/client";
import { fails, failsNotFound, failsWith } from "../expect";
import { at, endpoint, type PeerCase, type PeerContext, type Source } from "./support";

const wcn = (file: string, test: string): Source => ({ repo: "microsoft/windows-container-networking", file, test });
const UTIL = (fn: string) => wcn("test/utilities/connectivity_testing.go", fn);
const PLUGIN = (fn: string) => wcn("test/utilities/plugin_testing.go", fn);
const KUBE = (fn: string): Source => ({ repo: "kubernetes/kubernetes", file: "pkg/proxy/winkernel/hns.go", test: fn });

/** windows-container-networking GetDefaultIpams: one subnet (10.0.0.0/16 there; a fresh /24 here) with its gateway route; Ipam Type unset. */
type Subnet = {
  IpAddressPrefix: string;
  Routes: { NextHop: string; DestinationPrefix: string }[];
  Policies?: unknown[];
};

function cniNetwork(c: PeerContext, type: string, what: string, extra: { policies?: unknown[]; ipv6?: boolean } = {}) {
  const prefix = c.prefix();
  const subnets: Subnet[] = [{ IpAddressPrefix: prefix, Routes: [{ NextHop: at(prefix, 1), DestinationPrefix: "0.0.0.0/0" }], ...(extra.policies ? { Policies: extra.policies } : {}) }];
  const v6 = `fd00:${(Number(prefix.split(".")[2]) + 0x100).toString(16)}::`;
  const ipams = [{ Subnets: subnets }, ...(extra.ipv6 ? [{ Subnets: [{ IpAddressPrefix: `${v6}/64`, Routes: [{ NextHop: `${v6}1`, DestinationPrefix: "::/0" }] }] }] : [])];
  return { prefix, v6, body: { SchemaVersion: { Major: 2, Minor: 0 }, Name: c.t.name(what), Type: type, Ipams: ipams } };
}

const VSID_4096 = [{ Type: "VSID", Settings: { IsolationId: 4096 } }];

/** The endpoint policies the plugin tests pass (getDefaultEndpointPolicies): OutBoundNAT with exceptions, an SDNRoute, the ProviderAddress. */
const cniPolicies = (hostIp: string) => [
  { Type: "OutBoundNAT", Settings: { Exceptions: ["10.0.0.0/16", `${hostIp}/32`] } },
  { Type: "SDNRoute", Settings: { DestinationPrefix: "11.0.0.0/8", NeedEncap: true } },
  { Type: "ProviderAddress", Settings: { ProviderAddress: hostIp } },
];

/** A container's endpoint and namespace as the plugins make them (endpoint "<container>_<network>", attached by namespace Modify). */
async function container(c: PeerContext, networkId: string, networkName: string, extra: Record<string, unknown> = {}) {
  const ns = await c.t.create("namespace", { SchemaVersion: { Major: 2, Minor: 0 } });
  const ep = await endpoint(c, networkId, `123456_${networkName}`, extra);
  await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
  return { ns, ep: (await c.hns.get("endpoint", ep.ID!))! };
}

/** Every plugin test: create the network, ADD a container (endpoint in a namespace), check it, DEL it, tear the network down. */
async function pluginRoundTrip(c: PeerContext, made: ReturnType<typeof cniNetwork>, policies: unknown[] = []) {
  const net = await c.t.create("network", made.body);
  const { ns, ep } = await container(c, net.ID!, made.body.Name, policies.length ? { Policies: policies } : {});
  // verifyAddEndpointProperties: case-blind comparisons of the endpoint's namespace and network.
  expect(ep.HostComputeNamespace!.toLowerCase()).toBe(ns.ID!.toLowerCase());
  expect(ep.HostComputeNetwork!.toLowerCase()).toBe(net.ID!.toLowerCase());
  // verifyAddNamespaceProperties: the namespace's first resource names the endpoint in upper case.
  expect(JSON.stringify((await c.hns.get("namespace", ns.ID!))!.Resources![0].Data)).toContain(ep.ID!.toUpperCase());
  // delCase: detach and delete; the endpoint is then not found by name.
  await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep.ID } });
  await c.hns.delete("endpoint", ep.ID!);
  expect(await c.hns.list("endpoint", { Name: ep.Name! })).toEqual([]);
  await c.hns.delete("network", net.ID!);
  return { net, ep };
}

export const CLIENT_CASES: PeerCase[] = [
  // ---- windows-container-networking plugin tests ----
  {
    id: "wcn/TestNatCmdAdd",
    source: wcn("plugins/nat/nat_windows_test.go", "TestNatCmdAdd"),
    realHns: "a NAT network from GetDefaultIpams (no Ipam Type) takes a container endpoint attached to a namespace; DEL removes it; the network is deleted",
    run: async (c) => void (await pluginRoundTrip(c, cniNetwork(c, "NAT", "natNet"))),
  },
  {
    id: "wcn/TestBridgeCmdAdd",
    source: wcn("plugins/sdnbridge/sdnbridge_windows_test.go", "TestBridgeCmdAdd"),
    realHns: "an L2Bridge network takes a container endpoint with the plugin's OutBoundNAT, SDNRoute and ProviderAddress policies",
    run: async (c) => void (await pluginRoundTrip(c, cniNetwork(c, "L2Bridge", "bridgeNet"), cniPolicies("192.0.2.10"))),
  },
  {
    id: "wcn/TestOverlayCmdAdd",
    source: wcn("plugins/sdnoverlay/sdnoverlay_windows_test.go", "TestOverlayCmdAdd"),
    realHns: "an Overlay network whose subnet carries VSID 4096 takes a container endpoint with the plugin's policies",
    run: async (c) => void (await pluginRoundTrip(c, cniNetwork(c, "Overlay", "overlayNet", { policies: VSID_4096 }), cniPolicies("192.0.2.10"))),
  },
  {
    id: "wcn/TestBridgeCmdAdd/dual-stack",
    source: PLUGIN("RunBasicConnectivityTest (TestDualStack=1)"),
    realHns: "on an L2Bridge network with an IPv4 and an IPv6 subnet, the container endpoint has an address of each family (Getv4Andv6AddressFromIPConfigList)",
    needs: "IPv6DualStack",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "bridgeNet", { ipv6: true });
      const net = await c.t.create("network", made.body);
      const { ep } = await container(c, net.ID!, made.body.Name);
      const addresses = (ep.IpConfigurations ?? []).map((x) => x.IpAddress!);
      expect(addresses.filter((a) => a.includes(":"))).toHaveLength(1);
      expect(addresses.filter((a) => !a.includes(":"))).toHaveLength(1);
      expect(addresses.find((a) => a.includes(":"))!.startsWith(made.v6)).toBe(true);
    },
  },
  {
    id: "wcn/PluginUnitTest.Teardown",
    source: PLUGIN("Teardown (after CreateGatewayEp)"),
    realHns: "the teardown deletes the test network while the gateway endpoint \"GwEp\" is still on it, and the delete succeeds",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "bridgeNet");
      const net = await c.t.create("network", made.body);
      const gw = await endpoint(c, net.ID!, "GwEp", { IpConfigurations: [{ IpAddress: at(made.prefix, 2), PrefixLength: 0 }], Routes: [{ NextHop: "0.0.0.0", DestinationPrefix: "0.0.0.0/0" }] });
      await c.hns.delete("network", net.ID!);
      expect(await c.hns.get("endpoint", gw.ID!)).toBeUndefined();
      expect(await c.hns.list("endpoint", { Name: gw.Name! })).toEqual([]);
    },
  },
  {
    id: "wcn/CreateGatewayEp",
    source: UTIL("CreateGatewayEp"),
    realHns: "an endpoint with a static address (.2, the CNI config's gateway), PrefixLength 0 and a 0.0.0.0/0 route via 0.0.0.0 is created",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "bridgeNet");
      const net = await c.t.create("network", made.body);
      const gw = await endpoint(c, net.ID!, "GwEp", { IpConfigurations: [{ IpAddress: at(made.prefix, 2), PrefixLength: 0 }], Routes: [{ NextHop: "0.0.0.0", DestinationPrefix: "0.0.0.0/0" }] });
      expect(gw.IpConfigurations?.[0]?.IpAddress).toBe(at(made.prefix, 2));
      expect(gw.Routes?.[0]).toMatchObject({ NextHop: "0.0.0.0", DestinationPrefix: "0.0.0.0/0" });
    },
  },
  {
    id: "wcn/CreateGatewayEp/HostAttach",
    source: UTIL("CreateGatewayEp"),
    realHns: "the gateway endpoint is attached to the host with the v1 HostAttach(1), then netsh gives its vNIC routes",
    notApplicable: "v1 HostAttach and the host's vNICs and netsh routes are not modelled (the provider attaches through HCN namespaces)",
  },
  {
    id: "wcn/RunBasicConnectivityTest",
    source: PLUGIN("RunBasicConnectivityTest"),
    realHns: "containers on the network reach each other and the host (ping, HTTP)",
    notApplicable: "traffic between containers needs real vSwitches and containers; the emulator keeps configuration only",
  },
  {
    id: "wcn/delCase/not-found",
    source: PLUGIN("delCase"),
    realHns: "after CNI DEL, GetEndpointByName fails with a not-found error (hcn.IsNotFoundError), which the test takes as success",
    run: async (c) => {
      const made = cniNetwork(c, "NAT", "natNet");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "gone");
      await c.hns.delete("endpoint", ep.ID!);
      expect(await c.hns.list("endpoint", { Name: ep.Name! })).toEqual([]);
      await failsNotFound(c.hns.delete("endpoint", ep.ID!));
    },
  },

  // ---- kube-proxy winkernel ----
  {
    id: "kube-proxy/createEndpoint/remote",
    source: KUBE("createEndpoint (remote: CreateRemoteEndpoint)"),
    realHns: "on an overlay network a remote endpoint (Flags RemoteEndpoint) with another node's pod address, a MAC and a ProviderAddress policy is created, and reads back with the remote flag",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      const remote = await endpoint(c, net.ID!, "remote", {
        IpConfigurations: [{ IpAddress: at(made.prefix, 77) }],
        MacAddress: "02-11-0a-00-00-4d",
        Flags: 1,
        Policies: [{ Type: "ProviderAddress", Settings: { ProviderAddress: "192.0.2.20" } }],
      });
      expect((remote.Flags ?? 0) & 1).toBe(1);
      expect(remote.IpConfigurations?.[0]?.IpAddress).toBe(at(made.prefix, 77));
    },
  },
  {
    id: "kube-proxy/syncProxyRules/service-vip-remote-endpoint",
    source: { repo: "kubernetes/kubernetes", file: "pkg/proxy/winkernel/proxier.go", test: "syncProxyRules (overlay: a remote endpoint for the service's ClusterIP)" },
    realHns: "on an overlay network kube-proxy creates a remote endpoint for each service ClusterIP (outside every subnet of the network) with the host's MAC and the node's provider address",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      const vip = await endpoint(c, net.ID!, "svc-vip", { IpConfigurations: [{ IpAddress: "10.96.0.10" }], MacAddress: "00-15-5D-01-02-03", Flags: 1, Policies: [{ Type: "ProviderAddress", Settings: { ProviderAddress: "192.0.2.10" } }] });
      expect(vip.IpConfigurations?.[0]?.IpAddress).toBe("10.96.0.10");
      // Negative control: a local endpoint outside every subnet is still refused.
      await failsWith(endpoint(c, net.ID!, "local-out", { IpConfigurations: [{ IpAddress: "10.96.0.11" }] }), "HCN_E_INVALID_IP");
    },
  },
  {
    id: "kube-proxy/createEndpoint/remote-not-on-nat",
    source: KUBE("createEndpoint (remote: CreateRemoteEndpoint)"),
    realHns: "remote endpoints exist on overlay and l2bridge networks only: HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION elsewhere (hcsshim hcnerrors.go names the code)",
    run: async (c) => {
      const made = cniNetwork(c, "NAT", "nat");
      const net = await c.t.create("network", made.body);
      await failsWith(endpoint(c, net.ID!, "remote", { IpConfigurations: [{ IpAddress: at(made.prefix, 77) }], Flags: 1 }), "HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION");
    },
  },
  {
    id: "kube-proxy/getEndpointByIpAddress",
    source: KUBE("getEndpointByIpAddress"),
    realHns: "an endpoint is matched on its first or second IP configuration and on strings.EqualFold(HostComputeNetwork, network ID): HNS's ID case is not the caller's",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", { ...made.body, ID: randomUUID().toLowerCase() });
      const ep = await endpoint(c, net.ID!, "pod", { IpConfigurations: [{ IpAddress: at(made.prefix, 20) }] });
      const found = (await c.hns.list("endpoint")).filter((e) => e.IpConfigurations?.[0]?.IpAddress === at(made.prefix, 20) && sameGuid(e.HostComputeNetwork, net.ID));
      expect(found.map((e) => e.ID?.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    },
  },
  {
    id: "kube-proxy/hashEndpoints/upper-case",
    source: KUBE("hashEndpoints"),
    realHns: "kube-proxy upper-cases its own endpoint IDs but hashes a listed load balancer's HostComputeEndpoints as HNS prints them, so HNS prints them upper case",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod", { ID: randomUUID().toLowerCase() });
      const lb = await c.t.create("loadBalancer", { HostComputeEndpoints: [ep.ID!.toLowerCase()], FrontendVIPs: ["10.96.0.10"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: c.port() }] });
      const listed = (await c.hns.list("loadBalancer")).find((l) => sameGuid(l.ID, lb.ID))!;
      expect(listed.HostComputeEndpoints).toEqual([ep.ID!.toUpperCase()]);
    },
  },
  {
    id: "kube-proxy/getLoadBalancer/cluster-ip",
    source: KUBE("getLoadBalancer"),
    realHns: "a ClusterIP load balancer: one frontend VIP, a source VIP, TCP port mapping with DistributionType None and no flags",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod");
      const lb = await c.t.create("loadBalancer", { SourceVIP: at(made.prefix, 254), FrontendVIPs: ["10.96.0.20"], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80, DistributionType: 0, Flags: 0 }], HostComputeEndpoints: [ep.ID!], Flags: 0, SchemaVersion: { Major: 2, Minor: 0 } });
      expect((await c.hns.get("loadBalancer", lb.ID!))?.FrontendVIPs).toEqual(["10.96.0.20"]);
    },
  },
  {
    id: "kube-proxy/getLoadBalancer/node-port",
    source: KUBE("getLoadBalancer"),
    realHns: "a NodePort load balancer has no frontend VIP (vip \"\" leaves FrontendVIPs empty); several may share ports because they have no frontend",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod");
      const external = c.port();
      const body = { SourceVIP: at(made.prefix, 254), FrontendVIPs: [], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: external }], HostComputeEndpoints: [ep.ID!] };
      await c.t.create("loadBalancer", body);
      await c.t.create("loadBalancer", body);
      expect((await c.hns.list("loadBalancer")).filter((l) => l.PortMappings?.[0]?.ExternalPort === external)).toHaveLength(2);
    },
  },
  {
    id: "kube-proxy/getLoadBalancer/session-affinity",
    source: KUBE("getLoadBalancer"),
    realHns: "sessionAffinity sends DistributionType SourceIP (1) on the port mapping",
    needs: "SessionAffinity",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod");
      const lb = await c.t.create("loadBalancer", { FrontendVIPs: ["10.96.0.21"], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80, DistributionType: 1 }], HostComputeEndpoints: [ep.ID!] });
      expect(Number((await c.hns.get("loadBalancer", lb.ID!))!.PortMappings![0].DistributionType)).toBe(1);
    },
  },
  {
    id: "kube-proxy/getLoadBalancer/flags",
    source: KUBE("getLoadBalancer"),
    realHns: "port-mapping flags ILB (1), LocalRoutedVIP (2), UseMux (4) and PreserveDIP (8) combine, and DSR sets the load balancer's Flags 1",
    needs: "DSR",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod");
      const lb = await c.t.create("loadBalancer", { Flags: 1, FrontendVIPs: ["10.96.0.22"], PortMappings: [{ Protocol: 17, InternalPort: 53, ExternalPort: 53, Flags: 1 | 2 | 4 | 8 }], HostComputeEndpoints: [ep.ID!] });
      const read = (await c.hns.get("loadBalancer", lb.ID!))!;
      expect([read.Flags, Number(read.PortMappings![0].Flags)]).toEqual([1, 15]);
    },
  },
  {
    id: "kube-proxy/getLoadBalancer/same-frontend",
    source: KUBE("getLoadBalancer"),
    realHns: "kube-proxy keys load balancers on VIP, protocol and ports and re-uses the one it finds instead of creating a second: a second one with the same frontend and ports is refused (HCN_E_POLICY_ALREADY_EXISTS)",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "pod");
      const body = { FrontendVIPs: ["10.96.0.23"], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }], HostComputeEndpoints: [ep.ID!] };
      await c.t.create("loadBalancer", body);
      await failsWith(c.t.create("loadBalancer", body), "HCN_E_POLICY_ALREADY_EXISTS");
    },
  },
  {
    id: "kube-proxy/deleteLoadBalancer-then-endpoint",
    source: KUBE("deleteLoadBalancer, deleteEndpoint"),
    realHns: "kube-proxy deletes a service's load balancers before the remote endpoints behind them; both deletes succeed in that order",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      const remote = await endpoint(c, net.ID!, "remote", { IpConfigurations: [{ IpAddress: at(made.prefix, 78) }], Flags: 1 });
      const lb = await c.t.create("loadBalancer", { FrontendVIPs: ["10.96.0.24"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }], HostComputeEndpoints: [remote.ID!] });
      await c.hns.delete("loadBalancer", lb.ID!);
      await c.hns.delete("endpoint", remote.ID!);
      expect(await c.hns.get("endpoint", remote.ID!)).toBeUndefined();
    },
  },
  {
    id: "kube-proxy/deleteLoadBalancer/gone",
    source: KUBE("deleteLoadBalancer"),
    realHns: "GetLoadBalancerByID of a load balancer already gone fails (kube-proxy returns silently)",
    run: async (c) => {
      expect(await c.hns.get("loadBalancer", randomUUID())).toBeUndefined();
      await failsNotFound(c.hns.delete("loadBalancer", randomUUID()));
    },
  },
  {
    id: "kube-proxy/getNetworkByName",
    source: KUBE("getNetworkByName"),
    realHns: "the network is found by name; a remote subnet's routes come from its RemoteSubnetRoute policies",
    needs: "RemoteSubnet",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      await c.hns.modify("network", net.ID!, {
        ResourceType: "Policy",
        RequestType: "Add",
        Settings: { Policies: [{ Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: "10.244.2.0/24", IsolationId: 4096, ProviderAddress: "192.0.2.30", DistributedRouterMacAddress: "02-11-c0-00-02-1e" } }] },
      });
      const found = (await c.hns.list("network", { Name: made.body.Name }))[0];
      expect(found.Policies?.filter((p) => p.Type === "RemoteSubnetRoute")).toHaveLength(1);
    },
  },

  // ---- flannel ----
  {
    id: "flannel/vxlan/network",
    source: { repo: "flannel-io/flannel", file: "pkg/backend/vxlan/vxlan_windows.go", test: "RegisterNetwork (HNS network request)" },
    realHns: "flannel's Windows VXLAN backend creates an Overlay network whose subnet has a VSID policy (VNI, >= 4096) and a gateway route",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", made.body);
      expect(JSON.stringify((await c.hns.get("network", net.ID!))!.Ipams)).toContain("4096");
    },
  },
  {
    id: "flannel/vxlan/vsid-below-4096",
    source: { repo: "flannel-io/flannel", file: "pkg/backend/vxlan/vxlan_windows.go", test: "New (\"VNI must be >= 4096\")" },
    realHns: "flannel refuses a VNI below 4096 on Windows before calling HNS because HNS reserves them; the VSID range is 4096-16777215",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: [{ Type: "VSID", Settings: { IsolationId: 1 } }] });
      await fails(c.t.create("network", made.body));
    },
  },
  {
    id: "flannel/host-gw/network",
    source: { repo: "flannel-io/flannel", file: "pkg/backend/hostgw/hostgw_windows.go", test: "RegisterNetwork (HNS network request, as quoted in microsoft/hcsshim#850)" },
    realHns: "flannel's host-gw backend creates an L2Bridge network (cbr0) with one subnet and its gateway",
    run: async (c) => {
      const made = cniNetwork(c, "L2Bridge", "cbr0");
      const net = await c.t.create("network", made.body);
      expect((await c.hns.get("network", net.ID!))!.Ipams![0].Subnets![0].Routes).toEqual([{ NextHop: at(made.prefix, 1), DestinationPrefix: "0.0.0.0/0" }]);
    },
  },
  {
    id: "flannel/vxlan/port",
    source: { repo: "flannel-io/flannel", file: "pkg/backend/vxlan/vxlan_windows.go", test: "RegisterNetwork (VxlanPort network policy when a port is configured)" },
    realHns: "a VxlanPort network policy on the overlay network sets the UDP port (from HNS 11.10)",
    needs: "VxlanPort",
    run: async (c) => {
      const made = cniNetwork(c, "Overlay", "vxlan0", { policies: VSID_4096 });
      const net = await c.t.create("network", { ...made.body, Policies: [{ Type: "VxlanPort", Settings: { Port: 4789 } }] });
      expect((await c.hns.get("network", net.ID!))!.Policies?.some((p) => p.Type === "VxlanPort")).toBe(true);
    },
  },

  // ---- quirks users hit on real hosts ----
  {
    id: "docker/for-win#1384/overlapping-nat",
    source: { repo: "docker/for-win", file: "issues/1384", test: "docker network create -d nat --subnet 172.16.0.0/20 beside the default nat network" },
    realHns: "a NAT network whose prefix overlaps another NAT network's is refused: \"HNS failed with error : The object already exists.\" (WinNAT keeps one NAT per internal prefix)",
    run: async (c) => {
      const first = cniNetwork(c, "NAT", "nat-a");
      await c.t.create("network", first.body);
      const wider = first.prefix.replace(/\.\d+\.0\/24$/, ".0.0/16");
      const second = { ...first.body, Name: c.t.name("nat-b"), Ipams: [{ Subnets: [{ IpAddressPrefix: wider, Routes: [{ NextHop: wider.replace(/0\/16$/, "1"), DestinationPrefix: "0.0.0.0/0" }] }] }] };
      await failsWith(c.t.create("network", second), "ERROR_OBJECT_ALREADY_EXISTS");
      expect(await c.hns.list("network", { Name: second.Name })).toEqual([]);
    },
  },
  {
    id: "antrea#2301/element-not-found",
    source: { repo: "antrea-io/antrea", file: "issues/2301", test: "an endpoint deleted by another client between list and get" },
    realHns: "an object listed, then deleted by another client, is not found when read or deleted (\"Element not found\" / the kind's not-found code)",
    run: async (c) => {
      const made = cniNetwork(c, "NAT", "nat");
      const net = await c.t.create("network", made.body);
      const ep = await endpoint(c, net.ID!, "raced");
      const listed = (await c.hns.list("endpoint", { VirtualNetwork: net.ID! })).map((e) => e.ID!);
      await c.hns.delete("endpoint", ep.ID!); // the other client
      expect(await c.hns.get("endpoint", listed[0])).toBeUndefined();
      await failsNotFound(c.hns.delete("endpoint", listed[0]));
      await failsNotFound(c.hns.modify("endpoint", listed[0], { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [] } }));
    },
  },
  {
    id: "moby#39098/nat-after-reboot",
    source: { repo: "moby/moby", file: "issues/39098", test: "nat networks are not persisted across reboots: re-created after one" },
    realHns: "a NAT network does not survive a reboot; the one created again afterwards gets a new ID",
    standInOnly: true,
    run: async (c) => {
      const made = cniNetwork(c, "NAT", "nat");
      const before = await c.t.createAssigned("network", made.body);
      await c.emulator!.reboot();
      expect(await c.hns.get("network", before.ID!)).toBeUndefined();
      const after = await c.t.createAssigned("network", made.body);
      expect(sameGuid(after.ID, before.ID)).toBe(false);
    },
  },
];
