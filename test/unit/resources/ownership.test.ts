// Each resource owns exactly what it declared: policies shared on one endpoint or network, an
// endpoint whose attach fails, and load balancers / routes that HNS cannot modify in place.
import type { EndpointPolicy } from "../../../provider/hcn";
import { disconnectAll } from "../../../provider/hosts/connect";
import { EndpointProvider } from "../../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { PolicyProvider } from "../../../provider/resources/policy/controller";
import { objectId as policyId } from "../../../provider/kinds/policy/fields";
import { tempDir } from "../../helpers/tmp";
import { testHost } from "../../doubles/hosts";
import { checkedInputs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
const networks = new NetworkProvider();
const endpoints = new EndpointProvider();
const policies = new PolicyProvider();
let n = 0;

type Args = Record<string, unknown>;

async function setup(version?: string) {
  const { host, hns } = testHost(tmp.dir, `own${++n}`, { hnsVersion: version });
  const net = await networks.create((await checkedInputs(networks, { host, name: "pods", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], __seed: "p/s/Network/pods" })));
  return { host, hns, network: net.id };
}
const endpointArgs = (host: object, network: string, extra: Args = {}, name = "pod") =>
  checkedInputs(endpoints, { host, network, name, __seed: `p/s/Endpoint/${name}`, ...extra });

const QOS: EndpointPolicy = { Type: "QOS", Settings: { MaximumOutgoingBandwidthInBytes: 1000 } };
const NAT: EndpointPolicy = { Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.0.0/16"] } };
const ACL: EndpointPolicy = { Type: "ACL", Settings: { Protocols: "6", Action: "Allow", Direction: "In", LocalPorts: "80", Priority: 200 } };
const types = (doc: { Policies?: { Type: string }[] } | undefined) => (doc?.Policies ?? []).map((p) => p.Type);

describe("an Endpoint's policies and a Policy(endpointPolicies) on the same endpoint", () => {
  test("each reads only its own; updates of either leave the other's set on the host", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network, { policies: [QOS] });
    const e = await endpoints.create(args);
    const setArgs = await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [NAT], __seed: "p/s/Policy/nat" });
    const set = await policies.create(setArgs);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["QOS", "OutBoundNAT"]);

    // refresh: the endpoint reports its own policy only, so the next up has nothing to do
    const read = await endpoints.read(e.id, e.outs);
    expect((read.props as Args).policies).toEqual([QOS]);
    expect(await endpoints.diff(e.id, read.props, args)).toMatchObject({ changes: false });
    expect(((await policies.read(set.id, set.outs)).props as Args).policies).toEqual([NAT]);

    // the endpoint adds a policy, then drops its first one: the set's stays
    const more = { ...args, policies: [QOS, ACL] };
    const up1 = await endpoints.update(e.id, read.props, more);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["QOS", "OutBoundNAT", "ACL"]);
    const fewer = { ...args, policies: [ACL] };
    await endpoints.update(e.id, up1.outs, fewer);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["OutBoundNAT", "ACL"]);

    await policies.delete(set.id, set.outs);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["ACL"]);
  });

  test("an endpoint that declares no policies never claims the set's", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network);
    const e = await endpoints.create(args);
    await policies.create((await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [NAT] })));
    const read = await endpoints.read(e.id, e.outs);
    expect((read.props as Args).policies).toBeUndefined();
    expect(await endpoints.diff(e.id, read.props, args)).toMatchObject({ changes: false });
    // an update for another field (attach) leaves the policies alone
    await endpoints.update(e.id, read.props, { ...args, attach: "host" });
    expect(types(await hns.get("endpoint", e.id))).toEqual(["OutBoundNAT"]);
  });

  test("a declared policy missing on the host reads as drift, and the update adds only it back", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network, { policies: [QOS, ACL] });
    const e = await endpoints.create(args);
    await policies.create((await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [NAT] })));
    await hns.editOutOfBand("endpoint", e.id, (d) => void (d.Policies = d.Policies!.filter((p) => p.Type !== "ACL")));
    const read = await endpoints.read(e.id, e.outs);
    expect((read.props as Args).policies).toEqual([QOS]);
    expect(await endpoints.diff(e.id, read.props, args)).toMatchObject({ changes: true, replaces: [] });
    await endpoints.update(e.id, read.props, args);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["QOS", "OutBoundNAT", "ACL"]);
  });

  // The decision documented in provider/resources/owned-policies.ts: one copy, shared.
  test("the same policy declared by both is held once; when one stops declaring it, the other's next up adds it back", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network, { policies: [NAT] });
    const e = await endpoints.create(args);
    const set = await policies.create((await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [NAT] })));
    expect(types(await hns.get("endpoint", e.id))).toEqual(["OutBoundNAT"]);
    expect(((await endpoints.read(e.id, e.outs)).props as Args).policies).toEqual([NAT]);
    expect(((await policies.read(set.id, set.outs)).props as Args).policies).toEqual([NAT]);

    await policies.delete(set.id, set.outs);
    const read = await endpoints.read(e.id, e.outs);
    expect(await endpoints.diff(e.id, read.props, args)).toMatchObject({ changes: true });
    await endpoints.update(e.id, read.props, args);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["OutBoundNAT"]);
  });

  test("adopting an endpoint adds its declared policies and keeps the ones already there", async () => {
    const { host, hns, network } = await setup();
    const other = await hns.create("endpoint", { Name: "legacy", HostComputeNetwork: network, Policies: [NAT] });
    const adopted = await endpoints.create((await endpointArgs(host, network, { adopt: { id: other.ID }, policies: [QOS] }, "legacy")));
    expect(adopted.id).toBe(other.ID);
    expect(types(await hns.get("endpoint", other.ID!))).toEqual(["OutBoundNAT", "QOS"]);
  });
});

