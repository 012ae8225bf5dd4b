/**
 * Two stacks deploying to one emulated host at the same time: two engines, each running the
 * provider in its own process, appending to one state file's journal under its lock. Nothing
 * is lost, no address is handed out twice, and destroying both at once empties the host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv } from "../helpers/engine-env";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { HnsEmulator } from "../../provider/hosts/emulator";
import * as hns from "../../sdk";

jest.setTimeout(300_000);

const ENDPOINTS = 15;

let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stackFor(name: string, octet: number, emulatorDir: string): Promise<Stack> {
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  const root = path.join(dir, name);
  return LocalWorkspace.createOrSelectStack(
    {
      projectName: `hns-shared-${name}`,
      stackName: "e2e",
      program: async () => {
        const host = { kind: "emulator" as const, name: "shared" };
        const net = new hns.Network(name, { host, name, type: "l2bridge", subnets: [{ prefix: `10.${octet}.0.0/24` }] });
        for (let i = 0; i < ENDPOINTS; i++) new hns.Endpoint(`${name}-ep${i}`, { host, network: net.networkId });
      },
    },
    {
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(bin) }),
      // Both stacks' own state and home, one emulator directory: the host they share.
      envVars: { ...engineEnv(root, [bin]), PULUMI_HNS_EMULATOR_DIR: emulatorDir },
    },
  );
}

test("two stacks deploying to one host at once lose nothing; destroying both at once empties it", async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "hns-e2e-shared-"));
  const emulatorDir = path.join(dir, "hns");
  const stacks = await Promise.all([stackFor("blue", 1, emulatorDir), stackFor("green", 2, emulatorDir)]);
  const ups = await Promise.all(stacks.map((s) => s.up()));
  expect(ups.map((u) => u.summary.result)).toEqual(["succeeded", "succeeded"]);

  const host = new HnsEmulator(path.join(emulatorDir, "shared.json"));
  expect((await host.list("network")).map((n) => n.Name).sort()).toEqual(["blue", "green"]);
  const eps = await host.list("endpoint");
  expect(eps).toHaveLength(2 * ENDPOINTS);
  expect(new Set(eps.map((e) => e.IpConfigurations![0].IpAddress)).size).toBe(2 * ENDPOINTS);
  expect((await host.snapshot()).calls.create).toBe(2 * (ENDPOINTS + 1));

  const downs = await Promise.all(stacks.map((s) => s.destroy()));
  expect(downs.map((d) => d.summary.result)).toEqual(["succeeded", "succeeded"]);
  expect([...(await host.list("network")), ...(await host.list("endpoint"))]).toEqual([]);
  await Promise.all(stacks.map((s) => s.workspace.removeStack("e2e", { force: true })));
});
