/**
 * The provider text is what lives in users' state: load it as the dynamic-provider host does
 * and check that it reaches the implementation; pin it, since old stacks keep whatever text they
 * were written with and new releases must keep loading it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../../../sdk";
import { providerText } from "../../../sdk/shim";
import { providers, type ResourceKind } from "../../../provider";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };

const KINDS = Object.keys(providers) as ResourceKind[];

test("load -> call reaches the packaged implementation (from the project's directory)", async () => {
  const provider = requireFromString(providerText("network")).handler();
  const r = await provider.check!({}, { host: { kind: "emulator", name: "h" }, name: "n", type: "nat" });
  expect(r.failures).toBeUndefined();
  expect(r.inputs).toMatchObject({ name: "n", type: "nat" });
  const bad = await provider.check!({}, { host: { kind: "emulator", name: "h" }, name: "n", type: "bogus" });
  expect(bad.failures?.[0].property).toBe("type");
});

test.each(KINDS)("the %s text loads that kind's provider, with every method the engine calls", (kind) => {
  const provider = requireFromString(providerText(kind)).handler();
  // The package's build (dist/, through its exports), not this source tree: same class by name.
  expect(provider.constructor.name).toBe(providers[kind].constructor.name);
  for (const m of ["check", "diff", "create", "read", "update", "delete"] as const) expect(typeof provider[m]).toBe("function");
});

test("the texts are one short line each and never change between builds", () => {
  for (const kind of KINDS) expect(providerText(kind).length).toBeLessThan(200);
  expect(Object.fromEntries(KINDS.map((k) => [k, providerText(k)]))).toMatchSnapshot();
});

// Stacks written by 0.1 hold the closure serialization of six methods; it must keep loading.
test("the provider text of 0.1 (serialized closure) still reaches the implementation", async () => {
  const old = require("node:fs").readFileSync(require("node:path").join(__dirname, "../../e2e/fixtures/upgrade-0.1.0/stack.json"), "utf8");
  const text = JSON.parse(old).deployment.resources.find((r: { type: string }) => r.type.endsWith(":Network")).inputs.__provider as string;
  expect(text.length).toBeGreaterThan(1500);
  const provider = requireFromString(text).handler();
  const r = await provider.check!({}, { host: { kind: "emulator", name: "h" }, name: "n", type: "bogus" });
  expect(r.failures?.[0].property).toBe("type");
});

test("resources register with the dynamic type token and the provider text, not a serialized closure", async () => {
  const seen: { type: string; inputs: Record<string, unknown> }[] = [];
  pulumi.runtime.setMocks({ newResource: (a) => (seen.push({ type: a.type, inputs: a.inputs }), { id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "proj", "dev", true);
  const host = { kind: "emulator" as const, name: "h" };
  const net = new sdk.Network("n", { host, type: "nat" });
  const ep = new sdk.Endpoint("e", { host, network: net.networkId });
  // The endpoint registers once the network's outputs resolve; its URN resolves when the mock
  // has answered that registration, so both calls have been seen by then.
  await new Promise((r) => ep.urn.apply(r));
  expect(seen.map((s) => s.type)).toEqual(["pulumi-nodejs:dynamic/hns:Network", "pulumi-nodejs:dynamic/hns:Endpoint"]);
  expect(seen[0].inputs.__provider).toBe(providerText("network"));
});
