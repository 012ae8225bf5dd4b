/**
 * A Pulumi YAML project driven through the real engine with the native plugin, in the harness's
 * conventions (local file backend, no login, an emulator directory per test, no plugin
 * downloads). The engine finds the plugin one of the two ways docs/front-doors.md gives:
 * - "path": on PATH as npm installs it, a `pulumi-resource-hns` link to the package's bin target
 *   in node_modules/.bin;
 * - "install": in the plugin cache, from `pulumi plugin install resource hns <version> --file`
 *   given a launcher script that runs the package's bin target.
 * Either way the plugin runs from dist/, so `npm run build` first.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { engineEnv } from "../helpers/engine-env";

const REPO = path.resolve(__dirname, "../..");
const pkg = require(path.join(REPO, "package.json")) as { version: string; bin: Record<string, string> };

export interface YamlStack {
  stack: Stack;
  /** The project directory (holds Pulumi.yaml). */
  project: string;
  env: Record<string, string>;
  /** Replaces Pulumi.yaml (e.g. with the code `pulumi import` generated). */
  writeProject(text: string): void;
  /** Runs the pulumi CLI in the project directory (for commands the Automation API lacks). */
  cli(...args: string[]): Promise<string>;
  host(name: string): HnsEmulator;
  cleanup(): Promise<void>;
}

/** `dir`: an existing harness directory to share (its backend, PULUMI_HOME and emulator), else a new one. */
export async function newYamlStack(projectYaml: string, opts: { dir?: string; stackName?: string; plugin?: "path" | "install" } = {}): Promise<YamlStack> {
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  const plugin = path.join(REPO, pkg.bin["pulumi-resource-hns"]);
  if (!existsSync(plugin)) throw new Error(`${plugin} is missing: run npm run build before the e2e tests`);
  const owned = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), "hns-yaml-"));
  const project = mkdtempSync(path.join(dir, "project-"));
  const pluginBin = path.join(project, "node_modules", ".bin");
  mkdirSync(pluginBin, { recursive: true });
  if (opts.plugin !== "install") symlinkSync(plugin, path.join(pluginBin, "pulumi-resource-hns"));
  writeFileSync(path.join(project, "Pulumi.yaml"), projectYaml);
  const env = {
    ...engineEnv(dir, [pluginBin, bin]),
    // "install" must be found in the plugin cache: a pulumi-resource-hns on PATH would win otherwise.
    ...(opts.plugin === "install" ? { PULUMI_IGNORE_AMBIENT_PLUGINS: "true" } : {}),
  };
  const stackName = opts.stackName ?? "e2e";
  if (opts.plugin === "install") {
    const launcher = path.join(project, "pulumi-resource-hns");
    writeFileSync(launcher, `#!/bin/sh\nexec node ${JSON.stringify(plugin)} "$@"\n`, { mode: 0o755 });
    await promisify(execFile)(path.join(bin, "pulumi"), ["plugin", "install", "resource", "hns", pkg.version, "--file", launcher], { env: { ...process.env, ...env } });
  }
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: project }, { pulumiCommand, envVars: env });
  return {
    stack,
    project,
    env,
    writeProject: (text) => writeFileSync(path.join(project, "Pulumi.yaml"), text),
    cli: async (...args) => (await promisify(execFile)(path.join(bin, "pulumi"), [...args, "--stack", stackName, "--non-interactive"], { cwd: project, env: { ...process.env, ...env } })).stdout,
    host: (name) => new HnsEmulator(path.join(dir, "hns", `${name}.json`)),
    cleanup: async () => {
      if (owned) {
        await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      } else rmSync(project, { recursive: true, force: true });
    },
  };
}

/** examples/<name>/Pulumi.yaml as text. */
export const exampleProject = (name: string) => readFileSync(path.join(REPO, "examples", name, "Pulumi.yaml"), "utf8");