describe("a Network's policies and a Policy(networkPolicies) on the same network", () => {
  const AUTO_DNS = { Type: "AutomaticDNS", Settings: { Enable: true } };
  const PA = { Type: "ProviderAddress", Settings: { ProviderAddress: "192.168.1.5" } };

  test("each reads only its own; an update of the network leaves the set's on the host", async () => {
    const { host, hns } = testHost(tmp.dir, `own${++n}`);
    const args = await checkedInputs(networks, { host, name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], policies: [AUTO_DNS], __seed: "p/s/Network/web" });
    const net = await networks.create(args);
    const set = await policies.create((await checkedInputs(policies, { kind: "networkPolicies", host, network: net.id, policies: [PA] })));
    expect(types(await hns.get("network", net.id))).toEqual(["AutomaticDNS", "ProviderAddress"]);

    const read = await networks.read(net.id, net.outs);
    expect((read.props as Args).policies).toEqual([AUTO_DNS]);
    expect(await networks.diff(net.id, read.props, args)).toMatchObject({ changes: false });

    // a DNS change, then dropping its own policy: the set's stays throughout
    const withDns = { ...args, dns: { servers: ["10.0.0.10"] } };
    const up1 = await networks.update(net.id, read.props, withDns);
    expect(types(await hns.get("network", net.id))).toEqual(["AutomaticDNS", "ProviderAddress"]);
    await networks.update(net.id, up1.outs, { ...withDns, policies: undefined });
    expect(types(await hns.get("network", net.id))).toEqual(["ProviderAddress"]);
    expect(((await policies.read(set.id, set.outs)).props as Args).policies).toEqual([PA]);
  });

  test("adopting a network adds its declared policies and keeps the ones already there", async () => {
    const { host, hns } = testHost(tmp.dir, `own${++n}`);
    const existing = await hns.create("network", { Name: "web", Type: "NAT", Policies: [PA] });
    await networks.create((await checkedInputs(networks, { host, name: "web", type: "nat", adopt: true, policies: [AUTO_DNS] })));
    expect(types(await hns.get("network", existing.ID!))).toEqual(["ProviderAddress", "AutomaticDNS"]);
  });
});

