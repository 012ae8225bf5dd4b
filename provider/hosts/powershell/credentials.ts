/**
 * Credentials on the provider's side. A private key given as content must become a file for
 * `New-PSSession -KeyFilePath` (and pinned host keys a known_hosts file): they live in a private
 * directory (0700) named after this process, each created exclusively with mode 0600, removed
 * as soon as the session is open or has failed to open, and also on exit, SIGINT, SIGTERM and
 * SIGHUP. A SIGKILL cannot be caught: the directories of dead processes are swept away by the
 * next provider process that opens a session. Text that came from the shell is scrubbed
 * before it reaches an error message.
 */
import { lstatSync, promises as fs, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** `<tmp>/pulumi-hns-<pid>-<random>`: the pid says whose it is, for the sweep. */
const DIR_PREFIX = "pulumi-hns-";
const DIR_NAME = /^pulumi-hns-(\d+)-[A-Za-z0-9]+$/;

export interface PrivateDir {
  readonly path: string;
  /** Writes a file only this user can read (fails if it exists); returns its path. */
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

const live = new Set<string>();

export async function privateDir(): Promise<PrivateDir> {
  installCleanup();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  live.add(dir);
  const remove = async () => {
    await fs.rm(dir, { recursive: true, force: true });
    live.delete(dir);
  };
  try {
    await fs.chmod(dir, 0o700);
  } catch (e) {
    await remove();
    throw e;
  }
  return {
    path: dir,
    remove,
    async write(name, content) {
      const file = path.join(dir, name);
      // "wx": fail rather than follow or reuse anything already there.
      const handle = await fs.open(file, "wx", 0o600);
      try {
        await handle.writeFile(content, "utf8");
      } finally {
        await handle.close();
      }
      return file;
    },
  };
}

/** An OpenSSH private key file's text: ssh refuses a key without its final newline. */
export function keyFileText(privateKey: string): string {
  return privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`;
}

let cleanupInstalled = false;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function removeLiveSync(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * Removes this process's directories when it ends. On a signal nobody else handles, the
 * directories go and the signal is raised again, so the process still dies of it as it would have.
 */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once("exit", removeLiveSync);
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      removeLiveSync();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/**
 * Removes the private directories that processes now dead left behind (a SIGKILL, a crash):
 * only ours (same owner), only real directories, never one of a live process.
 */
export function sweepStaleDirs(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = DIR_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
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
