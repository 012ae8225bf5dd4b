// A private key written for an ssh session never outlives the provider process: removed on
// SIGTERM, SIGINT and normal exit; after SIGKILL, by the next provider process that starts.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { hostKeyFor, PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";
import { until } from "../../../helpers/fixtures";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

const tmp = tempDir("hns-keylife-");
const dbl = new PwshDouble(path.join(tmp.dir, "double"));
// The children's os.tmpdir(): the sweep looks there, and nothing else on the machine is touched.
const TMPDIR = path.join(tmp.dir, "tmp");
mkdirSync(TMPDIR);
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-lifetime\n-----END OPENSSH PRIVATE KEY-----";
dbl.acceptCredentials({ "w6.example": { user: "admin", privateKey: KEY } });
const SSH = { kind: "ssh", name: "w6", address: "w6.example", user: "admin", privateKey: KEY, hostKeys: [hostKeyFor("w6.example")], executable: dbl.executable };
const CHILD = path.join(__dirname, "open-session-child.js");
const LOAD_CHILD = path.join(__dirname, "provider-load-child.js");

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  tmp.cleanup();
});

function start(host: object, ...extra: string[]) {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(host), ...extra], { env: { ...process.env, TMPDIR }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => out };
}

const keyDirs = () => readdirSync(TMPDIR).filter((n) => n.startsWith("pulumi-hns-"));

/** Starts a child whose ssh session hangs right after the double read the key file; resolves once the file is there. */
async function childHoldingAKey() {
  dbl.inject({ mode: "hang", op: "open" });
  const run = start(SSH);
  await until(() => dbl.events().some((e) => e.event === "keyfile" && String(e.file).includes(`pulumi-hns-${run.child.pid}-`)));
  const file = String(dbl.events().find((e) => e.event === "keyfile" && String(e.file).includes(`pulumi-hns-${run.child.pid}-`))!.file);
  expect(existsSync(file)).toBe(true);
  return { ...run, file };
}

test.each(["SIGTERM", "SIGINT"] as const)("%s: the key directory is gone, and the process still dies of the signal", async (signal) => {
  const run = await childHoldingAKey();
  run.child.kill(signal);
  expect(await run.exited).toEqual({ code: null, signal });
  expect(existsSync(run.file)).toBe(false);
  expect(existsSync(path.dirname(run.file))).toBe(false);
});

test("normal exit while the session opens: the key directory is gone", async () => {
  dbl.inject({ mode: "hang", op: "open" });
  const run = start(SSH, "exit-when-key-written");
  expect(await run.exited).toEqual({ code: 0, signal: null });
  expect(keyDirs().filter((d) => d.startsWith(`pulumi-hns-${run.child.pid}-`))).toEqual([]);
});

test("SIGKILL leaves the directory; the next provider process to open a session removes it", async () => {
  const run = await childHoldingAKey();
  run.child.kill("SIGKILL");
  expect(await run.exited).toEqual({ code: null, signal: "SIGKILL" });
  expect(existsSync(run.file)).toBe(true); // nothing can run on SIGKILL

  const next = start({ kind: "local", name: "w7", executable: dbl.executable });
  await until(() => next.output().includes("opened") || next.output().includes("failed"));
  expect(next.output()).toContain("opened");
  expect(existsSync(path.dirname(run.file))).toBe(false);
  next.child.kill("SIGTERM");
  await next.exited;
  expect(keyDirs()).toEqual([]);
});

test("SIGKILL leaves the directory; the next provider process to start removes it, even one that opens no session", async () => {
  const run = await childHoldingAKey();
  run.child.kill("SIGKILL");
  await run.exited;
  expect(existsSync(run.file)).toBe(true);

  const next = spawn(process.execPath, [LOAD_CHILD], { env: { ...process.env, TMPDIR }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(next);
  let out = "";
  next.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => next.on("exit", resolve));
  expect(out).toContain("loaded");
  expect(existsSync(path.dirname(run.file))).toBe(false);
});
