// The HNS contract: the behaviour every target must show, written once against HnsClient and
// run against each target selectTargets picks (targets.ts): the stand-ins in `npm test`, or one
// real Windows host with HNS_TARGET (docs/real-host.md). Tests assert only on objects they
// created, so a real host may hold others (with HNS_CONTRACT_ALLOW_FOREIGN=1). Every create goes
// through TrackedClient, which chooses the ID before the call (guard.ts), except the one test
// of HNS-assigned IDs.
import { randomUUID } from "node:crypto";
import { supports, type Feature } from "../../provider/vocabulary/features";
import { sameGuid, ZERO_GUID, type HnsClient } from "../../provider/hosts/client";
import type { HnsVersion } from "../../provider/vocabulary/features";
import { NetworkFlags } from "../../provider/hcn";
import { tempDir } from "../helpers/tmp";
import { failsNotFound, failsWith } from "./expect";
import { cleanupAfterTest, guardHost, TrackedClient } from "./guard";
import { selectTargets, targetDir, type OpenedHost } from "./targets";

// A real host answers in seconds at worst; the stand-ins start Mono or a shell once per host.
jest.setTimeout(120_000);

const tmp = tempDir("hns-contract-");
afterAll(tmp.cleanup);

// Third octets drawn once per run, so a real host's own networks are unlikely to overlap.
let octet = 16 + Math.floor(Math.random() * 200);
const nextPrefix = () => `10.231.${octet++ % 256}.0/24`;
const at = (prefix: string, last: number) => prefix.replace(/0\/24$/, String(last));

function natNetwork(t: TrackedClient, what: string, id: string = randomUUID()) {
  const prefix = nextPrefix();
  return { prefix, body: { ID: id, Name: t.name(what), Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, Routes: [{ NextHop: at(prefix, 1), DestinationPrefix: "0.0.0.0/0" }] }] }] } };
}

const portMapping = (external: number, internal = 80) => ({ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: internal, ExternalPort: external } });
// External ports in a range Windows leaves to services (below the dynamic range 49152+), drawn per run.
let port = 20000 + Math.floor(Math.random() * 20000);

