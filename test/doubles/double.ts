/**
 * Test-side handle on the PowerShell double: a launcher to put in a host block's `executable`
 * (it fixes the double's state directory, since a test cannot hand environment variables to a
 * shell the provider spawns), fault injection, credentials it accepts, and what it recorded.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const DOUBLE_SCRIPT = path.resolve(__dirname, "pwsh-double.js");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sshModel = require("./ssh-model") as { hostKeyFor(seed: string): string };

/** The public key line (`ssh-ed25519 <base64>`) the double's sshd presents for `seed` (by default the address). */
export const hostKeyFor = (seed: string): string => sshModel.hostKeyFor(seed);

export type DoubleFaultMode = "drop" | "drop-after" | "hang" | "garbage" | "partial" | "stderr" | "hresult";

export interface DoubleFault {
  mode: DoubleFaultMode;
  /** Agent operation: version, list, query, create, modify, delete; or "open" (drop; hang: an ssh host that never answers once the key is read). */
  op?: string;
  kind?: string;
  /** The host as the double knows it: a local host's name or a remote host's address. */
  host?: string;
  hresult?: number;
  /** stderr text (mode stderr) or the error record's text (mode hresult). */
  text?: string;
}

export interface DoubleEvent {
  pid: number;
  event: "spawn" | "open" | "agent" | "call" | "close" | "keyfile" | "ssh" | "hostkey";
  [field: string]: unknown;
}

export interface RemoteCredential {
  user: string;
  password?: string;
  privateKey?: string;
  /** An ssh host's public key, `<type> <base64>`, presented for the host key check; defaults to hostKeyFor(address). */
  hostKey?: string;
}

export class PwshDouble {
  /** Put this in a host block's `executable`. */
  readonly executable: string;
  /** The home directory the double's ssh sees (`~/.ssh/known_hosts`). */
  readonly home: string;
  private faultSeq = 0;

  constructor(readonly stateDir: string) {
    mkdirSync(path.join(stateDir, "faults"), { recursive: true });
    this.executable = path.join(stateDir, "pwsh");
    this.home = path.join(stateDir, "home");
    mkdirSync(this.home, { recursive: true });
    // HOME too: ssh reads ~/.ssh/known_hosts, and the user's real one must not decide a test.
    writeFileSync(this.executable, `#!/bin/sh\nPWSH_DOUBLE_STATE_DIR=${shellQuote(stateDir)} HOME=${shellQuote(this.home)} exec ${shellQuote(process.execPath)} ${shellQuote(DOUBLE_SCRIPT)} "$@"\n`, { mode: 0o755 });
  }

  /** The emulator state file the double answers a host from. */
  stateFile(host: string): string {
    return path.join(this.stateDir, `${host}.json`);
  }

  acceptCredentials(hosts: Record<string, RemoteCredential>): void {
    writeFileSync(path.join(this.stateDir, "double.json"), JSON.stringify({ hosts }));
  }

  /** Arms a fault for the next matching agent call (any process of this double). */
  inject(fault: DoubleFault): void {
    const name = `${String(++this.faultSeq).padStart(4, "0")}.json`;
    writeFileSync(path.join(this.stateDir, "faults", name), JSON.stringify(fault));
  }

  /** Faults not yet taken by a call. */
  pendingFaults(): number {
    return readdirSync(path.join(this.stateDir, "faults")).filter((n) => n.endsWith(".json")).length;
  }

  events(): DoubleEvent[] {
    let text = "";
    try {
      text = readFileSync(path.join(this.stateDir, "events.log"), "utf8");
    } catch {
      return [];
    }
    return text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as DoubleEvent);
  }

  spawns(): DoubleEvent[] {
    return this.events().filter((e) => e.event === "spawn");
  }

  calls(filter: { op?: string; kind?: string } = {}): DoubleEvent[] {
    return this.events().filter((e) => e.event === "call" && (!filter.op || e.op === filter.op) && (!filter.kind || e.kind === filter.kind));
  }

  /**
   * Runs the double by hand, as node-powershell would start it, with these stdin lines and no
   * framing; resolves with what it wrote once it exits. For tests of the double itself.
   */
  run(lines: string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.executable, ["-NoLogo", "-NoProfile", "-NonInteractive", "-NoExit", "-Command", "-"], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      child.on("error", reject);
      child.on("exit", () => resolve({ stdout, stderr }));
      child.stdin.end(lines.map((l) => `${l}\n`).join(""));
    });
  }

  /** Everything every double process read on stdin: the whole command text the provider wrote. */
  stdin(): string {
    return readdirSync(this.stateDir)
      .filter((n) => n.startsWith("stdin-"))
      .map((n) => readFileSync(path.join(this.stateDir, n), "utf8"))
      .join("");
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
