/**
 * hns-plan doctor against emulated hosts (directly, and through the PowerShell transport's
 * double), with hand-made stack exports: which objects it calls orphans, which state entries
 * gone, what --delete and --adopt remove, and that it never touches another stack's objects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../../../provider";
import { disconnectAll } from "../../../provider/hosts/connect";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import type { Host } from "../../../provider/hosts/host";
import { stackTag } from "../../../provider/kinds/identity";
import { testHost, useTransport } from "../../doubles/hosts";
import { runCli } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";
import { checkedInputs } from "../../helpers/fixtures";

jest.setTimeout(60_000);
const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});

const TYPE = { network: "pulumi-nodejs:dynamic/hns:Network", endpoint: "pulumi-nodejs:dynamic/hns:Endpoint", policy: "pulumi-nodejs:dynamic/hns:Policy" } as const;
type Kind = keyof typeof TYPE;
const SECRET = { sig: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** Runs hns-plan with captured output; doctor with -C <this file's temporary directory> unless given. */
const cli = (given: string[]) => runCli(given, tmp.dir);

/**
 * A stack's resources as the engine records them: created through the providers (so IDs carry
 * the stack's tag), written into the export with the host block `recorded` (e.g. a relative
 * stateDir, a secret), some recorded, some pending, some left out.
 */
class Stack {
  resources: object[] = [];
  pending: object[] = [];
  constructor(
    readonly project: string,
    readonly name: string,
    readonly host: Host,
    readonly recorded: unknown = host,
    /** What seeds its IDs: the stack's own name, or the fleet's for a stack of hns-plan fleet. */
    readonly seedName: string = name,
  ) {}

  private urn(kind: Kind, name: string) {
    return `urn:pulumi:${this.name}::${this.project}::${TYPE[kind]}::${name}`;
  }

  private args(kind: Kind, name: string, args: Record<string, unknown>) {
    return { ...args, host: this.host, __seed: `${this.project}/${this.seedName}/${kind[0].toUpperCase()}${kind.slice(1)}/${name}` };
  }

  /** Creates the object; `record`: as a finished resource, as a pending create, or not at all. */
  async create(kind: Kind, name: string, args: Record<string, unknown>, record: "resource" | "pending" | "none"): Promise<string> {
    const inputs = this.args(kind, name, args);
    const checked = await checkedInputs(providers[kind], inputs);
    const made = await providers[kind].create(checked);
    const entry = { urn: this.urn(kind, name), custom: true, type: TYPE[kind], inputs: { ...checked, host: this.recorded } };
    if (record === "resource") this.resources.push({ ...entry, id: made.id, outputs: { ...made.outs, host: this.recorded } });
    if (record === "pending") this.pending.push({ resource: entry, type: "creating" });
    return made.id;
  }

  /** A pending create whose object was never made (the engine died before calling the provider). */
  async pendingOnly(kind: Kind, name: string, args: Record<string, unknown>) {
    const checked = await checkedInputs(providers[kind], this.args(kind, name, args));
    this.pending.push({ resource: { urn: this.urn(kind, name), custom: true, type: TYPE[kind], inputs: { ...checked, host: this.recorded } }, type: "creating" });
  }

  write(file: string): string {
    const stackResource = { urn: `urn:pulumi:${this.name}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.name}`, custom: false, type: "pulumi:pulumi:Stack" };
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [stackResource, ...this.resources], pending_operations: this.pending } }));
    return file;
  }
}

const NAT = { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] };

/** The interrupted-up picture on one host; returns what each object is. */
async function interrupted(dir: string, host: Host, recorded?: unknown) {
  const dev = new Stack("proj", "dev", host, recorded);
  const web = await dev.create("network", "web", { ...NAT, name: "web" }, "resource");
  const app = await dev.create("endpoint", "app", { network: web, name: "app" }, "resource");
  const goneEp = await dev.create("endpoint", "gone", { network: web, name: "gone" }, "resource");
  const adoptable = await dev.create("endpoint", "pending-ep", { network: web, name: "pending-ep" }, "pending");
  const lost = await dev.create("endpoint", "lost", { network: web, name: "lost" }, "none");
  const lb = await dev.create("policy", "svc", { kind: "loadBalancer", endpoints: [lost], frontendVips: ["10.96.0.5"], portMappings: [{ internalPort: 80, externalPort: 80 }] }, "none");
  const orphanNet = await dev.create("network", "l2", { type: "l2bridge", name: "l2", subnets: [{ prefix: "10.244.1.0/24" }] }, "none");
  const hostEp = await dev.create("endpoint", "l2-host", { network: orphanNet, name: "l2-host", ipAddress: "10.244.1.2", attach: "host" }, "none");
  await dev.pendingOnly("network", "never-made", { ...NAT, name: "never-made", subnets: [{ prefix: "172.21.0.0/24" }] });
  // Another stack's network on the same host: not ours, whatever state we read.
  const prod = new Stack("proj", "prod", host);
  const foreign = await prod.create("network", "web", { ...NAT, name: "web-prod", subnets: [{ prefix: "172.30.0.0/24" }] }, "none");
  const hns = new HnsEmulator(path.join(dir, `${host.name}.json`));
  await hns.removeOutOfBand("endpoint", goneEp);
  return { dev, hns, web, app, goneEp, adoptable, lost, lb, orphanNet, hostEp, foreign };
}

