/**
 * The indexes the HNS rules read instead of scanning the host follow every change, whoever
 * made it: allocation stays lowest-free (a freed address or MAC is handed out again), and the
 * reference checks see load balancers and namespaces made or removed by another client.
 */
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { tempDir } from "../../../helpers/tmp";
import { rejectsWith } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
let n = 0;

async function host() {
  const file = path.join(tmp.dir, `ix-${++n}.json`);
  const a = new HnsEmulator(file);
  const net = await a.create("network", { Name: "pods", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] });
  return { file, a, b: new HnsEmulator(file), net: net.ID! };
}

const ep = (hns: HnsEmulator, net: string, name: string) => hns.create("endpoint", { Name: name, HostComputeNetwork: net });
const ipOf = (e: { IpConfigurations?: { IpAddress?: string }[] }) => e.IpConfigurations![0].IpAddress;

test("a freed address and MAC are handed out again (lowest free first), by this client and by another", async () => {
  const { file, a, b, net } = await host();
  const [x, y, z] = [await ep(a, net, "x"), await ep(a, net, "y"), await ep(a, net, "z")];
  expect([x, y, z].map(ipOf)).toEqual(["10.0.0.2", "10.0.0.3", "10.0.0.4"]);
  await a.delete("endpoint", y.ID!);
  const again = await ep(a, net, "again");
  expect([ipOf(again), again.MacAddress]).toEqual([ipOf(y), y.MacAddress]);
  // Another client frees one; this client (which cached the host) reuses it.
  await b.delete("endpoint", x.ID!);
  const reuse = await ep(a, net, "reuse");
  expect([ipOf(reuse), reuse.MacAddress]).toEqual([ipOf(x), x.MacAddress]);
  // A client loading the file fresh continues after the highest.
  expect(ipOf(await ep(new HnsEmulator(file), net, "next"))).toBe("10.0.0.5");
});

test("a static address below the search's start is still refused as taken; a freed static one is reused", async () => {
  const { a, net } = await host();
  await ep(a, net, "p");
  const fixed = await a.create("endpoint", { Name: "fixed", HostComputeNetwork: net, IpConfigurations: [{ IpAddress: "10.0.0.3" }] });
  expect(ipOf(await ep(a, net, "q"))).toBe("10.0.0.4");
  await rejectsWith(a.create("endpoint", { Name: "dup", HostComputeNetwork: net, IpConfigurations: [{ IpAddress: "10.0.0.3" }] }), "HCN_E_ADDR_INVALID_OR_RESERVED");
  await a.delete("endpoint", fixed.ID!);
  expect(ipOf(await ep(a, net, "r"))).toBe("10.0.0.3");
});

test("an endpoint used by a load balancer another client made cannot be deleted; once it is gone, it can", async () => {
  const { a, b, net } = await host();
  const e = await ep(a, net, "backend");
  await a.list("endpoint"); // a has the host cached
  const lb = await b.create("loadBalancer", { HostComputeEndpoints: [e.ID!], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
  await rejectsWith(a.delete("endpoint", e.ID!), "HCN_E_ENTITY_HAS_REFERENCES");
  await b.delete("loadBalancer", lb.ID!);
  await a.delete("endpoint", e.ID!);
  expect(await a.list("endpoint")).toEqual([]);
});

test("a namespace's endpoints are found through the index: deleting the namespace detaches them; deleting an endpoint leaves the namespace", async () => {
  const { a, b, net } = await host();
  const [e1, e2] = [await ep(a, net, "e1"), await ep(a, net, "e2")];
  const ns = await a.create("namespace", {});
  for (const e of [e1, e2]) await b.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: e.ID } });
  expect((await a.get("endpoint", e1.ID!))?.HostComputeNamespace).toBe(ns.ID);
  await a.delete("endpoint", e2.ID!);
  expect((await b.get("namespace", ns.ID!))?.Resources).toEqual([{ Type: "Endpoint", Data: { ID: e1.ID } }]);
  await a.delete("namespace", ns.ID!);
  expect((await b.get("endpoint", e1.ID!))?.HostComputeNamespace).toBeUndefined();
});

test("a network delete takes its endpoints, also those another client made; a list filtered by network sees only its endpoints", async () => {
  const { a, b, net } = await host();
  const other = await a.create("network", { Name: "other", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.1.0.0/24" }] }] });
  const e = await ep(b, net, "on-pods");
  await ep(b, other.ID!, "on-other");
  expect((await a.list("endpoint", { VirtualNetwork: net })).map((x) => x.Name)).toEqual(["on-pods"]);
  await a.delete("network", net);
  expect((await b.list("network")).map((x) => x.Name)).toEqual(["other"]);
  expect((await b.list("endpoint")).map((x) => x.Name)).toEqual(["on-other"]);
  expect(await b.get("endpoint", e.ID!)).toBeUndefined();
  // The index forgot it too: the network's addresses are free for a new network of that name.
  expect(await a.list("endpoint", { VirtualNetwork: net })).toEqual([]);
});

test("a load balancer with another's frontend and ports is refused, also when another client made it; once that one changes, the frontend is free", async () => {
  const { a, b, net } = await host();
  const e = await ep(a, net, "backend");
  const body = (internal: number) => ({ HostComputeEndpoints: [e.ID!], FrontendVIPs: ["10.96.0.10"], PortMappings: [{ Protocol: 6, InternalPort: internal, ExternalPort: 80 }] });
  await a.list("loadBalancer"); // a has the host cached
  const first = await b.create("loadBalancer", body(8080));
  await rejectsWith(a.create("loadBalancer", body(8080)), "HCN_E_POLICY_ALREADY_EXISTS");
  await b.modify("loadBalancer", first.ID!, { ...first, PortMappings: [{ Protocol: 6, InternalPort: 9090, ExternalPort: 80 }] });
  const second = await a.create("loadBalancer", body(8080));
  await rejectsWith(a.create("loadBalancer", body(9090)), "HCN_E_POLICY_ALREADY_EXISTS");
  // A modify onto another's frontend is refused as a create is; a modify that keeps its own is not.
  await rejectsWith(a.modify("loadBalancer", second.ID!, { ...second, PortMappings: [{ Protocol: 6, InternalPort: 9090, ExternalPort: 80 }] }), "HCN_E_POLICY_ALREADY_EXISTS");
  await a.modify("loadBalancer", second.ID!, { ...second, HostComputeEndpoints: [e.ID!] });
});
