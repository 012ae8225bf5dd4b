/**
 * No access key in plaintext anywhere on disk (issue 22): after a key is set, changed or
 * removed, by this version (a hash made at creation) or left by an older one in the state file
 * or in a journal record, and with the process "killed" between steps (a fresh emulator
 * instance that has read nothing, files left as a kill between two writes leaves them), every
 * file in the state directory is grepped for the key and its base64 after the next call.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { initialState } from "../../../../provider/hosts/emulator/state";
import { tempDir } from "../../../helpers/tmp";
import { mulberry32 as prng } from "../../../helpers/prng";

// scrypt per key and many whole rewrites: a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);
const tmp = tempDir();
afterAll(tmp.cleanup);

/** Appends a journal record as a writer does: over a torn tail a killed writer left, if any. */
function appendRecord(journal: string, record: object): void {
  const bytes = fs.readFileSync(journal);
  const end = bytes.lastIndexOf(0x0a) + 1;
  fs.writeFileSync(journal, Buffer.concat([bytes.subarray(0, end), Buffer.from(`${JSON.stringify(record)}\n`)]));
}

/** Every file under dir (lock directories included), with its bytes. */
function everyFile(dir: string): [string, Buffer][] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
    const p = path.join(e.parentPath, e.name);
    return [p, fs.readFileSync(p)];
  });
}

function plaintextIn(dir: string, keys: string[]): string[] {
  const found: string[] = [];
  for (const [file, bytes] of everyFile(dir)) {
    for (const key of keys) {
      if ([key, Buffer.from(key).toString("base64")].some((form) => bytes.includes(form))) found.push(`${path.basename(file)}: ${key}`);
    }
  }
  return found;
}

test("a plaintext key in a journaled state file is gone from every file after the first call (not only journaled as a hash)", async () => {
  const dir = path.join(tmp.dir, "journaled");
  const file = path.join(dir, "h.json");
  await new HnsEmulator(file).create("network", { Name: "web", Type: "NAT" });
  // An older version's plaintext key in a state file that has a journal continuing it.
  const state = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ ...state, accessKey: "old-plain-key-1" }), { mode: 0o600 });
  expect(plaintextIn(dir, ["old-plain-key-1"])).not.toEqual([]); // negative control: the grep sees it
  await new HnsEmulator(file, { accessKey: "old-plain-key-1" }).version();
  expect(plaintextIn(dir, ["old-plain-key-1"])).toEqual([]);
  expect((await new HnsEmulator(file, { accessKey: "old-plain-key-1" }).list("network")).map((n) => n.Name)).toEqual(["web"]);
});

test("a plaintext key carried by a journal record is gone from every file after the first call", async () => {
  const dir = path.join(tmp.dir, "in-journal");
  const file = path.join(dir, "h.json");
  await new HnsEmulator(file).create("network", { Name: "web", Type: "NAT" });
  fs.appendFileSync(`${file}.journal`, `${JSON.stringify({ fields: { accessKey: "journal-plain-key" } })}\n`);
  await new HnsEmulator(file, { accessKey: "journal-plain-key" }).list("network");
  expect(plaintextIn(dir, ["journal-plain-key"])).toEqual([]);
});

test("killed between writing the state file and the new journal: the stale journal (with the plaintext) goes at the next call, even a read", async () => {
  const dir = path.join(tmp.dir, "killed");
  const file = path.join(dir, "h.json");
  await new HnsEmulator(file).create("network", { Name: "web", Type: "NAT" });
  fs.appendFileSync(`${file}.journal`, `${JSON.stringify({ fields: { accessKey: "killed-plain-key" } })}\n`);
  const oldJournal = fs.readFileSync(`${file}.journal`);
  await new HnsEmulator(file, { accessKey: "killed-plain-key" }).version();
  // What a kill after the state file's rename and before the journal's leaves: the old journal.
  fs.writeFileSync(`${file}.journal`, oldJournal, { mode: 0o600 });
  expect(plaintextIn(dir, ["killed-plain-key"])).not.toEqual([]);
  expect(await new HnsEmulator(file, { accessKey: "killed-plain-key" }).version()).toBeDefined();
  expect(plaintextIn(dir, ["killed-plain-key"])).toEqual([]);
});

