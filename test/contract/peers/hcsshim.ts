/**
 * Cases from hcsshim's hcn package tests (github.com/microsoft/hcsshim, hcn/*_test.go, read at
 * commit 7c9ff7f4). Each names the test function and what real HNS did there: the tests run on
 * Windows against HNS and fail on any error, so "the call succeeds" is what HNS did unless the
 * test expects an error. Shapes follow the tests' helpers (hcn/hcnutils_test.go); prefixes,
 * names and ports are drawn per run.
 */
import { randomUUID } from "node:crypto";
import { sameGuid } from "../../../provider/hosts/client";
import { fails, failsNotFound, failsWith } from "../expect";
import { at, endpoint, hcsshimAcls, HCSSHIM_MAC_POOL, l2bridgeBody, loadBalancerBody, natBody, network, overlayBody, sdnRouteBody, type PeerCase, type PeerContext, type Source } from "./support";

const src = (file: string, test: string): Source => ({ repo: "microsoft/hcsshim", file: `hcn/${file}`, test });
const NETWORK = (test: string) => src("hcnnetwork_test.go", test);
const ENDPOINT = (test: string) => src("hcnendpoint_test.go", test);
const LB = (test: string) => src("hcnloadbalancer_test.go", test);
const ROUTE = (test: string) => src("hcnroute_test.go", test);
const NAMESPACE = (test: string) => src("hcnnamespace_test.go", test);
const ERRORS = (test: string) => src("hcnerrors_test.go", test);

/** hcsshim HcnCreateTestNamespace: Type HostDefault, NamespaceId 5. */
const namespaceBody = () => ({ Type: "HostDefault", NamespaceId: 5, SchemaVersion: { Major: 2, Minor: 0 } });

async function natWithEndpoint(c: PeerContext) {
  const net = await network(c, natBody(c, "nat"));
  return { net, ep: await endpoint(c, net.id) };
}

async function overlayWithEndpoint(c: PeerContext) {
  const net = await network(c, overlayBody(c, "overlay"));
  return { net, ep: await endpoint(c, net.id) };
}

const endpointIdsOf = async (c: PeerContext, namespaceId: string) =>
  ((await c.hns.get("namespace", namespaceId))?.Resources ?? []).filter((r) => r.Type === "Endpoint").map((r) => String((r.Data as { ID?: string }).ID));

async function networkPolicyAddRemove(c: PeerContext, policy: { Type: string; Settings: unknown }) {
  const net = await network(c, overlayBody(c, "netpol"));
  await c.hns.modify("network", net.id, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [policy] } });
  expect((await c.hns.get("network", net.id))!.Policies?.some((p) => p.Type === policy.Type)).toBe(true);
  await c.hns.modify("network", net.id, { ResourceType: "Policy", RequestType: "Remove", Settings: { Policies: [policy] } });
  expect((await c.hns.get("network", net.id))!.Policies?.some((p) => p.Type === policy.Type) ?? false).toBe(false);
}

