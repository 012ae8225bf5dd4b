// Quirks users hit on real hosts, and how the providers converge through them: an object
// deleted by another client while HNS reads it ("Element not found", antrea-io/antrea#2301), a
// network deleted with its endpoints (hcsshim hcn/hnsv1_test.go TestEndpointStatsAll), and a
// NAT network made again after a reboot under a new ID (moby/moby#39098: nat networks are not
// persisted; Docker makes its `nat` network again when it starts).
import * as path from "node:path";
import { HResult } from "../../../provider/vocabulary/errors";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import { disconnectAll } from "../../../provider/hosts/connect";
import { EndpointProvider } from "../../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { PolicyProvider } from "../../../provider/resources/policy/controller";
import { tempDir } from "../../helpers/tmp";
import { testHost } from "../../doubles/hosts";
import { checkedInputs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
let n = 0;
const networks = new NetworkProvider();
const endpoints = new EndpointProvider();
const policies = new PolicyProvider();
/** The engine's calls as it makes them: with values (an unknown, an ID of another case) no typed argument holds. */
const engineDiff = {
  policy: policies.diff.bind(policies) as (id: string, olds: unknown, news: unknown) => ReturnType<PolicyProvider["diff"]>,
  endpoint: endpoints.diff.bind(endpoints) as (id: string, olds: unknown, news: unknown) => ReturnType<EndpointProvider["diff"]>,
};

async function deployed() {
  const { host, hns } = testHost(tmp.dir, `quirk${++n}`);
  const netArgs = await checkedInputs(networks, { host, name: "web", type: "l2bridge", subnets: [{ prefix: "10.244.9.0/24" }], __seed: "p/s/Network/web" });
  const net = await networks.create(netArgs);
  const epArgs = await checkedInputs(endpoints, { host, network: net.id, name: "app", ipAddress: "10.244.9.10", __seed: "p/s/Endpoint/app" });
  const ep = await endpoints.create(epArgs);
  const lbArgs = await checkedInputs(policies, { kind: "loadBalancer", host, endpoints: [ep.id], frontendVips: ["10.96.0.9"], portMappings: [{ internalPort: 80, externalPort: 80 }], __seed: "p/s/Policy/lb" });
  const lb = await policies.create(lbArgs);
  return { host, hns, net, ep, lb };
}

test("deleted by another client while HNS reads it (\"Element not found\"): refresh reads it as gone; any other failure still fails the read", async () => {
  const { hns, net, ep, lb } = await deployed();
  await hns.injectFault({ mode: "fail", op: "get", kind: "endpoint", hresult: HResult.ERROR_NOT_FOUND });
  expect(await endpoints.read(ep.id, ep.outs)).toEqual({ id: "" });
  await hns.injectFault({ mode: "fail", op: "get", kind: "network", hresult: HResult.HCN_E_NETWORK_NOT_FOUND });
  expect(await networks.read(net.id, net.outs)).toEqual({ id: "" });
  await hns.injectFault({ mode: "fail", op: "get", kind: "loadBalancer", hresult: HResult.ERROR_NOT_FOUND });
  expect((await policies.read(lb.id, lb.outs)).id).toBe("");
  // Negative control: a failure that is not "gone" is not taken for one.
  await hns.injectFault({ mode: "fail", op: "get", kind: "endpoint", hresult: HResult.E_FAIL });
  await expect(endpoints.read(ep.id, ep.outs)).rejects.toThrow(/Unspecified error/);
  // Without a fault the object is there: the reads above did not delete anything.
  expect((await endpoints.read(ep.id, ep.outs)).id).toBe(ep.id);
});

test("a network deleted with its endpoints: the endpoint and load balancer read as gone, and their deletes succeed", async () => {
  const { hns, net, ep, lb } = await deployed();
  await hns.delete("network", net.id);
  expect(await endpoints.read(ep.id, ep.outs)).toEqual({ id: "" });
  expect((await policies.read(lb.id, lb.outs)).id).toBe("");
  await expect(policies.delete(lb.id, lb.outs)).resolves.toBeUndefined();
  await expect(endpoints.delete(ep.id, ep.outs)).resolves.toBeUndefined();
  await expect(networks.delete(net.id, net.outs)).resolves.toBeUndefined();
});

test("Docker's nat network made again after a reboot has a new ID: the adopted network reads as gone, and adopting again takes the new one", async () => {
  const name = `quirk${++n}`;
  const host = { kind: "emulator" as const, name, stateDir: tmp.dir, docker: true };
  const hns = new HnsEmulator(path.join(tmp.dir, `${name}.json`));
  const args = await checkedInputs(networks, { host, name: "nat", type: "nat", adopt: true, __seed: "p/s/Network/nat" });
  const adopted = await networks.create(args);
  await hns.reboot();
  // What the Docker daemon does when it starts: a default nat network, made by HNS under a new ID.
  const again = await hns.create("network", { Name: "nat", Type: "NAT" });
  expect(again.ID!.toLowerCase()).not.toBe(adopted.id.toLowerCase());
  expect(await networks.read(adopted.id, adopted.outs)).toEqual({ id: "" });
  const readopted = await networks.create(args);
  expect(readopted.id).toBe(again.ID);
});

test("a load balancer over an endpoint being replaced: asked with that endpoint's ID unknown, it reports a replacement that deletes first; a known new ID is an update", async () => {
  const { unknownValue } = await import("@pulumi/pulumi/runtime");
  const { lb } = await deployed();
  const olds = lb.outs as Record<string, unknown>;
  // The engine's question for dependents of a delete-before-replace: the whole property unknown, or one element.
  expect(await engineDiff.policy(lb.id, olds, { ...olds, endpoints: unknownValue })).toMatchObject({ changes: true, replaces: ["endpoints"], deleteBeforeReplace: true });
  expect(await engineDiff.policy(lb.id, olds, { ...olds, endpoints: [unknownValue] })).toMatchObject({ replaces: ["endpoints"], deleteBeforeReplace: true });
  // Negative control: a new backend that is known is updated in place.
  expect(await engineDiff.policy(lb.id, olds, { ...olds, endpoints: ["B06E4816-0000-4000-8000-000000000001"] })).toMatchObject({ changes: true, replaces: [] });
});

test("IDs that differ only in case are no change (HNS prints GUIDs upper case; older state may hold lower case); another ID still is", async () => {
  const { ep, lb } = await deployed();
  const epOlds = ep.outs as { network: string };
  const lowered = { ...epOlds, network: String(epOlds.network).toLowerCase() };
  expect(await engineDiff.endpoint(ep.id, lowered, { ...epOlds, network: String(epOlds.network).toUpperCase() })).toMatchObject({ changes: false });
  const lbOlds = lb.outs as { endpoints: string[] };
  expect(await engineDiff.policy(lb.id, { ...lbOlds, endpoints: lbOlds.endpoints.map((e) => e.toLowerCase()) }, { ...lbOlds, endpoints: lbOlds.endpoints.map((e) => e.toUpperCase()) })).toMatchObject({ changes: false });
  // Negative control: another network is a replacement.
  expect(await engineDiff.endpoint(ep.id, lowered, { ...epOlds, network: "B06E4816-0000-4000-8000-000000000002" })).toMatchObject({ changes: true, replaces: ["network"] });
});
