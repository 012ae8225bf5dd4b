/**
 * The state as a store holds it (each document's JSON as on disk beside it), and how a
 * journal's records are checked and applied to it.
 */
import type { JournalRecord } from "./journal";

/** How the store sees a state: which field holds document tables, and how to check what a journal carries. */
export interface Layout<S> {
  /** state[tables][table][key] is a document, journaled on its own. */
  tables: keyof S & string;
  /** What is wrong with a document read from a journal, if anything (naming the table and key). */
  documentDamage(table: string, key: string, doc: unknown): string | undefined;
  /** What is wrong with the other fields a journal record sets, if anything. */
  fieldsDamage(fields: Record<string, unknown>): string | undefined;
  /** Told of a state loaded whole, and of each document changed afterwards, to keep indexes. */
  indexAll?(state: S): void;
  indexOne?(state: S, table: string, key: string, doc: unknown): void;
}

/** What identifies one version of a file: a write is a rename, so the inode changes too. */
export interface Stamp {
  ino: number;
  size: number;
  mtimeNs: bigint;
}
export const sameStamp = (a: Stamp, b: Stamp) => a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

/** The state as this process last read or wrote it, with the JSON of each part as it is on disk. */
export interface Loaded<S> {
  state: S;
  /** The state file's stamp; undefined for a state not written yet. */
  stamp?: Stamp;
  journalId?: string;
  /** The journal continuing this state file, read up to `end` (line `lines`). */
  journal?: { ino: number; end: number; lines: number };
  /** Set when the next write must rewrite the state file whole. */
  rewrite: boolean;
  /** JSON per document, per table. */
  docs: Map<string, Map<string, string>>;
  /** JSON per field outside the tables. */
  fields: Map<string, string>;
}

/** Checks each record whole, then applies it; the first damaged one stops the load. */
export function replay<S>(layout: Layout<S>, journal: string, loaded: Loaded<S>, lines: { n: number; text: string }[]): void {
  for (const { n, text } of lines) {
    const rec = checkRecord(layout, journal, loaded, n, text);
    const tables = (loaded.state as Record<string, unknown>)[layout.tables] as Record<string, Record<string, unknown>>;
    for (const [t, k, doc] of rec.set ?? []) {
      tables[t][k] = doc;
      loaded.docs.get(t)!.set(k, JSON.stringify(doc));
      layout.indexOne?.(loaded.state, t, k, doc);
    }
    for (const [t, k] of rec.del ?? []) {
      delete tables[t][k];
      loaded.docs.get(t)!.delete(k);
      layout.indexOne?.(loaded.state, t, k, undefined);
    }
    for (const [k, v] of Object.entries(rec.fields ?? {})) {
      (loaded.state as Record<string, unknown>)[k] = v;
      loaded.fields.set(k, JSON.stringify(v));
    }
    for (const k of rec.unset ?? []) {
      delete (loaded.state as Record<string, unknown>)[k];
      loaded.fields.delete(k);
    }
  }
}

function checkRecord<S>(layout: Layout<S>, journal: string, loaded: Loaded<S>, n: number, text: string): JournalRecord {
  const fail = (why: string) =>
    new Error(
      `emulator journal ${journal} is damaged at line ${n}: ${why}; restore it, or delete the journal to go back to the state file as last written whole (the files were left as they were)`,
    );
  let rec: JournalRecord;
  try {
    rec = JSON.parse(text) as JournalRecord;
  } catch {
    // Not the parser's message: it quotes the line, which may hold anything.
    throw fail("not valid JSON");
  }
  if (rec === null || typeof rec !== "object" || Array.isArray(rec)) throw fail("not a record");
  const table = (t: unknown) => {
    if (typeof t !== "string" || !loaded.docs.has(t)) throw fail(`unknown table ${JSON.stringify(t)}`);
  };
  const entries = (x: unknown, width: number) => {
    if (x !== undefined && !(Array.isArray(x) && x.every((e) => Array.isArray(e) && e.length === width && typeof e[1] === "string"))) {
      throw fail(`${width === 3 ? "set" : "del"} is not a list of [table, key${width === 3 ? ", document" : ""}]`);
    }
  };
  entries(rec.set, 3);
  entries(rec.del, 2);
  for (const [t, k, doc] of rec.set ?? []) {
    table(t);
    const damage = layout.documentDamage(t, k, doc);
    if (damage) throw fail(damage);
  }
  for (const [t] of rec.del ?? []) table(t);
  if (rec.fields !== undefined) {
    const damage = rec.fields !== null && typeof rec.fields === "object" && !(layout.tables in rec.fields) ? layout.fieldsDamage(rec.fields) : "fields is not an object of fields";
    if (damage) throw fail(damage);
  }
  if (rec.unset !== undefined && !(Array.isArray(rec.unset) && rec.unset.every((k) => typeof k === "string" && k !== layout.tables))) {
    throw fail("unset is not a list of field names");
  }
  return rec;
}