export const HCSSHIM_CASES: PeerCase[] = [
  // ---- networks ----
  {
    id: "hcsshim/TestCreateDeleteNetworks/with-subnet",
    source: NETWORK("TestCreateDeleteNetworks"),
    realHns: "a NAT network with a static subnet and its 0.0.0.0/0 gateway route is created and deleted",
    run: async (c) => {
      const made = natBody(c, "crud");
      const net = await network(c, made);
      expect((await c.hns.get("network", net.id))!.Ipams![0].Subnets![0].IpAddressPrefix).toBe(made.prefix);
      await c.hns.delete("network", net.id);
      expect(await c.hns.get("network", net.id)).toBeUndefined();
    },
  },
  {
    id: "hcsshim/TestCreateDeleteNetworks/no-subnet",
    source: NETWORK("TestCreateDeleteNetworks"),
    realHns: "a NAT network created with no Ipams (HcnCreateTestNATNetworkWithSubnet(nil)) is created: HNS picks its prefix",
    run: async (c) => {
      const { body } = natBody(c, "auto");
      const net = await c.t.create("network", { ...body, Ipams: undefined });
      const prefix = net.Ipams?.[0]?.Subnets?.[0]?.IpAddressPrefix;
      expect(prefix).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      await c.hns.delete("network", net.ID!);
    },
  },
  {
    id: "hcsshim/TestCreateDeleteNetworks/route-1.1.1.1/0",
    source: NETWORK("TestCreateDeleteNetworks"),
    realHns: "a subnet whose route has destination 1.1.1.1/0 is refused (the test fails if the create succeeds)",
    run: async (c) => {
      const { prefix, body } = natBody(c, "badroute");
      await fails(c.t.create("network", { ...body, Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, Routes: [{ NextHop: at(prefix, 1), DestinationPrefix: "1.1.1.1/0" }] }] }] }));
      expect(await c.hns.list("network", { Name: body.Name })).toEqual([]);
    },
  },
  {
    id: "hcsshim/TestCreateDeleteNetworks/empty-route",
    source: NETWORK("TestCreateDeleteNetworks"),
    realHns: "a subnet whose only route has no next hop and no destination (CreateSubnet(prefix, \"\", \"\")) is refused",
    run: async (c) => {
      const { prefix, body } = natBody(c, "noroute");
      await fails(c.t.create("network", { ...body, Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, Routes: [{ NextHop: "", DestinationPrefix: "" }] }] }] }));
      expect(await c.hns.list("network", { Name: body.Name })).toEqual([]);
    },
  },
  {
    id: "hcsshim/TestGetNetworkByName",
    source: NETWORK("TestGetNetworkByName"),
    realHns: "a network is found by a list filtered on its Name",
    run: async (c) => {
      const made = natBody(c, "byname");
      const net = await network(c, made);
      expect((await c.hns.list("network", { Name: made.body.Name })).map((n) => n.ID?.toLowerCase())).toEqual([net.id.toLowerCase()]);
    },
  },
  {
    id: "hcsshim/TestGetNetworkById",
    source: NETWORK("TestGetNetworkById"),
    realHns: "a network is read back by its ID",
    run: async (c) => {
      const made = natBody(c, "byid");
      const net = await network(c, made);
      expect((await c.hns.get("network", net.id))?.Name).toBe(made.body.Name);
    },
  },
  {
    id: "hcsshim/TestListNetwork",
    source: NETWORK("TestListNetwork"),
    realHns: "listing networks succeeds",
    run: async (c) => {
      const net = await network(c, natBody(c, "listed"));
      expect((await c.hns.list("network")).some((n) => sameGuid(n.ID, net.id))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestAddRemoveRemoteSubnetRoutePolicy",
    source: NETWORK("TestAddRemoveRemoteSubnetRoutePolicy"),
    realHns: "a RemoteSubnetRoute policy is added to an overlay network (seen in its Policies) and removed again",
    needs: "RemoteSubnet",
    run: (c) => networkPolicyAddRemove(c, { Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: "192.168.2.0/24", IsolationId: 5000, ProviderAddress: "1.1.1.1", DistributedRouterMacAddress: "00-12-34-56-78-9a" } }),
  },
  {
    id: "hcsshim/TestAddRemoveHostRoutePolicy",
    source: NETWORK("TestAddRemoveHostRoutePolicy"),
    realHns: "a HostRoute policy (empty settings) is added to an overlay network and removed again",
    needs: "HostRoute",
    run: (c) => networkPolicyAddRemove(c, { Type: "HostRoute", Settings: {} }),
  },
  {
    id: "hcsshim/TestAddRemoveNetworACLPolicy",
    source: NETWORK("TestAddRemoveNetworACLPolicy"),
    realHns: "a NetworkACL policy is added to an overlay network and removed again",
    needs: "NetworkACL",
    run: (c) =>
      networkPolicyAddRemove(c, {
        Type: "NetworkACL",
        Settings: { Protocols: "6", Action: "Allow", Direction: "In", LocalAddresses: "192.168.100.0/24,10.0.0.21", RemoteAddresses: "192.168.100.0/24,10.0.0.21", LocalPorts: "80,8080", RemotePorts: "80,8080", RuleType: "Switch", Priority: 200 },
      }),
  },
  {
    id: "hcsshim/TestNetworkFlags",
    source: NETWORK("TestNetworkFlags"),
    realHns: "an overlay network created with EnableNonPersistent (8) reads back with that flag set",
    run: async (c) => {
      const net = await network(c, overlayBody(c, "flags"));
      expect(((await c.hns.get("network", net.id))!.Flags ?? 0) & 8).toBe(8);
    },
  },

  // ---- endpoints ----
  {
    id: "hcsshim/TestCreateDeleteEndpoint",
    source: ENDPOINT("TestCreateDeleteEndpoint"),
    realHns: "an endpoint created with only a name on a NAT network gets an address from its subnet; it and the network are deleted",
    run: async (c) => {
      const { net, ep } = await natWithEndpoint(c);
      expect(ep.IpConfigurations?.[0]?.IpAddress?.startsWith(net.prefix.replace(/0\/24$/, ""))).toBe(true);
      await c.hns.delete("endpoint", ep.ID!);
      await c.hns.delete("network", net.id);
      expect(await c.hns.get("endpoint", ep.ID!)).toBeUndefined();
    },
  },
  {
    id: "hcsshim/TestGetEndpointById",
    source: ENDPOINT("TestGetEndpointById"),
    realHns: "an endpoint is read back by its ID",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      expect((await c.hns.get("endpoint", ep.ID!))?.Name).toBe(ep.Name);
    },
  },
  {
    id: "hcsshim/TestGetEndpointByName",
    source: ENDPOINT("TestGetEndpointByName"),
    realHns: "an endpoint is found by a list filtered on its Name",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      expect((await c.hns.list("endpoint", { Name: ep.Name! })).map((e) => e.ID?.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    },
  },
  {
    id: "hcsshim/TestListEndpoints",
    source: ENDPOINT("TestListEndpoints"),
    realHns: "listing endpoints returns the one created",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      expect((await c.hns.list("endpoint")).some((e) => sameGuid(e.ID, ep.ID))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestListEndpointsOfNetwork",
    source: ENDPOINT("TestListEndpointsOfNetwork"),
    realHns: "a list filtered on the network (VirtualNetwork, as ListEndpointsOfNetwork sends) returns the network's endpoints only",
    run: async (c) => {
      const { net, ep } = await natWithEndpoint(c);
      const other = await network(c, natBody(c, "other"));
      await endpoint(c, other.id, "elsewhere");
      expect((await c.hns.list("endpoint", { VirtualNetwork: net.id })).map((e) => e.ID?.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    },
  },
  {
    id: "hcsshim/TestEndpointNamespaceAttachDetach",
    source: ENDPOINT("TestEndpointNamespaceAttachDetach"),
    realHns: "an endpoint is attached to a new namespace (namespace Modify Endpoint Add) and detached (Remove); then all three are deleted",
    run: async (c) => {
      const { net, ep } = await natWithEndpoint(c);
      const ns = await c.t.create("namespace", namespaceBody());
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
      expect(sameGuid((await c.hns.get("endpoint", ep.ID!))!.HostComputeNamespace, ns.ID)).toBe(true);
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep.ID } });
      expect((await c.hns.get("endpoint", ep.ID!))!.HostComputeNamespace).toBeUndefined();
      await c.hns.delete("namespace", ns.ID!);
      await c.hns.delete("endpoint", ep.ID!);
      await c.hns.delete("network", net.id);
    },
  },
  {
    id: "hcsshim/TestAddL4WfpProxyPolicyOnEndpoint",
    source: ENDPOINT("TestAddL4WfpProxyPolicyOnEndpoint"),
    realHns: "an L4WFPPROXY policy (inbound 80, outbound 81, a filter tuple and exceptions) is added to a NAT endpoint",
    needs: "L4WfpProxy",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      const policy = {
        Type: "L4WFPPROXY",
        Settings: {
          InboundProxyPort: "80",
          OutboundProxyPort: "81",
          FilterTuple: { Protocols: "6", RemoteAddresses: "10.0.0.4", Priority: 8 },
          OutboundExceptions: { IpAddressExceptions: ["10.0.1.12"], PortExceptions: ["81"] },
          InboundExceptions: { IpAddressExceptions: ["12.0.1.12"], PortExceptions: ["8181"] },
        },
      };
      await c.hns.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [policy] } });
      expect((await c.hns.get("endpoint", ep.ID!))!.Policies?.some((p) => p.Type === "L4WFPPROXY")).toBe(true);
    },
  },
  {
    id: "hcsshim/TestApplyPolicyOnEndpoint",
    source: ENDPOINT("TestApplyPolicyOnEndpoint"),
    realHns: "ApplyPolicy Update with an inbound and an outbound ACL leaves the endpoint with policies",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      await c.hns.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Update", Settings: { Policies: hcsshimAcls() } });
      expect((await c.hns.get("endpoint", ep.ID!))!.Policies?.filter((p) => p.Type === "ACL")).toHaveLength(2);
    },
  },
  {
    id: "hcsshim/TestModifyEndpointSettings",
    source: ENDPOINT("TestModifyEndpointSettings"),
    realHns: "ModifyEndpointSettings (ResourceType Policy, RequestType Update) with the two ACLs leaves the endpoint with policies",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      await c.hns.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Update", Settings: { Policies: hcsshimAcls() } });
      const read = (await c.hns.list("endpoint", { Name: ep.Name! }))[0];
      expect(read.Policies?.length).toBeGreaterThan(0);
    },
  },
  {
    id: "hcsshim/TestApplyTierAclPolicyOnEndpoint",
    source: ENDPOINT("TestApplyTierAclPolicyOnEndpoint"),
    realHns: "on an L2Bridge endpoint, ApplyPolicy Update with TierAcl policies leaves the endpoint with policies",
    needs: "TierAcl",
    run: async (c) => {
      const net = await network(c, l2bridgeBody(c, "tier"));
      const ep = await endpoint(c, net.id);
      const tier = (Name: string, Direction: string, Order: number) => ({
        Type: "TierAcl",
        Settings: { Name, Direction, Order, TierAclRules: [{ Id: `${Name}Rule1`, Protocols: "6", TierAclRuleAction: "Pass", LocalPorts: "80", RemotePorts: "80", Priority: 2001 }, { Id: `${Name}Rule2`, TierAclRuleAction: "Block", Priority: 2100 }] },
      });
      await c.hns.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Update", Settings: { Policies: [tier("TierIn1", "In", 1001), tier("TierOut1", "Out", 1001)] } });
      expect((await c.hns.get("endpoint", ep.ID!))!.Policies?.filter((p) => p.Type === "TierAcl")).toHaveLength(2);
    },
  },

  // ---- load balancers (all on the overlay test network) ----
  {
    id: "hcsshim/TestCreateDeleteLoadBalancer",
    source: LB("TestCreateDeleteLoadBalancer"),
    realHns: "a load balancer (SourceVIP 10.0.0.1, frontends 1.1.1.2 and 1.1.1.3, TCP 8080->8090) over an overlay endpoint is created; LB, endpoint, network deleted in that order",
    run: async (c) => {
      const { net, ep } = await overlayWithEndpoint(c);
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!]));
      expect(lb.FrontendVIPs).toEqual(["1.1.1.2", "1.1.1.3"]);
      expect(lb.SourceVIP).toBe("10.0.0.1");
      await c.hns.delete("loadBalancer", lb.ID!);
      await c.hns.delete("endpoint", ep.ID!);
      await c.hns.delete("network", net.id);
    },
  },
  {
    id: "hcsshim/TestCreateUpdateDeleteLoadBalancer",
    source: LB("TestCreateUpdateDeleteLoadBalancer"),
    realHns: "Update (HcnModifyLoadBalancer) adds a second backend (2 endpoints), then removes it (1 endpoint)",
    needs: "ModifyLoadBalancer",
    run: async (c) => {
      const { net, ep } = await overlayWithEndpoint(c);
      const second = await endpoint(c, net.id, "second");
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!]));
      const two = await c.hns.modify("loadBalancer", lb.ID!, { ...lb, HostComputeEndpoints: [ep.ID!, second.ID!] });
      expect(two.HostComputeEndpoints).toHaveLength(2);
      const one = await c.hns.modify("loadBalancer", lb.ID!, { ...two, HostComputeEndpoints: [ep.ID!] });
      expect(one.HostComputeEndpoints).toHaveLength(1);
    },
  },
  {
    id: "hcsshim/TestGetLoadBalancerById",
    source: LB("TestGetLoadBalancerById"),
    realHns: "a load balancer is read back by its ID",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!]));
      expect((await c.hns.get("loadBalancer", lb.ID!))?.PortMappings?.[0]).toMatchObject({ Protocol: 6, InternalPort: 8080, ExternalPort: 8090 });
    },
  },
  {
    id: "hcsshim/TestListLoadBalancer",
    source: LB("TestListLoadBalancer"),
    realHns: "listing load balancers succeeds",
    run: async (c) => {
      expect(Array.isArray(await c.hns.list("loadBalancer"))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestLoadBalancerAddRemoveEndpoint",
    source: LB("TestLoadBalancerAddRemoveEndpoint"),
    realHns: "AddEndpoint / RemoveEndpoint (hcn/hcnloadbalancer.go: delete the load balancer, create it with the new endpoint list) give 2, then 1 endpoints",
    run: async (c) => {
      const { net, ep } = await overlayWithEndpoint(c);
      const second = await endpoint(c, net.id, "second");
      const first = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!]));
      await c.hns.delete("loadBalancer", first.ID!);
      const two = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!, second.ID!]));
      expect(two.HostComputeEndpoints).toHaveLength(2);
      await c.hns.delete("loadBalancer", two.ID!);
      const one = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!]));
      expect(one.HostComputeEndpoints).toHaveLength(1);
    },
  },
  {
    id: "hcsshim/TestAddLoadBalancer",
    source: LB("TestAddLoadBalancer"),
    realHns: "AddLoadBalancer with no flags (TCP 8080->80) makes a load balancer found by its ID",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!], { PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] }));
      expect(await c.hns.get("loadBalancer", lb.ID!)).toBeDefined();
    },
  },
  {
    id: "hcsshim/TestAddDSRLoadBalancer",
    source: LB("TestAddDSRLoadBalancer"),
    realHns: "a DSR load balancer (Flags 1) with the PreserveDIP port-mapping flag (8) reads back with Flags 1 and PreserveDIP set",
    needs: "DSR",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!], { Flags: 1, PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80, Flags: 8 }] }));
      const read = (await c.hns.get("loadBalancer", lb.ID!))!;
      expect(read.Flags).toBe(1);
      expect(Number(read.PortMappings![0].Flags ?? 0) & 8).toBe(8);
    },
  },
  {
    id: "hcsshim/TestAddILBLoadBalancer",
    source: LB("TestAddILBLoadBalancer"),
    realHns: "a load balancer whose port mapping has the ILB flag (1) reads back with that flag",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const lb = await c.t.create("loadBalancer", loadBalancerBody([ep.ID!], { PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80, Flags: 1 }] }));
      expect(Number((await c.hns.get("loadBalancer", lb.ID!))!.PortMappings![0].Flags ?? 0) & 1).toBe(1);
    },
  },

  // ---- SDN routes (overlay test network) ----
  {
    id: "hcsshim/TestCreateDeleteRoute",
    source: ROUTE("TestCreateDeleteRoute"),
    realHns: "an SDN route to 169.254.169.254/24 (host bits set) via 127.10.0.34 is created over an overlay endpoint; route, endpoint, network deleted",
    run: async (c) => {
      const { net, ep } = await overlayWithEndpoint(c);
      const route = await c.t.create("route", sdnRouteBody([ep.ID!]));
      expect(route.Setting?.[0]?.DestinationPrefix).toBe("169.254.169.254/24");
      await c.hns.delete("route", route.ID!);
      await c.hns.delete("endpoint", ep.ID!);
      await c.hns.delete("network", net.id);
    },
  },
  {
    id: "hcsshim/TestGetRouteById",
    source: ROUTE("TestGetRouteById"),
    realHns: "an SDN route is read back by its ID",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const route = await c.t.create("route", sdnRouteBody([ep.ID!]));
      expect((await c.hns.get("route", route.ID!))?.Setting?.[0]?.NextHop).toBe("127.10.0.34");
    },
  },
  {
    id: "hcsshim/TestListRoutes",
    source: ROUTE("TestListRoutes"),
    realHns: "listing SDN routes succeeds",
    run: async (c) => {
      expect(Array.isArray(await c.hns.list("route"))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestRouteAddRemoveEndpoint",
    source: ROUTE("TestRouteAddRemoveEndpoint"),
    realHns: "route AddEndpoint / RemoveEndpoint (delete, then create with the new endpoint list) give 2, then 1 endpoints",
    run: async (c) => {
      const { net, ep } = await overlayWithEndpoint(c);
      const second = await endpoint(c, net.id, "second");
      const first = await c.t.create("route", sdnRouteBody([ep.ID!]));
      await c.hns.delete("route", first.ID!);
      const two = await c.t.create("route", sdnRouteBody([ep.ID!, second.ID!]));
      expect(two.HostComputeEndpoints).toHaveLength(2);
      await c.hns.delete("route", two.ID!);
      expect((await c.t.create("route", sdnRouteBody([ep.ID!]))).HostComputeEndpoints).toHaveLength(1);
    },
  },
  {
    id: "hcsshim/TestAddRoute",
    source: ROUTE("TestAddRoute"),
    realHns: "AddRoute(169.254.169.254/24 via 127.10.0.33, no encap) makes a route found by its ID",
    run: async (c) => {
      const { ep } = await overlayWithEndpoint(c);
      const route = await c.t.create("route", sdnRouteBody([ep.ID!], "127.10.0.33"));
      expect((await c.hns.get("route", route.ID!))?.Setting?.[0]).toMatchObject({ DestinationPrefix: "169.254.169.254/24", NextHop: "127.10.0.33" });
    },
  },

  // ---- namespaces ----
  {
    id: "hcsshim/TestCreateDeleteNamespace",
    source: NAMESPACE("TestCreateDeleteNamespace"),
    realHns: "a namespace of Type HostDefault with NamespaceId 5 is created and deleted",
    run: async (c) => {
      const ns = await c.t.create("namespace", namespaceBody());
      expect(await c.hns.get("namespace", ns.ID!)).toBeDefined();
      await c.hns.delete("namespace", ns.ID!);
      expect(await c.hns.get("namespace", ns.ID!)).toBeUndefined();
    },
  },
  {
    id: "hcsshim/TestCreateDeleteNamespaceGuest",
    source: NAMESPACE("TestCreateDeleteNamespaceGuest"),
    realHns: "a namespace of Type Guest is created and deleted",
    run: async (c) => {
      const ns = await c.t.create("namespace", { Type: "Guest", SchemaVersion: { Major: 2, Minor: 0 } });
      await c.hns.delete("namespace", ns.ID!);
      expect(await c.hns.get("namespace", ns.ID!)).toBeUndefined();
    },
  },
  {
    id: "hcsshim/TestGetNamespaceById",
    source: NAMESPACE("TestGetNamespaceById"),
    realHns: "a namespace is read back by its ID",
    run: async (c) => {
      const ns = await c.t.create("namespace", namespaceBody());
      expect(sameGuid((await c.hns.get("namespace", ns.ID!))?.ID, ns.ID)).toBe(true);
    },
  },
  {
    id: "hcsshim/TestListNamespaces",
    source: NAMESPACE("TestListNamespaces"),
    realHns: "listing namespaces after creating one returns at least one",
    run: async (c) => {
      const ns = await c.t.create("namespace", namespaceBody());
      expect((await c.hns.list("namespace")).some((n) => sameGuid(n.ID, ns.ID))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestGetNamespaceEndpointIds",
    source: NAMESPACE("TestGetNamespaceEndpointIds"),
    realHns: "after NamespaceAttach the namespace's endpoint resources name the endpoint; detach, then namespace, endpoint and network are deleted",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      const ns = await c.t.create("namespace", namespaceBody());
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
      expect((await endpointIdsOf(c, ns.ID!)).map((x) => x.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep.ID } });
      expect(await endpointIdsOf(c, ns.ID!)).toEqual([]);
    },
  },
  {
    id: "hcsshim/TestGetNamespaceContainers",
    source: NAMESPACE("TestGetNamespaceContainers"),
    realHns: "a new namespace holds no containers",
    run: async (c) => {
      const ns = await c.t.create("namespace", namespaceBody());
      expect(((await c.hns.get("namespace", ns.ID!))!.Resources ?? []).filter((r) => r.Type === "Container")).toEqual([]);
    },
  },
  {
    id: "hcsshim/TestAddRemoveNamespaceEndpoint",
    source: NAMESPACE("TestAddRemoveNamespaceEndpoint"),
    realHns: "AddNamespaceEndpoint then RemoveNamespaceEndpoint: the endpoint is listed, then not",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      const ns = await c.t.create("namespace", namespaceBody());
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
      expect(await endpointIdsOf(c, ns.ID!)).toHaveLength(1);
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep.ID } });
      expect(await endpointIdsOf(c, ns.ID!)).toHaveLength(0);
    },
  },
  {
    id: "hcsshim/TestModifyNamespaceSettings",
    source: NAMESPACE("TestModifyNamespaceSettings"),
    realHns: "ModifyNamespaceSettings (ResourceType Endpoint, RequestType Add, Settings {EndpointId}) attaches the endpoint",
    run: async (c) => {
      const { ep } = await natWithEndpoint(c);
      const ns = await c.t.create("namespace", namespaceBody());
      await c.hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
      expect(await endpointIdsOf(c, ns.ID!)).toHaveLength(1);
    },
  },
  ...["TestSyncNamespaceHostDefault", "TestSyncNamespaceHost", "TestSyncNamespaceGuestNoReg", "TestSyncNamespaceGuestDefaultNoReg", "TestSyncNamespaceGuest", "TestSyncNamespaceGuestDefault"].map(
    (test): PeerCase => ({
      id: `hcsshim/${test}`,
      source: NAMESPACE(test),
      realHns: "hcn.SyncNamespace reads the shim's registry entry and calls the shim's pipe (a guest namespace in a utility VM)",
      notApplicable: "SyncNamespace is hcsshim's own call into the containerd shim over a named pipe, not an HNS call; the project has no utility VMs or shims",
    }),
  ),

  // ---- errors ----
  {
    id: "hcsshim/TestMissingNetworkByName",
    source: ERRORS("TestMissingNetworkByName"),
    realHns: "no network of that name: the filtered list is empty (hcsshim turns it into NetworkNotFoundError)",
    run: async (c) => {
      expect(await c.hns.list("network", { Name: c.t.name("Not found name") })).toEqual([]);
    },
  },
  {
    id: "hcsshim/TestMissingNetworkById",
    source: ERRORS("TestMissingNetworkById"),
    realHns: "no network with that ID: nothing is read, and a delete is a not-found error",
    run: async (c) => {
      const missing = randomUUID();
      expect(await c.hns.get("network", missing)).toBeUndefined();
      await failsNotFound(c.hns.delete("network", missing));
    },
  },
  {
    id: "hcsshim/TestMissingNamespaceById",
    source: ERRORS("TestMissingNamespaceById"),
    realHns: "no namespace with that ID: nothing is read, and a delete is a not-found error",
    run: async (c) => {
      const missing = randomUUID();
      expect(await c.hns.get("namespace", missing)).toBeUndefined();
      await failsNotFound(c.hns.delete("namespace", missing));
    },
  },
  {
    id: "hcsshim/TestEndpointAlreadyExistsError",
    source: ERRORS("TestEndpointAlreadyExistsError"),
    realHns: "on an overlay network, a second endpoint with the same UDP PortMapping (45678 -> 56789) fails with HCN_E_PORT_ALREADY_EXISTS",
    run: async (c) => {
      const net = await network(c, overlayBody(c, "ports"));
      const external = c.port();
      const mapping = { Type: "PortMapping", Settings: { Protocol: 17, InternalPort: 45678, ExternalPort: external } };
      await endpoint(c, net.id, "first", { Policies: [mapping] });
      await failsWith(endpoint(c, net.id, "second", { Policies: [mapping] }), "HCN_E_PORT_ALREADY_EXISTS");
    },
  },
  {
    id: "hcsshim/TestNotFoundError",
    source: ERRORS("TestNotFoundError"),
    realHns: "opening a namespace that does not exist is ERROR_NOT_FOUND (\"Element not found\", IsElementNotFoundError)",
    run: async (c) => {
      const missing = randomUUID();
      await failsNotFound(c.hns.modify("namespace", missing, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: randomUUID() } }));
    },
  },
  {
    id: "hcsshim/TestIsNotFoundError",
    source: ERRORS("TestIsNotFoundError"),
    realHns: "a client-side table of which error types count as not found",
    notApplicable: "tests hcsshim's own error classification, not an HNS call (the provider's isNotFound has unit tests of its own)",
  },

  // ---- v1 schema through HCN ----
  {
    id: "hcsshim/TestV1Network",
    source: src("hcnv1schema_test.go", "TestV1Network"),
    realHns: "HcnCreateNetwork takes a v1-shaped NAT network (MacPools, Subnets with AddressPrefix and GatewayAddress)",
    run: async (c) => {
      const prefix = c.prefix();
      const net = await c.t.create("network", { Type: "NAT", Name: c.t.name("v1net"), MacPools: [HCSSHIM_MAC_POOL.Ranges[0]], Subnets: [{ AddressPrefix: prefix, GatewayAddress: at(prefix, 1) }] });
      expect((await c.hns.get("network", net.ID!))?.Ipams?.[0]?.Subnets?.[0]?.IpAddressPrefix).toBe(prefix);
      await c.hns.delete("network", net.ID!);
    },
  },
  {
    id: "hcsshim/TestV1Endpoint",
    source: src("hcnv1schema_test.go", "TestV1Endpoint"),
    realHns: "HcnCreateEndpoint takes a v1-shaped endpoint (Name, VirtualNetwork) on that network",
    run: async (c) => {
      const prefix = c.prefix();
      const net = await c.t.create("network", { Type: "NAT", Name: c.t.name("v1net"), MacPools: [HCSSHIM_MAC_POOL.Ranges[0]], Subnets: [{ AddressPrefix: prefix, GatewayAddress: at(prefix, 1) }] });
      const ep = await c.t.create("endpoint", { Name: c.t.name("v1ep"), VirtualNetwork: net.ID });
      expect(sameGuid((await c.hns.get("endpoint", ep.ID!))?.HostComputeNetwork, net.ID)).toBe(true);
      await c.hns.delete("endpoint", ep.ID!);
      await c.hns.delete("network", net.ID!);
    },
  },

  // ---- the v1 API (hnsv1_test.go) ----
  {
    id: "hcsshim/TestEndpointStatsAll/network-delete-with-endpoint",
    source: src("hnsv1_test.go", "TestEndpointStatsAll"),
    realHns: "the test deletes the network while its endpoint still exists, and the delete succeeds: HNS takes the endpoint with it",
    run: async (c) => {
      const { net, ep } = await natWithEndpoint(c);
      await c.hns.delete("network", net.id);
      expect(await c.hns.get("network", net.id)).toBeUndefined();
      expect(await c.hns.get("endpoint", ep.ID!)).toBeUndefined();
      expect((await c.hns.list("endpoint", { VirtualNetwork: net.id })).length).toBe(0);
    },
  },
  {
    id: "hcsshim/TestEndpointStatsAll/stats",
    source: src("hnsv1_test.go", "TestEndpointStatsAll"),
    realHns: "GetHNSEndpointStats returns packet and byte counters for every endpoint",
    notApplicable: "endpoint statistics (GET /endpointstats) are not modelled: the provider never reads them and the emulator has no traffic",
  },
  {
    id: "hcsshim/TestEndpoint",
    source: src("hnsv1_test.go", "TestEndpoint"),
    realHns: "a v1 endpoint is attached to the host compartment (HostAttach(1)) and detached (HostDetach)",
    notApplicable: "v1 host compartment attach (POST /endpoints/<id>/hostattach) is not modelled; the provider attaches to the host's default namespace through HCN (namespace Modify), which the namespace cases cover",
  },
  {
    id: "hcsshim/TestEndpointGetAll",
    source: src("hnsv1_test.go", "TestEndpointGetAll"),
    realHns: "HNSListEndpointRequest lists endpoints",
    run: async (c) => {
      expect(Array.isArray(await c.hns.list("endpoint"))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestNetworkGetAll",
    source: src("hnsv1_test.go", "TestNetworkGetAll"),
    realHns: "HNSListNetworkRequest lists networks",
    run: async (c) => {
      expect(Array.isArray(await c.hns.list("network"))).toBe(true);
    },
  },
  {
    id: "hcsshim/TestNetwork",
    source: src("hnsv1_test.go", "TestNetwork"),
    realHns: "a v1 NAT network (CreateTestNetwork: 192.168.100.0/24, gateway .1) is created and deleted",
    run: async (c) => {
      const prefix = c.prefix();
      const net = await c.t.create("network", { Type: "NAT", Name: c.t.name("v1"), Subnets: [{ AddressPrefix: prefix, GatewayAddress: at(prefix, 1) }] });
      await c.hns.delete("network", net.ID!);
      expect(await c.hns.get("network", net.ID!)).toBeUndefined();
    },
  },
  {
    id: "hcsshim/TestAccelnetNnvManagementMacAddresses",
    source: src("hnsv1_test.go", "TestAccelnetNnvManagementMacAddresses"),
    realHns: "sets the host's accelerated-networking management MAC addresses (a global HNS setting)",
    notApplicable: "Accelnet management MACs are a host-wide setting outside networks, endpoints and policies; not modelled",
  },
  {
    id: "hcsshim/TestSupportedFeatures",
    source: src("hcnsupport_test.go", "TestSupportedFeatures"),
    realHns: "the features HNS reports follow its version (V2 from 9.2, DSR from 9.2 on RS5 updates, ...)",
    run: async (c) => {
      const v = await c.hns.version();
      expect(v.Major).toBeGreaterThanOrEqual(9); // HCN v2 needs 9.2+ (hcn/hcnglobals.go V2ApiSupport)
    },
  },
];
