import { disconnectAll } from "../../../provider/hosts/connect";
import { EndpointProvider } from "../../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { PolicyProvider } from "../../../provider/resources/policy/controller";
import { tempDir } from "../../helpers/tmp";
import { testHost } from "../../doubles/hosts";
import { checkResource, checkedInputs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
const networks = new NetworkProvider();
const endpoints = new EndpointProvider();
const policies = new PolicyProvider();
let n = 0;

async function setup(type = "l2bridge", version?: string) {
  const { host, hns } = testHost(tmp.dir, `eh${++n}`, { hnsVersion: version });
  const net = await networks.create(await checkedInputs(networks, { host, name: "pods", type, subnets: [{ prefix: "10.244.1.0/24" }] }));
  return { host, hns, network: net.id };
}
async function ep(host: object, network: string, extra: object = {}, name = "pod") {
  const r = await checkResource(endpoints, { host, network, name, __seed: `p/s/Endpoint/${name}`, ...extra });
  if (r.failures) throw new Error(JSON.stringify(r.failures));
  return r.inputs!;
}

describe("endpoints", () => {
  test("check refuses a remote endpoint without address and a bad MAC", async () => {
    const r = await checkResource(endpoints, { host: { kind: "emulator", name: "x" }, network: "11111111-2222-3333-4444-555555555555", name: "r", remote: true, macAddress: "zz" });
    expect((r.failures ?? []).map((f) => f.property).sort()).toEqual(["ipAddress", "macAddress"]);
  });

  test("create allocates from HNS, attaches to the host namespace, policies update in place", async () => {
    const { host, hns, network } = await setup();
    const args = await ep(host, network, { attach: "host" });
    const made = await endpoints.create(args);
    expect(made.outs).toMatchObject({ appliedIpAddress: "10.244.1.2", appliedPrefixLength: 24, gateway: "10.244.1.1" });
    const [hostNs] = await hns.list("namespace", { Type: "HostDefault" });
    expect((made.outs as Record<string, unknown>).namespaceId).toBe(hostNs.ID);

    // refresh shows no drift; an explicit address equal to the allocated one is no change
    const read = await endpoints.read(made.id, made.outs);
    expect(await endpoints.diff(made.id, read.props, args)).toMatchObject({ changes: false });
    expect(await endpoints.diff(made.id, made.outs, { ...args, ipAddress: "10.244.1.2" })).toMatchObject({ changes: false });
    expect(await endpoints.diff(made.id, made.outs, { ...args, ipAddress: "10.244.1.9" })).toMatchObject({ replaces: ["ipAddress"] });

    const acl = { Type: "ACL", Settings: { Protocols: "6", Action: "Allow", Direction: "In", LocalPorts: "80", Priority: 200 } };
    const withAcl = { ...args, policies: [acl] };
    expect(await endpoints.diff(made.id, made.outs, withAcl)).toMatchObject({ changes: true, replaces: [] });
    await endpoints.update(made.id, made.outs, withAcl);
    expect((await hns.get("endpoint", made.id))!.Policies).toHaveLength(1);

    await endpoints.delete(made.id, made.outs);
    expect(await hns.list("endpoint")).toEqual([]);
    expect((await hns.get("namespace", hostNs.ID!))!.Resources).toEqual([]);
  });

  test("a port conflict surfaces HNS's code with the fix", async () => {
    const { host, network } = await setup("nat");
    const pm = [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }];
    await endpoints.create((await ep(host, network, { policies: pm }, "a")));
    await expect(endpoints.create((await ep(host, network, { policies: pm }, "b")))).rejects.toThrow(/0x803B0013.*pick another external port/);
  });

  test("lost reply on create is retried into the same endpoint", async () => {
    const { host, hns, network } = await setup();
    const args = await ep(host, network);
    await hns.injectFault({ mode: "lose-reply", op: "create", kind: "endpoint" });
    const made = await endpoints.create(args);
    expect(await hns.list("endpoint")).toHaveLength(1);
    expect((await endpoints.create(args)).id).toBe(made.id);
  });

  test("an endpoint whose network vanished reads as gone", async () => {
    const { host, hns, network } = await setup("nat");
    const made = await endpoints.create((await ep(host, network)));
    await hns.reboot();
    expect(await endpoints.read(made.id, made.outs)).toEqual({ id: "" });
  });
});

