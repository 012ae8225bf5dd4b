/**
 * An interrupted `pulumi destroy`, for real (issue 22, finding 10): the Pulumi CLI destroys a
 * 24-resource program on the HNS emulator and is SIGKILLed with its whole process group at a
 * seeded random point. Then the steps of docs/interrupted-deployment.md ("After an interrupted
 * pulumi destroy") recover it, and the test checks what they promise:
 *
 * - step 0: the processes the kill left in the project directory are exactly the ones
 *   `hns-plan doctor` lists (found independently, by every process's working directory);
 * - doctor reports no orphan (a delete makes none), every gone entry is one the state holds,
 *   and its printed next steps are the documented ones (refresh, then destroy again), with the
 *   stack named;
 * - after them the host is empty and doctor exits 0.
 *
 * HNS_INTERRUPT_SEED (default 2026) sets the seed, printed so a failure replays.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv } from "../helpers/engine-env";
import { until } from "../helpers/fixtures";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { mulberry32 as random } from "../helpers/prng";

const SEED = Number(process.env.HNS_INTERRUPT_SEED ?? 2026);
jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../..");
const HNS_PLAN = path.join(REPO, "dist/provider/cli/hns-plan.js");

/** 2 networks, 20 endpoints, 1 namespace, 1 load balancer. */
const PROGRAM = `
const hns = require("pulumi-hns");
const host = hns.emulatorHost("h1");
const web = new hns.Network("web", { host, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
const pods = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] });
new hns.Namespace("ns", { host });
const eps = [];
for (let i = 0; i < 10; i++) new hns.Endpoint("web-" + i, { host, network: web.networkId });
for (let i = 0; i < 10; i++) eps.push(new hns.Endpoint("pod-" + i, { host, network: pods.networkId, ipAddress: "10.244.1." + (10 + i) }));
new hns.Policy("svc", { kind: "loadBalancer", host, endpoints: eps.map((p) => p.endpointId), frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 8080, externalPort: 80 }] });
`;
const RESOURCES = 24;

let work: string;
let project: string;
let env: NodeJS.ProcessEnv;
let pulumiBin: string;

beforeAll(() => {
  if (!existsSync(HNS_PLAN)) throw new Error("dist/ is missing: run `npm run build` first (the project loads the built package)");
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  pulumiBin = path.join(bin, "pulumi");
  work = mkdtempSync(path.join(os.tmpdir(), "hns-interrupted-destroy-"));
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
afterAll(() => {
  if (!work) return;
  for (const pid of inProject()) process.kill(pid, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

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

/** `pulumi destroy` killed with SIGKILL (its whole process group) after `events` resource delete events. */
function destroyKilledAfter(events: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(pulumiBin, ["destroy", "--yes", "--skip-preview", "--non-interactive"], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let seen = 0;
    let killed = false;
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      const lines = (pending + d.toString()).split("\n");
      pending = lines.pop()!;
      for (const line of lines) if (/dynamic\/hns:\w+ \S+ delet(ing|ed)/.test(line)) seen++;
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

/** Every process working in the project directory (Linux: /proc/<pid>/cwd), found without doctor. */
function inProject(): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === project || cwd.startsWith(`${project}/`)) found.push(Number(pid));
    } catch {
      // gone already, or not ours to read
    }
  }
  return found.sort((a, b) => a - b);
}

function emptySidecars(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".attrs") && statSync(path.join(e.parentPath, e.name)).size === 0)
    .map((e) => path.join(e.parentPath, e.name));
}

const host = () => new HnsEmulator(path.join(work, "hns", "h1.json"));
async function objectCount(): Promise<number> {
  const h = host();
  let n = 0;
  for (const kind of ["network", "endpoint", "loadBalancer"] as const) n += (await h.list(kind)).length;
  // The host's default namespace is always there.
  return n + (await h.list("namespace")).filter((x) => x.Type !== "HostDefault").length;
}

test(`an interrupted destroy (seed ${SEED}) recovers with the documented steps; doctor's step 0 finds every process the kill left`, async () => {
  await ok(pulumi("stack", "init", "dev"), "pulumi stack init");
  await ok(pulumi("up", "--yes", "--skip-preview"), "pulumi up");
  expect(await objectCount()).toBe(RESOURCES);

  // A kill point among the 2 events (deleting, deleted) of each resource, past the first.
  const afterEvents = 2 + Math.floor(random(SEED)() * (2 * RESOURCES - 3));
  if (!(await destroyKilledAfter(afterEvents))) throw new Error(`destroy finished before ${afterEvents} resource events`);

  // Step 1 (the lock, a torn sidecar), then step 0 through doctor: what the kill left running,
  // found by working directory before and after doctor looked, is what doctor lists.
  for (const f of emptySidecars(path.join(work, "state/.pulumi"))) rmSync(f);
  await ok(pulumi("cancel", "--yes"), "pulumi cancel");
  const before = inProject();
  const first = await doctor("--json");
  const after = inProject();
  const listed = (JSON.parse(first.stdout).processes as { pid: number }[]).map((p) => p.pid).sort((a, b) => a - b);
  expect(before.length).toBeGreaterThan(0); // the kill did leave processes (the negative control of "doctor lists none")
  expect(listed).toEqual(expect.arrayContaining(before.filter((pid) => after.includes(pid))));
  for (const pid of listed) expect(before).toContain(pid);
  expect(first.stdout).toBeTruthy();
  for (const pid of listed) process.kill(pid, "SIGKILL");
  await until(() => inProject().length === 0);

  // Step 2: no orphan, gone entries are the state's, and the printed steps are the documented ones.
  const found = await doctor("--json");
  const d = JSON.parse(found.stdout);
  expect(d.processes).toEqual([]);
  expect(d.orphans).toEqual([]);
  const exported = JSON.parse((await ok(pulumi("stack", "export"), "pulumi stack export")).stdout).deployment;
  const held = new Set((exported.resources ?? []).map((r: { urn: string }) => r.urn));
  for (const g of d.gone) expect(held).toContain(g.urn);
  const deletes = d.pending.filter((p: { type: string }) => p.type === "deleting").length;
  const text = (await doctor()).stdout;
  if (d.gone.length || deletes) expect(text).toContain("pulumi refresh --yes --stack=dev   drops the entries whose objects are gone");
  if (deletes) expect(text).toContain("pulumi destroy --yes --stack=dev   finishes an interrupted destroy");
  expect(text).not.toContain("--clear-pending-creates");
  console.log(`seed ${SEED}: destroy killed after ${afterEvents} events; left ${before.length} processes (doctor listed ${listed.length}); ${d.gone.length} gone, ${deletes} pending deletes, ${await objectCount()} objects left`);

  // Step 3: refresh, destroy again.
  await ok(pulumi("refresh", "--yes"), "pulumi refresh");
  await ok(pulumi("destroy", "--yes"), "pulumi destroy");
  expect(await objectCount()).toBe(0);
  const last = await doctor("--json");
  expect(last.code).toBe(0);
});
