/**
 * What doctor does with an export it is handed (issue 22): it never starts a program the export
 * names, contacts a local/ssh/winrm host only with --connect (and then never through the
 * export's `executable`), decides what is the stack's from the stack the user named, and shows
 * what it read escaped. No hns-plan command runs a program a topology names either. Each
 * "never runs" check has a negative control: the same planted program does run when the
 * PowerShell transport is pointed at it, so a run would be seen.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { providers } from "../../../provider";
import { run } from "../../../provider/cli/run";
import { terminal } from "../../../provider/cli/terminal";
import { connect, disconnectAll } from "../../../provider/hosts/connect";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import type { Host } from "../../../provider/hosts/host";
import { tempDir } from "../../helpers/tmp";
import { checkedInputs } from "../../helpers/fixtures";

jest.setTimeout(60_000);
const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});

/**
 * Runs hns-plan with captured output. doctor runs with -C <this file's temporary directory>
 * unless a test gives its own: it lists deployment processes running in its project directory,
 * and the checkout this suite runs in may have real ones (another suite's `pulumi up`).
 */
async function cli(given: string[]) {
  const args = given[0] === "doctor" && !given.includes("-C") ? ["doctor", "-C", tmp.dir, ...given.slice(1)] : given;
  const stream = () => Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream & PassThrough;
  const stdout = stream();
  const stderr = stream();
  const chunks = { out: "", err: "" };
  stdout.on("data", (d) => (chunks.out += d));
  stderr.on("data", (d) => (chunks.err += d));
  const writeSpy = jest.spyOn(process.stdout, "write").mockImplementation((d) => ((chunks.out += String(d)), true));
  try {
    const code = await run(args, terminal({ stdout, stderr, env: {}, color: false }));
    return { code, ...chunks };
  } finally {
    writeSpy.mockRestore();
  }
}

/** A program that leaves a mark when started, whatever its arguments. */
function plantedProgram(dir: string): { program: string; marker: string } {
  fs.mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, "ran");
  const program = path.join(dir, "x.sh");
  fs.writeFileSync(program, `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`, { mode: 0o755 });
  return { program, marker };
}

const NETWORK = "pulumi-nodejs:dynamic/hns:Network";
const ENDPOINT = "pulumi-nodejs:dynamic/hns:Endpoint";

function exportOf(resources: object[], pending: object[] = []): string {
  return JSON.stringify({ version: 3, deployment: { manifest: {}, resources, pending_operations: pending } });
}

/** An export of stack proj/dev whose resources name the given hosts. */
function exportNaming(hosts: Host[]): string {
  return exportOf(
    hosts.map((host, i) => ({
      urn: `urn:pulumi:dev::proj::${NETWORK}::n${i}`,
      type: NETWORK,
      id: `e9ca5d45-0000-5000-8000-00000000000${i}`,
      inputs: { name: `n${i}`, type: "nat", host, __seed: `proj/dev/Network/n${i}` },
      outputs: { name: `n${i}`, type: "nat", host },
    })),
    [{ resource: { urn: `urn:pulumi:dev::proj::${NETWORK}::p`, type: NETWORK, inputs: { name: "p", type: "nat", host: hosts[0], __seed: "proj/dev/Network/p" } }, type: "creating" }],
  );
}

