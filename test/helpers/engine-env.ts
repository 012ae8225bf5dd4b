/**
 * The environment every e2e run of the real engine gets, all under one directory: a file
 * backend (no login), no update checks or plugin downloads, its own PULUMI_HOME and emulator
 * directory, and the given directories first on PATH (the built pulumi, a plugin).
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";

export function engineEnv(dir: string, pathFirst: string[], opts: { passphrase?: string } = {}): Record<string, string> {
  mkdirSync(path.join(dir, "state"), { recursive: true });
  return {
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_HNS_EMULATOR_DIR: path.join(dir, "hns"),
    PATH: [...pathFirst, process.env.PATH ?? ""].join(path.delimiter),
  };
}
