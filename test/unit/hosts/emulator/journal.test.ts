/**
 * The emulator's storage: the state file plus an append-only journal of what each call changed.
 * A torn last record (a writer that died mid-append) is ignored and then overwritten, never half
 * applied; a damaged record is reported; the journal is folded into the state file when it grows;
 * a journal left from before such a rewrite is ignored; what another process wrote is read in,
 * whether it appended or rewrote; two processes writing at once lose nothing.
 */
import { execFile } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { EMULATOR_LAYOUT } from "../../../../provider/hosts/emulator/emulator";
import { newHostState } from "../../../../provider/hosts/emulator/new-host";
import { parseState } from "../../../../provider/hosts/emulator/state";
import { StateStore } from "../../../../provider/hosts/emulator/store";
import { tempDir } from "../../../helpers/tmp";
import { errorOf, rejectsWith } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
let n = 0;
const newFile = () => path.join(tmp.dir, `j-${++n}.json`);
const journalOf = (file: string) => `${file}.journal`;
const ipOrder = (ip: string) => ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
const lines = (file: string) => readFileSync(journalOf(file), "utf8").split("\n");

const bridge = (name: string, prefix: string) => ({ Name: name, Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix }] }] });

async function hostWithNetwork(file = newFile()) {
  const hns = new HnsEmulator(file);
  const net = await hns.create("network", bridge("pods", "10.0.0.0/16"));
  return { file, hns, net: net.ID! };
}

const names = async (hns: HnsEmulator) => (await hns.list("endpoint")).map((e) => e.Name).sort();

describe("journal", () => {
  test("each call appends one record; the state file is not rewritten", async () => {
    const { file, hns, net } = await hostWithNetwork();
    const before = statSync(file, { bigint: true });
    const count = lines(file).length;
    await hns.create("endpoint", { Name: "a", HostComputeNetwork: net });
    await hns.create("endpoint", { Name: "b", HostComputeNetwork: net });
    const after = statSync(file, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
    expect(lines(file).length).toBe(count + 2);
    expect(JSON.parse(lines(file).at(-2)!)).toMatchObject({ set: [["endpoint", expect.any(String), { Name: "b" }]], fields: { calls: { create: 3 } } });
    // A read writes nothing.
    await hns.get("endpoint", (await hns.list("endpoint"))[0].ID!);
    expect(lines(file).length).toBe(count + 2);
    expect(await names(new HnsEmulator(file))).toEqual(["a", "b"]);
  });

  test("a torn last record (a writer died mid-append) is ignored, never half applied, and the next write replaces it", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "kept", HostComputeNetwork: net });
    await hns.create("network", bridge("other", "10.1.0.0/16"));
    const whole = readFileSync(journalOf(file), "utf8");
    // A reboot of a host whose networks are all persistent changes only bootCount; make it one that
    // drops several documents at once: a NAT network with an endpoint.
    const nat = await hns.create("network", { Name: "nat", Type: "NAT" });
    await hns.create("endpoint", { Name: "on-nat", HostComputeNetwork: nat.ID });
    const beforeReboot = readFileSync(journalOf(file), "utf8");
    await hns.reboot();
    const rebootLine = readFileSync(journalOf(file), "utf8").slice(beforeReboot.length);
    const rec = JSON.parse(rebootLine);
    expect(rec.del.length).toBeGreaterThanOrEqual(2); // one record, several documents
    // The writer died halfway through that record.
    writeFileSync(journalOf(file), beforeReboot + rebootLine.slice(0, Math.floor(rebootLine.length / 2)));

    const fresh = new HnsEmulator(file);
    expect(await names(fresh)).toEqual(["kept", "on-nat"]);
    expect((await fresh.list("network")).map((x) => x.Name).sort()).toEqual(["nat", "other", "pods"]);
    expect((await fresh.snapshot()).bootCount).toBe(0);

    await fresh.create("endpoint", { Name: "after", HostComputeNetwork: net });
    const text = readFileSync(journalOf(file), "utf8");
    expect(text.startsWith(whole)).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
    for (const line of text.split("\n").slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
    expect(await names(new HnsEmulator(file))).toEqual(["after", "kept", "on-nat"]);
  });

  test("a damaged record is refused with the journal, line, table and key named; nothing is written", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "a", HostComputeNetwork: net });
    const all = lines(file);
    const rec = JSON.parse(all[all.length - 2]);
    const key = rec.set[0][1];
    rec.set[0][2].ID = "11111111-2222-4333-8444-555555555555";
    all[all.length - 2] = JSON.stringify(rec);
    writeFileSync(journalOf(file), all.join("\n"));
    const bytes = [readFileSync(file), readFileSync(journalOf(file))];
    for (const call of [() => new HnsEmulator(file).list("endpoint"), () => new HnsEmulator(file).create("network", bridge("x", "10.9.0.0/16"))]) {
      const e = await errorOf<Error>(call());
      expect(e?.message).toContain(`${journalOf(file)} is damaged at line ${all.length - 1}`);
      expect(e?.message).toContain(`endpoint entry "${key}" has ID "11111111-2222-4333-8444-555555555555"`);
      expect(e?.message).toMatch(/delete the journal/);
    }
    expect([readFileSync(file), readFileSync(journalOf(file))]).toEqual(bytes);
  });

  test("a record changing an unknown field, or a field to a wrong type, is damage too", async () => {
    const { file } = await hostWithNetwork();
    appendFileSync(journalOf(file), `${JSON.stringify({ fields: { bootCount: "two" } })}\n`);
    await expect(new HnsEmulator(file).version()).rejects.toThrow(/damaged at line \d+: bootCount: /);
    const other = (await hostWithNetwork()).file;
    appendFileSync(journalOf(other), `${JSON.stringify({ fields: { extra: 1 } })}\n`);
    await expect(new HnsEmulator(other).version()).rejects.toThrow(/damaged at line \d+: .*extra/);
  });
});

