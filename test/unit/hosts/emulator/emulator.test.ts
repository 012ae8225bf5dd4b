import * as path from "node:path";
import { HResult } from "../../../../provider/vocabulary/errors";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { tempDir } from "../../../helpers/tmp";
import { rejectsWith } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
let n = 0;
const fresh = (opts = {}) => new HnsEmulator(path.join(tmp.dir, `host-${++n}.json`), { hostName: `h${n}`, ...opts });

const natBody = (name: string, prefix = "192.168.100.0/24") => ({
  Name: name,
  Type: "NAT",
  Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, Routes: [{ NextHop: prefix.replace(/0\/\d+$/, "1"), DestinationPrefix: "0.0.0.0/0" }] }] }],
});

describe("networks", () => {
  test("zero ID lets HNS choose a GUID; a given ID is kept; GUIDs print upper case; NAT Type is omitted on output", async () => {
    const hns = fresh();
    const a = await hns.create("network", { ...natBody("a"), ID: "00000000-0000-0000-0000-000000000000" });
    expect(a.ID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(a.ID).not.toBe("00000000-0000-0000-0000-000000000000");
    expect((a as Record<string, unknown>).Type).toBeUndefined();
    // A given ID in lower case comes back as HNS prints every GUID: upper case.
    const b = await hns.create("network", { ...natBody("b", "10.9.0.0/24"), ID: "aaaaaaaa-0000-4000-8000-00000000000b" });
    expect(b.ID).toBe("AAAAAAAA-0000-4000-8000-00000000000B");
    // GUIDs compare case-insensitively
    expect((await hns.get("network", "aaaaaaaa-0000-4000-8000-00000000000b"))?.Name).toBe("b");
  });

  test("references print upper case too: an endpoint's network and namespace, a namespace's endpoint resources, a load balancer's endpoints", async () => {
    const hns = fresh();
    const net = await hns.create("network", { ...natBody("n"), ID: "bbbbbbbb-0000-4000-8000-000000000001" });
    const ep = await hns.create("endpoint", { ID: "cccccccc-0000-4000-8000-000000000001", Name: "e", HostComputeNetwork: "bbbbbbbb-0000-4000-8000-000000000001" });
    const ns = await hns.create("namespace", { ID: "dddddddd-0000-4000-8000-000000000001", Type: "Host" });
    await hns.modify("namespace", "dddddddd-0000-4000-8000-000000000001", { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: "cccccccc-0000-4000-8000-000000000001" } });
    const lb = await hns.create("loadBalancer", { HostComputeEndpoints: ["cccccccc-0000-4000-8000-000000000001"], FrontendVIPs: ["10.96.0.1"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    expect([net.ID, ep.ID, ns.ID]).toEqual(["BBBBBBBB-0000-4000-8000-000000000001", "CCCCCCCC-0000-4000-8000-000000000001", "DDDDDDDD-0000-4000-8000-000000000001"]);
    const read = (await hns.get("endpoint", ep.ID!))!;
    expect([read.HostComputeNetwork, read.HostComputeNamespace]).toEqual([net.ID, ns.ID]);
    // windows-container-networking test/utilities/plugin_testing.go verifyAddNamespaceProperties
    // looks for strings.ToUpper(endpoint ID) in the namespace's resource data.
    expect(JSON.stringify((await hns.get("namespace", ns.ID!))!.Resources![0].Data)).toContain(ep.ID!.toUpperCase());
    expect(lb.HostComputeEndpoints).toEqual([ep.ID]);
    expect(((await hns.getV1("endpoint", ep.ID!)) as { VirtualNetwork?: string }).VirtualNetwork).toBe(net.ID);
  });

  test("duplicate name is refused with 0x803B0010; duplicate ID with ERROR_ALREADY_EXISTS", async () => {
    const hns = fresh();
    const a = await hns.create("network", natBody("dup"));
    const e = await rejectsWith(hns.create("network", natBody("DUP", "10.1.0.0/24")), "HCN_E_NETWORK_ALREADY_EXISTS");
    expect(e.hresult).toBe(0x803b0010);
    expect(e.record()).toEqual({ Success: false, Error: "A network with this name already exists. ", ErrorCode: 0x803b0010 });
    await rejectsWith(hns.create("network", { ...natBody("other", "10.2.0.0/24"), ID: a.ID }), "ERROR_ALREADY_EXISTS");
  });

  test("NAT without Ipams gets a prefix, a gateway and a MAC pool from HNS", async () => {
    const hns = fresh();
    const net = await hns.create("network", { Name: "nat" });
    const subnet = net.Ipams![0].Subnets![0];
    // Microsoft's documented default (facts/nat-prefix.ts), then the next free /16.
    expect(subnet.IpAddressPrefix).toBe("172.16.0.0/16");
    expect(subnet.Routes).toEqual([{ NextHop: "172.16.0.1", DestinationPrefix: "0.0.0.0/0" }]);
    expect(net.MacPool!.Ranges![0].StartMacAddress).toMatch(/^00-15-5D-/);
    const second = await hns.create("network", { Name: "nat2", Type: "ICS" });
    expect(second.Ipams![0].Subnets![0].IpAddressPrefix).toBe("172.17.0.0/16");
    expect(second.MacPool!.Ranges![0].StartMacAddress).not.toBe(net.MacPool!.Ranges![0].StartMacAddress);
  });

  test("accepts v1 bodies (HCN Create accepts them) and enum integers", async () => {
    const hns = fresh();
    const v1 = await hns.create("network", { Name: "cbr0", Type: "L2Bridge", Subnets: [{ AddressPrefix: "10.200.62.0/24", GatewayAddress: "10.200.62.1" }] });
    expect(v1.Type).toBe("L2Bridge");
    expect(v1.Ipams![0].Subnets![0].IpAddressPrefix).toBe("10.200.62.0/24");
    const view = (await hns.getV1("network", v1.ID!)) as Record<string, unknown>;
    expect(view.Subnets).toEqual([expect.objectContaining({ AddressPrefix: "10.200.62.0/24", GatewayAddress: "10.200.62.1" })]);
  });

  test("refuses what HNS refuses: bad type, bad prefix, gateway outside, VSID < 4096, missing adapter", async () => {
    const hns = fresh();
    await rejectsWith(hns.create("network", { Name: "x", Type: "Mirrored" }), "HCN_E_INVALID_NETWORK_TYPE");
    await rejectsWith(hns.create("network", natBody("y", "10.0.0.7/24")), "HCN_E_INVALID_PREFIX");
    await rejectsWith(
      hns.create("network", { Name: "z", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24", Routes: [{ NextHop: "10.1.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }] }),
      "HCN_E_INVALID_SUBNET",
    );
    await rejectsWith(
      hns.create("network", { Name: "o", Type: "Overlay", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24", Policies: [{ Type: "VSID", Settings: { IsolationId: 100 } }] }] }] }),
      "HCN_E_INVALID_POLICY",
    );
    await rejectsWith(
      hns.create("network", { Name: "t", Type: "Transparent", Policies: [{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "Ethernet 9" } }] }),
      "HCN_E_ADAPTER_NOT_FOUND",
    );
    await rejectsWith(hns.create("network", { Name: "v6", Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "fd00::/64" }] }] }), "HCN_E_INVALID_PREFIX");
    expect(await hns.list("network")).toEqual([]);
  });

  test("feature gates follow the host's HNS version", async () => {
    const old = fresh({ version: { Major: 10, Minor: 1 } });
    const overlay = { Name: "vx", Type: "Overlay", Policies: [{ Type: "VxlanPort", Settings: { Port: 4790 } }], Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] };
    const e = await rejectsWith(old.create("network", overlay), "HCN_E_REQUEST_UNSUPPORTED");
    expect(e.message).toContain("platform does not support feature VxlanPort");
    const newer = fresh({ version: { Major: 10, Minor: 3 } });
    await expect(newer.create("network", overlay)).resolves.toMatchObject({ Name: "vx" });
    const pre = fresh({ version: { Major: 9, Minor: 1 } });
    await rejectsWith(pre.list("network"), "HCN_E_REQUEST_UNSUPPORTED");
    expect(await pre.version()).toEqual({ Major: 9, Minor: 1 });
  });

  test("Modify Policy Add / Remove / Update and DNS Update are reflected on re-query", async () => {
    const hns = fresh();
    const net = await hns.create("network", { Name: "ov", Type: "Overlay", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] });
    const route = { Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: "10.1.0.0/24", IsolationId: 4096, ProviderAddress: "192.168.1.2", DistributedRouterMacAddress: "00-11-22-33-44-55" } };
    await hns.modify("network", net.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [route, { Type: "HostRoute", Settings: {} }] } });
    expect((await hns.get("network", net.ID!))!.Policies).toHaveLength(2);
    await rejectsWith(hns.modify("network", net.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [route] } }), "HCN_E_POLICY_ALREADY_EXISTS");
    // enums as integers, as the HCN docs samples send them: RequestType 1 = Remove, network ResourceType 2 = Policy
    await hns.modify("network", net.ID!, { ResourceType: 2, RequestType: 1, Settings: { Policies: [route] } });
    expect((await hns.get("network", net.ID!))!.Policies!.map((p) => p.Type)).toEqual(["HostRoute"]);
    await hns.modify("network", net.ID!, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: ["10.0.0.10"], Domain: "corp" } });
    expect((await hns.get("network", net.ID!))!.Dns).toMatchObject({ ServerList: ["10.0.0.10"], Domain: "corp" });
    await hns.modify("network", net.ID!, { ResourceType: "Policy", RequestType: "Update", Settings: { Policies: [] } });
    expect((await hns.get("network", net.ID!))!.Policies ?? []).toEqual([]);
  });

  test("deleting a network takes its endpoints with it (out of their namespace, with the load balancers over them); missing ones are 0x803B0001", async () => {
    const hns = fresh();
    const net = await hns.create("network", natBody("n"));
    const other = await hns.create("network", natBody("o", "10.7.0.0/24"));
    const ep = await hns.create("endpoint", { Name: "e", HostComputeNetwork: net.ID });
    const kept = await hns.create("endpoint", { Name: "k", HostComputeNetwork: other.ID });
    const ns = await hns.create("namespace", { Type: "Host" });
    await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
    await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: kept.ID } });
    await hns.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.0.1"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    await hns.create("route", { HostComputeEndpoints: [ep.ID!], Setting: [{ DestinationPrefix: "10.1.0.0/16", NextHop: "192.168.100.1" }] });
    const lb2 = await hns.create("loadBalancer", { HostComputeEndpoints: [kept.ID!], FrontendVIPs: ["10.96.0.2"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    await hns.delete("network", net.ID!);
    expect(await hns.get("endpoint", ep.ID!)).toBeUndefined();
    expect((await hns.list("endpoint")).map((e) => e.Name)).toEqual(["k"]);
    expect((await hns.get("namespace", ns.ID!))!.Resources!.map((r) => (r.Data as { ID: string }).ID)).toEqual([kept.ID]);
    expect((await hns.list("loadBalancer")).map((l) => l.ID)).toEqual([lb2.ID]);
    expect(await hns.list("route")).toEqual([]);
    // The endpoint went with its network: deleting it again is not-found, as any deleted object.
    await rejectsWith(hns.delete("endpoint", ep.ID!), "HCN_E_ENDPOINT_NOT_FOUND");
    const e = await rejectsWith(hns.delete("network", net.ID!), "HCN_E_NETWORK_NOT_FOUND");
    expect(e.hresult).toBe(HResult.HCN_E_NETWORK_NOT_FOUND);
    expect(await hns.get("network", net.ID!)).toBeUndefined();
  });

  test("a NAT prefix overlapping another NAT network's is refused as WinNAT refuses it (\"The object already exists\"); other types may overlap", async () => {
    const hns = fresh();
    await hns.create("network", natBody("a", "172.20.0.0/24"));
    const e = await rejectsWith(hns.create("network", natBody("b", "172.20.0.0/16")), "ERROR_OBJECT_ALREADY_EXISTS");
    expect(e.hresult).toBe(0x80071392);
    expect(e.message).toMatch(/172\.20\.0\.0\/16 overlaps 172\.20\.0\.0\/24/);
    await rejectsWith(hns.create("network", natBody("c", "172.20.0.0/25")), "ERROR_OBJECT_ALREADY_EXISTS");
    expect((await hns.list("network")).map((n) => n.Name)).toEqual(["a"]);
    // Negative control: a prefix beside it, and an overlapping prefix on a network WinNAT does not serve.
    await hns.create("network", natBody("d", "172.20.1.0/24"));
    await hns.create("network", { Name: "l2", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.20.0.0/16" }] }] });
    // A NAT network without a prefix gets a free one, never an overlapping one.
    const auto = await hns.create("network", { Name: "auto", Type: "NAT" });
    expect(auto.Ipams![0].Subnets![0].IpAddressPrefix).toBe("172.16.0.0/16");
  });
});

describe("endpoints", () => {
  test("dual stack: an endpoint without addresses gets one per family, with a default route through each gateway", async () => {
    const hns = fresh();
    const net = await hns.create("network", {
      Name: "ds",
      Type: "L2Bridge",
      Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.244.1.0/24" }, { IpAddressPrefix: "fd00:244:1::/64" }] }],
    });
    const a = await hns.create("endpoint", { Name: "a", HostComputeNetwork: net.ID });
    const b = await hns.create("endpoint", { Name: "b", HostComputeNetwork: net.ID });
    expect(a.IpConfigurations).toEqual([
      { IpAddress: "10.244.1.2", PrefixLength: 24 },
      { IpAddress: "fd00:244:1::2", PrefixLength: 64 },
    ]);
    expect(b.IpConfigurations!.map((c) => c.IpAddress)).toEqual(["10.244.1.3", "fd00:244:1::3"]);
    expect(a.Routes).toEqual([
      { NextHop: "10.244.1.1", DestinationPrefix: "0.0.0.0/0" },
      { NextHop: "fd00:244:1::1", DestinationPrefix: "::/0" },
    ]);
    // Negative control: an address given is the only one (HNS allocates only when none is given).
    const c = await hns.create("endpoint", { Name: "c", HostComputeNetwork: net.ID, IpConfigurations: [{ IpAddress: "10.244.1.50" }] });
    expect(c.IpConfigurations!.map((x) => x.IpAddress)).toEqual(["10.244.1.50"]);
  });

  test("address, prefix, gateway route and MAC are filled from the network", async () => {
    const hns = fresh();
    const net = await hns.create("network", natBody("n"));
    const a = await hns.create("endpoint", { Name: "a", HostComputeNetwork: net.ID });
    const b = await hns.create("endpoint", { Name: "a", HostComputeNetwork: net.ID }); // duplicate names are allowed
    expect(a.IpConfigurations).toEqual([{ IpAddress: "192.168.100.2", PrefixLength: 24 }]);
    expect(b.IpConfigurations![0].IpAddress).toBe("192.168.100.3");
    expect(a.Routes).toEqual([{ NextHop: "192.168.100.1", DestinationPrefix: "0.0.0.0/0" }]);
    expect(a.MacAddress).toBe(net.MacPool!.Ranges![0].StartMacAddress);
    expect(b.MacAddress).not.toBe(a.MacAddress);
    const v1 = (await hns.getV1("endpoint", a.ID!)) as Record<string, unknown>;
    expect(v1).toMatchObject({ IPAddress: "192.168.100.2", VirtualNetwork: net.ID, VirtualNetworkName: "n" });
  });

  test("a v1 body that is not a v1 network or endpoint is HNS's invalid-JSON error, naming the field, like a v2 one", async () => {
    const hns = fresh();
    const net = await rejectsWith(hns.create("network", { Name: "v1", Type: "NAT", Subnets: "oops" }), "HCN_E_INVALID_JSON");
    expect(net.message).toMatch(/^The JSON document is invalid: Subnets: /);
    const ok = await hns.create("network", natBody("n"));
    const ep = await rejectsWith(hns.create("endpoint", { Name: "e", VirtualNetwork: ok.ID, IPAddress: 42 }), "HCN_E_INVALID_JSON");
    expect(ep.message).toMatch(/^The JSON document is invalid: IPAddress: /);
    // A v1 policy's protocol HCN does not know (the v1 schema reads any name, as hosts print them).
    for (const policy of [{ Type: "NAT", Protocol: "sctp", InternalPort: 80, ExternalPort: 8080 }, { Type: "PROXY", Protocol: "sctp", Port: "80" }]) {
      const e = await rejectsWith(hns.create("endpoint", { Name: "p", VirtualNetwork: ok.ID, Policies: [policy] }), "HCN_E_INVALID_JSON");
      expect(e.message).toMatch(/^The JSON document is invalid: .*"sctp"/);
    }
  });

  test("refuses addresses outside the subnet, reserved or taken; unknown network", async () => {
    const hns = fresh();
    const net = await hns.create("network", natBody("n"));
    const at = (ip: string) => hns.create("endpoint", { Name: ip, HostComputeNetwork: net.ID, IpConfigurations: [{ IpAddress: ip }] });
    await rejectsWith(at("10.0.0.5"), "HCN_E_INVALID_IP");
    await rejectsWith(at("192.168.100.1"), "HCN_E_ADDR_INVALID_OR_RESERVED");
    await rejectsWith(at("192.168.100.255"), "HCN_E_ADDR_INVALID_OR_RESERVED");
    await at("192.168.100.50");
    await rejectsWith(at("192.168.100.50"), "HCN_E_ADDR_INVALID_OR_RESERVED");
    await rejectsWith(hns.create("endpoint", { Name: "x", HostComputeNetwork: "11111111-2222-3333-4444-555555555555" }), "HCN_E_NETWORK_NOT_FOUND");
  });

  test("port mapping conflicts are 0x803B0013, also across the host's NAT networks; zero internal port is 0x803B002D", async () => {
    const hns = fresh();
    const n1 = await hns.create("network", natBody("n1"));
    const n2 = await hns.create("network", natBody("n2", "10.5.0.0/24"));
    const pm = (ext: number, internal = 80) => [{ Type: "PortMapping", Settings: { Protocol: 17, InternalPort: internal, ExternalPort: ext } }];
    await hns.create("endpoint", { Name: "a", HostComputeNetwork: n1.ID, Policies: pm(56789, 45678) });
    const e = await rejectsWith(hns.create("endpoint", { Name: "b", HostComputeNetwork: n1.ID, Policies: pm(56789, 45678) }), "HCN_E_PORT_ALREADY_EXISTS");
    expect(e.hresult).toBe(0x803b0013);
    await rejectsWith(hns.create("endpoint", { Name: "c", HostComputeNetwork: n2.ID, Policies: pm(56789) }), "HCN_E_PORT_ALREADY_EXISTS");
    await rejectsWith(hns.create("endpoint", { Name: "d", HostComputeNetwork: n2.ID, Policies: pm(8080, 0) }), "HCN_E_INVALID_INTERNAL_PORT");
    await expect(hns.create("endpoint", { Name: "f", HostComputeNetwork: n2.ID, Policies: pm(8081) })).resolves.toBeDefined();
  });

  test("namespace links: HostComputeNamespace is read-only and set by namespace Modify", async () => {
    const hns = fresh();
    const net = await hns.create("network", natBody("n"));
    const ep = await hns.create("endpoint", { Name: "e", HostComputeNetwork: net.ID, HostComputeNamespace: "11111111-2222-3333-4444-555555555555" });
    expect(ep.HostComputeNamespace).toBeUndefined();
    const ns = await hns.create("namespace", { Type: "Host" });
    await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
    expect((await hns.get("endpoint", ep.ID!))!.HostComputeNamespace).toBe(ns.ID);
    expect((await hns.get("namespace", ns.ID!))!.Resources).toEqual([{ Type: "Endpoint", Data: { ID: ep.ID } }]);
    await rejectsWith(hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } }), "HCN_E_ENDPOINT_ALREADY_ATTACHED");
    const [host] = await hns.list("namespace", { Type: "HostDefault" });
    await rejectsWith(hns.modify("namespace", host.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } }), "HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS");
    await rejectsWith(hns.get("namespace", "nope").then(() => hns.delete("namespace", "11111111-2222-3333-4444-555555555555")), "ERROR_NOT_FOUND");
  });
});