const SEED = Number(process.env.HNS_SECRETS_SEED ?? 22);

test(`a seeded random sequence of key changes, calls and kills leaves no key in plaintext (seed ${SEED})`, async () => {
  const random = prng(SEED);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const dir = path.join(tmp.dir, "random");
  const file = path.join(dir, "h.json");
  const keys: string[] = [];
  let key = `set-key-${SEED}-0`;
  keys.push(key);
  let hns = new HnsEmulator(file, { accessKey: key });
  await hns.version();
  let networks = 0;
  const steps: string[] = [];
  for (let i = 1; i <= 60; i++) {
    const step = pick(["create", "delete", "compact", "change-in-file", "change-in-journal", "remove", "kill", "kill-mid-rewrite", "kill-mid-append"]);
    steps.push(step);
    switch (step) {
      case "create":
        await hns.create("network", { Name: `n${i}`, Type: "NAT" });
        networks++;
        break;
      case "delete": {
        const [first] = await hns.list("network");
        if (first) {
          await hns.delete("network", first.ID!);
          networks--;
        }
        break;
      }
      case "compact":
        await hns.compact();
        break;
      case "change-in-file":
      case "change-in-journal": {
        // A key set in plaintext, as an older version (or a hand edit) leaves it.
        key = `changed-key-${SEED}-${i}`;
        keys.push(key);
        if (step === "change-in-file") {
          await hns.compact();
          const state = JSON.parse(fs.readFileSync(file, "utf8"));
          fs.writeFileSync(file, JSON.stringify({ ...state, accessKey: key }), { mode: 0o600 });
        } else {
          await hns.compact(); // a journal continuing the state file, to carry the record
          appendRecord(`${file}.journal`, { fields: { accessKey: key } });
        }
        hns = new HnsEmulator(file, { accessKey: key });
        break;
      }
      case "remove":
        await hns.compact();
        appendRecord(`${file}.journal`, { unset: ["accessKey"] });
        hns = new HnsEmulator(file);
        break;
      case "kill":
        hns = new HnsEmulator(file, { accessKey: key });
        break;
      case "kill-mid-rewrite": {
        // The state file was renamed into place, the new journal was not: the old one stays.
        const old = fs.existsSync(`${file}.journal`) ? fs.readFileSync(`${file}.journal`) : undefined;
        await hns.compact();
        if (old) fs.writeFileSync(`${file}.journal`, old, { mode: 0o600 });
        hns = new HnsEmulator(file, { accessKey: key });
        break;
      }
      case "kill-mid-append":
        // A torn tail: half a record, no newline.
        await hns.compact();
        fs.appendFileSync(`${file}.journal`, '{"set":[["network","x"');
        hns = new HnsEmulator(file, { accessKey: key });
        break;
    }
    // The next call (of whichever process comes next), then the grep.
    await hns.version();
    const found = plaintextIn(dir, keys);
    if (found.length) throw new Error(`plaintext after step ${i} (${steps.join(", ")}): ${found.join("; ")}`);
  }
  expect((await hns.list("network")).length).toBe(networks);
  expect(new Set(steps).size).toBeGreaterThanOrEqual(6); // the sequence reached most kinds of step
});

test("negative control: the grep finds a key written in plaintext (as the previous version stored it)", () => {
  const dir = path.join(tmp.dir, "control");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "h.json"), JSON.stringify({ ...initialState({ Major: 15, Minor: 4 }), accessKey: "visible-key" }));
  expect(plaintextIn(dir, ["visible-key"])).toEqual(["h.json: visible-key"]);
});
