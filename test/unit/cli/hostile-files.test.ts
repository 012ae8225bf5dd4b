/**
 * What a second attack round on issue 22 found, each with a control: files in an emulated host's
 * place that are not regular files or are links, a state directory of another user, a lock file
 * handed over as a link, a nested export, and `hns-plan host` reporting the user's problems as
 * bugs. Each must be refused at once, exit 2, naming the file and the fix, quoting nothing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT } from "../../../provider/cli/commands/command";
import { run } from "../../../provider/cli/run";
import type { Terminal } from "../../../provider/cli/terminal";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import { readLock } from "../../../provider/topology-files";
import { readStackExport } from "../../../provider/cli/doctor/state";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir("hns-hostile-files-");
afterAll(tmp.cleanup);

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = { out: (t) => void out.push(t), err: (t) => void err.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
  const code = await run(args, term);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A state directory of its own, 0700, holding one emulated host "h1" with a network. */
async function hostDir(name: string): Promise<string> {
  const dir = path.join(tmp.dir, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  await new HnsEmulator(path.join(dir, "h1.json")).create("network", { Name: "n", Type: "NAT" });
  return dir;
}

test.each([
  ["a FIFO at the state file", (f: string) => execFileSync("mkfifo", ["-m", "600", f])],
  ["a directory at the state file", (f: string) => fs.mkdirSync(f)],
])("%s: refused unread, exit 2, not an internal error", async (_what, plant) => {
  const dir = path.join(tmp.dir, `plant-${_what.replace(/\W+/g, "-")}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  plant(path.join(dir, "h1.json"));
  const r = await cli("host", "list", "--emulator", "h1", "--dir", dir);
  expect(r.code).toBe(EXIT.usage);
  expect(r.err).toMatch(/is not a regular file .*remove it/);
  expect(r.err).not.toMatch(/internal error/);
});

test("a FIFO at the journal is refused too; control: the same host with its journal reads", async () => {
  const dir = await hostDir("fifo-journal");
  expect((await cli("host", "list", "--emulator", "h1", "--dir", dir)).code).toBe(EXIT.ok);
  fs.rmSync(path.join(dir, "h1.json.journal"), { force: true });
  execFileSync("mkfifo", ["-m", "600", path.join(dir, "h1.json.journal")]);
  const r = await cli("host", "list", "--emulator", "h1", "--dir", dir);
  expect([r.code, r.err]).toEqual([EXIT.usage, expect.stringMatching(/journal .* is not a regular file/)]);
});

test("a link planted at the lock's name is refused at once, naming it; the target is untouched", async () => {
  const dir = await hostDir("lock-link");
  const target = path.join(tmp.dir, "lock-target");
  fs.mkdirSync(target);
  fs.symlinkSync(target, path.join(dir, "h1.json.lock"));
  const r = await cli("host", "list", "--emulator", "h1", "--dir", dir);
  expect([r.code, r.err]).toEqual([EXIT.usage, expect.stringMatching(/lock .*h1\.json\.lock is a symbolic link.*remove it/)]);
  expect(fs.readdirSync(target)).toEqual([]);
});

test("a state directory of another user is refused (as root: one chowned to nobody); control: one's own is used", async () => {
  const dir = await hostDir("others");
  expect((await cli("host", "list", "--emulator", "h1", "--dir", dir)).code).toBe(EXIT.ok);
  if (process.getuid?.() !== 0) return; // only root can give a directory away here
  fs.chownSync(dir, 65534, 65534);
  const r = await cli("host", "list", "--emulator", "h1", "--dir", dir);
  expect([r.code, r.err]).toEqual([EXIT.usage, expect.stringMatching(/belongs to another user \(uid 65534\)/)]);
});

test("a lock file that is a link is not read or quoted; a lock that is not JSON is not quoted", () => {
  const victim = path.join(tmp.dir, "victim");
  fs.writeFileSync(victim, "VICTIM-SECRET-TEXT");
  const link = path.join(tmp.dir, "hns.lock.json");
  fs.symlinkSync(victim, link);
  expect(() => readLock(link)).toThrow(/is a symbolic link/);
  const plain = path.join(tmp.dir, "plain.lock.json");
  fs.writeFileSync(plain, "VICTIM-SECRET-TEXT");
  let message = "";
  try {
    readLock(plain);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/not JSON/);
  expect(message).not.toContain("VICTIM");
});

test("an export nested past any Pulumi export is an input error, not a stack overflow; its text is not quoted when it is no JSON", () => {
  const deep = `{"version":3,"deployment":{"resources":[{"urn":"x","type":"t","inputs":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}]}}`;
  const owner = { project: "p", stack: "a" } as Parameters<typeof readStackExport>[2];
  expect(() => readStackExport(deep, "e.json", owner)).toThrow(/nested more than 256 levels deep/);
  expect(() => readStackExport('{"password":Hunter2-PL}', "e.json", owner)).toThrow(/e.json is not JSON/);
  expect(() => readStackExport('{"password":Hunter2-PL}', "e.json", owner)).not.toThrow(/Hunter2/);
});