describe("load balancers and routes", () => {
  test("LB references endpoints, blocks their delete, and modify needs HNS 15.4", async () => {
    const hns = fresh({ version: { Major: 15, Minor: 1 } });
    const net = await hns.create("network", { Name: "b", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] });
    const e1 = await hns.create("endpoint", { Name: "1", HostComputeNetwork: net.ID });
    const lb = await hns.create("loadBalancer", { HostComputeEndpoints: [e1.ID!], FrontendVIPs: ["10.96.0.10"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    await rejectsWith(hns.delete("endpoint", e1.ID!), "HCN_E_ENTITY_HAS_REFERENCES");
    await rejectsWith(hns.modify("loadBalancer", lb.ID!, { ...lb, PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] }), "HCN_E_REQUEST_UNSUPPORTED");
    await hns.setVersion({ Major: 15, Minor: 4 });
    const changed = await hns.modify("loadBalancer", lb.ID!, { ...lb, PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] });
    expect(changed.PortMappings![0].InternalPort).toBe(8080);
    expect(await hns.getV1("loadBalancer", lb.ID!)).toMatchObject({ References: [`/endpoints/${e1.ID}`] });
    await rejectsWith(hns.create("loadBalancer", { HostComputeEndpoints: [], PortMappings: [] }), "HCN_E_INVALID_JSON");
    await rejectsWith(hns.create("route", { HostComputeEndpoints: [e1.ID!], Setting: [{ DestinationPrefix: "10.1.0.0/16", NextHop: "10.0.0.1" }] }).then((r) => hns.modify("route", r.ID!, {})), "HCN_E_REQUEST_UNSUPPORTED");
  });
});

