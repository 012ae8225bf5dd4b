/**
 * The places a resource's fields are derived from, not listed again: the outputs a check drops
 * are its outputs schema's keys when echoed as they were (a new value is refused), and the network
 * settings a topology declares reach the planned Network's arguments key by key.
 */
import { providers } from "../../../provider";
import { plan } from "../../../provider/planner/plan";
import { networkInputs } from "../../../provider/planner/inputs";
import { NETWORK_SETTINGS, NetworkArgs } from "../../../provider/kinds/network/args";
import { REGISTRY } from "../../../provider/kinds/registry";
import { checkResource } from "../../helpers/fixtures";

const host = { kind: "emulator", name: "h" };
const VALID: Record<keyof typeof providers, Record<string, unknown>> = {
  network: { host, name: "web", type: "nat" },
  endpoint: { host, name: "ep", network: "4f2a6c1e-0b1d-4c3e-9f00-000000000001" },
  namespace: { host, name: "pod" },
  policy: { host, kind: "networkPolicies", network: "4f2a6c1e-0b1d-4c3e-9f00-000000000001", policies: [{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "Ethernet" } }] },
};

describe.each(Object.keys(VALID) as (keyof typeof providers)[])("%s check", (kind) => {
  test("drops every output echoed back as it was, refuses one given anew, and nothing else unknown", async () => {
    const outputs = Object.fromEntries(Object.keys(REGISTRY[kind].outputs.shape).map((k) => [k, "echoed"]));
    const echoed = await providers[kind].check({ ...VALID[kind], ...outputs }, { ...VALID[kind], ...outputs, __provider: "exports.handler = ..." });
    expect(echoed.failures).toBeUndefined();
    expect(Object.keys(echoed.inputs ?? {}).filter((k) => k in outputs)).toEqual([]);
    // The same outputs written by a program (no earlier value): each refused, naming it.
    const given = await checkResource(providers[kind], { ...VALID[kind], ...outputs });
    expect(given.failures?.map((f) => f.property).sort()).toEqual(Object.keys(outputs).sort());
    // Control: a key that is no output is still refused by the strict schema.
    const stray = await checkResource(providers[kind], { ...VALID[kind], notAnOutput: 1 });
    expect(stray.failures).toEqual([{ property: "notAnOutput", reason: expect.stringMatching(/^is not a field here/) }]);
  });
});

test("a topology network's settings reach the planned Network's arguments key by key", () => {
  const settings = {
    type: "transparent",
    dns: { servers: ["10.0.0.10"], search: ["corp.example.com"] },
    adapterName: "Ethernet 2",
    macPool: { start: "00-15-5D-52-C0-00", end: "00-15-5D-52-CF-FF" },
    persistent: false,
    vxlanPort: 4790,
  };
  // Every setting but the policies (which the plan extends with its own) has a sample above.
  expect(Object.keys(NETWORK_SETTINGS).filter((k) => k !== "policies").sort()).toEqual(Object.keys(settings).sort());
  const p = plan({ hosts: [{ name: "h1", networks: [{ name: "lan", subnets: [{ prefix: "10.1.0.0/24" }], ...settings }] }] });
  const args = networkInputs(p.hosts[0].networks[0]);
  expect(args).toMatchObject({ name: "lan", ...settings });
  // What the Topology component declares is what a Network's check accepts.
  expect(NetworkArgs.safeParse({ host, ...args }).success).toBe(true);
});
