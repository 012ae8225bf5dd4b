/**
 * The commands doctor prints as next steps, written so they run as printed from where the user
 * ran doctor: `npx hns-plan doctor` with the same --stack, -C and the options that decide what
 * doctor reaches, and pulumi commands with `--stack` and `--cwd` (the Pulumi CLI's global flag
 * for the project directory, https://www.pulumi.com/docs/iac/cli/commands/pulumi/).
 */
import * as path from "node:path";

/** A word for a POSIX shell: bare when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface Invocation {
  /** --stack as the user gave it. */
  stack: string;
  /** -C as the user gave it, if they did. */
  cwd?: string;
  /** --state as the user gave it ("-": stdin). */
  state?: string;
  project?: string;
  fleet?: string;
  pulumi?: string;
  connect?: boolean;
  pwsh?: string;
}

export interface Steps {
  /** `npx hns-plan doctor …` followed by extra options. */
  doctor(...options: string[]): string;
  /** `pulumi <subcommand> …` for this stack and project directory. */
  pulumi(...args: string[]): string;
}

export function stepsFor(call: Invocation, here = process.cwd()): Steps {
  // -C only when the project is elsewhere, as the user wrote it (relative stays relative).
  const away = call.cwd !== undefined && path.resolve(here, call.cwd) !== here ? call.cwd : undefined;
  const pulumiLocation = [`--stack=${call.stack}`, ...(away ? [`--cwd=${away}`] : [])];
  const doctorArgs = [
    `--stack=${call.stack}`,
    ...(away ? ["-C", away] : []),
    ...(call.project ? ["--project", call.project] : []),
    ...(call.fleet ? ["--fleet", call.fleet] : []),
    ...(call.state && call.state !== "-" ? ["--state", call.state] : call.state === "-" ? ["--state", "-"] : []),
    ...(call.pulumi ? ["--pulumi", call.pulumi] : []),
    ...(call.connect ? ["--connect"] : []),
    ...(call.pwsh ? ["--pwsh", call.pwsh] : []),
  ];
  const pulumiBin = call.pulumi ?? "pulumi";
  // From stdin, the export has to be piped again: printed as the pipe the docs give.
  const exportPipe = call.state === "-" ? `${[pulumiBin, "stack", "export", "--show-secrets", ...pulumiLocation].map(shellWord).join(" ")} | ` : "";
  return {
    doctor: (...options) => `${exportPipe}${["npx", "hns-plan", "doctor", ...doctorArgs, ...options].map(shellWord).join(" ")}`,
    pulumi: (...args) => [pulumiBin, ...args, ...pulumiLocation].map(shellWord).join(" "),
  };
}