describe("reboot and faults", () => {
  test("reboot drops NAT and non-persistent networks with what depends on them, keeps the rest", async () => {
    const hns = fresh();
    const nat = await hns.create("network", natBody("nat"));
    const eph = await hns.create("network", { Name: "ov", Type: "Overlay", Flags: 8, Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.8.0.0/24" }] }] });
    const br = await hns.create("network", { Name: "br", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] });
    const e = await hns.create("endpoint", { Name: "e", HostComputeNetwork: nat.ID });
    await hns.create("loadBalancer", { HostComputeEndpoints: [e.ID!], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    const kept = await hns.create("endpoint", { Name: "k", HostComputeNetwork: br.ID });
    await hns.reboot();
    expect((await hns.list("network")).map((n) => n.Name)).toEqual(["br"]);
    expect(await hns.get("network", eph.ID!)).toBeUndefined();
    expect((await hns.list("endpoint")).map((x) => x.ID)).toEqual([kept.ID]);
    expect(await hns.list("loadBalancer")).toEqual([]);
    expect((await hns.snapshot()).bootCount).toBe(1);
  });

  test("fail the nth call: nothing changes", async () => {
    const hns = fresh();
    await hns.injectFault({ mode: "fail", op: "create", nth: 2, hresult: HResult.E_ACCESSDENIED });
    await hns.create("network", natBody("one"));
    await rejectsWith(hns.create("network", natBody("two", "10.3.0.0/24")), "E_ACCESSDENIED");
    expect((await hns.list("network")).map((n) => n.Name)).toEqual(["one"]);
    await hns.create("network", natBody("two", "10.3.0.0/24")); // the fault fired once
  });

  test("commit but lose the reply: the object exists, the caller saw a ReplyLost error", async () => {
    const hns = fresh();
    await hns.injectFault({ mode: "lose-reply", op: "create", kind: "network" });
    await rejectsWith(hns.create("network", { ...natBody("lost"), ID: "12345678-1234-4234-8234-123456789abc" }), "ReplyLost");
    expect((await hns.get("network", "12345678-1234-4234-8234-123456789abc"))?.Name).toBe("lost");
  });

  test("an access key protects the host", async () => {
    const file = path.join(tmp.dir, "locked.json");
    const owner = new HnsEmulator(file, { accessKey: "s3cret" });
    await owner.create("network", natBody("n"));
    await rejectsWith(new HnsEmulator(file, { accessKey: "wrong" }).list("network"), "E_ACCESSDENIED");
    await rejectsWith(new HnsEmulator(file).list("network"), "E_ACCESSDENIED");
  });
});

describe("concurrency", () => {
  test("50 operations at once on one host leave a consistent state", async () => {
    const file = path.join(tmp.dir, "busy.json");
    const clients = [new HnsEmulator(file), new HnsEmulator(file)]; // two clients, as two processes would be
    const net = await clients[0].create("network", { Name: "big", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/16" }] }] });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        i % 10 === 9
          ? clients[i % 2].create("network", { Name: "big", Type: "NAT" }) // duplicates: must all fail
          : clients[i % 2].create("endpoint", { Name: `e${i}`, HostComputeNetwork: net.ID }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(45);
    const eps = await clients[1].list("endpoint");
    expect(eps).toHaveLength(45);
    const ips = new Set(eps.map((e) => e.IpConfigurations![0].IpAddress));
    const macs = new Set(eps.map((e) => e.MacAddress));
    expect(ips.size).toBe(45);
    expect(macs.size).toBe(45);
    expect(await clients[0].list("network")).toHaveLength(1);
    // Creates that succeeded: the network and 45 endpoints (a refused call counts nothing, writes nothing).
    expect((await clients[0].snapshot()).calls.create).toBe(46);
  });
});
