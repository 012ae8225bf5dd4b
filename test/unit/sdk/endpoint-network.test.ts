/**
 * Given the Network resource itself, an Endpoint passes its ID and the network's type and
 * subnets (__network) to check, so a preview judges the endpoint against its network; so does the
 * Network's networkId output, which carries its resource. A plain ID (or an output of something
 * else) passes only the ID. Under Pulumi's mocks: what the SDK declares, not what a provider does.
 */
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../../../sdk";

type Declared = { name: string; inputs: Record<string, unknown> };
const declared: Declared[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      declared.push({ name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, networkId: `net-${args.name}` } };
    },
    call: () => ({}),
  },
  "proj",
  "dev",
  true,
);

const settled = (r: pulumi.Resource) => new Promise<void>((resolve) => r.urn.apply(() => resolve()));

test("an Endpoint given its Network carries the network's type and subnets", async () => {
  const host = sdk.emulatorHost("h");
  const net = new sdk.Network("web", { host, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
  const byResource = new sdk.Endpoint("a", { host, network: net, ipAddress: "172.20.0.5" });
  const byId = new sdk.Endpoint("b", { host, network: net.networkId });
  await Promise.all([settled(byResource), settled(byId)]);
  const a = declared.find((d) => d.name === "a")!.inputs;
  expect(a.network).toBe("net-web");
  expect(a.__network).toEqual({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], name: expect.stringMatching(/^web-/) });
  // The README's style, web.networkId: the output carries its Network, so the context goes along.
  const b = declared.find((d) => d.name === "b")!.inputs;
  expect(b.network).toBe("net-web");
  expect(b.__network).toEqual(a.__network);
});

test("a plain string ID, or an output of something other than one Network, carries no network context", async () => {
  const host = sdk.emulatorHost("h");
  const net = new sdk.Network("web2", { host, type: "nat" });
  const other = new sdk.Namespace("ns", { host });
  const byString = new sdk.Endpoint("c", { host, network: "4f2a6c1e-0b1d-4c3e-9f00-000000000001" });
  const byOther = new sdk.Endpoint("d", { host, network: pulumi.all([net.networkId, other.namespaceId]).apply(([n]) => n) });
  await Promise.all([settled(byString), settled(byOther)]);
  expect(declared.find((d) => d.name === "c")!.inputs.__network).toBeUndefined();
  expect(declared.find((d) => d.name === "d")!.inputs.__network).toBeUndefined();
});

test("an output given as an argument is refused, naming it, instead of being dropped", () => {
  const host = sdk.emulatorHost("h");
  expect(() => new sdk.Namespace("ns-out", { host, compartmentId: 3 } as unknown as sdk.NamespaceArgs)).toThrow(/Namespace ns-out: "compartmentId" is an output the host reports, not an argument: remove it/);
  // Control: the same namespace without it is declared.
  expect(() => new sdk.Namespace("ns-ok", { host })).not.toThrow();
});
