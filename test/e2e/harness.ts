/**
 * A fresh stack and emulator per test, driven through the real Pulumi engine (Automation API,
 * inline programs, local file backend, no login, no prompts).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { engineEnv } from "../helpers/engine-env";

export interface Harness {
  stack: Stack;
  dir: string;
  /** The emulated host the programs use, opened on the same state file. */
  host(name?: string): HnsEmulator;
  log: string[];
  cleanup(): Promise<void>;
}

export async function newHarness(program: pulumi.automation.PulumiFn, project = "hns-e2e"): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hns-e2e-"));
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  const envVars = engineEnv(dir, [bin]);
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: project, stackName: "e2e", program },
    { pulumiCommand, envVars, workDir: undefined },
  );
  const log: string[] = [];
  return {
    stack,
    dir,
    log,
    host: (name = "h1") => new HnsEmulator(path.join(dir, "hns", `${name}.json`)),
    cleanup: async () => {
      await stack.workspace.removeStack("e2e", { force: true }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every stack state file of the harness's file backend, concatenated. */
export function stateFileText(h: Harness): string {
  const fs = { readdirSync, readFileSync };
  const root = path.join(h.dir, "state", ".pulumi", "stacks");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json")) files.push(fs.readFileSync(p, "utf8"));
    }
  };
  walk(root);
  if (files.length === 0) throw new Error(`no state file under ${root}`);
  return files.join("\n");
}

export const capture = (h: Harness) => ({ onOutput: (s: string) => void h.log.push(s) });
