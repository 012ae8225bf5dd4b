/**
 * A PowerShell double whose processes count themselves (counting-pwsh.js): the most double
 * processes alive at once, measured outside the provider, so a pool that fails to cap cannot
 * vouch for itself. Used by the pool tests and the transport benchmark.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PwshDouble } from "../../../doubles/double";

const LAUNCHER = path.resolve(__dirname, "counting-pwsh.js");

export class CountedDouble {
  readonly dbl: PwshDouble;
  /** Put this in a host block's `executable`. */
  readonly executable: string;
  private readonly countDir: string;

  constructor(stateDir: string) {
    this.dbl = new PwshDouble(stateDir);
    this.countDir = path.join(stateDir, "alive");
    mkdirSync(this.countDir, { recursive: true });
    this.executable = path.join(stateDir, "pwsh-counted");
    const env = { PWSH_DOUBLE_STATE_DIR: stateDir, HOME: this.dbl.home, PWSH_COUNT_DIR: this.countDir };
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
    writeFileSync(this.executable, `#!/bin/sh\n${assignments} exec ${shellQuote(process.execPath)} ${shellQuote(LAUNCHER)} "$@"\n`, { mode: 0o755 });
  }

  /** The most double processes alive at once since the last reset (0 if none started). */
  peak(): number {
    return Math.max(0, ...this.counts());
  }

  /** Processes started since the last reset. */
  started(): number {
    return this.counts().length;
  }

  /** Forgets the counts so far (processes still alive are counted again by the next start). */
  reset(): void {
    rmSync(path.join(this.countDir, "counts.log"), { force: true });
  }

  private counts(): number[] {
    let text = "";
    try {
      text = readFileSync(path.join(this.countDir, "counts.log"), "utf8");
    } catch {
      return [];
    }
    return text.split("\n").filter(Boolean).map(Number);
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
