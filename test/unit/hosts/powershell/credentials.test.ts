// Credentials reach the host only as base64 data on the shell's stdin, never its arguments,
// never a file left behind, never an error message or a debug log.
import { existsSync } from "node:fs";
import { PowerShellClient } from "../../../../provider/hosts/powershell";
import type { PowerShellHost } from "../../../../provider/hosts/host";
import { hostKeyFor, PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";
import { rejectsWith } from "../../../helpers/fixtures";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

const tmp = tempDir("hns-creds-");
const dbl = new PwshDouble(tmp.dir);
const PASSWORD = "Pa$$w0rd'; Write-Host pwned #\u00e9";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key-$(whoami)\n-----END OPENSSH PRIVATE KEY-----";
dbl.acceptCredentials({
  "win1.example": { user: "CORP\\admin", password: PASSWORD },
  "win2.example": { user: "admin", privateKey: KEY },
});
const open: PowerShellClient[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  tmp.cleanup();
});
const client = (host: PowerShellHost) => {
  const c = new PowerShellClient({ executable: dbl.executable, ...host }, { retry: { attempts: 3, backoffMs: 1 } });
  open.push(c);
  return c;
};
const winrm = (password: string) => client({ kind: "winrm", name: "win1", address: "win1.example", user: "CORP\\admin", password });
const ssh = (privateKey: string) => client({ kind: "ssh", name: "win2", address: "win2.example", user: "admin", privateKey, hostKeys: [hostKeyFor("win2.example")] });

test("winrm: the right password opens the session; it never appears in stdin text or process arguments", async () => {
  expect(await winrm(PASSWORD).version()).toEqual({ Major: 15, Minor: 4 });
  expect(dbl.events().find((e) => e.event === "open" && e.host === "win1.example")).toMatchObject({ ok: true, kind: "winrm" });
  expect(dbl.stdin()).not.toContain(PASSWORD);
  expect(dbl.stdin()).not.toContain("Pa$$w0rd");
  for (const s of dbl.spawns()) expect(JSON.stringify(s.argv)).not.toContain("Pa$$");
});

test("winrm: a wrong password is refused like a real host, not retried, and not quoted", async () => {
  const wrong = "wrong-" + PASSWORD;
  const before = dbl.spawns().length;
  const e = await rejectsWith(winrm(wrong).list("network"), "E_ACCESSDENIED");
  expect(String((e as Error).message)).toMatch(/cannot open a winrm session to host win1: .*Access is denied/);
  expect(JSON.stringify(e)).not.toContain("wrong-");
  expect(dbl.spawns().length - before).toBe(1);
});

test("ssh: key content goes to a 0600 file in a 0700 directory, removed once the session is open", async () => {
  await ssh(KEY).version();
  const key = dbl.events().filter((e) => e.event === "keyfile").at(-1)!;
  expect(key).toMatchObject({ mode: 0o600, dirMode: 0o700 });
  expect(existsSync(String(key.file))).toBe(false);
  expect(dbl.events().filter((e) => e.event === "agent" && e.host === "win2.example").at(-1)).toMatchObject({ keyFileLeft: false });
  expect(dbl.stdin()).not.toContain("test-key");
});

test("ssh: a wrong key is refused, and its file is removed all the same", async () => {
  const e = await rejectsWith(ssh(KEY.replace("test-key", "other-key")).version(), "E_ACCESSDENIED");
  const key = dbl.events().filter((e) => e.event === "keyfile").at(-1)!;
  expect(existsSync(String(key.file))).toBe(false);
  expect(String((e as Error).message)).not.toContain("other-key");
});

test("with DEBUG logging on, node-powershell's command log never shows the session's payload", async () => {
  const debug = require("debug") as { enable(ns: string): void; disable(): string };
  const lines: string[] = [];
  const spy = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" ")));
  debug.enable("*");
  try {
    const c = client({ kind: "winrm", name: "win1b", address: "win1.example", user: "CORP\\admin", password: PASSWORD });
    await c.version();
  } finally {
    debug.disable();
    spy.mockRestore();
  }
  expect(lines.length).toBeGreaterThan(0); // the logger was on
  const text = lines.join("\n");
  expect(text).not.toContain("Open-HnsSession");
  expect(text).not.toMatch(/'[A-Za-z0-9+/=]{40,}'/); // no command argument at all
});
