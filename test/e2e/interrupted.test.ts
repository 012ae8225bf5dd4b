/**
 * An interrupted `pulumi up`, for real: the Pulumi CLI runs a 40-resource program against the
 * HNS emulator and is SIGKILLed (with its whole process group: language host, program,
 * provider, as a CI timeout or a closed terminal does) at a seeded random point of the
 * deployment. Then the steps of docs/interrupted-deployment.md recover it, and the test checks
 * what they promise: no orphan left, no duplicate object, a state that matches the program
 * (`preview --expect-no-changes`), and an empty host after `destroy`.
 *
 * HNS_INTERRUPT_KILLS (default 3) sets how many kills; HNS_INTERRUPT_SEED (default 2026) the
 * seed, printed so a failure replays. `npm run test:interrupted-long` runs 20 kills;
 * HNS_INTERRUPT_REPORT=<file> appends each kill's numbers to that file as JSON lines.
 */
import { execFile, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv } from "../helpers/engine-env";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { mulberry32 as random } from "../helpers/prng";

const KILLS = Number(process.env.HNS_INTERRUPT_KILLS ?? 3);
const SEED = Number(process.env.HNS_INTERRUPT_SEED ?? 2026);
jest.setTimeout(120_000 + KILLS * 300_000);

const REPO = path.resolve(__dirname, "../..");
const HNS_PLAN = path.join(REPO, "dist/provider/cli/hns-plan.js");

/** The program: 3 networks, 35 endpoints (dynamic and static addresses, one host vNIC), 2 load balancers. */
const PROGRAM = `
const hns = require("pulumi-hns");
const host = hns.emulatorHost("h1");
const web = new hns.Network("web", { host, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
const db = new hns.Network("db", { host, type: "nat", subnets: [{ prefix: "172.21.0.0/24" }] });
const pods = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] });
new hns.Endpoint("pods-host", { host, network: pods.networkId, ipAddress: "10.244.1.2", attach: "host" });
for (let i = 0; i < 12; i++) new hns.Endpoint("web-" + i, { host, network: web.networkId });
for (let i = 0; i < 8; i++) new hns.Endpoint("db-" + i, { host, network: db.networkId });
const pod = [];
for (let i = 0; i < 14; i++) pod.push(new hns.Endpoint("pod-" + i, { host, network: pods.networkId, ipAddress: "10.244.1." + (10 + i) }));
["10.96.0.10", "10.96.0.11"].forEach((vip, j) =>
  new hns.Policy("svc-" + j, { kind: "loadBalancer", host, endpoints: pod.slice(j * 7, j * 7 + 7).map((p) => p.endpointId), frontendVips: [vip], portMappings: [{ internalPort: 8080, externalPort: 80 }] }));
`;
const EXPECTED = { network: 3, endpoint: 35, loadBalancer: 2 };
const RESOURCES = EXPECTED.network + EXPECTED.endpoint + EXPECTED.loadBalancer;

let work: string;
let project: string;
let env: NodeJS.ProcessEnv;
let pulumiBin: string;

beforeAll(() => {
  if (!existsSync(HNS_PLAN)) throw new Error("dist/ is missing: run `npm run build` first (the project loads the built package)");
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  pulumiBin = path.join(bin, "pulumi");
  work = mkdtempSync(path.join(os.tmpdir(), "hns-interrupted-"));
  // A project as a user has it: pulumi-hns and @pulumi/pulumi resolved from its node_modules.
  mkdirSync(path.join(work, "node_modules/@pulumi"), { recursive: true });
  symlinkSync(REPO, path.join(work, "node_modules/pulumi-hns"), "dir");
  symlinkSync(path.join(REPO, "node_modules/@pulumi/pulumi"), path.join(work, "node_modules/@pulumi/pulumi"), "dir");
  project = path.join(work, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "Pulumi.yaml"), "name: interrupted\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
  writeFileSync(path.join(project, "package.json"), '{ "name": "interrupted", "private": true }\n');
  writeFileSync(path.join(project, "index.js"), PROGRAM);
  env = { ...process.env, ...engineEnv(work, [bin], { passphrase: "interrupted" }) };
});

