/**
 * A damaged state file is reported, not propagated: every stored document is checked when the
 * file is loaded, the error names the file, the table and the key with a fix, and the file is
 * left exactly as it was (no call, not even a counted one, writes it back).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { HNS_KINDS, type HnsKind } from "../../../../provider/hosts/client";
import { tempDir } from "../../../helpers/tmp";
import { errorOf } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
let n = 0;

/** A host with one object of each kind it can make without a network, then a damage applied to the file. */
async function damaged(table: HnsKind, damage: (entries: Record<string, unknown>) => string) {
  const file = path.join(tmp.dir, `damaged-${++n}.json`);
  const hns = new HnsEmulator(file);
  const net = await hns.create("network", { Name: "web", Type: "NAT" });
  await hns.create("endpoint", { Name: "ep", HostComputeNetwork: net.ID });
  // Fold the journal into the state file, so the documents are there to damage.
  await hns.compact();
  const state = JSON.parse(readFileSync(file, "utf8"));
  const key = damage(state.objects[table]);
  writeFileSync(file, JSON.stringify(state, null, 1));
  return { file, key, bytes: readFileSync(file) };
}

const CASES: [string, HnsKind, (t: Record<string, unknown>) => string, RegExp][] = [
  ["a null entry", "network", (t) => { const k = Object.keys(t)[0]; t[k] = null; return k; }, /is null/],
  ["a non-object entry", "endpoint", (t) => { const k = Object.keys(t)[0]; t[k] = "gone"; return k; }, /is a string, not a document/],
  ["an array entry", "namespace", (t) => { const k = Object.keys(t)[0]; t[k] = []; return k; }, /is an array, not a document/],
  ["a document without an ID", "network", (t) => { const k = Object.keys(t)[0]; delete (t[k] as { ID?: string }).ID; return k; }, /has no ID/],
  [
    "a document filed under another ID",
    "endpoint",
    (t) => { const k = Object.keys(t)[0]; (t[k] as { ID: string }).ID = "11111111-2222-4333-8444-555555555555"; return k; },
    /has ID "11111111-2222-4333-8444-555555555555"/,
  ],
  ["a loadBalancer entry that is a number", "loadBalancer", (t) => { t["abc"] = 42; return "abc"; }, /is a number, not a document/],
  ["a route entry without an ID", "route", (t) => { t["r1"] = { Name: "x" }; return "r1"; }, /has no ID/],
];

describe.each(CASES)("%s", (_what, table, damage, reason) => {
  test("is refused on load with the file, table, key and fix named; the file is left byte for byte", async () => {
    const { file, key, bytes } = await damaged(table, damage);
    const hns = new HnsEmulator(file);
    for (const call of [() => hns.list(table), () => hns.create("network", { Name: "another", Type: "NAT" }), () => hns.version(), () => hns.reboot()]) {
      const e = await errorOf<Error>(call());
      expect(e).toBeInstanceOf(Error);
      expect(e!.constructor).not.toBe(TypeError);
      expect(e!.message).toContain(file);
      expect(e!.message).toContain(`${table} entry "${key}"`);
      expect(e!.message).toMatch(reason);
      expect(e!.message).toMatch(/restore it or delete the entry/);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    }
    // Unlocked reads (inspection) say the same.
    await expect(hns.snapshot()).rejects.toThrow(`${table} entry "${key}"`);
  });
});

test("every table is checked", () => {
  // The cases above reach every kind the emulator stores.
  expect(new Set(CASES.map((c) => c[1]))).toEqual(new Set(HNS_KINDS));
});

test("a healthy file with upper-case IDs filed under their lower-case keys loads", async () => {
  const file = path.join(tmp.dir, "healthy.json");
  const hns = new HnsEmulator(file);
  await hns.create("network", { Name: "up", Type: "NAT", ID: "ABCDEF01-0000-4000-8000-000000000001" });
  expect((await new HnsEmulator(file).list("network")).map((x) => x.ID)).toEqual(["ABCDEF01-0000-4000-8000-000000000001"]);
});

test("several damaged entries are named together, the first few in full", async () => {
  const { file, bytes } = await damaged("network", (t) => {
    Object.assign(t, { a: null, b: 1, c: {}, d: [] });
    return "a";
  });
  const e = await errorOf<Error>(new HnsEmulator(file).list("network"));
  expect(e?.message).toMatch(/network entry "a" is null; network entry "b" is a number, not a document; network entry "c" has no ID; and 1 more; restore it or delete those entries/);
  expect(readFileSync(file).equals(bytes)).toBe(true);
});
