/**
 * `hns-plan fleet` through the real engine: one topology deployed as three stacks in parallel
 * (Automation API, inline programs, local file backend) makes exactly the objects one stack of
 * the same topology makes, IDs included; a group whose host fails leaves the others deployed
 * and the exit status and summary name it; a reboot of one emulated host (its NAT network and
 * endpoints gone) is healed by one reconcile cycle that touches only that host's stack.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import { writeFileSync } from "node:fs";
import { HnsEmulator } from "../../provider/hosts/emulator";
import type { HnsKind } from "../../provider/hosts/client";
import { FLEET_EXIT } from "../../provider/fleet/report";
import * as hns from "../../sdk";
import { runCli } from "../helpers/cli";
import { engineEnv } from "../helpers/engine-env";

// Each test drives several engine runs (seconds each, three at once).
jest.setTimeout(600_000);

const PROJECT = "hns-fleet-e2e";
const HOSTS = ["node-1", "node-2", "node-3"];

/** Three hosts of one overlay domain (peer routes between them, VIPs from the domain's pool), each with a NAT network too. */
const topology = {
  domains: [{ name: "k8s", vipPool: "10.96.0.0/24" }],
  hosts: HOSTS.map((name, i) => ({
    name,
    domain: "k8s",
    providerAddress: `192.168.0.${i + 1}`,
    networks: [
      {
        name: "vx",
        type: "overlay",
        subnets: [{ prefix: `10.244.${i}.0/24`, vsid: 4096 }],
        endpoints: [{ name: "a" }, { name: "b" }],
        loadBalancers: [{ name: "svc", backends: ["a", "b"], portMappings: [{ internalPort: 8080, externalPort: 80 }] }],
      },
      { name: "web", type: "nat", subnets: [{ prefix: `172.20.${i}.0/24` }], endpoints: [{ name: "app", ports: [{ internalPort: 80, externalPort: 8080 }] }] },
    ],
  })),
};

let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "hns-e2e-fleet-"));
  writeFileSync(path.join(dir, "hns.topology.yaml"), stringify(topology));
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** The engine's environment for a run: one backend for every stack, this emulator directory. */
function env(emulatorDir: string): Record<string, string> {
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  return { ...engineEnv(dir, [bin]), PULUMI_HNS_EMULATOR_DIR: path.join(dir, emulatorDir) };
}

/** hns-plan fleet in this process, with the engine's environment as a user's shell would hold it. */
async function fleet(emulatorDir: string, ...args: string[]) {
  process.env = { ...saved, ...env(emulatorDir) };
  try {
    return await runCli(["fleet", ...args, "-f", path.join(dir, "hns.topology.yaml"), "--project", PROJECT, "--emulator", "--no-color"]);
  } finally {
    process.env = saved;
  }
}

/** What HNS hands out itself, in the order objects are created on the host: MAC pools and MACs, not part of the plan. */
const HOST_ASSIGNED = new Set(["MacAddress", "MacPool"]);

/** Every object on the emulated hosts, by host and kind, as HNS lists them (what the host assigns aside). */
async function objects(emulatorDir: string, hosts = HOSTS) {
  const kinds: HnsKind[] = ["network", "endpoint", "loadBalancer"];
  const out: Record<string, unknown> = {};
  for (const host of hosts) {
    const emu = new HnsEmulator(path.join(dir, emulatorDir, `${host}.json`));
    for (const kind of kinds) {
      const docs = (await emu.list(kind)).map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !HOST_ASSIGNED.has(k))));
      out[`${host}/${kind}`] = docs.sort((a, b) => String(a.ID).localeCompare(String(b.ID)));
    }
  }
  return out;
}

describe("a fleet of three stacks", () => {
  let single: Record<string, unknown>;

  test("deployed in parallel, makes exactly what one stack of the topology makes: IDs, addresses, VIPs", async () => {
    // One stack "prod" of the whole topology, as a program would declare it.
    const bin = process.env.PULUMI_HNS_BIN!;
    const lockFile = path.join(dir, "hns.lock.json");
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: PROJECT, stackName: "prod", program: async () => void new hns.Topology("fleet", { topology: path.join(dir, "hns.topology.yaml"), lockFile, emulator: true }) },
      { pulumiCommand: await PulumiCommand.get({ root: path.dirname(bin) }), envVars: env("single") },
    );
    expect((await stack.up()).summary.result).toBe("succeeded");
    single = await objects("single");

    const run = await fleet("fleet", "up", "--fleet", "prod", "--hosts-per-stack", "1", "--concurrency", "3");
    expect(run.err).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/3 stacks: 3 succeeded, 0 failed, 0 skipped, 3 changed/);
    for (const s of ["prod-1", "prod-2", "prod-3"]) expect(run.out).toContain(`[${s}] Updating (${s}):`);

    const split = await objects("fleet");
    expect((single["node-2/endpoint"] as unknown[]).length).toBe(3);
    expect((single["node-2/loadBalancer"] as { FrontendVIPs: string[] }[])[0].FrontendVIPs).toEqual(["10.96.0.2"]);
    expect(split).toEqual(single);
  });

  test("a reboot of one host is healed by one reconcile cycle, which ups only that host's stack", async () => {
    expect(single).toBeDefined();
    await new HnsEmulator(path.join(dir, "fleet", "node-2.json")).reboot();
    const lost = await objects("fleet", ["node-2"]);
    expect(lost["node-2/network"]).toHaveLength(1); // the overlay network stays; NAT is gone

    const run = await fleet("fleet", "reconcile", "--once", "--fleet", "prod", "--hosts-per-stack", "1", "--concurrency", "3");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/reconcile cycle 1: drift in prod-2\n/);
    expect(run.out).toMatch(/ok {3}prod-1 .* no changes/);
    expect(run.out).toMatch(/ok {3}prod-2 .* create 2/);
    expect(run.out).not.toContain("[prod-1] Updating");
    // Back to exactly what it was, with the same IDs (they are the plan's, not the host's).
    expect(await objects("fleet")).toEqual(single);
  });
});

test("a group whose host fails leaves the others deployed; the exit status and summary name it", async () => {
  const emu = (host: string) => new HnsEmulator(path.join(dir, "faulty", `${host}.json`));
  await emu("node-2").injectFault({ mode: "fail", op: "create", kind: "network" });

  const run = await fleet("faulty", "up", "--fleet", "faulty", "--hosts-per-stack", "1", "--concurrency", "3");
  expect(run.code).toBe(FLEET_EXIT.someFailed);
  expect(run.out).toMatch(/FAIL faulty-2 .* failed: error while creating network "(vx|web)" on host node-2: Unspecified error/);
  expect(run.out).toMatch(/3 stacks: 2 succeeded, 1 failed, 0 skipped, 2 changed\nnot done: faulty-2\n/);
  for (const host of ["node-1", "node-3"]) expect(await emu(host).list("network")).toHaveLength(2);
  expect((await emu("node-2").list("network")).length).toBeLessThan(2);

  // The fault was one call: the next reconcile cycle finishes that stack (its last up failed, and
  // a refresh alone sees no drift in what its state holds) and leaves the others alone.
  const healed = await fleet("faulty", "reconcile", "--once", "--fleet", "faulty", "--hosts-per-stack", "1", "--concurrency", "3");
  expect(healed.code).toBe(0);
  expect(await emu("node-2").list("network")).toHaveLength(2);
});
