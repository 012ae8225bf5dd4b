/**
 * The lock on an emulated host's state file, shared by every StateStore of this process: taken
 * per call, kept between this process's queued calls within bounds, and handed to a waiting
 * process at the bounds (see store.ts for what the lock protects).
 */
import { LocalStateError } from "../../vocabulary/errors";
import * as nodeFs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import { OPEN } from "./journal";

const fs = nodeFs.promises;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** node:fs for proper-lockfile, with its lock directory made private. */
const lockFs = {
  ...nodeFs,
  mkdir: (p: string, cb: (err: NodeJS.ErrnoException | null) => void) => nodeFs.mkdir(p, { mode: DIR_MODE }, cb),
};

/** Calls queued in this process per state file, the running one included. */
const waiting = new Map<string, number>();
/** The lock this process holds on a state file between queued calls (see `acquireLock`). */
const held = new Map<string, { release: () => Promise<void>; since: number; calls: number }>();
/**
 * How long, and for how many calls, a process keeps a file's lock while its own calls are still
 * queued: the engine sends a deployment's creates in parallel, and taking and dropping the lock
 * (mkdir, rmdir) for each was most of a call's cost.
 */
const HOLD_MS = 100;
const HOLD_CALLS = 64;
/**
 * A process that finds the lock taken leaves a marker (`<file>.want-<pid>`) while it waits. A
 * holder that reaches the bounds with calls still queued and sees a marker stays away for longer
 * than the waiter's longest retry interval, so the waiter gets in (retaking at once, as a
 * holder's next queued call would, beat a waiter polling every 50 ms nearly every time).
 */
const RETRY_MAX_MS = 50;
const GAP_MS = RETRY_MAX_MS + 20;
/** A marker older than this is a waiter that died: ignored. */
const WANT_STALE_MS = 60_000;
const LOCK_OPTIONS = { fs: lockFs, realpath: false, stale: 15_000 } as const;
const RETRIES = { retries: 1000, minTimeout: 2, maxTimeout: RETRY_MAX_MS, factor: 1.5 };

/**
 * The lock is a directory `<file>.lock` that mkdir makes: a link or a file planted at that name
 * would be taken for a held lock (a long wait, then a raw ENOTDIR), so it is refused at once.
 */
async function checkLockPlace(lock: string): Promise<void> {
  const st = await fs.lstat(lock).catch(() => undefined);
  if (st && !st.isDirectory()) {
    throw new LocalStateError(`the emulator's lock ${lock} is ${st.isSymbolicLink() ? "a symbolic link" : "not a directory"}, which no emulator makes: remove it (the emulator makes the lock itself)`);
  }
}

/** Counts a call queued for `file` (finishCall counts it out). */
export function enqueued(file: string): void {
  waiting.set(file, (waiting.get(file) ?? 0) + 1);
}

/** The file's lock: still held from this process's previous call, or taken now. */
export async function acquireLock(file: string): Promise<void> {
  const lock = held.get(file);
  if (lock) {
    lock.calls++;
    return;
  }
  // mode applies to every directory mkdir creates on the way, none that exists.
  await fs.mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  await checkStateDir(path.dirname(file));
  await checkLockPlace(`${file}.lock`);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, { ...LOCK_OPTIONS, retries: 0 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ELOCKED") throw e;
    const want = await leaveMarker(`${file}.want-${process.pid}`);
    try {
      release = await lockfile.lock(file, { ...LOCK_OPTIONS, retries: RETRIES });
    } finally {
      if (want) await fs.rm(want, { force: true });
    }
  }
  held.set(file, { release, since: Date.now(), calls: 1 });
}

/**
 * The state directory must be the user's alone: another user who can write in it could put a
 * link where the emulator writes (and have it write through it), replace a state file, or read
 * the journal. Refused: a directory that is a symbolic link, and one others can write, unless
 * it is sticky (others cannot remove or rename what is not theirs) and the user's own. Checked
 * at every lock taken, before anything in it is opened.
 */
export async function checkStateDir(dir: string): Promise<void> {
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink()) {
    throw new LocalStateError(`emulator state directory ${dir} is a symbolic link: give the directory it points to as stateDir (or $PULUMI_HNS_EMULATOR_DIR) instead`);
  }
  if (!st.isDirectory()) throw new LocalStateError(`emulator state directory ${dir} is not a directory: give a directory as stateDir`);
  const uid = process.getuid?.();
  // POSIX permission bits; on Windows (no getuid) they say nothing about other users.
  if (uid === undefined) return;
  // Its owner can always write in it (and chmod it): another user than you or root is refused.
  if (st.uid !== uid && st.uid !== 0) {
    throw new LocalStateError(`emulator state directory ${dir} belongs to another user (uid ${st.uid}), who can write in it: give a stateDir of your own (the default, .hns-emulator in the project directory, is made 0700)`);
  }
  const othersWrite = (st.mode & 0o022) !== 0;
  const sticky = (st.mode & 0o1000) !== 0;
  if (othersWrite && !(sticky && st.uid === uid)) {
    throw new LocalStateError(
      `emulator state directory ${dir} can be written by other users (mode ${(st.mode & 0o7777).toString(8)}): run \`chmod 700 ${dir}\`, or give a stateDir of your own (the default, .hns-emulator in the project directory, is made 0700)`,
    );
  }
}

/**
 * The waiting marker, made only as a new file (never through a link or over a file someone
 * left at that name). A name already taken is a marker a dead process with this pid left: it
 * is removed (unlink removes a link itself, never its target) and made once more. Returns
 * undefined when it still cannot be made: the marker only asks the holder for a turn.
 */
export async function leaveMarker(want: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await (await fs.open(want, OPEN.createNew, FILE_MODE)).close();
      return want;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      await fs.rm(want, { force: true });
    }
  }
  return undefined;
}

/** Whether another process is waiting for this file's lock (a fresh `.want-<pid>` marker). */
async function othersWaiting(file: string): Promise<boolean> {
  const prefix = `${path.basename(file)}.want-`;
  const own = `${prefix}${process.pid}`;
  const names = (await fs.readdir(path.dirname(file))).filter((n) => n.startsWith(prefix) && n !== own);
  for (const n of names) {
    const st = await fs.lstat(path.join(path.dirname(file), n)).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs < WANT_STALE_MS) return true;
  }
  return false;
}

/** Keeps the lock for the next queued call of this process, within the bounds; else drops it. */
export async function finishCall(file: string, failed: boolean): Promise<void> {
  const others = waiting.get(file)! - 1;
  if (others > 0) waiting.set(file, others);
  else waiting.delete(file);
  const lock = held.get(file);
  if (!lock) return;
  if (!failed && others > 0 && lock.calls < HOLD_CALLS && Date.now() - lock.since < HOLD_MS) return;
  held.delete(file);
  await lock.release();
  // At the bounds with more of our calls queued: give a waiting process its turn first.
  if (others > 0 && (await othersWaiting(file))) await new Promise((r) => setTimeout(r, GAP_MS));
}
