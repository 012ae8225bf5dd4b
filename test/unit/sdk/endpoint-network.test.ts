/**
 * Given the Network resource itself, an Endpoint passes its ID and the network's type and
 * subnets (__network) to check, so a preview judges the endpoint against its network. Given an
 * ID, it passes only the ID. Under Pulumi's mocks: what the SDK declares, not what a provider does.
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
  const b = declared.find((d) => d.name === "b")!.inputs;
  expect(b.network).toBe("net-web");
  expect(b.__network).toBeUndefined();
});
