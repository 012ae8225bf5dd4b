/**
 * Host blocks for provider tests, so one suite runs through either transport: the emulator
 * directly, or a `local` PowerShell host whose shell is the double (which answers from the
 * same emulator state file). A test file picks the transport before it defines its tests.
 */
import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseHnsVersion } from "../../provider/vocabulary/features";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { initialState } from "../../provider/hosts/emulator/state";
import { PwshDouble } from "./double";

export type TestTransport = "emulator" | "powershell";

let transport: TestTransport = "emulator";
const doubles = new Map<string, PwshDouble>();

export function useTransport(t: TestTransport): void {
  transport = t;
}

export function currentTransport(): TestTransport {
  return transport;
}

export function doubleFor(dir: string): PwshDouble {
  let d = doubles.get(dir);
  if (!d) doubles.set(dir, (d = new PwshDouble(dir)));
  return d;
}

/** A fresh host named `name` with its state in `dir`, and an emulator handle on that state. */
export function testHost(dir: string, name: string, options: { hnsVersion?: string } = {}) {
  const file = path.join(dir, `${name}.json`);
  if (transport === "emulator") {
    const host = { kind: "emulator" as const, name, stateDir: dir, ...(options.hnsVersion ? { hnsVersion: options.hnsVersion } : {}) };
    return { host, hns: new HnsEmulator(file) };
  }
  // The double opens the state file as it finds it: a version is set by creating the file first.
  if (options.hnsVersion && !existsSync(file)) writeFileSync(file, JSON.stringify(initialState(parseHnsVersion(options.hnsVersion)!)));
  const host = { kind: "local" as const, name, executable: doubleFor(dir).executable };
  return { host, hns: new HnsEmulator(file) };
}
