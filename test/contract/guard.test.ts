// The contract suite's safety on a real host, shown on the emulator: it refuses a host with
// objects it did not create unless HNS_CONTRACT_ALLOW_FOREIGN=1, and its cleanup removes
// everything it created, dependents first, even what a failing test left behind.
import * as path from "node:path";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { tempDir } from "../helpers/tmp";
import { ALLOW_FOREIGN_ENV, foreignObjects, guardHost, TrackedClient } from "./guard";

const tmp = tempDir("hns-guard-");
afterAll(tmp.cleanup);
let n = 0;
const fresh = () => new HnsEmulator(path.join(tmp.dir, `h${++n}.json`), { hostName: `h${n}` });
const nat = (name: string, prefix: string) => ({ Name: name, Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix }] }] });

test("a fresh host has nothing foreign (its default namespace is every host's)", async () => {
  const hns = fresh();
  expect((await hns.list("namespace")).length).toBe(1);
  expect(await foreignObjects(hns)).toEqual([]);
  await expect(guardHost(hns, {})).resolves.toBeUndefined();
});

test("a host seeded with a foreign network is refused, naming the object and the variable; allowed with HNS_CONTRACT_ALLOW_FOREIGN=1", async () => {
  const hns = fresh();
  const theirs = await hns.create("network", nat("someone-elses", "10.77.0.0/24") as never);
  await expect(guardHost(hns, {})).rejects.toThrow(new RegExp(`network ${theirs.ID} \\(someone-elses\\)[\\s\\S]*${ALLOW_FOREIGN_ENV}=1`));
  await expect(guardHost(hns, { [ALLOW_FOREIGN_ENV]: "yes" })).rejects.toThrow(/did not create/);
  await expect(guardHost(hns, { [ALLOW_FOREIGN_ENV]: "1" })).resolves.toBeUndefined();
});

test("cleanup deletes what a test created, dependents first, and leaves a foreign object alone", async () => {
  const hns = fresh();
  const theirs = await hns.create("network", nat("theirs", "10.78.0.0/24") as never);
  const t = new TrackedClient(hns);
  const net = await t.create("network", { ...nat(t.name("n"), "10.79.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000001" } as never);
  const ep = await t.create("endpoint", { Name: t.name("e"), HostComputeNetwork: net.ID } as never);
  await t.create("loadBalancer", { HostComputeEndpoints: [ep.ID], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 8080 }] } as never);
  const ns = await t.create("namespace", { Type: "Host" } as never);
  await hns.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } } as never);
  // A test failing here would leave all of this; the afterEach cleanup still runs:
  expect(await t.cleanup()).toEqual([]);
  expect((await foreignObjects(hns)).map((o) => o.split(" ")[1])).toEqual([theirs.ID]);
  // An object a test already deleted, or whose create failed after the ID was chosen, is not an error.
  await t.create("network", { ...nat(t.name("gone"), "10.80.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000002" } as never);
  await hns.delete("network", "0b0c0d0e-0000-4000-8000-000000000002");
  await expect(t.create("network", { ...nat("theirs", "10.81.0.0/24"), ID: "0b0c0d0e-0000-4000-8000-000000000003" } as never)).rejects.toThrow();
  expect(await t.cleanup()).toEqual([]);
  expect(await hns.get("network", theirs.ID!)).toBeDefined();
});

test("names carry a per-run prefix, so an object left on a host says where it came from", () => {
  const t = new TrackedClient(fresh());
  expect(t.name("x")).toMatch(/^hnsct-[0-9a-f]{6}-x$/);
  expect(new TrackedClient(fresh()).prefix).not.toBe(t.prefix);
});
