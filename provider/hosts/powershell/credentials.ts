/**
 * Credentials on the provider's side. A private key given as content must become a file for
 * `New-PSSession -KeyFilePath`: it lives in a private directory (0700), is created exclusively
 * with mode 0600, and is removed as soon as the session is open or has failed to open.
 * Text that came from the shell is scrubbed before it reaches an error message.
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TemporaryKey {
  file: string;
  remove(): Promise<void>;
}

export async function writeTemporaryKey(privateKey: string): Promise<TemporaryKey> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-hns-key-"));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await fs.chmod(dir, 0o700);
    const file = path.join(dir, "id");
    // "wx": fail rather than follow or reuse anything already there.
    const handle = await fs.open(file, "wx", 0o600);
    try {
      await handle.writeFile(privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`, "utf8");
    } finally {
      await handle.close();
    }
    return { file, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/**
 * Removes every secret, and any long base64 run (a command's payload echoed in an error
 * carries the credentials it was opening the session with), from text bound for a message.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[secret]");
  return out.replace(/[A-Za-z0-9+/]{24,}={0,2}/g, "[base64]");
}