describe("policies", () => {
  test("load balancer: create, modify in place (HNS 15.4), made anew under a new hnsId before 15.4, delete", async () => {
    for (const version of ["ws2025", "14.0"]) {
      const { host, hns, network } = await setup("l2bridge", version);
      const a = await endpoints.create((await ep(host, network, {}, "a")));
      const b = await endpoints.create((await ep(host, network, {}, "b")));
      const args = await checkedInputs(policies, { kind: "loadBalancer", host, endpoints: [a.id], frontendVips: ["10.96.0.50"], portMappings: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }], __seed: "p/s/Policy/lb" });
      const lb = await policies.create(args);
      expect(await hns.get("loadBalancer", lb.id)).toMatchObject({ HostComputeEndpoints: [a.id], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] });
      const two = { ...args, endpoints: [a.id, b.id] };
      expect(await policies.diff(lb.id, lb.outs, two)).toMatchObject({ changes: true, replaces: [] });
      const up = await policies.update(lb.id, lb.outs, two);
      const hnsId = (up.outs as { hnsId: string }).hnsId;
      expect(hnsId.toLowerCase() === lb.id.toLowerCase()).toBe(version === "ws2025"); // HNS prints IDs upper case
      expect((await hns.get("loadBalancer", hnsId))!.HostComputeEndpoints).toEqual([a.id, b.id]);
      const read = await policies.read(lb.id, up.outs);
      expect(await policies.diff(lb.id, read.props, two)).toMatchObject({ changes: false });
      await policies.delete(lb.id, up.outs);
      expect(await hns.list("loadBalancer")).toEqual([]);
    }
  });

  test("policy sets are added to an endpoint, survive a retry, and are removed on delete", async () => {
    const { host, hns, network } = await setup();
    const e = await endpoints.create((await ep(host, network, { policies: [{ Type: "QOS", Settings: { MaximumOutgoingBandwidthInBytes: 1000 } }] })));
    const nat = { Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.0.0/16"] } };
    const args = await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [nat], __seed: "p/s/Policy/nat" });
    await hns.injectFault({ mode: "lose-reply", op: "modify", kind: "endpoint" });
    await expect(policies.create(args)).rejects.toThrow(/lost/);
    const made = await policies.create(args); // the retry adds nothing twice
    expect((await hns.get("endpoint", e.id))!.Policies!.map((p) => p.Type)).toEqual(["QOS", "OutBoundNAT"]);
    await policies.delete(made.id, made.outs);
    expect((await hns.get("endpoint", e.id))!.Policies!.map((p) => p.Type)).toEqual(["QOS"]);
  });

  test("SDN route: created over endpoints, read back without drift, deleted", async () => {
    const { host, hns, network } = await setup();
    const e = await endpoints.create((await ep(host, network)));
    const args = await checkedInputs(policies, { kind: "route", host, endpoints: [e.id], routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.244.1.1", needEncap: true }] });
    const r = await policies.create(args);
    expect(await hns.list("route")).toEqual([expect.objectContaining({ ID: r.id.toUpperCase(), Setting: [{ DestinationPrefix: "10.0.0.0/8", NextHop: "10.244.1.1", NeedEncap: true }] })]);
    const read = await policies.read(r.id, r.outs);
    expect(await policies.diff(r.id, read.props, args)).toMatchObject({ changes: false });
    await policies.delete(r.id, r.outs);
    expect(await hns.list("route")).toEqual([]);
  });
});
