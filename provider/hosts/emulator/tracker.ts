/**
 * What a transaction touched, without copying the state: while it runs, each document table
 * is seen through a proxy that notes every key read, written or deleted. A document can only
 * be changed by first reaching it through its table, so at the end only the noted documents
 * can differ from what is on disk; the store compares those (and only those) with their
 * last written JSON, to journal them or to put them back.
 */
type Table = Record<string, unknown>;

export class Tracker {
  /** Keys noted per table, in the order first seen. */
  readonly touched = new Map<string, Set<string>>();
  private readonly raw: Record<string, Table>;

  constructor(
    private readonly holder: Record<string, unknown>,
    private readonly field: string,
  ) {
    this.raw = holder[field] as Record<string, Table>;
    const view: Record<string, Table> = {};
    for (const [name, table] of Object.entries(this.raw)) {
      const keys = new Set<string>();
      this.touched.set(name, keys);
      const note = (key: string | symbol) => {
        if (typeof key === "string") keys.add(key);
      };
      view[name] = new Proxy(table, {
        get(target, key, receiver) {
          note(key);
          return Reflect.get(target, key, receiver);
        },
        set(target, key, value, receiver) {
          note(key);
          return Reflect.set(target, key, value, receiver);
        },
        deleteProperty(target, key) {
          note(key);
          return Reflect.deleteProperty(target, key);
        },
        defineProperty(target, key, desc) {
          note(key);
          return Reflect.defineProperty(target, key, desc);
        },
      });
    }
    holder[field] = view;
  }

  /** The tables themselves, for code that must not be noted (the store's own bookkeeping). */
  tables(): Record<string, Table> {
    return this.raw;
  }

  /** Stops noting: the state holds its plain tables again. */
  detach(): void {
    this.holder[this.field] = this.raw;
  }

  /** The noted keys so far, to undo only what comes after. */
  mark(): Map<string, Set<string>> {
    return new Map([...this.touched].map(([t, keys]) => [t, new Set(keys)]));
  }
}