describe("an endpoint whose attach fails after its create", () => {
  test("is deleted again before the error reaches the engine", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network, { attach: "host" });
    await hns.injectFault({ mode: "fail", op: "modify", kind: "namespace" });
    await expect(endpoints.create(args)).rejects.toThrow(/creating endpoint "pod"/);
    expect(await hns.list("endpoint")).toEqual([]);
  });

  test("an attach whose reply was lost is undone too (detached, then deleted)", async () => {
    const { host, hns, network } = await setup();
    await hns.injectFault({ mode: "lose-reply", op: "modify", kind: "namespace" });
    await expect(endpoints.create((await endpointArgs(host, network, { attach: "host" })))).rejects.toThrow();
    expect(await hns.list("endpoint")).toEqual([]);
    const [ns] = await hns.list("namespace", { Type: "HostDefault" });
    expect(ns.Resources).toEqual([]);
  });

  test("when deleting it fails too, the error says so and the next create finds and re-uses it", async () => {
    const { host, hns, network } = await setup();
    const args = await endpointArgs(host, network, { attach: "host" });
    await hns.injectFault({ mode: "fail", op: "modify", kind: "namespace" });
    await hns.injectFault({ mode: "fail", op: "delete", kind: "endpoint" });
    await expect(endpoints.create(args)).rejects.toThrow(/stays on the host.*run pulumi up again: it finds that endpoint under the same ID/);
    const [left] = await hns.list("endpoint");
    const made = await endpoints.create(args);
    expect(made.id).toBe(left.ID);
    expect((await hns.list("endpoint")).map((e) => e.ID)).toEqual([left.ID]);
    const [ns] = await hns.list("namespace", { Type: "HostDefault" });
    expect((made.outs as Args).namespaceId).toBe(ns.ID);
  });
});

