/**
 * The `pulumi new` templates (examples/templates/*) the way a user meets them: this package is
 * packed and published to a local registry (Verdaccio, test/e2e/registry.ts, other packages
 * through its uplink), and each template is created in an empty directory by
 * `pulumi new <template> --yes --non-interactive`, whose `npm install` fetches pulumi-hns from
 * that registry. Then, through the real engine: a preview with no host (no emulator state may
 * appear), up to the HNS emulator, a preview that must find nothing to do, destroy. The program
 * runs type-checked by ts-node against the installed package. `npx hns-plan` runs from a
 * project that depends on it, and a program made by `hns-plan import-docker --format ts` gets
 * the same lifecycle in a project installed from the registry.
 *
 * No symlinks and no --generate-only: a template whose package.json names a dependency the
 * registry cannot serve fails here as it would for a user.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, type OutputMap } from "@pulumi/pulumi/automation";
import { importDocker } from "../../provider/cli/docker/import";
import { renderProgram } from "../../provider/cli/docker/render-ts";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { publishThisPackage, startRegistry, type LocalRegistry } from "./registry";

jest.setTimeout(1_200_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");
const TEMPLATES = path.join(REPO, "examples/templates");

interface Expectation {
  /** Resources in the preview (stack and components included). */
  creates: number;
  /** Emulated hosts the stack deploys to. */
  hosts: string[];
  /** Extra environment (e.g. a frozen lock). */
  env?: Record<string, string>;
  /** Addresses the preview must already show (planned, not allocated by a host). */
  plannedInPreview?: string[];
  check(outputs: Record<string, unknown>, projectDir: string): void;
}

const addressesIn = (o: unknown): string[] => Object.values(o as Record<string, string>);

const EXPECTED: Record<string, Expectation> = {
  "nat-dev-host": {
    creates: 4,
    hosts: ["win-dev-1"],
    // Its prefix is the program's; the addresses are HNS's pick, [unknown] until up (docs/templates.md).
    plannedInPreview: ["172.28.16.0/24"],
    check: (o) => {
      expect(o.webAddress).toMatch(/^172\.28\.16\.\d+$/);
      expect(o.dbAddress).toMatch(/^172\.28\.16\.\d+$/);
      expect(o.webAddress).not.toBe(o.dbAddress);
      expect(o.gateway).toBe("172.28.16.1");
    },
  },
  "k8s-l2bridge-node": {
    creates: 7,
    hosts: ["win-node-1"],
    plannedInPreview: ["10.244.1.2", "10.96.0.1"],
    check: (o, dir) => {
      expect(o.hostEndpointAddress).toBe("10.244.1.2"); // the flannel convention: the host's vNIC at .2
      const pods = Object.entries(o.addresses as Record<string, string>).filter(([k]) => !k.endsWith("cbr0_ep"));
      for (const [, a] of pods) expect(a).toMatch(/^10\.244\.1\.(\d+)$/);
      expect(pods.map(([, a]) => a)).not.toContain("10.244.1.2");
      expect(o.podOutboundNatExceptions).toEqual([["10.244.1.0/24", "10.244.0.0/16", "10.96.0.0/12"]]);
      expect(JSON.parse(readFileSync(path.join(dir, "hns.lock.json"), "utf8")).endpoints).toHaveProperty(["win-node-1/cbr0/web-1"]);
    },
  },
  "overlay-node": {
    creates: 5,
    hosts: ["win-node-1"],
    plannedInPreview: ["10.245.1.2", "10.245.1.3"],
    check: (o) => {
      for (const a of addressesIn(o.addresses)) expect(a).toMatch(/^10\.245\.1\.\d+$/);
      expect(o.networkPolicies).toEqual(["ProviderAddress", "HostRoute", "RemoteSubnetRoute"]);
      expect(o.subnets).toEqual([{ prefix: "10.245.1.0/24", gateway: "10.245.1.1" }]);
    },
  },
  "transparent-vlan": {
    creates: 4,
    hosts: ["win-host-1"],
    // Static addresses the program declares (docs/templates.md says the preview shows them).
    plannedInPreview: ["10.20.0.50", "10.20.0.51"],
    check: (o) => {
      expect([o.appAddress, o.metricsAddress]).toEqual(["10.20.0.50", "10.20.0.51"]);
      expect(o.appMac).toMatch(/^([0-9A-F]{2}-){5}[0-9A-F]{2}$/);
    },
  },
  fleet: {
    creates: 10,
    hosts: ["win-node-1", "win-node-2", "build-box"],
    // The committed lock must already hold every allocation: a preview with a frozen lock passes.
    env: { PULUMI_HNS_FROZEN_LOCK: "1" },
    plannedInPreview: ["10.245.1.2", "10.245.2.2", "172.28.32.2", "10.96.0.1"],
    check: (o, dir) => {
      expect(o.addresses).toEqual({
        "build-box/nat/ci-runner": "172.28.32.2",
        "win-node-1/vxlan0/api-1": "10.245.1.2",
        "win-node-1/vxlan0/api-2": "10.245.1.3",
        "win-node-2/vxlan0/worker-1": "10.245.2.2",
      });
      expect(o.remoteSubnetRoutes).toEqual({
        "win-node-1/vxlan0": [{ DestinationPrefix: "10.245.2.0/24", IsolationId: 4096, ProviderAddress: "192.168.10.12" }],
        "win-node-2/vxlan0": [{ DestinationPrefix: "10.245.1.0/24", IsolationId: 4096, ProviderAddress: "192.168.10.11" }],
      });
      // `up` left the committed lock as it was (one lock file for the whole fleet).
      expect(readFileSync(path.join(dir, "hns.lock.json"), "utf8")).toBe(readFileSync(path.join(TEMPLATES, "fleet/hns.lock.json"), "utf8"));
    },
  },
};

