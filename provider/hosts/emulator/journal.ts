/**
 * The journal next to an emulator state file (`<file>.journal`): what changed since the state
 * file was last written whole, one JSON line per transaction, appended under the state's lock.
 *
 * - The first line names the state file it continues (`{"journalId":"…"}`, the same id the
 *   state file carries). A journal whose id is not the state file's is left over from before
 *   the state file was rewritten, already folded in, and is ignored.
 * - A line counts only once its newline is written. JSON text has no raw newline, so a writer
 *   that crashed mid-append leaves an unterminated tail: readers ignore it (its transaction
 *   never returned), and the next writer overwrites it. A record is applied whole or not at all.
 * - A terminated line that is not a valid record is damage, reported, never skipped.
 */
import { LocalStateError } from "../../vocabulary/errors";
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";

const fs = nodeFs.promises;
const FILE_MODE = 0o600;
const NEWLINE = 0x0a;

/**
 * open(2) flags for every file the emulator opens: never through a symbolic link someone left
 * in a file's place (O_NOFOLLOW: the open fails with ELOOP), and a new file only if none is
 * there (O_EXCL, which also refuses a link). O_NOFOLLOW is 0 where Node does not define it (Windows,
 * where creating a symbolic link needs a privilege).
 */
const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL } = nodeFs.constants;
const O_NOFOLLOW = nodeFs.constants.O_NOFOLLOW ?? 0;
// A FIFO in a file's place would block the open until a writer comes: O_NONBLOCK opens it at
// once, and the regular-file check after the open refuses it (and a device or a directory).
const O_NONBLOCK = nodeFs.constants.O_NONBLOCK ?? 0;
export const OPEN = {
  read: O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
  update: O_RDWR | O_NOFOLLOW | O_NONBLOCK,
  createNew: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
} as const;

/** Why a file could not be opened, in words; never anything the file holds. */
export function openProblem(file: string, what: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return new LocalStateError(`${what} ${file} is a symbolic link: the emulator does not follow links in its state directory; replace the link with the file itself (or remove it)`);
  return new LocalStateError(`cannot open ${what} ${file}: ${code ?? (e as Error).message}`);
}

/** A handle only to a regular file: a FIFO, device or directory in a file's place is refused, unread. */
export async function regularOnly(fh: nodeFs.promises.FileHandle, file: string, what: string): Promise<nodeFs.promises.FileHandle> {
  if ((await fh.stat()).isFile()) return fh;
  await fh.close();
  throw new LocalStateError(`${what} ${file} is not a regular file (a FIFO, a device or a directory stands in its place): remove it; the emulator makes the file itself`);
}