describe("routes and load balancers HNS cannot modify get fresh IDs", () => {
  const route = (host: object, endpoint: string, prefix: string) =>
    checkedInputs(policies, { kind: "route", host, endpoints: [endpoint], routes: [{ destinationPrefix: prefix, nextHop: "10.244.1.1" }], __seed: "p/s/Policy/rt" });

  test("a route change is a replacement under a new ID; the new route goes up first unless the destination is the same", async () => {
    const { host, hns, network } = await setup();
    const e = await endpoints.create((await endpointArgs(host, network)));
    const a = await route(host, e.id, "10.0.0.0/8");
    const made = await policies.create(a);
    const b = await route(host, e.id, "11.0.0.0/8");
    expect(await policies.diff(made.id, made.outs, b)).toEqual({ changes: true, replaces: ["routes"], deleteBeforeReplace: false });
    const sameDestination = { ...a, routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.244.1.3" }] };
    expect(await policies.diff(made.id, made.outs, sameDestination)).toMatchObject({ replaces: ["routes"], deleteBeforeReplace: true });
    expect(policyId(b)).not.toBe(made.id);
    expect(policyId(sameDestination)).not.toBe(made.id);

    // the engine's replacement: create the new one, then delete the old one
    const next = await policies.create(b);
    expect(next.id).toBe(policyId(b));
    await policies.delete(made.id, made.outs);
    expect((await hns.list("route")).map((r) => r.ID?.toLowerCase())).toEqual([next.id]); // HNS prints GUIDs upper case
    expect(next.id.slice(0, 8)).toBe(made.id.slice(0, 8)); // the stack's tag
  });

  async function lbSetup(version: string) {
    const { host, hns, network } = await setup(version);
    const a = await endpoints.create((await endpointArgs(host, network, {}, "a")));
    const b = await endpoints.create((await endpointArgs(host, network, {}, "b")));
    type LoadBalancerArgs = Extract<Parameters<PolicyProvider["create"]>[0], { kind: "loadBalancer" }>;
    const args = (await checkedInputs(policies, { kind: "loadBalancer", host, endpoints: [a.id], frontendVips: ["10.96.0.50"], portMappings: [{ internalPort: 8080, externalPort: 80 }], __seed: "p/s/Policy/lb" })) as LoadBalancerArgs;
    const lb = await policies.create(args);
    return { hns, a: a.id, b: b.id, args, lb };
  }

  test("before HNS 15.4 an update makes a new load balancer under a new ID (hnsId) and deletes the old; read and delete follow hnsId", async () => {
    const { hns, a, b, args, lb } = await lbSetup("14.0");
    const two = { ...args, endpoints: [a, b] }; // the same frontend: the old one must go first
    expect(await policies.diff(lb.id, lb.outs, two)).toMatchObject({ changes: true, replaces: [] });
    const up = await policies.update(lb.id, lb.outs, two);
    const hnsId = (up.outs as Args).hnsId as string;
    expect(hnsId).not.toBe(lb.id);
    expect(hnsId.slice(0, 8)).toBe(lb.id.slice(0, 8));
    expect((await hns.list("loadBalancer")).map((l) => [l.ID?.toLowerCase(), l.HostComputeEndpoints])).toEqual([[hnsId, [a, b]]]);

    const read = await policies.read(lb.id, up.outs);
    expect(read.id).toBe(lb.id);
    expect(await policies.diff(lb.id, read.props, two)).toMatchObject({ changes: false });
    await policies.delete(lb.id, up.outs);
    expect(await hns.list("loadBalancer")).toEqual([]);
  });

  test("before HNS 15.4 a new frontend goes up before the old one comes down: a failed create loses nothing", async () => {
    const { hns, args, lb } = await lbSetup("14.0");
    const moved = { ...args, frontendVips: ["10.96.0.60"] };
    await hns.injectFault({ mode: "fail", op: "create", kind: "loadBalancer" });
    await expect(policies.update(lb.id, lb.outs, moved)).rejects.toThrow(/updating loadBalancer policy/);
    expect((await hns.list("loadBalancer")).map((l) => l.ID?.toLowerCase())).toEqual([lb.id]);
    const up = await policies.update(lb.id, lb.outs, moved);
    expect((await hns.list("loadBalancer")).map((l) => [l.ID?.toLowerCase(), l.FrontendVIPs])).toEqual([[(up.outs as Args).hnsId, ["10.96.0.60"]]]);
  });

  test("from HNS 15.4 the load balancer is modified in place and keeps its ID", async () => {
    const { hns, a, b, args, lb } = await lbSetup("ws2025");
    const up = await policies.update(lb.id, lb.outs, { ...args, endpoints: [a, b] });
    expect(((up.outs as Args).hnsId as string).toLowerCase()).toBe(lb.id); // HNS prints it upper case
    expect((await hns.list("loadBalancer")).map((l) => l.ID?.toLowerCase())).toEqual([lb.id]);
  });

  test("state from before hnsId could differ from the ID (hnsId = id, another ID formula) keeps working", async () => {
    const { hns, a, b, args, lb } = await lbSetup("14.0");
    await policies.delete(lb.id, lb.outs);
    const oldId = "0b1e2c3d-0000-5000-8000-000000000001";
    await hns.create("loadBalancer", { ID: oldId, HostComputeEndpoints: [a], FrontendVIPs: ["10.96.0.50"], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] });
    const state = { ...args, hnsId: oldId };
    expect((await policies.read(oldId, state)).id).toBe(oldId);
    const up = await policies.update(oldId, state, { ...args, endpoints: [a, b] });
    expect((await hns.list("loadBalancer")).map((l) => l.ID?.toLowerCase())).toEqual([(up.outs as Args).hnsId]);
    await policies.delete(oldId, up.outs);
    expect(await hns.list("loadBalancer")).toEqual([]);
  });
});

describe("a Policy set whose policies were all removed from its endpoint", () => {
  test("reads as drift (no policies), not as gone, and the next update adds them back", async () => {
    const { host, hns, network } = await setup();
    const e = await endpoints.create((await endpointArgs(host, network)));
    const setArgs = await checkedInputs(policies, { kind: "endpointPolicies", host, endpoint: e.id, policies: [NAT], __seed: "p/s/Policy/nat-gone" });
    const set = await policies.create(setArgs);
    await hns.modify("endpoint", e.id, { ResourceType: "Policy", RequestType: "Remove", Settings: { Policies: [NAT] } });
    expect(types(await hns.get("endpoint", e.id))).toEqual([]);

    const read = await policies.read(set.id, set.outs);
    expect(read.id).toBe(set.id);
    expect((read.props as Args).policies).toEqual([]);
    expect(await policies.diff(set.id, read.props, setArgs)).toMatchObject({ changes: true, replaces: [] });
    await policies.update(set.id, read.props, setArgs);
    expect(types(await hns.get("endpoint", e.id))).toEqual(["OutBoundNAT"]);
  });
});
