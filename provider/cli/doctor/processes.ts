/**
 * The processes a killed deployment leaves running, by the project directory: killing
 * `pulumi` (even its whole process group) does not stop its plugins, which the engine starts
 * in process groups of their own, and a left-over provider goes on calling its hosts after the
 * CLI is gone. What a Node.js program's deployment runs, each a separate process:
 *
 * - `pulumi-language-nodejs`, the language host, and the program it runs
 *   (`node …/@pulumi/pulumi/cmd/run`);
 * - `pulumi-resource-pulumi-nodejs`, the dynamic provider's plugin: a `/bin/sh` script (so the
 *   process is `sh …/pulumi-resource-pulumi-nodejs`) that starts
 *   `node …/@pulumi/pulumi/cmd/dynamic-provider` as its child, not with exec, so killing the sh
 *   leaves the provider running;
 * - `pulumi-resource-hns` and `pulumi-language-yaml` for a YAML program.
 *
 * Read from /proc (Linux: https://man7.org/linux/man-pages/man5/proc.5.html, `cmdline` and
 * `cwd`), so nothing is run to find them; elsewhere doctor says it cannot look and the docs'
 * step 0 gives the pgrep line. A process is listed when its command line matches
 * DEPLOYMENT_PROCESS and its working directory is the project's or inside it (the engine runs
 * plugins in the program's directory).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** What the docs' step 0 greps for too (docs/interrupted-deployment.md): one pattern, one place. */
export const DEPLOYMENT_PROCESS = /pulumi-language-|pulumi-resource-|@pulumi\/pulumi\/cmd\/|dynamic-provider/;

export interface LeftOver {
  pid: number;
  command: string;
  cwd: string;
}

/** The deployment processes running in (or under) one of dirs; undefined where /proc cannot be read. */
export function deploymentProcesses(dirs: string[], proc = "/proc"): LeftOver[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync(proc).filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const roots = dirs.map((d) => path.resolve(d));
  const found: LeftOver[] = [];
  for (const e of entries) {
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const command = fs.readFileSync(path.join(proc, e, "cmdline"), "utf8").split("\0").filter(Boolean).join(" ");
      if (!DEPLOYMENT_PROCESS.test(command)) continue;
      const cwd = fs.readlinkSync(path.join(proc, e, "cwd"));
      if (roots.some((r) => cwd === r || cwd.startsWith(`${r}${path.sep}`))) found.push({ pid, command, cwd });
    } catch {
      // Gone meanwhile, or another user's (its cwd is not readable): not this user's deployment.
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}
