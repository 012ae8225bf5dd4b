// The SDK's host guard on its own (no engine): credentials leave as secrets, a plain one is
// named in a warning once per host block, and an allowed-insecure WinRM block warns.
import * as pulumi from "@pulumi/pulumi";
import { protectHost } from "../../../sdk/secrets";

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  jest.spyOn(pulumi.log, "warn").mockImplementation(async (message: string) => void warnings.push(message));
});
afterEach(() => jest.restoreAllMocks());

/** Resolves an Output's value and secretness (Output internals are promises). */
async function settle(o: pulumi.Input<unknown>): Promise<{ value: unknown; secret: boolean }> {
  const out = pulumi.output(o);
  return { value: await (out as unknown as { promise(): Promise<unknown> }).promise(), secret: await pulumi.isSecret(out) };
}
const flush = () => new Promise((r) => setImmediate(r));

test("a plain password becomes a secret, with one warning per host block however many resources share it", async () => {
  const host = { kind: "winrm" as const, name: "w", address: "w.example", user: "u", password: "plain-pw" };
  const a = protectHost(host, "Network a") as Record<string, pulumi.Input<unknown>>;
  protectHost(host, "Endpoint b");
  expect(await settle(a.password)).toEqual({ value: "plain-pw", secret: true });
  await flush();
  expect(warnings).toEqual([expect.stringMatching(/^host\.password of Network a is a plain string, not a Pulumi secret: it was made secret/)]);
  expect(warnings.join()).not.toContain("plain-pw");
});

test("a credential already secret passes without a warning", async () => {
  const out = protectHost({ kind: "ssh", name: "s", address: "s.example", user: "u", privateKey: pulumi.secret("KEY") }, "Network s") as Record<string, pulumi.Input<unknown>>;
  expect(await settle(out.privateKey)).toEqual({ value: "KEY", secret: true });
  await flush();
  expect(warnings).toEqual([]);
});

test("a credential from a plain Output is made secret, with a warning", async () => {
  const out = protectHost({ kind: "emulator", name: "e", accessKey: pulumi.output("k-1") }, "Policy p") as Record<string, pulumi.Input<unknown>>;
  expect(await settle(out.accessKey)).toEqual({ value: "k-1", secret: true });
  await flush();
  expect(warnings).toEqual([expect.stringMatching(/^host\.accessKey of Policy p is a plain string/)]);
});

test("a whole host given as a plain Output is made secret if it holds a credential", async () => {
  const withKey = protectHost(pulumi.output({ kind: "winrm" as const, name: "w", address: "w.example", user: "u", password: "p" }), "Network w");
  expect((await settle(withKey)).secret).toBe(true);
  const without = protectHost(pulumi.output({ kind: "local" as const, name: "l" }), "Network l");
  expect(await settle(without)).toEqual({ value: { kind: "local", name: "l" }, secret: false });
  await flush();
  expect(warnings).toEqual([expect.stringMatching(/^host of Network w holds host\.password but is not a Pulumi secret/)]);
});

test("an allowed-insecure WinRM block warns, naming the host and each risk", async () => {
  protectHost({ kind: "winrm", name: "i", address: "i.example", user: "u", password: pulumi.secret("p"), useSsl: false, skipCnCheck: true, allowInsecure: true }, "Network i");
  protectHost({ kind: "winrm", name: "ok", address: "ok.example", user: "u", password: pulumi.secret("p") }, "Network ok");
  await flush();
  await flush();
  expect(warnings).toEqual([expect.stringMatching(/^host i of Network i \(winrm i\.example\) is allowed to be insecure \(allowInsecure: true\): WinRM over plain HTTP.*; skipCnCheck accepts/)]);
});
