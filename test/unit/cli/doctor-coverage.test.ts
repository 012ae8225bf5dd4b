/**
 * doctor covers every kind pulumi-hns creates (issue 22, finding 8: namespaces were not seen),
 * and its next steps are the documented ones for what it found, as commands that run as
 * printed from where the user is (issue 22 finding 10, issue 25): an interrupted destroy's
 * pending deletes, pending creates of any kind, `--stack` and `-C` carried into every step.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../../../provider";
import { disconnectAll } from "../../../provider/hosts/connect";
import { deploymentProcesses } from "../../../provider/cli/doctor/processes";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import type { Host } from "../../../provider/hosts/host";
import { runCli } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";
import { checkedInputs, until } from "../../helpers/fixtures";

jest.setTimeout(60_000);
const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});

/** Runs hns-plan; doctor with -C <the temporary directory> unless given. */
const cli = (given: string[]) => runCli(given, tmp.dir);

const TYPE = { network: "Network", endpoint: "Endpoint", namespace: "Namespace", policy: "Policy" } as const;
type Kind = keyof typeof TYPE;

/** A stack of project "proj" on one emulator host, and its export as the engine would write it. */
function stack(dir: string, name = "dev") {
  const host: Host = { kind: "emulator", name: "h1", stateDir: dir };
  const resources: object[] = [];
  const pending: object[] = [];
  const urn = (kind: Kind, n: string) => `urn:pulumi:${name}::proj::pulumi-nodejs:dynamic/hns:${TYPE[kind]}::${n}`;
  return {
    host,
    async create(kind: Kind, n: string, args: Record<string, unknown>, record: "resource" | "pending" | "deleting" | "none") {
      const inputs = await checkedInputs(providers[kind], { ...args, host, __seed: `proj/${name}/${TYPE[kind]}/${n}` });
      const made = await providers[kind].create(inputs);
      const entry = { urn: urn(kind, n), custom: true, type: `pulumi-nodejs:dynamic/hns:${TYPE[kind]}`, inputs };
      if (record === "resource" || record === "deleting") resources.push({ ...entry, id: made.id, outputs: made.outs });
      if (record === "pending") pending.push({ resource: entry, type: "creating" });
      if (record === "deleting") pending.push({ resource: { ...entry, id: made.id, outputs: made.outs }, type: "deleting" });
      return made.id;
    },
    write(file: string) {
      fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources, pending_operations: pending } }));
      return file;
    },
  };
}

