/**
 * Test-side handle on the PowerShell double: a launcher to put in a host block's `executable`
 * (it fixes the double's state directory, since a test cannot hand environment variables to a
 * shell the provider spawns), fault injection, credentials it accepts, and what it recorded.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const DOUBLE_SCRIPT = path.resolve(__dirname, "pwsh-double.js");

export type DoubleFaultMode = "drop" | "drop-after" | "hang" | "garbage" | "partial" | "stderr" | "hresult";

export interface DoubleFault {
  mode: DoubleFaultMode;
  /** Agent operation: version, list, query, create, modify, delete; or "open" (drop only). */
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
  event: "spawn" | "open" | "agent" | "call" | "close" | "keyfile";
  [field: string]: unknown;
}

export interface RemoteCredential {
  user: string;
  password?: string;
  privateKey?: string;
}

export class PwshDouble {
  /** Put this in a host block's `executable`. */
  readonly executable: string;
  private faultSeq = 0;

  constructor(readonly stateDir: string) {
    mkdirSync(path.join(stateDir, "faults"), { recursive: true });
    this.executable = path.join(stateDir, "pwsh");
    writeFileSync(this.executable, `#!/bin/sh\nPWSH_DOUBLE_STATE_DIR=${shellQuote(stateDir)} exec ${shellQuote(process.execPath)} ${shellQuote(DOUBLE_SCRIPT)} "$@"\n`, { mode: 0o755 });
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
