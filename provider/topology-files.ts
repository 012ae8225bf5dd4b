/**
 * Topology and lock files on disk, for hns-plan and the Topology component alike: topology
 * documents (YAML or JSON), and the lock file (written atomically, so an interrupted run never
 * leaves half a lock behind).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { HnsError, isHnsError } from "./vocabulary/errors";
import { emptyLock, formatLock, parseLock, type Lock } from "./planner/lock";

/** Input that cannot be used: a bad option value, a missing or unreadable file, bad YAML, a bad lock (hns-plan: exit 2). */
export class InputError extends HnsError {
  constructor(message: string, fix?: string) {
    super({ code: "InvalidInput", message, fix });
  }
}

export const DEFAULT_TOPOLOGY_FILES = ["hns.topology.yaml", "hns.topology.yml", "hns.topology.json"];
export const DEFAULT_LOCK_FILE = "hns.lock.json";

export function findTopology(given: string | undefined, cwd = process.cwd()): string {
  if (given) return path.resolve(cwd, given);
  const found = DEFAULT_TOPOLOGY_FILES.map((f) => path.resolve(cwd, f)).find((f) => fs.existsSync(f));
  if (!found) throw new InputError(`no topology file: pass -f <file>, or create ${DEFAULT_TOPOLOGY_FILES[0]} here`);
  return found;
}

/**
 * Limits on a topology document, so a hostile or broken file gets a clear error instead of
 * exhausting time and memory (docs/security.md states them):
 * - its size: a fleet of a few thousand endpoints is a few hundred KiB. At the limit, 2 MiB
 *   (about 68,000 endpoints written one flow mapping a line), `hns-plan validate` peaked at
 *   394 MB resident (215 MB of it the run-time alone) on the development machine; 4 MiB took
 *   656 MB, and the 250,000 endpoints 1.3 GB;
 * - aliases: each `*alias` is expanded where it is used, so a few lines of nested aliases expand
 *   to billions of nodes ("billion laughs"); yaml counts the expansion against maxAliasCount
 *   (https://eemeli.org/yaml/#tojs-options);
 * - tags: a topology is plain data (maps, lists, strings, numbers, booleans, null), so a tag
 *   the YAML 1.2 core schema does not know (`!!js/function`, `!!binary`, `!foo`) is refused
 *   rather than read as a string; yaml's YAML 1.1 extras (`!!binary`, `!!set`, `!!omap`,
 *   `!!pairs`, `!!timestamp`) are turned off too (resolveKnownTags, https://eemeli.org/yaml/#parse-options).
 */
export const TOPOLOGY_LIMITS = { maxBytes: 2 * 1024 * 1024, maxAliasCount: 100 } as const;

/** Parses YAML (JSON is YAML too) with line and column in every syntax error. */
export function parseTopologyText(text: string, file: string): unknown {
  if (Buffer.byteLength(text, "utf8") > TOPOLOGY_LIMITS.maxBytes) throw tooLarge(file);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, schema: "core", resolveKnownTags: false });
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (problem) {
    const at = problem.linePos?.[0] ? `${problem.linePos[0].line}:${problem.linePos[0].col}` : "?";
    const fix = problem.code === "TAG_RESOLVE_FAILED" ? "a topology holds plain data only: remove the tag (YAML tags such as !!js/function or !!binary are not read)" : undefined;
    throw new InputError(`${file}:${at}: ${problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`, fix);
  }
  try {
    return doc.toJS({ maxAliasCount: TOPOLOGY_LIMITS.maxAliasCount });
  } catch (e) {
    if (e instanceof ReferenceError) {
      throw new InputError(`${file}: its aliases expand to more than ${TOPOLOGY_LIMITS.maxAliasCount} times the nodes they name (${e.message})`, "write the repeated parts out, or use fewer nested aliases");
    }
    throw e;
  }
}

function tooLarge(file: string): InputError {
  return new InputError(`${file} is larger than ${TOPOLOGY_LIMITS.maxBytes} bytes, the most a topology file may have`, "split the hosts over several topology files (one per fleet or site)");
}

export function readTopology(file: string): unknown {
  let text: string;
  try {
    text = readBounded(file, TOPOLOGY_LIMITS.maxBytes, () => tooLarge(file));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTopologyText(text, file);
}

/**
 * Reads at most max bytes of a file, or of stdin ("-" as fd 0), one more to tell a larger
 * input: a huge file or a device that never ends (/dev/zero) is never read whole.
 */
export function readBounded(file: string | number, max: number, tooLarge: () => Error): string {
  // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (signals stay deliverable),
  // and only a regular file is read; stdin (a pipe) is read as given.
  const fd = typeof file === "number" ? file : fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (typeof file !== "number" && !fs.fstatSync(fd).isFile()) {
      throw new InputError(`${file} is not a regular file (a FIFO, a device or a directory)`, "give a file");
    }
    const buf = Buffer.alloc(Math.min(max + 1, 1024 * 1024));
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, got)));
      n += got;
      if (n > max) throw tooLarge();
    }
    return Buffer.concat(chunks, n).toString("utf8");
  } finally {
    if (typeof file !== "number") fs.closeSync(fd);
  }
}

/** The lock next to the topology unless given; an absent lock is an empty one. */
export function lockPathFor(topologyFile: string, given?: string): string {
  return given ? path.resolve(given) : path.join(path.dirname(topologyFile), DEFAULT_LOCK_FILE);
}

/** A lock file is data a repository hands over: at most this many bytes. */
const MAX_LOCK_BYTES = 16 * 1024 * 1024;

export function readLock(file: string): Lock {
  if (!fs.existsSync(file)) return emptyLock();
  // A link in the lock's place (a hostile repository's) is neither read nor quoted.
  if (fs.lstatSync(file).isSymbolicLink()) throw new InputError(`${file} is a symbolic link`, "replace the link with the lock file itself (hns-plan lock writes one)");
  const text = readBounded(file, MAX_LOCK_BYTES, () => new InputError(`${file} is larger than ${MAX_LOCK_BYTES} bytes`, "delete it and run npx hns-plan lock again"));
  try {
    return parseLock(text);
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`, isHnsError(e) ? e.fix : undefined);
  }
}

/** Writes the lock only when its bytes change; returns whether it did. */
export function writeLock(file: string, lock: Lock): boolean {
  const text = formatLock(lock);
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return true;
}