afterAll(() => work && rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: project, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const pulumi = (...args: string[]) => exec(pulumiBin, [...args, "--non-interactive"]);
const doctor = (...args: string[]) => exec(process.execPath, [HNS_PLAN, "doctor", "--stack", "dev", "--pulumi", pulumiBin, ...args]);

async function ok(run: Promise<Run>, what: string): Promise<Run> {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r;
}

/**
 * `pulumi up` killed with SIGKILL (the whole process group) once `events` resource events
 * ("creating"/"created" lines) have been printed. Resolves false if it finished first.
 */
function upKilledAfter(events: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(pulumiBin, ["up", "--yes", "--skip-preview", "--non-interactive"], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let seen = 0;
    let killed = false;
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      const lines = (pending + d.toString()).split("\n");
      pending = lines.pop()!;
      for (const line of lines) if (/dynamic\/hns:\w+ \S+ creat(ing|ed)/.test(line)) seen++;
      if (!killed && seen >= events) {
        killed = true;
        process.kill(-child.pid!, "SIGKILL");
      }
    });
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", () => resolve(killed));
  });
}

/** Every process working in `dir` or under it (Linux: /proc/<pid>/cwd), found without doctor. */
function inProject(dir: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(pid));
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

/** Kills every process working in `dir` (step 0); returns how many there were. */
function stopStrays(dir: string): number {
  const pids = inProject(dir);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  return pids.length;
}

const host = () => new HnsEmulator(path.join(work, "hns", "h1.json"));

async function objects() {
  const h = host();
  return { network: await h.list("network"), endpoint: await h.list("endpoint"), loadBalancer: await h.list("loadBalancer") };
}

/** Objects that play the same role twice: a network or endpoint name, a load balancer VIP. */
function duplicates(o: Awaited<ReturnType<typeof objects>>): string[] {
  const keys = [
    ...o.network.map((n) => `network ${n.Name}`),
    ...o.endpoint.map((e) => `endpoint ${e.Name}`),
    ...o.loadBalancer.map((lb) => `loadBalancer ${(lb.FrontendVIPs ?? []).join(",")}`),
  ];
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/** The pulumi-hns resources the state records (with an ID), counted from the export itself. */
async function recorded(): Promise<number> {
  const r = await ok(pulumi("stack", "export"), "pulumi stack export");
  const d = JSON.parse(r.stdout).deployment;
  return (d.resources ?? []).filter((x: { type: string; id?: string }) => x.type.startsWith("pulumi-nodejs:dynamic/hns:") && x.id).length;
}

/** Empty `*.attrs` files: gocloud.dev's fileblob writes them with os.Create, then the JSON. */
function emptySidecars(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".attrs") && statSync(path.join(e.parentPath, e.name)).size === 0)
    .map((e) => path.join(e.parentPath, e.name));
}

const PATHS = ["adopt", "delete", "destroy"] as const;

interface Measure {
  kill: number;
  path: (typeof PATHS)[number];
  afterEvents: number;
  locked: boolean;
  tornSidecars: number;
  /** Provider processes the kill left running (stopped in step 0). */
  strays: number;
  onHost: number;
  recorded: number;
  orphans: number;
  adoptable: number;
  pendingCreates: number;
  recoverMs: number;
}