test("an orphaned namespace is listed, its pending create counted and adoptable; --delete removes it; the documented steps follow", async () => {
  const dir = path.join(tmp.dir, "ns");
  fs.mkdirSync(dir, { recursive: true });
  const s = stack(dir);
  await s.create("network", "web", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, "resource");
  const pendingNs = await s.create("namespace", "pods", { name: "pods" }, "pending");
  const lostNs = await s.create("namespace", "lost", { name: "lost", type: "guest" }, "none");
  const file = s.write(path.join(dir, "dev.json"));

  const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--json"]);
  expect(r.code).toBe(4);
  const d = JSON.parse(r.out);
  const byId = Object.fromEntries(d.orphans.map((o: { id: string }) => [o.id.toLowerCase(), o]));
  expect(Object.keys(byId).sort()).toEqual([pendingNs, lostNs].map((x) => x.toLowerCase()).sort());
  expect(byId[pendingNs.toLowerCase()]).toMatchObject({ kind: "namespace", adoptable: true, urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Namespace::pods" });
  expect(byId[lostNs.toLowerCase()]).toMatchObject({ kind: "namespace", adoptable: false });
  expect(d.pending).toEqual([{ urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Namespace::pods", type: "creating" }]);

  const text = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file]);
  expect(text.out).toContain("next (docs/interrupted-deployment.md):");
  expect(text.out).toContain(`  npx hns-plan doctor --stack=dev -C ${tmp.dir} --project proj --state ${file} --delete   removes the orphans`);
  expect(text.out).toContain(`  pulumi refresh --clear-pending-creates --yes --stack=dev --cwd=${tmp.dir}   drops the pending creates`);
  expect(text.out).not.toMatch(/pulumi refresh --yes/);

  const del = JSON.parse((await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--delete", "--json"])).out);
  expect(del.deleted.map((o: { kind: string }) => o.kind)).toEqual(["namespace", "namespace"]);
  const ids = (await new HnsEmulator(path.join(dir, "h1.json")).list("namespace")).map((n) => n.ID!.toLowerCase());
  expect(ids).not.toContain(pendingNs.toLowerCase());
  expect(ids).not.toContain(lostNs.toLowerCase());
});

test("an interrupted destroy: pending deletes and gone entries get refresh, then destroy again; -C and --stack are carried, relative to where doctor ran", async () => {
  const project = path.join(tmp.dir, "project");
  const dir = path.join(project, ".hns-emulator");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
  const s = stack(dir, "staging");
  const net = await s.create("network", "web", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, "resource");
  const ep = await s.create("endpoint", "app", { name: "app", network: net }, "deleting");
  // The destroy deleted the endpoint on the host; the engine died before recording it.
  await new HnsEmulator(path.join(dir, "h1.json")).delete("endpoint", ep);
  const file = s.write(path.join(project, "staging.json"));

  const cwd = process.cwd();
  process.chdir(tmp.dir);
  try {
    const r = await cli(["doctor", "--stack", "acme/staging", "-C", "project", "--state", "project/staging.json"]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/h1 +- +\S+ +- +gone \(the state holds it, the host does not\) +urn:pulumi:staging::proj::pulumi-nodejs:dynamic\/hns:Endpoint::app/);
    expect(r.out).toContain("  pulumi refresh --yes --stack=acme/staging --cwd=project   drops the entries whose objects are gone");
    expect(r.out).toContain("  pulumi destroy --yes --stack=acme/staging --cwd=project   finishes an interrupted destroy");
    expect(r.out).not.toContain("--delete");
  } finally {
    process.chdir(cwd);
  }
  expect(fs.existsSync(file)).toBe(true);
});

test("the export piped on stdin: the printed step pipes it again", async () => {
  const { stepsFor } = await import("../../../provider/cli/doctor/steps");
  const steps = stepsFor({ stack: "dev", state: "-", cwd: "../my project" }, "/somewhere");
  expect(steps.doctor("--delete")).toBe("pulumi stack export --show-secrets --stack=dev '--cwd=../my project' | npx hns-plan doctor --stack=dev -C '../my project' --state - --delete");
  expect(steps.pulumi("refresh", "--yes")).toBe("pulumi refresh --yes --stack=dev '--cwd=../my project'");
  // From the project directory itself, no -C.
  expect(stepsFor({ stack: "dev", cwd: "." }, "/p").doctor()).toBe("npx hns-plan doctor --stack=dev");
});

describe("left-over deployment processes", () => {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const started: import("node:child_process").ChildProcess[] = [];
  afterAll(() => {
    for (const c of started) c.kill("SIGKILL");
    // The wrappers' node children outlive them (that is the point): found the way doctor finds them.
    for (const p of deploymentProcesses([tmp.dir]) ?? []) process.kill(p.pid, "SIGKILL");
  });

  /** A stand-in for the dynamic provider's plugin: an sh script named like it that starts node on a path like the real one, without exec. */
  function fakeDeployment(dir: string) {
    const script = path.join(dir, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.writeFileSync(script, "process.stdout.write('ready\\n'); setInterval(() => undefined, 1000);\n");
    const wrapper = path.join(dir, "pulumi-resource-pulumi-nodejs");
    fs.writeFileSync(wrapper, `#!/bin/sh\n${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`, { mode: 0o755 });
    const child = spawn(wrapper, ["127.0.0.1:1"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] });
    started.push(child);
    return new Promise<number>((resolve) => child.stdout!.once("data", () => resolve(child.pid!)));
  }

  const linux = fs.existsSync("/proc/self/cwd");
  (linux ? test : test.skip)("doctor lists the provider and its sh wrapper running in the project directory (not those elsewhere), exit 4, stopping them the one step", async () => {
    const project = path.join(tmp.dir, "running");
    const elsewhere = path.join(tmp.dir, "elsewhere");
    for (const d of [project, elsewhere]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
    const mine = await fakeDeployment(project);
    await fakeDeployment(elsewhere);
    const s = stack(path.join(project, ".hns-emulator"));
    fs.mkdirSync(path.join(project, ".hns-emulator"), { recursive: true });
    await s.create("network", "web", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, "resource");
    const file = s.write(path.join(project, "dev.json"));

    const r = await cli(["doctor", "--stack", "dev", "-C", project, "--state", file, "--json"]);
    expect(r.code).toBe(4);
    const found = JSON.parse(r.out).processes as { pid: number; command: string; cwd: string }[];
    expect(found.map((p) => p.cwd)).toEqual([fs.realpathSync(project), fs.realpathSync(project)]);
    expect(found.find((p) => p.pid === mine)?.command).toMatch(/^\/bin\/sh .*pulumi-resource-pulumi-nodejs 127\.0\.0\.1:1$/);
    expect(found.some((p) => /@pulumi\/pulumi\/cmd\/dynamic-provider\/index\.js 127\.0\.0\.1:1$/.test(p.command))).toBe(true);

    const text = await cli(["doctor", "--stack", "dev", "-C", project, "--state", file]);
    expect(text.out).toContain("2 deployment processes still running in the project directory");
    expect(text.out).toContain(`  kill ${found.map((p) => p.pid).join(" ")}   stops them`);

    // Negative control: once they are stopped, doctor finds none and the stack is clean.
    for (const c of started) c.kill("SIGKILL");
    for (const p of found) process.kill(p.pid, "SIGKILL");
    await until(() => found.every((p) => !fs.existsSync(`/proc/${p.pid}/cmdline`) || fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8") === ""));
    const after = await cli(["doctor", "--stack", "dev", "-C", project, "--state", file, "--json"]);
    expect(JSON.parse(after.out).processes).toEqual([]);
    expect(after.code).toBe(0);
  });
});

test("a project whose Pulumi.yaml names a main elsewhere (the quickstart): doctor finds the emulator state in the program's directory", async () => {
  const project = path.join(tmp.dir, "quickstart-like");
  const program = path.join(project, "examples", "quickstart");
  fs.mkdirSync(path.join(program, ".hns-emulator"), { recursive: true });
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: hns-quickstart\nruntime: nodejs\nmain: examples/quickstart/index.ts\n");
  fs.writeFileSync(path.join(program, "index.ts"), "");
  const saved = process.env.PULUMI_HNS_EMULATOR_DIR;
  delete process.env.PULUMI_HNS_EMULATOR_DIR;
  try {
    // The provider runs in the program's directory, so the default stateDir is relative to it.
    const made: Host = { kind: "emulator", name: "win-node-1", stateDir: path.join(program, ".hns-emulator") };
    const inputs = await checkedInputs(providers.network, { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], host: made, __seed: "hns-quickstart/dev/Network/web" });
    const { id, outs } = await providers.network.create(inputs);
    const recorded = { kind: "emulator", name: "win-node-1" }; // as the program declared it: no stateDir
    const file = path.join(project, "dev.json");
    const urn = "urn:pulumi:dev::hns-quickstart::pulumi-nodejs:dynamic/hns:Network::web";
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [{ urn, type: "pulumi-nodejs:dynamic/hns:Network", id, inputs: { ...inputs, host: recorded }, outputs: { ...outs, host: recorded } }] } }));
    const r = await cli(["doctor", "--stack", "dev", "-C", project, "--state", file, "--json"]);
    const d = JSON.parse(r.out);
    expect(d.hosts).toEqual([expect.objectContaining({ name: "win-node-1", tagged: 1 })]);
    expect(d.hosts[0].error).toBeUndefined();
    expect(r.code).toBe(0);
    // Negative control: without the main, the same export points at the project directory's .hns-emulator, which has no state.
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: hns-quickstart\nruntime: nodejs\n");
    const without = JSON.parse((await cli(["doctor", "--stack", "dev", "-C", project, "--state", file, "--json"])).out);
    expect(without.hosts[0].error).toContain(`no emulator state at ${path.join(project, ".hns-emulator", "win-node-1.json")}`);
  } finally {
    if (saved !== undefined) process.env.PULUMI_HNS_EMULATOR_DIR = saved;
  }
});

test("a pending create whose entry carries the ID it was to get (as the engine may record it) still finds its object an adoptable orphan", async () => {
  const dir = path.join(tmp.dir, "pending-id");
  fs.mkdirSync(dir, { recursive: true });
  const host: Host = { kind: "emulator", name: "h1", stateDir: dir };
  const netInputs = await checkedInputs(providers.network, { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], host, __seed: "proj/dev/Network/web" });
  const net = await providers.network.create(netInputs);
  const epInputs = await checkedInputs(providers.endpoint, { name: "web-9", network: net.id, host, __seed: "proj/dev/Endpoint/web-9" });
  const ep = await providers.endpoint.create(epInputs);
  const urn = (kind: string, n: string) => `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:${kind}::${n}`;
  const file = path.join(dir, "dev.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      version: 3,
      deployment: {
        resources: [{ urn: urn("Network", "web"), type: "pulumi-nodejs:dynamic/hns:Network", id: net.id, inputs: netInputs, outputs: net.outs }],
        pending_operations: [{ resource: { urn: urn("Endpoint", "web-9"), type: "pulumi-nodejs:dynamic/hns:Endpoint", id: ep.id, inputs: epInputs }, type: "creating" }],
      },
    }),
  );
  const d = JSON.parse((await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--json"])).out);
  expect(d.orphans).toEqual([expect.objectContaining({ kind: "endpoint", name: "web-9", adoptable: true })]);
});