/** The open file, or undefined when there is none. */
async function openIfExists(file: string, flags: number): Promise<nodeFs.promises.FileHandle | undefined> {
  let fh: nodeFs.promises.FileHandle;
  try {
    fh = await fs.open(file, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw openProblem(file, "emulator journal", e);
  }
  return regularOnly(fh, file, "emulator journal");
}

/** A whole file the emulator keeps (not through a link), as text. */
export async function readPrivate(file: string, what: string): Promise<string> {
  let fh: nodeFs.promises.FileHandle;
  try {
    fh = await fs.open(file, OPEN.read);
  } catch (e) {
    throw openProblem(file, what, e);
  }
  fh = await regularOnly(fh, file, what);
  try {
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

export const journalFile = (stateFile: string) => `${stateFile}.journal`;

/** One transaction's changes: documents set (whole) or deleted, other fields set or removed. */
export interface JournalRecord {
  set?: [table: string, key: string, doc: unknown][];
  del?: [table: string, key: string][];
  fields?: Record<string, unknown>;
  unset?: string[];
}

/** A record's line, built from the documents' JSON as the store already holds it (no second stringify). */
export function recordLine(set: [string, string, string][], del: [string, string][], fields: [string, string][], unset: string[]): string {
  const parts: string[] = [];
  if (set.length) parts.push(`"set":[${set.map(([t, k, text]) => `[${JSON.stringify(t)},${JSON.stringify(k)},${text}]`).join(",")}]`);
  if (del.length) parts.push(`"del":${JSON.stringify(del)}`);
  if (fields.length) parts.push(`"fields":{${fields.map(([k, text]) => `${JSON.stringify(k)}:${text}`).join(",")}}`);
  if (unset.length) parts.push(`"unset":${JSON.stringify(unset)}`);
  return `{${parts.join(",")}}\n`;
}

export const newJournalId = () => randomBytes(9).toString("base64url");
const headerLine = (id: string) => `${JSON.stringify({ journalId: id })}\n`;

/** What a read of the journal found from some offset on. */
export interface JournalRead {
  ino: number;
  /** Offset just past the last complete line. */
  end: number;
  /** Complete lines, with their 1-based line numbers. */
  lines: { n: number; text: string }[];
}

/**
 * Complete lines from `offset` on (the first of which is line `firstLine`), or undefined when
 * there is no journal. `expectIno`: the journal this process read before; another one (it was
 * replaced) or a shorter one (it was cut) is reported as undefined too, to read from the start.
 */
export async function readJournal(file: string, offset: number, firstLine: number, expectIno?: number): Promise<JournalRead | undefined> {
  const fh = await openIfExists(file, OPEN.read);
  if (!fh) return undefined;
  try {
    const st = await fh.stat();
    const ino = Number(st.ino);
    if ((expectIno !== undefined && ino !== expectIno) || st.size < offset) return undefined;
    const lines: JournalRead["lines"] = [];
    if (st.size === offset) return { ino, end: offset, lines };
    const buf = Buffer.alloc(st.size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    let start = 0;
    let n = firstLine;
    for (let i = buf.indexOf(NEWLINE, 0); i >= 0 && i < bytesRead; i = buf.indexOf(NEWLINE, start)) {
      lines.push({ n: n++, text: buf.toString("utf8", start, i) });
      start = i + 1;
    }
    return { ino, end: offset + start, lines };
  } finally {
    await fh.close();
  }
}

/** The id a journal's first line names, or undefined when that line is not a header. */
export function headerId(line: string): string | undefined {
  try {
    const h = JSON.parse(line) as { journalId?: unknown };
    return typeof h?.journalId === "string" ? h.journalId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Appends a line where the last complete record ends (overwriting a torn tail a crashed writer
 * left) and cuts the file after it. Returns the new end; undefined when the journal is gone
 * (the caller then rewrites the state file whole).
 */
export async function appendLine(file: string, end: number, line: string): Promise<number | undefined> {
  const fh = await openIfExists(file, OPEN.update);
  if (!fh) return undefined;
  try {
    const buf = Buffer.from(line, "utf8");
    await fh.write(buf, 0, buf.length, end);
    await fh.truncate(end + buf.length);
    return end + buf.length;
  } finally {
    await fh.close();
  }
}

/**
 * Writes `text` to `file` atomically: a fresh private temporary file (OPEN.createNew: never an
 * existing file, nor a link someone left there), renamed over it (rename replaces a link in
 * `file`'s place, never what it points to). Returns the inode and size written.
 */
export async function writeWhole(file: string, text: string): Promise<{ ino: number; size: number; mtimeNs: bigint }> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  let created = false;
  try {
    const fh = await fs.open(tmp, OPEN.createNew, FILE_MODE);
    created = true;
    try {
      await fh.writeFile(text, "utf8");
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    // Only a file this call made is removed: a name someone else holds is left alone.
    if (created) await fs.rm(tmp, { force: true });
    throw e;
  }
  const st = await fs.lstat(file, { bigint: true });
  return { ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs };
}

/** Starts an empty journal that continues the state file carrying `id`. Returns its inode and end. */
export async function startJournal(file: string, id: string): Promise<{ ino: number; end: number }> {
  const st = await writeWhole(file, headerLine(id));
  return { ino: st.ino, end: st.size };
}
