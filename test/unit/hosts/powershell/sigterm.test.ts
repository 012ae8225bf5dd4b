/**
 * A provider ends promptly on SIGTERM in every state of its PowerShell sessions (issue 22,
 * finding 9): before any session, with a session open and idle, while one is half-open (ssh
 * with a key file or a private key, WinRM), and in the middle of a call; and the shell it
 * started does not outlive it. "Promptly" is left to jest's timeout: no clock is read here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { hostKeyFor, PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";
import { until } from "../../../helpers/fixtures";

jest.setTimeout(60_000);
const tmp = tempDir("hns-sigterm-");
const TMPDIR = path.join(tmp.dir, "tmp");
mkdirSync(TMPDIR);
const CHILD = path.join(__dirname, "open-session-child.js");
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nsigterm\n-----END OPENSSH PRIVATE KEY-----";
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  tmp.cleanup();
});

let n = 0;
function double() {
  const dbl = new PwshDouble(path.join(tmp.dir, `double-${++n}`));
  const keyFile = path.join(tmp.dir, `key-${n}`);
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  dbl.acceptCredentials({ "w1.example": { user: "admin", privateKey: KEY }, "w2.example": { user: "admin", password: "pw" } });
  return { dbl, keyFile };
}

function start(host: object) {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(host)], { env: { ...process.env, TMPDIR }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => out };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

type State = [name: string, host: (d: ReturnType<typeof double>) => object, setup: (d: ReturnType<typeof double>) => void, reached: (d: ReturnType<typeof double>, out: string) => boolean];

const STATES: State[] = [
  ["a session open and idle", (d) => ({ kind: "local", name: "l1", executable: d.dbl.executable }), () => undefined, (_d, out) => out.includes("opened")],
  [
    "half-open ssh, key file",
    (d) => ({ kind: "ssh", name: "w1", address: "w1.example", user: "admin", keyFile: d.keyFile, hostKeys: [hostKeyFor("w1.example")], executable: d.dbl.executable }),
    (d) => d.dbl.inject({ mode: "hang", op: "open" }),
    (d) => d.dbl.events().some((e) => e.event === "keyfile"),
  ],
  [
    "half-open ssh, private key (a key directory to remove)",
    (d) => ({ kind: "ssh", name: "w1", address: "w1.example", user: "admin", privateKey: KEY, hostKeys: [hostKeyFor("w1.example")], executable: d.dbl.executable }),
    (d) => d.dbl.inject({ mode: "hang", op: "open" }),
    (d) => d.dbl.events().some((e) => e.event === "keyfile"),
  ],
  [
    "in the middle of a call",
    (d) => ({ kind: "local", name: "l1", executable: d.dbl.executable }),
    (d) => d.dbl.inject({ mode: "hang", op: "version" }),
    (d) => d.dbl.events().some((e) => e.event === "call"),
  ],
];

test.each(STATES)("SIGTERM %s: the provider dies of it, and its shell is gone too", async (_name, host, setup, reached) => {
  const d = double();
  setup(d);
  const run = start(host(d));
  await until(() => reached(d, run.output()));
  const shells = d.dbl.events().filter((e) => e.event === "spawn").map((e) => e.pid);
  expect(shells.length).toBeGreaterThan(0);
  run.child.kill("SIGTERM");
  expect(await run.exited).toEqual({ code: null, signal: "SIGTERM" });
  await until(() => shells.every((pid) => !alive(pid)));
});

test("negative control: a process that ignores SIGTERM is seen as still running", async () => {
  const stubborn = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => process.stdout.write('ignored\\n')); setInterval(() => undefined, 1000); process.stdout.write('ready\\n')"], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(stubborn);
  let out = "";
  stubborn.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  await until(() => out.includes("ready"));
  stubborn.kill("SIGTERM");
  await until(() => out.includes("ignored"));
  expect(alive(stubborn.pid!)).toBe(true);
  stubborn.kill("SIGKILL");
});
