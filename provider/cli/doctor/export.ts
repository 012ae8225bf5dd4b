/**
 * Reads a stack's state for doctor: from a file, from stdin ("-"), or by running
 * `pulumi stack export --show-secrets` in the project directory. The CLI is started with an
 * argument array (no shell), and its output stays in memory: with --show-secrets it holds
 * the hosts' credentials in plaintext.
 */
import { execFile } from "node:child_process";
import { InputError, readBounded } from "../../topology-files";

/** A large stack's export is tens of MB; the default 1 MB would cut it off. */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

export function readStateFile(file: string): string {
  const name = file === "-" ? "stdin" : file;
  try {
    return readBounded(file === "-" ? 0 : file, MAX_EXPORT_BYTES, () => new InputError(`${name} is larger than ${MAX_EXPORT_BYTES} bytes: give the output of \`pulumi stack export --show-secrets\` for one stack`));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${file === "-" ? "stdin" : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export interface ExportOptions {
  stack: string;
  /** The Pulumi project directory (pulumi runs there). */
  cwd: string;
  /** The pulumi executable. */
  pulumi: string;
}

export function exportStack({ stack, cwd, pulumi }: ExportOptions): Promise<string> {
  // `--stack=<name>`: one argument, so a name starting with "-" cannot be read as a flag.
  const args = ["stack", "export", "--show-secrets", `--stack=${stack}`];
  return new Promise((resolve, reject) => {
    execFile(pulumi, args, { cwd, encoding: "utf8", maxBuffer: MAX_EXPORT_BYTES }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return reject(new InputError(`cannot run "${pulumi}" (not found): install the Pulumi CLI or pass --pulumi <path>`));
      reject(new InputError(`pulumi stack export --show-secrets --stack=${stack} failed in ${cwd}: ${stderr.trim() || error.message}`));
    });
  });
}
