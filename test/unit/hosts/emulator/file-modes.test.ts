/**
 * The emulator's files are its owner's alone: the state file, its temporary files and its
 * lock are 0600 (the lock is a directory, so 0700), and a state directory the emulator
 * creates is 0700. A directory the user made is left as it is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { StateStore } from "../../../../provider/hosts/emulator/store";
import { tempDir } from "../../../helpers/tmp";

const tmp = tempDir();
afterAll(tmp.cleanup);
afterEach(() => jest.restoreAllMocks());

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

test("a state directory the emulator creates is 0700, the state file 0600, with nested directories", async () => {
  const dir = path.join(tmp.dir, "made", "by", "emulator");
  const file = path.join(dir, "h.json");
  await new HnsEmulator(file).create("network", { Name: "n", Type: "NAT" });
  expect(modeOf(path.join(tmp.dir, "made"))).toBe(0o700);
  expect(modeOf(dir)).toBe(0o700);
  expect(modeOf(file)).toBe(0o600);
});

test("a directory the user made keeps its mode", async () => {
  const dir = path.join(tmp.dir, "user");
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  await new HnsEmulator(path.join(dir, "h.json")).version();
  expect(modeOf(dir)).toBe(0o755);
  expect(modeOf(path.join(dir, "h.json"))).toBe(0o600);
});

test("a state file left world-readable by an older version is 0600 after the next write", async () => {
  const file = path.join(tmp.dir, "old.json");
  await new HnsEmulator(file).version();
  fs.chmodSync(file, 0o644);
  await new HnsEmulator(file).create("network", { Name: "n", Type: "NAT" });
  expect(modeOf(file)).toBe(0o600);
});

test("every temporary file is 0600 before it is renamed over the state file or its journal; the journal is 0600", async () => {
  const file = path.join(tmp.dir, "tmp-modes.json");
  const seen: [string, number][] = [];
  const rename = fs.promises.rename.bind(fs.promises);
  jest.spyOn(fs.promises, "rename").mockImplementation(async (from, to) => {
    seen.push([path.basename(String(to)), modeOf(String(from))]);
    return rename(from, to);
  });
  const hns = new HnsEmulator(file);
  await hns.version(); // a new host: the state file and an empty journal
  await hns.create("network", { Name: "n", Type: "NAT" }); // appended to the journal
  await hns.compact(); // both written whole again
  const journal = ["tmp-modes.json", 0o600, "tmp-modes.json.journal", 0o600];
  expect(seen.flat()).toEqual([...journal, ...journal]);
  expect(modeOf(`${file}.journal`)).toBe(0o600);
});

test("the lock held during a transaction is private to its owner", async () => {
  const file = path.join(tmp.dir, "locked.json");
  const store = new StateStore(file, () => ({ n: 0 }), (raw) => raw as { n: number });
  const lockMode = await store.transaction((tx) => {
    tx.dirty = true;
    return modeOf(`${file}.lock`);
  });
  expect(lockMode).toBe(0o700);
  expect(fs.existsSync(`${file}.lock`)).toBe(false);
  // Nothing but the state file is left in the directory (no stray temporary file).
  expect(fs.readdirSync(tmp.dir).filter((f) => f.startsWith("locked"))).toEqual(["locked.json"]);
});