let workspace: string;
let pulumiCommand: PulumiCommand;
let registry: LocalRegistry;
/** The subresource integrity of the tarball the test packed and published. */
let published: string;
/** The directory holding the pulumi CLI and its plugins (PULUMI_HNS_BIN). */
let bin: string;

beforeAll(async () => {
  const built = path.join(REPO, "dist/sdk/index.js");
  if (!existsSync(built) || !require(built).Topology) throw new Error("dist/ is missing or stale: run `npm run build` first (the test publishes the built package)");
  bin = process.env.PULUMI_HNS_BIN!;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  workspace = mkdtempSync(path.join(os.tmpdir(), "hns-templates-"));
  registry = await startRegistry(path.join(workspace, "registry"));
  published = `sha512-${createHash("sha512").update(readFileSync(await publishThisPackage(registry, workspace))).digest("base64")}`;
});

afterAll(async () => {
  await registry?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/**
 * A project's environment: its own file backend, Pulumi home and emulator directory; npm
 * pointed at the local registry. npm's cache is the user's own, shared by every install (as a
 * user's would be), so packages already fetched once are not downloaded again.
 */
function environment(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${path.join(workspace, "state", name)}`,
    PULUMI_CONFIG_PASSPHRASE: "templates",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(workspace, "home", name),
    PULUMI_HNS_EMULATOR_DIR: path.join(workspace, "hns", name),
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    ...registry.env,
    ...extra,
  };
}

/** An empty directory named after the project (pulumi new names the project after it). */
function emptyProjectDir(name: string): string {
  const dir = path.join(workspace, "projects", name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(workspace, "state", name), { recursive: true });
  return dir;
}

/**
 * Installs run one at a time: the first fills the registry's storage and npm's cache, and the
 * rest resolve from them (run together, each would fetch every package through the registry).
 * Only the installs queue; the stacks' lifecycles still run concurrently.
 */
let installs: Promise<unknown> = Promise.resolve();
function oneInstallAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = installs.then(task);
  installs = result.catch(() => undefined);
  return result;
}

const plain = (outputs: OutputMap) => Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));

/** Preview (offline: no emulator state appears), up, check, preview with no changes, destroy. */
async function lifecycle(name: string, projectDir: string, expected: Expectation): Promise<void> {
  const env = environment(name, expected.env);
  const stack = await LocalWorkspace.createOrSelectStack({ workDir: projectDir, stackName: "dev" }, { pulumiCommand, envVars: env });
  const emulatorDir = env.PULUMI_HNS_EMULATOR_DIR;

  const preview = await stack.preview({ diff: true });
  expect(preview.changeSummary).toEqual({ create: expected.creates });
  // Nothing was contacted: the emulator (the only host these stacks know) has no state at all.
  expect(existsSync(emulatorDir)).toBe(false);
  for (const address of expected.plannedInPreview ?? []) expect(preview.stdout).toContain(`"${address}"`);

  const up = await stack.up();
  expect(up.summary.result).toBe("succeeded");
  const outputs = plain(up.outputs);
  expected.check(outputs, projectDir);
  expect(readdirSync(emulatorDir).filter((f) => f.endsWith(".json")).sort()).toEqual(expected.hosts.map((h) => `${h}.json`).sort());
  const networks = await Promise.all(expected.hosts.map((h) => new HnsEmulator(path.join(emulatorDir, `${h}.json`)).list("network")));
  expect(networks.flat().length).toBeGreaterThan(0);

  // What was deployed is what the program declares: a second preview has nothing to do.
  const again = await stack.preview({ expectNoChanges: true });
  expect(Object.keys(again.changeSummary)).toEqual(["same"]);

  const destroyed = await stack.destroy();
  expect(destroyed.summary.result).toBe("succeeded");
  for (const h of expected.hosts) {
    const host = new HnsEmulator(path.join(emulatorDir, `${h}.json`));
    expect([...(await host.list("network")), ...(await host.list("endpoint")), ...(await host.list("loadBalancer"))]).toEqual([]);
  }
  await stack.workspace.removeStack("dev");
}

/** The pulumi-hns a project installed, as its package-lock.json records it. */
function installedPackage(projectDir: string): { version: string; integrity?: string; link?: boolean } {
  const lock = JSON.parse(readFileSync(path.join(projectDir, "package-lock.json"), "utf8"));
  return lock.packages["node_modules/pulumi-hns"];
}

test.concurrent.each(Object.keys(EXPECTED))("template %s: pulumi new (npm install from a registry), offline preview, up, no-change preview, destroy", async (name) => {
  const projectDir = emptyProjectDir(name);
  await oneInstallAtATime(() =>
    run(path.join(bin, "pulumi"), ["new", path.join(TEMPLATES, name), "--yes", "--non-interactive"], { cwd: projectDir, env: { ...process.env, ...environment(name) } }),
  );
  // pulumi new filled in the template's placeholders and installed the published package.
  expect(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")).toMatch(new RegExp(`^name: ${name}$`, "m"));
  expect(readFileSync(path.join(projectDir, "package.json"), "utf8")).not.toContain("${PROJECT}");
  // The very tarball this test published (same integrity), installed as a package, not a link.
  expect(installedPackage(projectDir)).toEqual(expect.objectContaining({ version: "0.1.0", integrity: published }));
  expect(installedPackage(projectDir).link).toBeUndefined();
  await lifecycle(name, projectDir, EXPECTED[name]);

  if (name === "fleet") {
    // The CLI comes with the package: npx finds the project's own hns-plan (bin, shebang, exec bit).
    const { stdout } = await run("npx", ["--no-install", "hns-plan", "validate"], { cwd: projectDir, env: { ...process.env, ...environment(name) } });
    expect(stdout).toMatch(/valid: 3 hosts, 3 networks, 4 endpoints/);
  }
});

test.concurrent("a program made by hns-plan import-docker --format ts deploys to the emulator", async () => {
  const commands = [
    "docker network create -d nat --subnet 172.29.8.0/24 web",
    "docker network create -d l2bridge --subnet 10.244.7.0/24 --gateway 10.244.7.1 -o com.docker.network.windowsshim.interface=Ethernet \\",
    "  -o com.docker.network.windowsshim.enable_outboundnat=true -o com.docker.network.windowsshim.disableicc=true pods",
  ].join("\n");
  const name = "docker-import";
  const projectDir = emptyProjectDir(name);
  writeFileSync(path.join(projectDir, "index.ts"), renderProgram(importDocker([{ name: "networks.sh", text: commands }], { host: "docker-host" }), "docker-host"));
  writeFileSync(path.join(projectDir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
  writeFileSync(path.join(projectDir, "tsconfig.json"), readFileSync(path.join(TEMPLATES, "nat-dev-host/tsconfig.json")));
  // The same dependencies a template declares, installed from the registry.
  writeFileSync(path.join(projectDir, "package.json"), readFileSync(path.join(TEMPLATES, "nat-dev-host/package.json"), "utf8").replace("${PROJECT}", name));
  await oneInstallAtATime(() => run("npm", ["install"], { cwd: projectDir, env: { ...process.env, ...environment(name) } }));
  expect(installedPackage(projectDir)).toEqual(expect.objectContaining({ version: "0.1.0", integrity: published }));
  await lifecycle(name, projectDir, {
    creates: 3,
    hosts: ["docker-host"],
    check: (o) => {
      expect(o.webNetworkId).toMatch(/^[0-9a-f-]{36}$/i); // HNS prints GUIDs upper case
      expect(o.podsEndpointDefaults).toMatchObject({ disableIcc: true, policies: [{ Type: "OutBoundNAT" }] });
    },
  });
});
