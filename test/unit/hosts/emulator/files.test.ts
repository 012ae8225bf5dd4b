/**
 * What the emulator trusts in its state directory (issue 22): nothing it did not write itself.
 * A directory that is a link, or that other users can write (unless sticky and the user's
 * own), is refused with the fix; no file is opened through a link; an error never quotes what
 * a file holds; every stored document is checked with its HCN schema when loaded, and a bad one
 * is refused naming file, table and key with both files left byte for byte; "__proto__" is an
 * ordinary key. Each refusal has its negative control (the same call succeeds, or the old way
 * would have done the harm).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { leaveMarker } from "../../../../provider/hosts/emulator/host-lock";
import { initialState, parseState } from "../../../../provider/hosts/emulator/state";
import { tempDir } from "../../../helpers/tmp";
import { errorOf } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
let n = 0;
const fresh = (name: string) => {
  const dir = path.join(tmp.dir, `${name}-${++n}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
};
const NAT = { Name: "web", Type: "NAT" } as const;

describe("the state directory", () => {
  test("one other users can write is refused, with the fix, and nothing is written in it", async () => {
    const dir = fresh("open");
    fs.chmodSync(dir, 0o777);
    const e = await errorOf<Error>(new HnsEmulator(path.join(dir, "h.json")).create("network", NAT));
    expect(e?.message).toBe(`emulator state directory ${dir} can be written by other users (mode 777): run \`chmod 700 ${dir}\`, or give a stateDir of your own (the default, .hns-emulator in the project directory, is made 0700)`);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.chmodSync(dir, 0o775); // group-writable: the same
    expect((await errorOf<Error>(new HnsEmulator(path.join(dir, "h.json")).version()))?.message).toContain("can be written by other users (mode 775)");
    // Negative control: after the fix, the same call works.
    fs.chmodSync(dir, 0o700);
    expect((await new HnsEmulator(path.join(dir, "h.json")).create("network", NAT)).Name).toBe("web");
  });

  test("a sticky one of the user's own is accepted (others cannot replace what is not theirs)", async () => {
    const dir = fresh("sticky");
    fs.chmodSync(dir, 0o1777);
    expect((await new HnsEmulator(path.join(dir, "h.json")).create("network", NAT)).Name).toBe("web");
  });

  test("one that is a symbolic link is refused, and nothing is written where it points", async () => {
    const target = fresh("target");
    const link = path.join(tmp.dir, `link-${++n}`);
    fs.symlinkSync(target, link);
    const e = await errorOf<Error>(new HnsEmulator(path.join(link, "h.json")).create("network", NAT));
    expect(e?.message).toBe(`emulator state directory ${link} is a symbolic link: give the directory it points to as stateDir (or $PULUMI_HNS_EMULATOR_DIR) instead`);
    expect(fs.readdirSync(target)).toEqual([]);
    // Negative control: the directory itself works.
    expect((await new HnsEmulator(path.join(target, "h.json")).create("network", NAT)).Name).toBe("web");
  });
});

describe("files in it", () => {
  test("a state file that is a link is refused without quoting what it points to; the target is untouched", async () => {
    const dir = fresh("file-link");
    const secret = path.join(tmp.dir, `secret-${++n}.txt`);
    fs.writeFileSync(secret, "SECRET-TOKEN-1234567890");
    fs.symlinkSync(secret, path.join(dir, "h.json"));
    for (const call of [(h: HnsEmulator) => h.version(), (h: HnsEmulator) => h.create("network", NAT), (h: HnsEmulator) => h.snapshot()]) {
      const e = await errorOf<Error>(call(new HnsEmulator(path.join(dir, "h.json"))));
      expect(e?.message).toBe(`emulator state file ${path.join(dir, "h.json")} is a symbolic link: the emulator does not follow links in its state directory; replace the link with the file itself (or remove it)`);
      expect(e?.message).not.toContain("SECRET");
    }
    expect(fs.readFileSync(secret, "utf8")).toBe("SECRET-TOKEN-1234567890");
  });

  test("a state file that is not JSON is named with a byte offset, never its text", async () => {
    const dir = fresh("not-json");
    fs.writeFileSync(path.join(dir, "h.json"), "SECRET-TOKEN-1234567890", { mode: 0o600 });
    const e = await errorOf<Error>(new HnsEmulator(path.join(dir, "h.json")).version());
    expect(e?.message).toMatch(/^emulator state file .*h\.json is not valid JSON( \(at byte \d+\))?; restore it or delete it to start empty$/);
    expect(e?.message).not.toContain("SECRET");
  });

  test("the lock-wait marker is made only as a new file: a link planted at its name is removed, never written through", async () => {
    const dir = fresh("marker");
    const victim = path.join(tmp.dir, `victim-${++n}.txt`);
    fs.writeFileSync(victim, "keep me");
    const want = path.join(dir, `h.json.want-${process.pid}`);
    fs.symlinkSync(victim, want);
    expect(await leaveMarker(want)).toBe(want);
    expect(fs.readFileSync(victim, "utf8")).toBe("keep me");
    expect(fs.lstatSync(want).isFile()).toBe(true);
    expect(fs.statSync(want).mode & 0o777).toBe(0o600);
    // Negative control: the old plain write would have truncated the victim through the link.
    fs.rmSync(want);
    fs.symlinkSync(victim, want);
    fs.writeFileSync(want, "");
    expect(fs.readFileSync(victim, "utf8")).toBe("");
  });

  test("a journal that is a link is refused, the file it points to untouched", async () => {
    const dir = fresh("journal-link");
    const file = path.join(dir, "h.json");
    await new HnsEmulator(file).create("network", NAT);
    const victim = path.join(tmp.dir, `victim-${++n}.txt`);
    fs.writeFileSync(victim, fs.readFileSync(`${file}.journal`));
    fs.rmSync(`${file}.journal`);
    fs.symlinkSync(victim, `${file}.journal`);
    const before = fs.readFileSync(victim);
    const e = await errorOf<Error>(new HnsEmulator(file).create("network", { Name: "two", Type: "NAT" }));
    expect(e?.message).toContain(`emulator journal ${file}.journal is a symbolic link`);
    expect(fs.readFileSync(victim).equals(before)).toBe(true);
  });
});

/** A host with a network, an endpoint and a namespace, folded into its state file; then `damage` edits one document in the file. */
async function damagedFile(table: "network" | "endpoint" | "namespace", damage: (doc: Record<string, unknown>) => void) {
  const dir = fresh("typed");
  const file = path.join(dir, "h.json");
  const hns = new HnsEmulator(file);
  const net = await hns.create("network", { ...NAT, Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.20.0.0/24" }] }] });
  await hns.create("endpoint", { Name: "ep", HostComputeNetwork: net.ID });
  await hns.create("namespace", { Name: "ns" });
  await hns.compact();
  const state = JSON.parse(fs.readFileSync(file, "utf8"));
  const key = Object.keys(state.objects[table]).find((k) => state.objects[table][k].Name !== undefined || table !== "namespace")!;
  damage(state.objects[table][key]);
  fs.writeFileSync(file, JSON.stringify(state));
  const bytes = () => [fs.readFileSync(file), fs.existsSync(`${file}.journal`) ? fs.readFileSync(`${file}.journal`) : undefined];
  return { file, key, before: bytes(), bytes };
}

const TYPED: [string, "network" | "endpoint" | "namespace", (d: Record<string, unknown>) => void, string][] = [
  ["an endpoint whose IpConfigurations is a string", "endpoint", (d) => void (d.IpConfigurations = "x"), "IpConfigurations is not a list"],
  ["an endpoint whose MacAddress is an object", "endpoint", (d) => void (d.MacAddress = { a: 1 }), "MacAddress is not a string"],
  ["a network whose Ipams is a string", "network", (d) => void (d.Ipams = "10.0.0.0/8"), "Ipams is not a list"],
  ["a network whose Name is a number", "network", (d) => void (d.Name = 7), "Name is not a string"],
  ["a namespace whose Resources is not a list", "namespace", (d) => void (d.Resources = { x: 1 }), "Resources is not a list"],
];

describe.each(TYPED)("%s", (_what, table, damage, reason) => {
  test("is refused on load naming file, table, key and field; both files stay byte for byte; nothing is appended", async () => {
    const { file, key, before, bytes } = await damagedFile(table, damage);
    const hns = new HnsEmulator(file);
    for (const call of [() => hns.list(table), () => hns.create("network", { Name: "another", Type: "NAT" }), () => hns.version(), () => hns.delete(table, key)]) {
      const e = await errorOf<Error>(call());
      expect(e).toBeInstanceOf(Error);
      expect(e!.constructor).not.toBe(TypeError);
      expect(e!.message).toContain(`emulator state file ${file} is damaged: ${table} entry "${key}": ${reason} for an HCN ${table}`);
      expect(bytes()).toEqual(before);
    }
  });
});

test("negative control: the same edit with a value of the right type loads", async () => {
  const { file } = await damagedFile("endpoint", (d) => void (d.MacAddress = "00-15-5D-00-00-01"));
  expect((await new HnsEmulator(file).list("endpoint")).map((e) => e.MacAddress)).toEqual(["00-15-5D-00-00-01"]);
});

test("a journal record carrying a wrong-typed document is refused naming journal, line, table and key; nothing is written", async () => {
  const dir = fresh("typed-journal");
  const file = path.join(dir, "h.json");
  const hns = new HnsEmulator(file);
  const net = await hns.create("network", NAT);
  const key = net.ID!.toLowerCase();
  fs.appendFileSync(`${file}.journal`, `${JSON.stringify({ set: [["network", key, { ...net, Ipams: "x" }]] })}\n`);
  const before = [fs.readFileSync(file), fs.readFileSync(`${file}.journal`)];
  const e = await errorOf<Error>(new HnsEmulator(file).create("network", { Name: "b", Type: "NAT" }));
  expect(e?.message).toContain(`is damaged at line 2: network entry "${key}": Ipams is not a list for an HCN network`);
  expect([fs.readFileSync(file), fs.readFileSync(`${file}.journal`)]).toEqual(before);
});

test('"__proto__" is an ordinary key: an entry filed under it is listed (not dropped) on load, and kept by the next compaction', async () => {
  const dir = fresh("proto");
  const file = path.join(dir, "h.json");
  const hns = new HnsEmulator(file);
  await hns.create("network", NAT);
  await hns.compact();
  // Written as text: JSON.parse keeps "__proto__" as an own key, as the emulator must.
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"network":{', '"network":{"__proto__":{"ID":"__proto__","Name":"odd"},'));
  const other = new HnsEmulator(file);
  expect((await other.list("network")).map((x) => x.Name).sort()).toEqual(["odd", "web"]);
  await other.create("network", { Name: "two", Type: "NAT" });
  await other.compact();
  expect(Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).objects.network)).toContain("__proto__");
  expect((await new HnsEmulator(file).list("network")).map((x) => x.Name).sort()).toEqual(["odd", "two", "web"]);
});

test("negative control: on a plain object the same key is lost, which the test above would see", () => {
  const plain: Record<string, unknown> = {};
  plain["__proto__"] = { ID: "__proto__" };
  expect(Object.keys(plain)).toEqual([]);
});

test("the tables a state file is loaded into are null-prototype objects", () => {
  const raw = JSON.parse(JSON.stringify(initialState({ Major: 15, Minor: 4 })));
  for (const table of Object.values(parseState(raw, "f").objects)) expect(Object.getPrototypeOf(table)).toBeNull();
  for (const table of Object.values(initialState({ Major: 15, Minor: 4 }).objects)) expect(Object.getPrototypeOf(table)).toBeNull();
});