const ids = (objects: { ID?: string }[]) => objects.map((o) => o.ID).sort();

describe.each(["emulator", "powershell"] as const)("through the %s transport", (transport) => {
  test("lists orphans (pending or unrecorded), gone entries and pending operations; exit 4; --delete removes every orphan in order", async () => {
    useTransport(transport);
    const dir = path.join(tmp.dir, transport);
    const { host } = testHost(dir, "h1");
    const s = await interrupted(dir, host);
    const file = s.dev.write(path.join(dir, "dev.json"));
    // A local host is contacted only when the user says so, through the PowerShell the user names.
    const reach = host.kind === "local" ? ["--connect", "--pwsh", host.executable!] : [];

    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--json", ...reach]);
    expect(r.code).toBe(4);
    const d = JSON.parse(r.out);
    expect(d.tag).toBe(stackTag("proj/dev"));
    expect(d.stack).toBe("proj/dev");
    expect(d.hosts).toEqual([expect.objectContaining({ name: "h1", kind: host.kind, tagged: 7 })]);
    const byId = Object.fromEntries(d.orphans.map((o: { id: string }) => [o.id.toLowerCase(), o]));
    const lower = (xs: string[]) => xs.map((x) => x.toLowerCase()).sort();
    expect(Object.keys(byId).sort()).toEqual(lower([s.adoptable, s.lost, s.lb, s.orphanNet, s.hostEp]));
    for (const k of ["adoptable", "lost", "lb", "orphanNet", "hostEp"] as const) s[k] = s[k].toLowerCase();
    expect(byId[s.adoptable]).toMatchObject({ kind: "endpoint", name: "pending-ep", urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Endpoint::pending-ep", adoptable: true });
    expect(byId[s.lost]).toMatchObject({ kind: "endpoint", adoptable: false });
    expect(byId[s.lost].urn).toBeUndefined();
    expect(byId[s.lb]).toMatchObject({ kind: "loadBalancer" });
    expect(d.gone).toEqual([expect.objectContaining({ id: s.goneEp, urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Endpoint::gone" })]);
    expect(d.pending.map((p: { urn: string }) => p.urn.split("::").pop()).sort()).toEqual(["never-made", "pending-ep"]);

    // The network goes only after its endpoint, the endpoint only after the load balancer over it.
    const del = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--delete", "--json", ...reach]);
    const deleted = JSON.parse(del.out);
    expect(deleted.failed).toEqual([]);
    expect(deleted.deleted.map((o: { kind: string }) => o.kind)).toEqual(["loadBalancer", "endpoint", "endpoint", "endpoint", "network"]);
    expect(ids(await s.hns.list("network"))).toEqual([s.web, s.foreign].sort());
    expect(ids(await s.hns.list("endpoint"))).toEqual([s.app]);
    expect(await s.hns.list("loadBalancer")).toEqual([]);
    expect(del.code).toBe(4); // the gone entry and the pending creates are the state's to fix (pulumi refresh)
  });
});

describe("a stack of hns-plan fleet (--fleet): its objects carry the fleet's tag", () => {
  async function fleetStacks(dir: string) {
    // Two groups of fleet "prod" on two hosts; each seeds by the fleet, as hns-plan fleet does.
    const h2 = testHost(dir, "node-2").host;
    const group = new Stack("proj", "prod-2", h2, h2, "prod");
    await group.create("network", "web", { ...NAT, name: "web" }, "resource");
    const lost = await group.create("network", "lost", { ...NAT, name: "lost", subnets: [{ prefix: "172.21.0.0/24" }] }, "none");
    const other = new Stack("proj", "prod-1", testHost(dir, "node-1").host, undefined, "prod");
    await other.create("network", "web", { ...NAT, name: "web" }, "none");
    return { file: group.write(path.join(dir, "prod-2.json")), lost };
  }

  test("with --fleet: the fleet's tag, the group's own orphan on its own host, nothing suspicious", async () => {
    useTransport("emulator");
    const dir = path.join(tmp.dir, "fleet");
    const { file, lost } = await fleetStacks(dir);
    const r = await cli(["doctor", "--stack", "prod-2", "--fleet", "prod", "--project", "proj", "--state", file, "--json"]);
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({ stack: "proj/prod-2", fleet: "prod", tag: stackTag("proj/prod"), suspicious: [] });
    expect(d.hosts).toEqual([expect.objectContaining({ name: "node-2", tagged: 2 })]);
    expect(d.orphans.map((o: { id: string }) => o.id.toLowerCase())).toEqual([lost.toLowerCase()]);
    const text = await cli(["doctor", "--stack", "prod-2", "--fleet", "prod", "--project", "proj", "--state", file]);
    expect(text.out).toMatch(/^stack proj\/prod-2 of fleet prod \(tag [0-9a-f]{8}\)/);
    expect(text.out).toContain("--fleet prod");
  });

  test("without --fleet: its entries are suspicious, with the fix, and nothing is its orphan", async () => {
    useTransport("emulator");
    const dir = path.join(tmp.dir, "fleet-plain");
    const { file } = await fleetStacks(dir);
    const r = await cli(["doctor", "--stack", "prod-2", "--project", "proj", "--state", file, "--json"]);
    expect(r.code).toBe(4);
    const d = JSON.parse(r.out);
    expect(d.orphans).toEqual([]);
    expect(d.suspicious.map((e: { reason: string }) => e.reason)).toEqual([expect.stringMatching(/seeded as a stack of fleet prod: pass --fleet prod\)$/)]);
  });

  test.each([
    [["--stack", "dev", "--fleet", "prod"], /stack dev is not a stack of fleet prod, whose stacks are named prod-<group>/],
    [["--stack", "prod-2", "--fleet", "pr od"], /--fleet "pr od" is not a fleet name/],
  ])("%p is refused with exit 2", async (given, message) => {
    const r = await cli(["doctor", ...given, "--project", "proj", "--state", path.join(tmp.dir, "none.json")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe("emulator hosts", () => {
  beforeAll(() => useTransport("emulator"));

  test("--adopt deletes only what no pending create accounts for; the next create with the same arguments finds the kept object", async () => {
    const dir = path.join(tmp.dir, "adopt");
    const { host } = testHost(dir, "h1");
    const s = await interrupted(dir, host);
    const file = s.dev.write(path.join(dir, "dev.json"));
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--adopt"]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(new RegExp(`h1 +endpoint +${s.adoptable} +pending-ep +orphan \\(pending create: adoptable\\) +urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Endpoint::pending-ep`));
    expect(r.out).toMatch(new RegExp(`h1 +endpoint +${s.lost} +lost +deleted`));
    expect(ids(await s.hns.list("endpoint"))).toEqual([s.app, s.adoptable].sort());

    // What the next `pulumi up` does once the pending create is cleared: create, same arguments.
    const again = await new Stack("proj", "dev", host).create("endpoint", "pending-ep", { network: s.web, name: "pending-ep" }, "none");
    expect(again).toBe(s.adoptable);
    expect((await s.hns.list("endpoint")).filter((e) => e.Name === "pending-ep")).toHaveLength(1);
  });

  test("a relative stateDir resolves against --cwd; a secret host credential is decoded, used, and never printed", async () => {
    const project = path.join(tmp.dir, "project");
    const dir = path.join(project, "emu");
    fs.mkdirSync(dir, { recursive: true });
    const host: Host = { kind: "emulator", name: "locked", stateDir: dir, accessKey: "s3cr3t-key" };
    const recorded = { kind: "emulator", name: "locked", stateDir: "emu", accessKey: { [SECRET.sig]: SECRET.value, plaintext: JSON.stringify("s3cr3t-key") } };
    const dev = new Stack("proj", "dev", host, recorded);
    const web = await dev.create("network", "web", { ...NAT, name: "web" }, "resource");
    const orphan = await dev.create("endpoint", "lost", { network: web, name: "lost" }, "none");
    const file = dev.write(path.join(tmp.dir, "secret.json"));

    const text = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "-C", project]);
    const json = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "-C", project, "--json"]);
    expect(JSON.parse(json.out).orphans.map((o: { id: string }) => o.id)).toEqual([orphan]);
    expect(text.out).toContain("locked (emulator)  2 objects with the stack's tag");
    for (const out of [text.out, text.err, json.out, json.err]) expect(out).not.toContain("s3cr3t-key");

    // From elsewhere without -C, the relative stateDir names a file that does not exist: said, and not created.
    const elsewhere = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "-C", tmp.dir, "--json"]);
    expect(elsewhere.code).toBe(4);
    expect(JSON.parse(elsewhere.out).hosts[0].error).toBe(`no emulator state at ${path.join(tmp.dir, "emu", "locked.json")}: pass the project directory with -C, and the PULUMI_HNS_EMULATOR_DIR the deployment used`);
    expect(fs.existsSync(path.join(tmp.dir, "emu"))).toBe(false);
  });

  test("an orphan HNS refuses to delete is listed with HNS's error; what is not the stack's stays", async () => {
    const dir = path.join(tmp.dir, "refused");
    const { host } = testHost(dir, "h1");
    const dev = new Stack("proj", "dev", host);
    const web = await dev.create("network", "web", { ...NAT, name: "web" }, "resource");
    const lost = await dev.create("endpoint", "lost", { network: web, name: "lost" }, "none");
    // A load balancer made outside Pulumi (an ID HNS chose: no tag) over the orphan endpoint: HNS keeps the endpoint.
    const hns = new HnsEmulator(path.join(dir, "h1.json"));
    const theirs = await hns.create("loadBalancer", { HostComputeEndpoints: [lost], FrontendVIPs: ["10.96.231.10"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", dev.write(path.join(dir, "dev.json")), "--delete"]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(new RegExp(`h1 +endpoint +${lost} +lost +not deleted: `, "i"));
    expect(r.out).toContain(`fix what HNS refused above (e.g. a container still on the network), then npx hns-plan doctor --stack=dev -C ${tmp.dir} --project proj --state`);
    expect(ids(await hns.list("loadBalancer"))).toEqual([theirs.ID]);
    expect((await hns.list("endpoint")).map((e) => e.ID!.toLowerCase())).toEqual([lost.toLowerCase()]);
  });

  test("clean: nothing left outside the state and nothing gone is exit 0", async () => {
    const dir = path.join(tmp.dir, "clean");
    const { host } = testHost(dir, "h1");
    const dev = new Stack("proj", "dev", host);
    await dev.create("network", "web", { ...NAT, name: "web" }, "resource");
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", dev.write(path.join(dir, "dev.json"))]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("no orphans, nothing gone");
  });

  test("--stack runs `pulumi stack export --show-secrets` in --cwd with an argument array", async () => {
    const dir = path.join(tmp.dir, "export");
    const { host } = testHost(dir, "h1");
    const dev = new Stack("proj", "-odd", host);
    const web = await dev.create("network", "web", { ...NAT, name: "web" }, "pending");
    const exported = dev.write(path.join(dir, "export.json"));
    // A stand-in for the pulumi CLI: records its argv and working directory, prints the export.
    const fake = path.join(dir, "pulumi");
    fs.writeFileSync(fake, `#!${process.execPath}\nrequire("fs").writeFileSync(${JSON.stringify(path.join(dir, "argv.json"))}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }));\nprocess.stdout.write(require("fs").readFileSync(${JSON.stringify(exported)}, "utf8"));\n`, { mode: 0o755 });
    const r = await cli(["doctor", "--stack=-odd", "--project", "proj", "--pulumi", fake, "-C", dir, "--json"]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "argv.json"), "utf8"))).toEqual({ argv: ["stack", "export", "--show-secrets", "--stack=-odd"], cwd: fs.realpathSync(dir) });
    expect(JSON.parse(r.out).orphans.map((o: { id: string }) => o.id)).toEqual([web]);
  });

  test("bad input: exit 2 naming the problem and the fix, before any host is contacted", async () => {
    const dir = path.join(tmp.dir, "bad");
    fs.mkdirSync(dir, { recursive: true });
    expect((await cli(["doctor"])).err).toContain("give --stack <name>");
    expect((await cli(["doctor", "--stack", "odd name; rm -rf /", "--project", "proj", "--pulumi", path.join(dir, "no-such-pulumi")])).err).toContain("is not a stack name");
    expect((await cli(["doctor", "--stack", "dev", "-C", dir])).err).toContain(`no Pulumi.yaml in ${dir}: pass the project directory with -C <dir>, or --project <name>`);
    expect((await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", "x", "--delete", "--adopt"])).err).toContain("--delete and --adopt exclude each other");
    const host = { kind: "emulator", name: "never-touched", stateDir: dir };
    const encrypted = { version: 3, deployment: { resources: [{ urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/hns:Network::web", type: TYPE.network, id: "x", inputs: { host: { ...host, accessKey: { [SECRET.sig]: SECRET.value, ciphertext: "v1:abc" } } } }] } };
    fs.writeFileSync(path.join(dir, "enc.json"), JSON.stringify(encrypted));
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", path.join(dir, "enc.json")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("holds encrypted secrets: export with `pulumi stack export --show-secrets`");
    fs.writeFileSync(path.join(dir, "not.json"), '{"version": 3}');
    expect((await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", path.join(dir, "not.json")])).err).toContain("is not a stack export (deployment:");
    expect((await cli(["doctor", "--stack", "dev", "--project", "proj", "--pulumi", path.join(dir, "no-such-pulumi")])).err).toContain("install the Pulumi CLI or pass --pulumi <path>");
    expect(fs.existsSync(path.join(dir, "never-touched.json"))).toBe(false);
  });
});
