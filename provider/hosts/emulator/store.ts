/**
 * The emulator's state file: one JSON file per host, changed only inside a transaction that
 * holds an in-process queue (for concurrent calls in one process) and a lock file (for
 * several processes: the Pulumi engine runs providers in their own process).
 *
 * The state stays in memory, parsed and checked, while the files are unchanged (a stat of each
 * tells); a transaction changes it in place. What it changed goes to an append-only journal
 * next to the state file (journal.ts), and the state file is rewritten whole (atomically: temp
 * file + rename) only when the journal has grown as large as it (or is missing, or the file is
 * from an older version). A process that finds the journal longer than when it last looked
 * applies just the new records; one that finds the state file replaced reads both again.
 * Each document is checked where it enters: when a file or a journal record is read, and by
 * the HNS rules that create or modify it, never again on a later call.
 *
 * The state holds a host's secrets (its access key's hash, fault plans), so everything here is
 * its owner's alone: files 0600, the lock (a directory: proper-lockfile's atomic primitive is
 * mkdir) and any directory the store creates 0700. A directory that exists is left as it is.
 */
import { LocalStateError } from "../../vocabulary/errors";
import * as nodeFs from "node:fs";
import { acquireLock, enqueued, finishCall } from "./host-lock";
import { appendLine, headerId, journalFile, newJournalId, readJournal, readPrivate, recordLine, startJournal, writeWhole } from "./journal";
import { replay, sameStamp, type Layout, type Loaded, type Stamp } from "./loaded-state";
import { Tracker } from "./tracker";

export type { Layout } from "./loaded-state";

const fs = nodeFs.promises;
/** The journal is folded into the state file once it is this long and as long as the file. */
export const JOURNAL_MIN_BYTES = 1 << 20;
/** The state file's field naming the journal that continues it. */
const JOURNAL_ID = "journalId";

const queues = new Map<string, Promise<unknown>>();

export interface Transaction<S> {
  state: S;
  /** Set to write the state even when nothing in it changed. */
  dirty: boolean;
  /**
   * Set to write the state file whole and start a new journal, so no earlier version of what
   * changed survives in either file (a plaintext access key replaced by its hash).
   */
  rewrite?: boolean;
  /** Runs fn; if it throws, what it changed is put back as it was, then the error goes on. */
  atomic<T>(fn: () => T): T;
}

export class StateStore<S extends object> {
  private cached?: Loaded<S>;
  private readonly journal: string;

  constructor(
    readonly file: string,
    private readonly initial: () => S | Promise<S>,
    /** Checks what the file holds; its errors are thrown before anything is written. */
    private readonly parse: (raw: unknown, file: string) => S,
    private readonly layout?: Layout<S>,
    private readonly journalMinBytes = JOURNAL_MIN_BYTES,
  ) {
    this.journal = journalFile(file);
  }

  /**
   * Runs fn with exclusive access to the state; what it changes is written. `writes: false`
   * promises that fn leaves the documents alone (it may still change other fields), so they
   * are not watched.
   */
  transaction<T>(fn: (tx: Transaction<S>) => T | Promise<T>, options: { writes?: boolean } = {}): Promise<T> {
    return this.queued(() => this.locked(fn, options.writes ?? true, true));
  }

  /** Reads the state under the lock; a host with no file yet reads as new, and nothing is written. */
  read<T>(fn: (state: S) => T): Promise<T> {
    return this.queued(() => this.locked((tx) => fn(tx.state), false, false));
  }

  /** Rewrites the state file whole and starts an empty journal. */
  compact(): Promise<void> {
    return this.transaction((tx) => {
      tx.dirty = true;
      this.cached!.rewrite = true;
    });
  }

  private queued<T>(run: () => Promise<T>): Promise<T> {
    enqueued(this.file);
    const prev = queues.get(this.file) ?? Promise.resolve();
    const next = prev.then(run, run);
    const tail = next.catch(() => undefined);
    queues.set(this.file, tail);
    void tail.then(() => {
      if (queues.get(this.file) === tail) queues.delete(this.file);
    });
    return next;
  }