test(`${KILLS} interrupted ups (seed ${SEED}) recover with the documented steps: no orphan, no duplicate, converged state, empty host after destroy`, async () => {
  await ok(pulumi("stack", "init", "dev"), "pulumi stack init");
  const rnd = random(SEED);
  const measures: Measure[] = [];
  while (measures.length < KILLS) {
    const i = measures.length;
    const recovery = PATHS[i % PATHS.length];
    // A kill point anywhere among the 2 events (creating, created) of each resource.
    const afterEvents = 1 + Math.floor(rnd() * (2 * RESOURCES - 1));
    if (!(await upKilledAfter(afterEvents))) throw new Error(`up finished before ${afterEvents} resource events`);

    const start = process.hrtime.bigint();
    // A kill while the file backend wrote a metadata sidecar leaves it empty, and every command
    //    then fails with "failed to load checkpoint: EOF" (docs/interrupted-deployment.md, step 1).
    const tornSidecars = emptySidecars(path.join(work, "state/.pulumi"));
    for (const f of tornSidecars) rmSync(f);
    // 1. The killed CLI left its lock behind: pulumi cancel removes it (file backend: .pulumi/locks).
    const lockDir = path.join(work, "state/.pulumi/locks/organization/interrupted/dev");
    const locked = existsSync(lockDir) && readdirSync(lockDir).some((f) => f.endsWith(".json"));
    await ok(pulumi("cancel", "--yes"), "pulumi cancel");
    // Step 0 of the doc, through doctor: the run is really gone. Pulumi starts its plugins in their
    // own process groups, so they outlive the killed group. What doctor lists is what runs in the
    // project directory, found independently (every process's cwd) before and after it looked.
    const runningBefore = inProject(project);
    const look = await doctor("--json");
    const runningAfter = inProject(project);
    const listed: number[] = JSON.parse(look.stdout).processes.map((p: { pid: number }) => p.pid);
    expect(listed).toEqual(expect.arrayContaining(runningBefore.filter((pid) => runningAfter.includes(pid))));
    for (const pid of listed) expect(runningBefore).toContain(pid);
    const strays = stopStrays(project);

    // 2. What the kill left: doctor's count must match the host's objects minus the state's.
    const found = await doctor("--json");
    const d = JSON.parse(found.stdout);
    const all = await objects();
    const onHost = all.network.length + all.endpoint.length + all.loadBalancer.length;
    const inState = await recorded();
    expect(d.orphans).toHaveLength(onHost - inState);
    expect(d.gone).toEqual([]);
    expect(found.code).toBe(d.orphans.length || d.pending.length ? 4 : 0);

    // 3. The recovery path: adopt (keep what the next up re-finds), or delete the orphans.
    const cleaned = await doctor(recovery === "adopt" ? "--adopt" : "--delete", "--json");
    expect(cleaned.code).toBe(d.pending.length || (recovery === "adopt" && d.orphans.length) ? 4 : 0); // 4 while pending creates remain
    const c = JSON.parse(cleaned.stdout);
    expect(c.failed).toEqual([]);
    const keep = recovery === "adopt" ? d.orphans.filter((o: { adoptable: boolean }) => o.adoptable).length : 0;
    expect(c.deleted).toHaveLength(d.orphans.length - keep);
    await ok(pulumi("refresh", "--clear-pending-creates", "--yes"), "pulumi refresh --clear-pending-creates");
    await ok(pulumi(recovery === "destroy" ? "destroy" : "up", "--yes", ...(recovery === "destroy" ? [] : ["--skip-preview"])), `pulumi ${recovery}`);
    const recoverMs = Number((process.hrtime.bigint() - start) / 1_000_000n);

    // 4. Converged: doctor finds nothing, the host holds the program's objects once each.
    expect((await doctor()).code).toBe(0);
    const after = await objects();
    expect(duplicates(after)).toEqual([]);
    if (recovery !== "destroy") {
      expect({ network: after.network.length, endpoint: after.endpoint.length, loadBalancer: after.loadBalancer.length }).toEqual(EXPECTED);
      await ok(pulumi("preview", "--expect-no-changes"), "pulumi preview --expect-no-changes");
      await ok(pulumi("destroy", "--yes"), "pulumi destroy");
    }
    // 5. Empty after destroy.
    expect(await objects()).toEqual({ network: [], endpoint: [], loadBalancer: [] });

    const adoptable = d.orphans.filter((o: { adoptable: boolean }) => o.adoptable).length;
    const pendingCreates = d.pending.filter((p: { type: string }) => p.type === "creating").length;
    measures.push({ kill: i + 1, path: recovery, afterEvents, locked, tornSidecars: tornSidecars.length, strays, onHost, recorded: inState, orphans: d.orphans.length, adoptable, pendingCreates, recoverMs });
    // A long run can be followed (and its numbers kept) as it goes.
    if (process.env.HNS_INTERRUPT_REPORT) appendFileSync(process.env.HNS_INTERRUPT_REPORT, JSON.stringify({ seed: SEED, ...measures[i] }) + "\n");
  }
  console.log(
    [`seed ${SEED}: ${KILLS} kills of pulumi up (${RESOURCES} resources)`, "kill  path     after-events  locked  torn-sidecars  strays  on-host  recorded  orphans  adoptable  pending-creates  recover-ms"]
      .concat(measures.map((m) => [m.kill, m.path, m.afterEvents, m.locked, m.tornSidecars, m.strays, m.onHost, m.recorded, m.orphans, m.adoptable, m.pendingCreates, m.recoverMs].map((v, j) => String(v).padEnd([6, 9, 14, 8, 15, 8, 9, 10, 9, 11, 17, 0][j])).join("")))
      .join("\n"),
  );
  expect(measures.filter((m) => m.locked)).toHaveLength(KILLS);
});