describe.each(selectTargets(process.env))("HNS contract: $name", (target) => {
  let host: OpenedHost;
  let hns: HnsClient;
  let t: TrackedClient;
  let version: HnsVersion;

  beforeAll(async () => {
    host = await target.open(targetDir(tmp.dir, target));
    hns = host.client;
    // Refuses to run beside objects it did not create (a real host), unless told.
    await guardHost(hns, process.env);
    t = new TrackedClient(hns);
    version = await hns.version();
    // For a report (docs/real-host.md): which HNS this run judged.
    if (target.real) console.log(`HNS ${version.Major}.${version.Minor} on ${hns.hostName} (${target.name})`);
  });

  // Everything a test created goes, pass or fail; anything that cannot be deleted fails loudly.
  // t is undefined when beforeAll failed: cleanupAfterTest then leaves that error the only one.
  afterEach(() => cleanupAfterTest(t));

  afterAll(async () => {
    await host?.close();
  });

  test("the host reports an HNS version with the HCN v2 API", () => {
    expect(Number.isInteger(version.Major) && Number.isInteger(version.Minor)).toBe(true);
    expect(supports(version, "V2Api")).toBe(true);
  });

  test("network: create with a client-chosen ID, read, list, filter, modify, delete", async () => {
    const { prefix, body } = natNetwork(t, "crud");
    const made = await t.create("network", body);
    expect(sameGuid(made.ID, body.ID)).toBe(true);
    expect(made.Name).toBe(body.Name);
    expect(made.Ipams?.[0]?.Subnets?.[0]?.IpAddressPrefix).toBe(prefix);
    expect((await hns.get("network", body.ID.toUpperCase()))?.Name).toBe(body.Name); // GUIDs compare case-insensitively
    expect((await hns.list("network")).some((n) => sameGuid(n.ID, body.ID))).toBe(true);
    expect((await hns.list("network", { Name: body.Name })).map((n) => n.ID?.toLowerCase())).toEqual([body.ID.toLowerCase()]);
    const modified = await hns.modify("network", body.ID, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: [at(prefix, 53)] } });
    expect(modified.Dns?.ServerList).toEqual([at(prefix, 53)]);
    await hns.delete("network", body.ID);
    expect(await hns.get("network", body.ID)).toBeUndefined();
    expect((await hns.list("network")).some((n) => sameGuid(n.ID, body.ID))).toBe(false);
  });

  test("idempotent create: the chosen ID is found after the call, and creating it again is refused without a second object", async () => {
    const { body } = natNetwork(t, "once");
    await t.create("network", body);
    expect((await hns.get("network", body.ID))?.Name).toBe(body.Name);
    await failsWith(t.create("network", body), "ERROR_ALREADY_EXISTS", "HCN_E_NETWORK_ALREADY_EXISTS");
    expect(await hns.list("network", { Name: body.Name })).toHaveLength(1);
  });

  test("already exists: a second network with the same name (in another case) is HCN_E_NETWORK_ALREADY_EXISTS", async () => {
    const first = natNetwork(t, "same");
    await t.create("network", first.body);
    const second = natNetwork(t, "same");
    await failsWith(t.create("network", { ...second.body, Name: first.body.Name.toUpperCase() }), "HCN_E_NETWORK_ALREADY_EXISTS");
    expect(await hns.get("network", second.body.ID)).toBeUndefined();
  });

  test("not found: reading gives nothing; modify and delete of every kind fail with a not-found code", async () => {
    const missing = randomUUID();
    for (const kind of ["network", "endpoint", "namespace", "loadBalancer", "route"] as const) {
      expect(await hns.get(kind, missing)).toBeUndefined();
      await failsNotFound(hns.delete(kind, missing));
    }
    await failsNotFound(hns.modify("network", missing, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: ["10.0.0.53"] } }));
    await failsNotFound(hns.modify("endpoint", missing, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [portMapping(port++)] } }));
    // Any not-found code: the agent opens the network before HcnCreateEndpoint, so a real host
    // answers with HcnOpenNetwork's code, which the emulator (HCN_E_NETWORK_NOT_FOUND) and the
    // native stand-in (ERROR_NOT_FOUND) do not agree on, and no public source settles.
    await failsNotFound(t.create("endpoint", { Name: t.name("orphan"), HostComputeNetwork: missing }));
  });

  test("endpoint: create with a static address, read, list by network, add a port mapping, delete", async () => {
    const { prefix, body } = natNetwork(t, "ep");
    await t.create("network", body);
    const ep = await t.create("endpoint", { ID: randomUUID(), Name: t.name("ep"), HostComputeNetwork: body.ID, IpConfigurations: [{ IpAddress: at(prefix, 10) }] });
    expect(sameGuid(ep.HostComputeNetwork, body.ID)).toBe(true);
    expect(ep.IpConfigurations?.[0]?.IpAddress).toBe(at(prefix, 10));
    expect((await hns.list("endpoint")).filter((e) => sameGuid(e.HostComputeNetwork, body.ID)).map((e) => e.ID?.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    const external = port++;
    await hns.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [portMapping(external)] } });
    const policies = (await hns.get("endpoint", ep.ID!))!.Policies ?? [];
    expect(policies.some((p) => p.Type === "PortMapping" && Number((p.Settings as { ExternalPort?: number }).ExternalPort) === external)).toBe(true);
    await hns.delete("endpoint", ep.ID!);
    expect(await hns.get("endpoint", ep.ID!)).toBeUndefined();
  });

  test("port conflict: a second endpoint mapping the same host port is HCN_E_PORT_ALREADY_EXISTS", async () => {
    const { body } = natNetwork(t, "ports");
    await t.create("network", body);
    const external = port++;
    await t.create("endpoint", { Name: t.name("p1"), HostComputeNetwork: body.ID, Policies: [portMapping(external)] });
    await failsWith(t.create("endpoint", { Name: t.name("p2"), HostComputeNetwork: body.ID, Policies: [portMapping(external)] }), "HCN_E_PORT_ALREADY_EXISTS");
  });

  test("invalid address: outside every subnet is HCN_E_INVALID_IP; the gateway is HCN_E_ADDR_INVALID_OR_RESERVED", async () => {
    const { prefix, body } = natNetwork(t, "addr");
    await t.create("network", body);
    await failsWith(t.create("endpoint", { Name: t.name("out"), HostComputeNetwork: body.ID, IpConfigurations: [{ IpAddress: "192.0.2.10" }] }), "HCN_E_INVALID_IP");
    await failsWith(t.create("endpoint", { Name: t.name("gw"), HostComputeNetwork: body.ID, IpConfigurations: [{ IpAddress: at(prefix, 1) }] }), "HCN_E_ADDR_INVALID_OR_RESERVED");
  });

  test("a network deleted with an endpoint on it takes the endpoint along; an endpoint under a load balancer is not deleted", async () => {
    // hcsshim hcn/hnsv1_test.go TestEndpointStatsAll and windows-container-networking's plugin
    // teardown delete a network with an endpoint on it and expect success.
    const { body } = natNetwork(t, "refs");
    await t.create("network", body);
    const ep = await t.create("endpoint", { Name: t.name("ref"), HostComputeNetwork: body.ID });
    const lb = await t.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.231.10"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: port++ }] });
    await failsWith(hns.delete("endpoint", ep.ID!), "HCN_E_ENTITY_HAS_REFERENCES");
    expect(await hns.get("endpoint", ep.ID!)).toBeDefined();
    await hns.delete("loadBalancer", lb.ID!);
    await hns.delete("network", body.ID);
    expect(await hns.get("network", body.ID)).toBeUndefined();
    expect(await hns.get("endpoint", ep.ID!)).toBeUndefined();
    await failsNotFound(hns.delete("endpoint", ep.ID!));
  });

  test("namespace: create, attach an endpoint (the endpoint then names it), a second attach is refused, delete", async () => {
    const { body } = natNetwork(t, "ns");
    await t.create("network", body);
    const ep = await t.create("endpoint", { Name: t.name("nsep"), HostComputeNetwork: body.ID });
    const ns = await t.create("namespace", { ID: randomUUID(), Type: "Host" });
    await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
    expect(sameGuid((await hns.get("endpoint", ep.ID!))!.HostComputeNamespace, ns.ID)).toBe(true);
    expect((await hns.get("namespace", ns.ID!))!.Resources?.some((r) => r.Type === "Endpoint" && sameGuid((r.Data as { ID?: string }).ID, ep.ID))).toBe(true);
    await failsWith(hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } }), "HCN_E_ENDPOINT_ALREADY_ATTACHED");
    await hns.delete("namespace", ns.ID!);
    expect(await hns.get("namespace", ns.ID!)).toBeUndefined();
  });

  test("load balancer: create over an endpoint, read, list, delete", async () => {
    const { body } = natNetwork(t, "lb");
    await t.create("network", body);
    const ep = await t.create("endpoint", { Name: t.name("lbep"), HostComputeNetwork: body.ID });
    const external = port++;
    const lb = await t.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.231.11"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: external }] });
    expect(lb.HostComputeEndpoints?.map((x) => x.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    expect((await hns.get("loadBalancer", lb.ID!))?.PortMappings?.[0]?.ExternalPort).toBe(external);
    expect((await hns.list("loadBalancer")).some((x) => sameGuid(x.ID, lb.ID))).toBe(true);
    await hns.delete("loadBalancer", lb.ID!);
    expect(await hns.get("loadBalancer", lb.ID!)).toBeUndefined();
  });

  test("SDN route: create over an endpoint, read, list, modify refused, delete", async () => {
    const { prefix, body } = natNetwork(t, "route");
    await t.create("network", body);
    const ep = await t.create("endpoint", { Name: t.name("rtep"), HostComputeNetwork: body.ID });
    const id = randomUUID();
    const route = await t.create("route", { ID: id, HostComputeEndpoints: [ep.ID!], Setting: [{ DestinationPrefix: "10.232.0.0/16", NextHop: at(prefix, 1) }] });
    expect(sameGuid(route.ID, id)).toBe(true);
    expect(route.HostComputeEndpoints?.map((x) => x.toLowerCase())).toEqual([ep.ID!.toLowerCase()]);
    const read = await hns.get("route", id);
    expect(read?.Setting?.map((r) => [r.DestinationPrefix, r.NextHop])).toEqual([["10.232.0.0/16", at(prefix, 1)]]);
    expect((await hns.list("route")).some((x) => sameGuid(x.ID, id))).toBe(true);
    // hcsshim hcn/hcnroute.go: "HCNRoute doesn't implement modify functionality"; which code
    // HcnModifySdnRoute returns is documented nowhere: HNS's own for an unsupported request
    // (the emulator's choice) or the generic not-implemented HRESULT.
    await failsWith(hns.modify("route", id, read!), "HCN_E_REQUEST_UNSUPPORTED", "E_NOTIMPL");
    expect((await hns.get("route", id))?.Setting?.[0]?.NextHop).toBe(at(prefix, 1));
    await hns.delete("route", id);
    expect(await hns.get("route", id)).toBeUndefined();
    expect((await hns.list("route")).some((x) => sameGuid(x.ID, id))).toBe(false);
  });

  test("HNS-assigned ID (the only create without a chosen ID): the reply carries a fresh GUID, and the object is found under it", async () => {
    const { body } = natNetwork(t, "assigned");
    const { ID: _chosen, ...withoutId } = body;
    const made = await t.createAssigned("network", withoutId);
    expect(made.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(sameGuid(made.ID, ZERO_GUID)).toBe(false);
    expect((await hns.get("network", made.ID!))?.Name).toBe(body.Name);
  });

  test("v1 view: a create body in the v1 shape (flat Subnets) is accepted and reads back in the v2 shape", async () => {
    // hcsshim hcn/hcnv1schema_test.go: HCN's create takes v1-shaped network JSON too.
    const prefix = nextPrefix();
    const id = randomUUID();
    await t.create("network", { ID: id, Name: t.name("v1"), Type: "NAT", Subnets: [{ AddressPrefix: prefix, GatewayAddress: at(prefix, 1) }] });
    const read = await hns.get("network", id);
    expect(read?.Ipams?.[0]?.Subnets?.[0]?.IpAddressPrefix).toBe(prefix);
  });

  // A feature gate is checked against the version this host reports: supported, it works;
  // not supported, HNS refuses with HCN_E_REQUEST_UNSUPPORTED (hcsshim hcnsupport.go gates).
  describe.each([
    ["ModifyLoadBalancer", "modify a load balancer"],
    ["DisableHostPort", "create a network with the DisableHostPort flag"],
  ] as [Feature, string][])("feature gate %s", (feature, what) => {
    async function attempt(client: HnsClient, tracked: TrackedClient): Promise<void> {
      const { body } = natNetwork(tracked, feature);
      if (feature === "DisableHostPort") {
        await tracked.create("network", { ...body, Flags: NetworkFlags.DisableHostPort });
        return;
      }
      await tracked.create("network", body);
      const ep = await tracked.create("endpoint", { Name: tracked.name("gate"), HostComputeNetwork: body.ID });
      const lb = await tracked.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.231.12"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: port++ }] });
      const changed = await client.modify("loadBalancer", lb.ID!, { ...lb, PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: lb.PortMappings![0].ExternalPort }] });
      expect(changed.PortMappings![0].InternalPort).toBe(8080);
    }

    test(`this host: ${what} works exactly when its version has the feature`, async () => {
      if (supports(version, feature)) await attempt(hns, t);
      else await failsWith(attempt(hns, t), "HCN_E_REQUEST_UNSUPPORTED");
    });

    // Stand-ins can be any version: the other side of the gate is shown on an older host.
    if (!target.real) {
      test(`an older host (ws2022, HNS 13.3) refuses to ${what}`, async () => {
        const old = await target.open(targetDir(tmp.dir, target), "ws2022");
        const tracked = new TrackedClient(old.client);
        try {
          expect(supports(await old.client.version(), feature)).toBe(false);
          await failsWith(attempt(old.client, tracked), "HCN_E_REQUEST_UNSUPPORTED");
        } finally {
          await tracked.cleanup();
          await old.close();
        }
      });
    }
  });
});
