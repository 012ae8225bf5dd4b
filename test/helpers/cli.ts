/**
 * Runs hns-plan in-process with its output captured. `doctorDir`: doctor runs with -C <it>
 * unless a test gives its own, since doctor lists the deployment processes running in its
 * project directory, and the checkout a suite runs in may have real ones (another suite's up).
 */
import { PassThrough } from "node:stream";
import { run } from "../../provider/cli/run";
import { terminal } from "../../provider/cli/terminal";

export async function runCli(given: string[], doctorDir?: string): Promise<{ code: number; out: string; err: string }> {
  const args = doctorDir !== undefined && given[0] === "doctor" && !given.includes("-C") ? ["doctor", "-C", doctorDir, ...given.slice(1)] : given;
  const stream = () => Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream & PassThrough;
  const stdout = stream();
  const stderr = stream();
  const got = { out: "", err: "" };
  stdout.on("data", (d) => (got.out += d));
  stderr.on("data", (d) => (got.err += d));
  const code = await run(args, terminal({ stdout, stderr, env: {}, color: false }));
  return { code, ...got };
}