  private async locked<T>(fn: (tx: Transaction<S>) => T | Promise<T>, writes: boolean, persist: boolean): Promise<T> {
    try {
      await acquireLock(this.file);
    } catch (e) {
      await finishCall(this.file, true);
      throw e;
    }
    let failed = false;
    try {
      let loaded = await this.refresh();
      const fresh = loaded === undefined;
      if (!loaded) {
        const state = await this.initial();
        if (!persist) return await fn({ state, dirty: false, atomic: (f) => f() });
        loaded = this.adopt(state, undefined, undefined);
      }
      const state = loaded.state;
      const tracker = writes && this.layout ? new Tracker(state as Record<string, unknown>, this.layout.tables) : undefined;
      const tx: Transaction<S> = { state, dirty: fresh, atomic: (f) => this.atomic(loaded, tracker, f) };
      let result: T;
      let failure: unknown;
      try {
        result = await fn(tx);
      } catch (e) {
        failure = e;
      } finally {
        tracker?.detach();
      }
      // Faults such as "commit but lose the reply" change state and then throw: write first.
      if (persist) {
        try {
          await this.commit(loaded, tx, tracker);
        } catch (e) {
          // Memory and disk may now differ: read the files again next time.
          this.cached = undefined;
          failed = true;
          throw e;
        }
      }
      if (failure !== undefined) throw failure;
      return result!;
    } finally {
      await finishCall(this.file, failed);
    }
  }

  // ---- reading ----

