// The contract suite's safety on a real host, shown on the emulator: it refuses a host with
// objects it did not create unless HNS_CONTRACT_ALLOW_FOREIGN=1, and its cleanup removes
// everything it created, dependents first, even what a failing test left behind.
import * as path from "node:path";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { tempDir } from "../helpers/tmp";
import type { HnsClient } from "../../provider/hosts/client";
import { ALLOW_FOREIGN_ENV, cleanupAfterTest, foreignObjects, guardHost, TrackedClient } from "./guard";

const tmp = tempDir("hns-guard-");
afterAll(tmp.cleanup);
let n = 0;
const fresh = () => new HnsEmulator(path.join(tmp.dir, `h${++n}.json`), { hostName: `h${n}` });
const nat = (name: string, prefix: string) => ({ Name: name, Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix }] }] });

/** A host whose create is applied but whose reply never arrives (a dropped session, a timeout). */
function losingReplies(inner: HnsClient): HnsClient {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "create")
        return async (...args: Parameters<HnsClient["create"]>) => {
          await target.create(...args);
          throw new Error("the session closed before the reply");
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

test("a fresh host has nothing foreign (its default namespace is every host's)", async () => {
  const hns = fresh();
  expect((await hns.list("namespace")).length).toBe(1);
  expect(await foreignObjects(hns)).toEqual([]);
  await expect(guardHost(hns, {})).resolves.toBeUndefined();
});

test("a host seeded with a foreign network is refused, naming the object and the variable; allowed with HNS_CONTRACT_ALLOW_FOREIGN=1", async () => {
  const hns = fresh();
  const theirs = await hns.create("network", nat("someone-elses", "10.77.0.0/24"));
  await expect(guardHost(hns, {})).rejects.toThrow(new RegExp(`network ${theirs.ID} \\(someone-elses\\)[\\s\\S]*${ALLOW_FOREIGN_ENV}=1`));
  await expect(guardHost(hns, { [ALLOW_FOREIGN_ENV]: "yes" })).rejects.toThrow(/did not create/);
  await expect(guardHost(hns, { [ALLOW_FOREIGN_ENV]: "1" })).resolves.toBeUndefined();
});

test("cleanup deletes what a test created, dependents first, and leaves a foreign object alone", async () => {
  const hns = fresh();
  const theirs = await hns.create("network", nat("theirs", "10.78.0.0/24"));
  const t = new TrackedClient(hns);
  const net = await t.create("network", { ...nat(t.name("n"), "10.79.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000001" });
  const ep = await t.create("endpoint", { Name: t.name("e"), HostComputeNetwork: net.ID });
  await t.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 8080 }] });
  const ns = await t.create("namespace", { Type: "Host" });
  await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
  // A test failing here would leave all of this; the afterEach cleanup still runs:
  expect(await t.cleanup()).toEqual([]);
  expect((await foreignObjects(hns)).map((o) => o.split(" ")[1])).toEqual([theirs.ID]);
  // An object a test already deleted, or whose create failed after the ID was chosen, is not an error.
  await t.create("network", { ...nat(t.name("gone"), "10.80.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000002" });
  await hns.delete("network", "0b0c0d0e-0000-4000-8000-000000000002");
  await expect(t.create("network", { ...nat("theirs", "10.81.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000003" })).rejects.toThrow();
  expect(await t.cleanup()).toEqual([]);
  expect(await hns.get("network", theirs.ID!)).toBeDefined();
});

test("names carry a per-run prefix, so an object left on a host says where it came from", () => {
  const t = new TrackedClient(fresh());
  expect(t.name("x")).toMatch(/^hnsct-[0-9a-f]{6}-x$/);
  expect(new TrackedClient(fresh()).prefix).not.toBe(t.prefix);
});

test("every create carries an ID before the call: an object whose reply was lost is still deleted, of every kind", async () => {
  const hns = fresh();
  const t = new TrackedClient(hns);
  const lossy = new TrackedClient(losingReplies(hns));
  const net = await t.create("network", nat(t.name("n"), "10.82.0.0/24"));
  expect(net.ID).toMatch(/^[0-9a-f-]{36}$/i);
  const lost = "the session closed before the reply";
  await expect(lossy.create("network", nat(lossy.name("lost"), "10.83.0.0/24"))).rejects.toThrow(lost);
  await expect(lossy.create("endpoint", { Name: lossy.name("e"), HostComputeNetwork: net.ID })).rejects.toThrow(lost);
  await expect(lossy.create("namespace", { Type: "Host" })).rejects.toThrow(lost);
  const [ep] = await hns.list("endpoint");
  await expect(lossy.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 8081 }] })).rejects.toThrow(lost);
  await expect(lossy.create("route", { HostComputeEndpoints: [ep.ID!], Setting: [{ DestinationPrefix: "10.1.0.0/16", NextHop: "10.82.0.1" }] })).rejects.toThrow(lost);
  expect(await foreignObjects(hns)).toHaveLength(6);
  expect(await lossy.cleanup()).toEqual([]);
  expect(await t.cleanup()).toEqual([]);
  expect(await foreignObjects(hns)).toEqual([]);
});

test("an HNS-assigned ID (the one test without a chosen ID): tracked from the reply, or by its name when the reply is lost", async () => {
  const hns = fresh();
  const t = new TrackedClient(hns);
  const made = await t.createAssigned("network", nat(t.name("assigned"), "10.84.0.0/24"));
  expect(made.ID).toMatch(/^[0-9a-f-]{36}$/i);
  const lossy = new TrackedClient(losingReplies(hns));
  await expect(lossy.createAssigned("network", nat(lossy.name("assigned"), "10.85.0.0/24"))).rejects.toThrow(/before the reply/);
  expect(await foreignObjects(hns)).toHaveLength(2);
  expect(await t.cleanup()).toEqual([]);
  expect(await lossy.cleanup()).toEqual([]);
  expect(await foreignObjects(hns)).toEqual([]);
  await expect(t.createAssigned("network", nat("not-ours", "10.86.0.0/24"))).rejects.toThrow(/must come from name\(\)/);
  expect(await foreignObjects(hns)).toEqual([]);
});

describe("the suite's afterEach", () => {
  test("without a tracker (beforeAll failed) it does nothing: the beforeAll error is the only one", async () => {
    await expect(cleanupAfterTest(undefined)).resolves.toBeUndefined();
  });

  test("with objects it cannot delete (held by a foreign load balancer) it fails, naming them", async () => {
    const hns = fresh();
    const t = new TrackedClient(hns);
    const net = await t.create("network", nat(t.name("held"), "10.87.0.0/24"));
    const ep = await t.create("endpoint", { Name: t.name("held"), HostComputeNetwork: net.ID });
    const theirs = await hns.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 8082 }] });
    // The endpoint stays; the network then goes, taking it (and the load balancer over it) along, as HNS does.
    await expect(cleanupAfterTest(t)).rejects.toThrow(new RegExp(`^could not clean up: endpoint ${ep.ID}: [^;]*0x803B002C[^;]*$`, "i"));
    expect(await hns.get("network", net.ID!)).toBeUndefined();
    expect(await hns.get("loadBalancer", theirs.ID!)).toBeUndefined();
  });
});
