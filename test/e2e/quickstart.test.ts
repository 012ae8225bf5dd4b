/**
 * The quickstart (Pulumi.yaml at the repository root, examples/quickstart/index.ts) as the
 * README runs it: its FIRST preview, with no host ever contacted, already shows every address,
 * the ClusterIP and the policies, because the program declares them through the offline
 * planner; then up to the emulator, a preview with nothing to do, and destroy.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { run } from "../../provider/cli/run";
import type { Terminal } from "../../provider/cli/terminal";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { theBlock } from "../helpers/doc-blocks";
import { engineEnv } from "../helpers/engine-env";

jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../..");
const LOCK = path.join(REPO, "examples/quickstart/hns.lock.json");

let dir: string;
let stack: Stack;

beforeAll(async () => {
  if (!existsSync(path.join(REPO, "dist/sdk/index.js"))) throw new Error("dist/ is missing: run `npm run build` first (the quickstart loads the built package)");
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  dir = mkdtempSync(path.join(os.tmpdir(), "hns-quickstart-"));
  const envVars = {
    ...engineEnv(dir, [bin], { passphrase: "" }),
    // The committed lock must hold every allocation, so the run never writes into the repository.
    PULUMI_HNS_FROZEN_LOCK: "1",
  };
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  // The README's stack lives in the repository's own project; a stack of this test's own name
  // keeps it apart from a user's "dev", and `stack rm` takes its settings file away again.
  stack = await LocalWorkspace.createStack({ workDir: REPO, stackName: `quickstart-e2e-${process.pid}` }, { pulumiCommand, envVars });
});

afterAll(async () => {
  await stack?.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * What only HNS can tell: the IDs it assigns (a network's, which endpoints and load balancers
 * name; a load balancer's; the endpoints a load balancer lists, as array items) and the MAC it
 * picks. A preview line left unknown for anything else (an address, a VIP, a prefix, a policy)
 * is what this test is about.
 */
const HNS_ASSIGNED = /^\s*(network|webNetworkId|loadBalancerId|appMac|\[\d+\])\s*:\s*\[unknown\]\s*$/;

test("the first preview shows every address concrete with no host reachable; up, no-change preview, destroy", async () => {
  const lockBefore = readFileSync(LOCK, "utf8");
  const emulatorDir = path.join(dir, "hns");

  const preview = await stack.preview({ diff: true });
  const unknown = preview.stdout.split("\n").filter((l) => /\[unknown\]|output</.test(l) && !HNS_ASSIGNED.test(l));
  expect(unknown).toEqual([]);
  expect(preview.changeSummary).toEqual({ create: 9 }); // the stack, the Topology, 2 networks, 4 endpoints, 1 load balancer
  expect(existsSync(emulatorDir)).toBe(false); // no host was contacted
  // The outputs section shows the planned values themselves.
  const outputs = preview.stdout.slice(preview.stdout.indexOf("--outputs:--"));
  for (const line of [/appAddress\s*: "172\.20\.0\.2"/, /hostEndpointAddress\s*: "10\.244\.1\.2"/, /clusterIp\s*: "10\.96\.0\.50"/, /\[1\]: "10\.244\.1\.4"/, /prefix\s*: "172\.20\.0\.0\/24"/]) {
    expect(outputs).toMatch(line);
  }
  // And the inputs the resources get: every pod's OutBoundNAT exceptions, the VIP.
  for (const planned of ['"10.244.0.0/16"', '"10.96.0.0/12"', '"10.96.0.50"']) expect(preview.stdout).toContain(planned);

  const up = await stack.up();
  expect(up.summary.result).toBe("succeeded");
  const out = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
  expect(out).toMatchObject({
    appAddress: "172.20.0.2",
    hostEndpointAddress: "10.244.1.2", // flannel's convention: the host's vNIC at .2
    podAddresses: ["10.244.1.3", "10.244.1.4"],
    clusterIp: "10.96.0.50",
    webSubnets: [{ prefix: "172.20.0.0/24", gateway: "172.20.0.1" }],
  });
  expect(out.webNetworkId).toMatch(/^[0-9a-f-]{36}$/i); // HNS GUIDs compare case-insensitively
  expect(out.appMac).toMatch(/^([0-9A-F]{2}-){5}[0-9A-F]{2}$/);
  expect(out.loadBalancerId).toMatch(/^[0-9a-f-]{36}$/i);
  // What HNS (the emulator) holds is what the preview promised.
  const host = new HnsEmulator(path.join(emulatorDir, "win-node-1.json"));
  const addresses = (await host.list("endpoint")).flatMap((e) => e.IpConfigurations?.map((c) => c.IpAddress) ?? []);
  expect(addresses.sort()).toEqual(["10.244.1.2", "10.244.1.3", "10.244.1.4", "172.20.0.2"]);

  // The README's command for looking at the host, with its --dir pointed at this test's emulator directory.
  const printed = theBlock("README.md", "The two commands", "sh", "hns-plan host list").text.trim();
  expect(printed).toMatch(/^npx hns-plan host list .*--dir examples\/quickstart\/\.hns-emulator$/);
  const argv = printed.replace(/^npx hns-plan /, "").split(/\s+/);
  argv[argv.indexOf("--dir") + 1] = emulatorDir;
  const lines: string[] = [];
  const term: Terminal = { out: (t) => void lines.push(t), err: (t) => void lines.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
  expect(await run(argv, term)).toBe(0);
  const listed = lines.join("\n");
  expect(listed).toMatch(/networks \(2\)/);
  expect(listed).toMatch(/endpoints \(4\)/);
  expect(listed).toContain("172.20.0.2");

  const again = await stack.preview({ expectNoChanges: true });
  expect(Object.keys(again.changeSummary)).toEqual(["same"]);

  const destroyed = await stack.destroy();
  expect(destroyed.summary.result).toBe("succeeded");
  expect(await host.list("network")).toEqual([]);
  expect(readFileSync(LOCK, "utf8")).toBe(lockBefore);
});
