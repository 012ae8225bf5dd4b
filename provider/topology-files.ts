/**
 * Topology and lock files on disk, for hns-plan and the Topology component alike: topology
 * documents (YAML or JSON), and the lock file (written atomically, so an interrupted run never
 * leaves half a lock behind).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { HnsError, isHnsError } from "./errors";
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

/** Parses YAML (JSON is YAML too) with line and column in every syntax error. */
export function parseTopologyText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const at = e.linePos?.[0] ? `${e.linePos[0].line}:${e.linePos[0].col}` : "?";
    throw new InputError(`${file}:${at}: ${e.message.split("\n")[0]}`);
  }
  return doc.toJS();
}

export function readTopology(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTopologyText(text, file);
}

/** The lock next to the topology unless given; an absent lock is an empty one. */
export function lockPathFor(topologyFile: string, given?: string): string {
  return given ? path.resolve(given) : path.join(path.dirname(topologyFile), DEFAULT_LOCK_FILE);
}

export function readLock(file: string): Lock {
  if (!fs.existsSync(file)) return emptyLock();
  try {
    return parseLock(fs.readFileSync(file, "utf8"));
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