describe("compaction", () => {
  const store = (file: string, limit: number) => new StateStore(file, () => newHostState({ version: { Major: 15, Minor: 4 } }), parseState, EMULATOR_LAYOUT, limit);

  test("once the journal outgrows the state file (and the limit), the state file is rewritten whole and the journal starts again", async () => {
    const { file, net } = await hostWithNetwork();
    const small = store(file, 2_000);
    let rewrites = 0;
    let ino = statSync(file).ino;
    for (let i = 0; i < 30; i++) {
      await small.transaction((tx) => {
        tx.state.objects.endpoint[`e${i}`] = { ID: `E${i}`, Name: `e${i}`, HostComputeNetwork: net };
      });
      if (statSync(file).ino !== ino) {
        rewrites++;
        ino = statSync(file).ino;
        expect(lines(file)).toHaveLength(2); // the header, then nothing
      }
      expect(statSync(journalOf(file)).size).toBeLessThanOrEqual(Math.max(2_000, statSync(file).size));
    }
    expect(rewrites).toBeGreaterThan(0);
    const state = JSON.parse(readFileSync(file, "utf8"));
    const inFile = Object.keys(state.objects.endpoint).length;
    expect(inFile).toBeGreaterThan(0);
    expect(inFile).toBeLessThanOrEqual(30); // the rest are in the journal
    expect(await names(new HnsEmulator(file))).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`).sort());
  });

  test("compact() writes everything into the state file; the journal is left empty", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "a", HostComputeNetwork: net });
    await hns.compact();
    expect(lines(file)).toHaveLength(2);
    const state = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.values(state.objects.endpoint).map((e) => (e as { Name: string }).Name)).toEqual(["a"]);
    expect(state.journalId).toBe(JSON.parse(lines(file)[0]).journalId);
  });

  test("a journal left from before the last rewrite (a crash between the two renames) is ignored, not replayed", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "gone", HostComputeNetwork: net });
    const old = readFileSync(journalOf(file)); // it says: create "gone"
    await hns.delete("endpoint", (await hns.list("endpoint"))[0].ID!);
    await hns.compact();
    writeFileSync(journalOf(file), old); // as if the process died before the new journal was in place
    const fresh = new HnsEmulator(file);
    expect(await names(fresh)).toEqual([]);
    // The next write starts a journal for the current state file.
    await fresh.create("endpoint", { Name: "new", HostComputeNetwork: net });
    expect(JSON.parse(lines(file)[0]).journalId).toBe(JSON.parse(readFileSync(file, "utf8")).journalId);
    expect(await names(new HnsEmulator(file))).toEqual(["new"]);
  });

  test("a state file from before the journal (no journalId) loads, and its first write rewrites it with one", async () => {
    const file = newFile();
    const state = await newHostState({ version: { Major: 15, Minor: 4 } });
    writeFileSync(file, JSON.stringify(state));
    const hns = new HnsEmulator(file);
    expect(await hns.list("namespace")).toHaveLength(1);
    expect(JSON.parse(readFileSync(file, "utf8")).journalId).toBeUndefined(); // a read writes nothing
    await hns.create("network", bridge("n", "10.0.0.0/16"));
    expect(JSON.parse(readFileSync(file, "utf8")).journalId).toEqual(expect.any(String));
    expect((await new HnsEmulator(file).list("network")).map((x) => x.Name)).toEqual(["n"]);
  });
});

describe("several clients of one host", () => {
  test("records another client appended are read in; so is a state file it rewrote", async () => {
    const { file, hns: a, net } = await hostWithNetwork();
    const b = new HnsEmulator(file);
    await b.create("endpoint", { Name: "from-b", HostComputeNetwork: net });
    expect(await names(a)).toEqual(["from-b"]);
    const mine = await a.create("endpoint", { Name: "from-a", HostComputeNetwork: net });
    // a's address allocation saw b's endpoint (the index follows what was read in).
    expect(new Set((await b.list("endpoint")).map((e) => e.IpConfigurations![0].IpAddress)).size).toBe(2);
    await b.compact();
    await b.delete("endpoint", mine.ID!);
    expect(await names(a)).toEqual(["from-b"]);
  });

  test("a state file replaced by hand is read again, journal and all", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "a", HostComputeNetwork: net });
    await hns.compact();
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.adapters = ["Ethernet", "Wi-Fi"];
    writeFileSync(file, JSON.stringify(state, null, 2));
    expect((await hns.snapshot()).adapters).toEqual(["Ethernet", "Wi-Fi"]);
    expect(await names(hns)).toEqual(["a"]);
  });

  test("a refused call leaves memory, index and files as they were", async () => {
    const { file, hns, net } = await hostWithNetwork();
    const first = await hns.create("endpoint", { Name: "a", HostComputeNetwork: net, Policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }] });
    // Every file of the host, byte for byte: refused calls write nothing (their count included).
    const dir = path.dirname(file);
    const files = () => Object.fromEntries(readdirSync(dir).filter((f) => f.startsWith(path.basename(file))).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
    const before = files();
    await rejectsWith(
      hns.create("endpoint", { Name: "clash", HostComputeNetwork: net, Policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }] }),
      "HCN_E_PORT_ALREADY_EXISTS",
    );
    await expect(hns.modify("endpoint", first.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [{ Type: "ACL", Settings: { Action: "Nope" } }] } })).rejects.toThrow();
    expect(await names(hns)).toEqual(["a"]);
    expect(files()).toEqual(before);
    // The next address is the one after "a", in this client and in a fresh one.
    const next = await hns.create("endpoint", { Name: "b", HostComputeNetwork: net });
    expect(next.IpConfigurations![0].IpAddress).not.toBe(first.IpConfigurations![0].IpAddress);
    const fresh = new HnsEmulator(file);
    expect((await fresh.get("endpoint", first.ID!))?.Policies).toEqual(first.Policies);
    // Calls that succeeded: the network, "a" and "b".
    expect((await fresh.snapshot()).calls).toEqual({ create: 3 });
  });

  test("atomic() puts back what a failing step changed (documents and other fields), keeps what came before it", async () => {
    const { file, hns, net } = await hostWithNetwork();
    const ep = await hns.create("endpoint", { Name: "a", HostComputeNetwork: net });
    const store = new StateStore(file, () => newHostState({ version: { Major: 15, Minor: 4 } }), parseState, EMULATOR_LAYOUT);
    const key = ep.ID!.toLowerCase();
    await expect(
      store.transaction((tx) => {
        tx.state.bootCount = 7; // before the step: kept
        tx.atomic(() => {
          tx.state.objects.endpoint[key].Name = "renamed";
          delete tx.state.objects.network[net.toLowerCase()];
          tx.state.objects.route["r"] = { ID: "R" };
          tx.state.macBlock = 99;
          throw new Error("refused");
        });
      }),
    ).rejects.toThrow("refused");
    for (const reader of [store, new StateStore(file, () => newHostState({ version: { Major: 15, Minor: 4 } }), parseState, EMULATOR_LAYOUT)]) {
      const s = await reader.read((x) => structuredClone(x));
      expect(s.objects.endpoint[key].Name).toBe("a");
      expect(Object.keys(s.objects.network)).toEqual([net.toLowerCase()]);
      expect(s.objects.route).toEqual({});
      expect([s.bootCount, s.macBlock]).toEqual([7, 1]);
    }
  });

  test("two processes creating endpoints on one host at once lose nothing", async () => {
    const { file, hns, net } = await hostWithNetwork();
    await hns.create("endpoint", { Name: "before", HostComputeNetwork: net });
    const run = promisify(execFile);
    const script = path.join(__dirname, "helpers", "writer-process.ts");
    const [p, q] = await Promise.all(
      ["p", "q"].map((prefix) => run(process.execPath, ["-r", "ts-node/register/transpile-only", script, file, net, "25", prefix], { cwd: path.resolve(__dirname, "../../../..") })),
    );
    const ids = [...JSON.parse(p.stdout), ...JSON.parse(q.stdout)];
    expect(new Set(ids).size).toBe(50);
    // This client cached the host before the others wrote: it reads their records in.
    for (const reader of [hns, new HnsEmulator(file)]) {
      const eps = await reader.list("endpoint");
      expect(eps).toHaveLength(51);
      expect(new Set(eps.map((e) => e.IpConfigurations![0].IpAddress)).size).toBe(51);
      expect(new Set(eps.map((e) => e.MacAddress)).size).toBe(51);
      expect((await reader.snapshot()).calls.create).toBe(52);
    }
  }, 60_000);

  // A process keeps the lock between its own queued calls (bounded), so each sends its burst
  // under few lock takings; the other process must still get its turn, and nothing is lost.
  test("two processes sending bursts of parallel creates both finish, lose nothing, and leave no lock behind", async () => {
    const { file, hns, net } = await hostWithNetwork();
    const run = promisify(execFile);
    const script = path.join(__dirname, "helpers", "writer-process.ts");
    const [p, q] = await Promise.all(
      ["p", "q"].map((prefix) => run(process.execPath, ["-r", "ts-node/register/transpile-only", script, file, net, "150", prefix, "parallel"], { cwd: path.resolve(__dirname, "../../../..") })),
    );
    const ids = [...JSON.parse(p.stdout), ...JSON.parse(q.stdout)];
    expect(new Set(ids).size).toBe(300);
    const eps = await new HnsEmulator(file).list("endpoint");
    expect(new Set(eps.map((e) => e.IpConfigurations![0].IpAddress)).size).toBe(300);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect((await hns.snapshot()).calls.create).toBe(301);
  }, 60_000);

  // Another process waiting for the lock leaves a marker; the holder gives way at its bounds.
  // Addresses are handed out lowest-free in call order, so the order of the addresses is the
  // order of the calls: few of the burst's calls may land between two of the waiter's.
  test("a process calling one at a time gets its turn while another sends bursts", async () => {
    const { file, net } = await hostWithNetwork();
    const run = promisify(execFile);
    const script = path.join(__dirname, "helpers", "writer-process.ts");
    const start = (args: string[]) => run(process.execPath, ["-r", "ts-node/register/transpile-only", script, file, net, ...args], { cwd: path.resolve(__dirname, "../../../..") });
    await Promise.all([start(["3000", "a", "parallel"]), start(["6", "b", "after-lock"])]);
    const eps = await new HnsEmulator(file).list("endpoint");
    const byAddress = [...eps].sort((x, y) => ipOrder(x.IpConfigurations![0].IpAddress!) - ipOrder(y.IpConfigurations![0].IpAddress!));
    const waiterAt = byAddress.flatMap((e, i) => (e.Name!.startsWith("b") ? [i] : []));
    expect(waiterAt).toHaveLength(6);
    const between = waiterAt.slice(1).map((at, k) => at - waiterAt[k] - 1);
    // At most two hold windows (64 calls each) of the burst between two of the waiter's calls;
    // without giving way, thousands.
    for (const n of between) expect(n).toBeLessThanOrEqual(2 * 64 + 8);
    // And the waiter was done while the burst still ran (without giving way it came after).
    expect(byAddress.length - 1 - waiterAt[5]).toBeGreaterThan(100);
  }, 120_000);

  test("two clients of one file in one process, called at once, share the held lock without waiting on each other", async () => {
    const { file, hns, net } = await hostWithNetwork();
    const other = new HnsEmulator(file);
    const made = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? hns : other).create("endpoint", { Name: `e${i}`, HostComputeNetwork: net })));
    expect(new Set(made.map((e) => e.ID)).size).toBe(100);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(await other.list("endpoint")).toHaveLength(100);
  }, 60_000);
});