describe("doctor never starts what an export names", () => {
  const dir = path.join(tmp.dir, "planted");
  const { program, marker } = plantedProgram(dir);
  const hosts: Host[] = [
    { kind: "local", name: "evil-local", executable: program },
    { kind: "ssh", name: "evil-ssh", address: "192.0.2.1", user: "admin", keyFile: "/nonexistent/key", executable: program, timeoutSeconds: 5 },
    { kind: "winrm", name: "evil-winrm", address: "192.0.2.2", user: "admin", password: "pw", executable: program, timeoutSeconds: 5 },
  ];
  const file = path.join(dir, "export.json");
  fs.writeFileSync(file, exportNaming(hosts));

  test("without --connect: hosts are shown (credentials left out), not contacted; exit 4 with the --connect step", async () => {
    for (const extra of [[], ["--delete"], ["--adopt"], ["--json"]]) {
      const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, ...extra]);
      expect(r.code).toBe(4);
      expect(fs.existsSync(marker)).toBe(false);
      expect(r.out + r.err).not.toContain('"pw"');
    }
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file]);
    expect(r.out).toContain("evil-local (local)  not contacted: the export names a local host (this machine); doctor reaches it only with --connect");
    expect(r.out).toContain(`host block in the export: {"kind":"local","name":"evil-local","executable":"${program}"}`);
    expect(r.out).toContain('"password":"(secret)"');
    expect(r.out).toContain(`npx hns-plan doctor --stack=dev -C ${tmp.dir} --project proj --state ${file} --connect`);
  });

  test("with --connect: the export's executable is still never run (doctor starts --pwsh, or pwsh)", async () => {
    const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--connect", "--pwsh", path.join(dir, "no-such-pwsh"), "--json"]);
    expect(r.code).toBe(4);
    const d = JSON.parse(r.out);
    for (const h of d.hosts) expect(h.error).toContain(`spawn ${path.join(dir, "no-such-pwsh")} ENOENT`);
    await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file, "--connect", "--pwsh", path.join(dir, "no-such-pwsh"), "--delete"]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test("negative control: the planted program runs when the transport is pointed at it, and the check sees it", async () => {
    const control = plantedProgram(path.join(tmp.dir, "control"));
    await expect(connect({ kind: "local", name: "control", executable: control.program, timeoutSeconds: 5 }).list("network")).rejects.toThrow();
    expect(fs.existsSync(control.marker)).toBe(true);
  });
});

test("no hns-plan command runs a program a topology's host connection names", async () => {
  const dir = path.join(tmp.dir, "topology");
  const { program, marker } = plantedProgram(dir);
  const topology = path.join(dir, "hns.topology.yaml");
  fs.writeFileSync(
    topology,
    `hosts:\n  - name: dev\n    connection: { kind: local, name: dev, executable: ${JSON.stringify(program)} }\n    networks:\n      - { name: web, type: nat, subnets: [{ prefix: 172.20.0.0/24 }], endpoints: [{ name: app }] }\n`,
  );
  for (const args of [["validate"], ["plan"], ["plan", "--json"], ["lock"], ["diagram"], ["validate", "--frozen-lock"]]) {
    const r = await cli([...args, "-f", topology]);
    expect([r.code, r.err]).toEqual([expect.any(Number), expect.not.stringContaining("internal error")]);
  }
  expect(fs.existsSync(path.join(dir, "hns.lock.json"))).toBe(true); // the commands did run on it
  expect(fs.existsSync(marker)).toBe(false);
});

