/**
 * The emulator's state file: one JSON file per host, changed only inside a transaction that
 * holds an in-process queue (for concurrent calls in one process) and a lock file (for
 * several processes: the Pulumi engine runs providers in their own process). Writes are
 * atomic (temp file + rename), so a crash never leaves half a document.
 *
 * The state holds a host's secrets (its access key's hash, fault plans), so everything here is
 * its owner's alone: files 0600, the lock (a directory: proper-lockfile's atomic primitive is
 * mkdir) and any directory the store creates 0700. A directory that exists is left as it is.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";

const fs = nodeFs.promises;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** node:fs for proper-lockfile, with its lock directory made private. */
const lockFs = {
  ...nodeFs,
  mkdir: (p: string, cb: (err: NodeJS.ErrnoException | null) => void) => nodeFs.mkdir(p, { mode: DIR_MODE }, cb),
};

const queues = new Map<string, Promise<unknown>>();

export interface Transaction<S> {
  state: S;
  /** Set when the transaction changed the state and it must be written back. */
  dirty: boolean;
}

/** What identifies one version of the file: a write is a rename, so the inode changes too. */
interface Stamp {
  ino: number;
  size: number;
  mtimeNs: bigint;
}
const sameStamp = (a: Stamp, b: Stamp) => a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

export class StateStore<S> {
  /** The last state this process read or wrote, reused while the file is unchanged. */
  private cached?: { stamp: Stamp; text: string };

  constructor(
    readonly file: string,
    private readonly initial: () => S | Promise<S>,
    /** Checks what the file holds; its errors are thrown before anything is written. */
    private readonly parse: (raw: unknown, file: string) => S,
  ) {}

  /** Runs fn with exclusive access to the state; fn's changes are written when it marks them dirty. */
  transaction<T>(fn: (tx: Transaction<S>) => T | Promise<T>): Promise<T> {
    const prev = queues.get(this.file) ?? Promise.resolve();
    const run = prev.then(
      () => this.locked(fn),
      () => this.locked(fn),
    );
    const tail = run.catch(() => undefined);
    queues.set(this.file, tail);
    void tail.then(() => {
      if (queues.get(this.file) === tail) queues.delete(this.file);
    });
    return run;
  }

  /** Reads without locking (a consistent snapshot, thanks to atomic renames). */
  async read(): Promise<S> {
    return (await this.load()) ?? (await this.initial());
  }

  private async locked<T>(fn: (tx: Transaction<S>) => T | Promise<T>): Promise<T> {
    // mode applies to every directory mkdir creates on the way, none that exists.
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: DIR_MODE });
    const release = await lockfile.lock(this.file, {
      fs: lockFs,
      realpath: false,
      stale: 15_000,
      retries: { retries: 1000, minTimeout: 2, maxTimeout: 50, factor: 1.5 },
    });
    try {
      const loaded = await this.load();
      const tx: Transaction<S> = { state: loaded ?? (await this.initial()), dirty: loaded === undefined };
      let result: T;
      let failure: unknown;
      try {
        result = await fn(tx);
      } catch (e) {
        failure = e;
      }
      // Faults such as "commit but lose the reply" change state and then throw: write first.
      if (tx.dirty) await this.write(tx.state);
      if (failure !== undefined) throw failure;
      return result!;
    } finally {
      await release();
    }
  }

  private async load(): Promise<S | undefined> {
    let text: string;
    try {
      const st = await fs.stat(this.file, { bigint: true });
      const stamp = { ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs };
      if (this.cached && sameStamp(this.cached.stamp, stamp)) {
        text = this.cached.text;
      } else {
        text = await fs.readFile(this.file, "utf8");
        this.cached = { stamp, text };
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`emulator state file ${this.file} is not valid JSON (${(e as Error).message}); restore it or delete it to start empty`);
    }
    return this.parse(raw, this.file);
  }

  private async write(state: S): Promise<void> {
    // A fresh name ("wx": never an existing file, nor a link someone left there), private from the start.
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const text = JSON.stringify(state) + "\n";
    try {
      await fs.writeFile(tmp, text, { encoding: "utf8", mode: FILE_MODE, flag: "wx" });
      await fs.rename(tmp, this.file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    const st = await fs.stat(this.file, { bigint: true });
    this.cached = { stamp: { ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs }, text };
  }
}