  /** The state as the files hold it now, reading only what changed since this process last looked. */
  private async refresh(): Promise<Loaded<S> | undefined> {
    let st: nodeFs.BigIntStats;
    try {
      // lstat: a link in the state file's place is refused when it is read (readPrivate), not followed.
      st = await fs.lstat(this.file, { bigint: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      this.cached = undefined;
      return undefined;
    }
    const stamp = { ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs };
    const c = this.cached;
    if (c?.stamp && sameStamp(c.stamp, stamp)) {
      if (!c.journal) return c;
      const more = await readJournal(this.journal, c.journal.end, c.journal.lines + 1, c.journal.ino);
      if (more) {
        try {
          replay(this.layout!, this.journal, c, more.lines);
        } catch (e) {
          this.cached = undefined;
          throw e;
        }
        c.journal.end = more.end;
        c.journal.lines += more.lines.length;
        return c;
      }
      // The journal was replaced or cut under the same state file: read everything again.
    }
    this.cached = undefined;
    const loaded = await this.loadWhole(stamp, (Number(st.mode) & 0o077) !== 0);
    this.cached = loaded;
    return loaded;
  }

  private async loadWhole(stamp: Stamp, notPrivate: boolean): Promise<Loaded<S>> {
    const text = await readPrivate(this.file, "emulator state file");
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      // Where, never what: the text may be anything a link or a mistake put there.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      throw new LocalStateError(`emulator state file ${this.file} is not valid JSON${at ? ` (at byte ${at})` : ""}; restore it or delete it to start empty`);
    }
    let id: string | undefined;
    if (raw !== null && typeof raw === "object" && JOURNAL_ID in raw) {
      id = String((raw as Record<string, unknown>)[JOURNAL_ID]);
      delete (raw as Record<string, unknown>)[JOURNAL_ID];
    }
    const loaded = this.adopt(this.parse(raw, this.file), stamp, id);
    // A file left readable by others (an older version's) is rewritten, so it becomes 0600.
    loaded.rewrite ||= notPrivate;
    const read = id === undefined || !this.layout ? undefined : await readJournal(this.journal, 0, 1);
    if (read && read.lines.length > 0 && headerId(read.lines[0].text) === id) {
      replay(this.layout!, this.journal, loaded, read.lines.slice(1));
      loaded.journal = { ino: read.ino, end: read.end, lines: read.lines.length };
    } else {
      // No journal, or one left from before the state file was last rewritten (already in it):
      // removed now, as the rewrite would replace it, so what it held does not stay on disk
      // (a process killed between writing the state file and the new journal leaves one).
      if (read && this.layout) await fs.rm(this.journal, { force: true });
      loaded.rewrite = true;
    }
    return loaded;
  }

  /** Remembers a state and the JSON of each of its parts. */
  private adopt(state: S, stamp: Stamp | undefined, journalId: string | undefined): Loaded<S> {
    const docs = new Map<string, Map<string, string>>();
    const fields = new Map<string, string>();
    for (const [k, v] of Object.entries(state)) {
      if (k === this.layout?.tables) {
        for (const [table, entries] of Object.entries(v as Record<string, Record<string, unknown>>)) {
          docs.set(table, new Map(Object.entries(entries).map(([key, doc]) => [key, JSON.stringify(doc)])));
        }
      } else if (v !== undefined) fields.set(k, JSON.stringify(v));
    }
    const loaded: Loaded<S> = { state, stamp, journalId, rewrite: stamp === undefined, docs, fields };
    this.layout?.indexAll?.(state);
    this.cached = loaded;
    return loaded;
  }

  // ---- changing ----

  /** fn's changes are undone if it throws: its documents from their JSON, the other fields likewise. */
  private atomic<T>(loaded: Loaded<S>, tracker: Tracker | undefined, fn: () => T): T {
    const state = loaded.state as Record<string, unknown>;
    const fieldsBefore = new Map(Object.entries(state).filter(([k]) => k !== this.layout?.tables).map(([k, v]) => [k, JSON.stringify(v)]));
    const before = tracker?.mark();
    // Documents touched earlier in this transaction may differ from disk: keep them as they are now.
    const earlier = new Map<string, string | undefined>();
    if (tracker) {
      for (const [t, keys] of before!) for (const k of keys) earlier.set(`${t}\0${k}`, jsonOf(tracker.tables()[t], k));
    }
    try {
      return fn();
    } catch (e) {
      for (const k of Object.keys(state)) if (k !== this.layout?.tables && !fieldsBefore.has(k)) delete state[k];
      for (const [k, text] of fieldsBefore) if (text !== undefined) state[k] = JSON.parse(text);
      if (tracker) {
        for (const [t, keys] of tracker.touched) {
          for (const k of keys) {
            const id = `${t}\0${k}`;
            const text = earlier.has(id) ? earlier.get(id) : loaded.docs.get(t)!.get(k);
            const table = tracker.tables()[t];
            if (text === undefined) {
              if (Object.hasOwn(table, k)) delete table[k];
            } else table[k] = JSON.parse(text);
          }
        }
      }
      throw e;
    }
  }

  /** Writes what the transaction changed: a journal record, or the state file whole. */
  private async commit(loaded: Loaded<S>, tx: Transaction<S>, tracker: Tracker | undefined): Promise<void> {
    const replaced = tx.state !== loaded.state;
    if (replaced) {
      // The transaction replaced the state: nothing to compare, write it whole.
      loaded = this.adopt(tx.state, loaded.stamp, loaded.journalId);
      loaded.rewrite = true;
    }
    const state = loaded.state as Record<string, unknown>;
    const fields: [string, string][] = [];
    const unset: string[] = [];
    for (const [k, v] of Object.entries(state)) {
      if (k === this.layout?.tables || v === undefined) continue;
      const text = JSON.stringify(v);
      if (loaded.fields.get(k) !== text) fields.push([k, text]);
    }
    for (const k of loaded.fields.keys()) if (state[k] === undefined) unset.push(k);
    const set: [string, string, string][] = [];
    const del: [string, string][] = [];
    for (const [t, keys] of tracker?.touched ?? []) {
      const table = tracker!.tables()[t];
      const before = loaded.docs.get(t)!;
      for (const k of keys) {
        const text = jsonOf(table, k);
        if (text === before.get(k)) continue;
        if (text === undefined) del.push([t, k]);
        else set.push([t, k, text]);
      }
    }
    loaded.rewrite ||= tx.rewrite === true;
    // Nothing changed, nothing written (a file to rewrite, e.g. an older version's, waits for a change).
    if (!tx.dirty && !replaced && set.length + del.length + fields.length + unset.length === 0) return;

    // Remember the new JSON first: a rewrite below needs it, and a failed write drops it all.
    for (const [k, text] of fields) loaded.fields.set(k, text);
    for (const k of unset) loaded.fields.delete(k);
    for (const [t, k, text] of set) loaded.docs.get(t)!.set(k, text);
    for (const [t, k] of del) loaded.docs.get(t)!.delete(k);
    const index = this.layout?.indexOne;
    if (index) {
      const tables = state[this.layout!.tables] as Record<string, Record<string, unknown>>;
      for (const [t, k] of set) index(loaded.state, t, k, tables[t][k]);
      for (const [t, k] of del) index(loaded.state, t, k, undefined);
    }

    const line = recordLine(set, del, fields, unset);
    const j = loaded.journal;
    if (!loaded.rewrite && j && this.layout && j.end + Buffer.byteLength(line) <= Math.max(this.journalMinBytes, loaded.stamp!.size)) {
      const end = await appendLine(this.journal, j.end, line);
      if (end !== undefined) {
        j.end = end;
        j.lines++;
        return;
      }
    }
    await this.rewrite(loaded);
  }

  /** Writes the state file whole under a new journal id, then an empty journal continuing it. */
  private async rewrite(loaded: Loaded<S>): Promise<void> {
    if (!this.layout) {
      loaded.stamp = await writeWhole(this.file, JSON.stringify(loaded.state) + "\n");
      loaded.rewrite = false;
      return;
    }
    const id = newJournalId();
    // Crash after this rename and before the next: the old journal names the old id and is ignored.
    loaded.stamp = await writeWhole(this.file, JSON.stringify({ ...loaded.state, [JOURNAL_ID]: id }) + "\n");
    loaded.journalId = id;
    const j = await startJournal(this.journal, id);
    loaded.journal = { ...j, lines: 1 };
    loaded.rewrite = false;
  }
}

function jsonOf(table: Record<string, unknown>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? JSON.stringify(table[key]) : undefined;
}