describe("ownership comes from the stack the user names", () => {
  const NAT = { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] };

  async function made(host: Host, project: string, stack: string, name: string, prefix: string) {
    const inputs = await checkedInputs(providers.network, { ...NAT, subnets: [{ prefix }], name, host, __seed: `${project}/${stack}/Network/${name}` });
    const { id, outs } = await providers.network.create(inputs);
    return { id, inputs, outs };
  }

  test("an export of stack a whose entry carries stack b's seed: b's objects stay, the entry is suspicious; exit 4", async () => {
    const dir = path.join(tmp.dir, "owner");
    fs.mkdirSync(dir, { recursive: true });
    const host: Host = { kind: "emulator", name: "h1", stateDir: dir };
    const mine = await made(host, "p", "a", "web-a", "172.20.0.0/24");
    const theirs1 = await made(host, "p", "b", "web-b", "172.21.0.0/24");
    const theirs2 = await made(host, "p", "b", "db-b", "172.22.0.0/24");
    // Stack a's export, with one entry claiming stack b's seed (a planted or corrupted entry).
    const file = path.join(dir, "a.json");
    fs.writeFileSync(
      file,
      exportOf([
        { urn: `urn:pulumi:a::p::${NETWORK}::web-a`, type: NETWORK, id: mine.id, inputs: mine.inputs, outputs: mine.outs },
        { urn: `urn:pulumi:a::p::${ENDPOINT}::x`, type: ENDPOINT, inputs: { name: "x", network: mine.id, host, __seed: "p/b/Endpoint/x" }, outputs: { host } },
      ]),
    );
    const hns = new HnsEmulator(path.join(dir, "h1.json"));
    const r = await cli(["doctor", "--stack", "a", "--project", "p", "--state", file, "--delete", "--json"]);
    expect(r.code).toBe(4);
    const d = JSON.parse(r.out);
    expect(d.deleted).toEqual([]);
    expect(d.suspicious).toEqual([{ urn: `urn:pulumi:a::p::${ENDPOINT}::x`, reason: "its __seed names another stack than p/a" }]);
    expect((await hns.list("network")).map((n) => n.ID!.toLowerCase()).sort()).toEqual([mine.id, theirs1.id, theirs2.id].map((x) => x.toLowerCase()).sort());

    // Negative control: stack b's own export, holding web-b, makes db-b an orphan of b that --delete removes: the check above would see a deletion.
    const bFile = path.join(dir, "b.json");
    fs.writeFileSync(bFile, exportOf([{ urn: `urn:pulumi:b::p::${NETWORK}::web-b`, type: NETWORK, id: theirs1.id, inputs: theirs1.inputs, outputs: theirs1.outs }]));
    const control = await cli(["doctor", "--stack", "b", "--project", "p", "--state", bFile, "--delete", "--json"]);
    expect(JSON.parse(control.out).deleted.map((o: { id: string }) => o.id.toLowerCase())).toEqual([theirs2.id.toLowerCase()]);
    expect((await hns.list("network")).map((n) => n.ID!.toLowerCase()).sort()).toEqual([mine.id, theirs1.id].map((x) => x.toLowerCase()).sort());
  });

  test("a URN of another stack is suspicious too, and its pending create adopts nothing", async () => {
    const dir = path.join(tmp.dir, "urn");
    fs.mkdirSync(dir, { recursive: true });
    const host: Host = { kind: "emulator", name: "h1", stateDir: dir };
    const mine = await made(host, "p", "a", "web-a", "172.20.0.0/24");
    const file = path.join(dir, "a.json");
    fs.writeFileSync(
      file,
      exportOf(
        [{ urn: `urn:pulumi:a::p::${NETWORK}::web-a`, type: NETWORK, id: mine.id, inputs: mine.inputs, outputs: mine.outs }],
        [{ resource: { urn: `urn:pulumi:b::p::${NETWORK}::z`, type: NETWORK, inputs: { ...NAT, name: "z", host, __seed: "p/b/Network/z" } }, type: "creating" }],
      ),
    );
    const d = JSON.parse((await cli(["doctor", "--stack", "a", "--project", "p", "--state", file, "--json"])).out);
    expect(d.suspicious).toEqual([{ urn: `urn:pulumi:b::p::${NETWORK}::z`, reason: "its URN is not of stack p/a" }]);
    expect(d.pending).toEqual([]);
  });
});

test("what doctor prints from an export is escaped: ESC, OSC, BEL, CSI, C1 and bidi controls never reach the terminal", async () => {
  const dir = path.join(tmp.dir, "escape");
  fs.mkdirSync(dir, { recursive: true });
  const hostile = "\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u009d8;;x\u009c\u2066";
  const shown = "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eevil\\u009d8;;x\\u009c\\u2066";
  const host = { kind: "emulator", name: "h1", stateDir: dir };
  const clean = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2066]/);

  // An entry of another stack whose URN carries the sequences: reported as suspicious, escaped.
  const file = path.join(dir, "x.json");
  fs.writeFileSync(file, exportOf([{ urn: `urn:pulumi:dev${hostile}::proj::${NETWORK}::n${hostile}`, type: NETWORK, id: `i${hostile}`, inputs: { host }, outputs: { host } }]));
  const r = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file]);
  expect([r.code, r.err]).toEqual([4, ""]);
  clean(r.out);
  expect(r.out).toContain(`urn:pulumi:dev${shown}::proj::${NETWORK}::n${shown} (i${shown}): its URN is not of stack proj/dev`);

  // In an error (exit 2) too: a stateDir with the sequences is refused, and the refusal shows them escaped.
  fs.writeFileSync(file, exportOf([{ urn: `urn:pulumi:dev::proj::${NETWORK}::n`, type: NETWORK, id: "x", inputs: { host: { ...host, stateDir: hostile } }, outputs: {} }]));
  const bad = await cli(["doctor", "--stack", "dev", "--project", "proj", "--state", file]);
  expect(bad.code).toBe(2);
  clean(bad.err);

  // And in the command's own words: a stack name given on the command line.
  const named = await cli(["doctor", "--stack", hostile, "--project", "proj", "--state", file]);
  clean(named.err);
  expect(named.err).toContain(shown);
});
