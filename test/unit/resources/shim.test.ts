/**
 * The serialized provider is what lives in users' state: serialize it as the program does,
 * load it as the dynamic-provider host does, and check that it reaches the implementation.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../../../sdk/shim";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };

async function roundTrip(kind: "network" | "endpoint" | "policy") {
  const shim = providerShim(kind);
  const { text } = await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true });
  return { text, provider: requireFromString(text).handler() };
}

test("serialize -> load -> call reaches the packaged implementation (from the project's directory)", async () => {
  const { provider } = await roundTrip("network");
  const r = await provider.check!({}, { host: { kind: "emulator", name: "h" }, name: "n", type: "nat" });
  expect(r.failures).toBeUndefined();
  expect(r.inputs).toMatchObject({ name: "n", type: "nat" });
  const bad = await provider.check!({}, { host: { kind: "emulator", name: "h" }, name: "n", type: "bogus" });
  expect(bad.failures?.[0].property).toBe("type");
});

test("the serialized text is small, captures nothing but the kind, and is the same for every build", async () => {
  for (const kind of ["network", "endpoint", "policy"] as const) {
    const { text } = await roundTrip(kind);
    expect(text.length).toBeLessThan(4000);
    expect(text).toContain(`kind: "${kind}"`);
    expect(text).toContain('("pulumi-hns/provider")');
    expect(text).not.toMatch(/__awaiter|emulator|HnsEmulator/);
    expect(text).toMatchSnapshot(kind);
  }
});
