/**
 * What the emulator keeps per host. Documents are stored as HNS returns them (HCN v2), keyed
 * by lower-case ID; fault plans and call counters live in the same file so that tests can
 * steer a provider running in another process.
 */
import { LocalStateError, issuesText } from "../../vocabulary/errors";
import { z } from "zod";
import type { HnsDocument, HnsKind } from "../client";
import type { HnsVersion } from "../../vocabulary/features";
import { HNS_DOCUMENT_SCHEMAS, HNS_KINDS } from "../client";
import { SCHEMA_VERSION_2_0 } from "../../hcn";
import { AccessKeyHash } from "./access";

export const FaultMode = z.enum([
  "fail", // refuse the call before it changes anything
  "lose-reply", // apply the call, then fail as if the reply was lost on the wire
]);
export type FaultMode = z.infer<typeof FaultMode>;

export const Op = z.enum(["version", "list", "get", "create", "modify", "delete"]);
export type Op = z.infer<typeof Op>;

export const Fault = z.object({
  mode: FaultMode,
  /** Trigger on the nth matching call from now (1 = the next one). */
  nth: z.number().int().min(1).default(1),
  op: Op.optional(),
  kind: z.enum(HNS_KINDS).optional(),
  /** HRESULT for mode "fail"; E_FAIL when omitted. */
  hresult: z.number().int().optional(),
});
export type Fault = z.infer<typeof Fault>;
export type FaultInput = z.input<typeof Fault>;

export type ObjectTable<K extends HnsKind> = Record<string, HnsDocument<K>>;

export const HOST_DEFAULT_NAMESPACE_ID = "f6a3cbd8-7a2e-4a3c-9d8e-000000000001";

/**
 * A document table: an object without a prototype, so every key is an ordinary key (a
 * document filed under "__proto__" or "constructor" is stored, found and deleted like any
 * other; on a plain object, assigning "__proto__" would set the prototype instead).
 */
export function newTable<T>(entries: Iterable<[string, T]> = []): Record<string, T> {
  const table = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) table[k] = v;
  return table;
}

export function initialState(version: HnsVersion, accessKey?: AccessKeyHash): EmulatorState {
  return {
    format: 1,
    version,
    ...(accessKey ? { accessKey } : {}),
    adapters: ["Ethernet"],
    bootCount: 0,
    macBlock: 0,
    objects: {
      network: newTable(),
      endpoint: newTable(),
      namespace: newTable([
        // The host's default compartment exists on every host (NamespaceId 1).
        [
          HOST_DEFAULT_NAMESPACE_ID,
          HNS_DOCUMENT_SCHEMAS.namespace.parse({
            ID: HOST_DEFAULT_NAMESPACE_ID,
            NamespaceId: 1,
            Type: "HostDefault",
            Resources: [],
            SchemaVersion: { ...SCHEMA_VERSION_2_0 },
          }),
        ],
      ]),
      loadBalancer: newTable(),
      route: newTable(),
    },
    faults: [],
    calls: {},
  };
}

/** Everything in a state file but the documents: what a journal record may carry as a change. */
export const StateFields = z.object({
  format: z.literal(1),
  /** The HNS version the host reports. */
  version: z.object({ Major: z.number().int(), Minor: z.number().int() }),
  /**
   * The key the host demands, hashed. A string is the key itself, as the previous version
   * stored it: the emulator replaces it with its hash at the first transaction.
   */
  accessKey: z.union([AccessKeyHash, z.string()]).optional(),
  /** Physical adapters present on the host, for NetAdapterName policies. */
  adapters: z.array(z.string()),
  bootCount: z.number().int(),
  /** Next 4096-address block of the host's MAC space handed to a network without a MacPool. */
  macBlock: z.number().int(),
  faults: z.array(Fault),
  /** Calls that changed state (create, modify, delete), by operation name, for tests and inspection. */
  calls: z.record(z.string(), z.number()),
});

/** What the emulator keeps per host: the fields above and the documents, typed by kind. */
export type EmulatorState = z.infer<typeof StateFields> & { objects: { [K in HnsKind]: ObjectTable<K> } };

const StateFile = StateFields.extend({
  // Each document is then checked on its own (documentDamage), naming its table and key. The
  // schema parse costs about 7 µs per endpoint (350 ms for 50,000, measured on the shared
  // 2-core development machine), paid only when another process changed the file.
  objects: z.object(Object.fromEntries(HNS_KINDS.map((k) => [k, z.record(z.string(), z.unknown())]))),
});

/**
 * The state in a file, checked: its shape, and every stored document (an object whose ID,
 * lower-cased, is its key), so a damaged file is reported here, naming what to repair,
 * instead of failing somewhere inside a call (and being written back as it was).
 */
export function parseState(raw: unknown, file: string): EmulatorState {
  const r = StateFile.safeParse(raw);
  if (!r.success) {
    throw new LocalStateError(`emulator state file ${file} has an unexpected shape: ${issuesText(r.error, { at: "" })}; restore it or delete it to start empty`);
  }
  // The tables are taken from the raw JSON, not zod's copy: JSON.parse keeps a "__proto__" key
  // as an own property, a copy made by assignment would drop it.
  const rawObjects = (raw as { objects: Record<HnsKind, Record<string, unknown>> }).objects;
  const damage = HNS_KINDS.flatMap((kind) => Object.entries(rawObjects[kind]).flatMap(([key, doc]) => documentDamage(kind, key, doc) ?? []));
  if (damage.length) {
    const shown = damage.slice(0, 3).join("; ") + (damage.length > 3 ? `; and ${damage.length - 3} more` : "");
    throw new LocalStateError(`emulator state file ${file} is damaged: ${shown}; restore it or delete ${damage.length > 1 ? "those entries" : "the entry"} (the file was left as it was)`);
  }
  const objects = Object.fromEntries(HNS_KINDS.map((kind) => [kind, newTable(Object.entries(rawObjects[kind]))])) as EmulatorState["objects"];
  return { ...r.data, objects };
}

/** Some of the fields outside the documents, as a journal record carries them; what is wrong with them, if anything. */
export function fieldsDamage(raw: Record<string, unknown>): string | undefined {
  const r = StateFields.partial().strict().safeParse(raw);
  return r.success ? undefined : issuesText(r.error, { at: "" });
}

/**
 * What is wrong with one stored document, if anything: its shape, its ID against its key, and
 * every field's type by the kind's HCN schema (the same one a create parses with), so a
 * document a call would trip over later (an IpConfigurations that is a string) is named here,
 * with its table and key, before any call runs. Values are not quoted: the message says where
 * and what type, never what the file holds.
 */
export function documentDamage(kind: HnsKind, key: string, doc: unknown): string | undefined {
  const where = `${kind} entry ${JSON.stringify(key)}`;
  if (doc === null) return `${where} is null`;
  if (Array.isArray(doc)) return `${where} is an array, not a document`;
  if (typeof doc !== "object") return `${where} is a ${typeof doc}, not a document`;
  const id = (doc as { ID?: unknown }).ID;
  if (typeof id !== "string" || id === "") return `${where} has no ID`;
  if (id.toLowerCase() !== key) return `${where} has ID ${JSON.stringify(id)} (documents are filed under their lower-case ID)`;
  const parsed = HNS_DOCUMENT_SCHEMAS[kind].safeParse(doc);
  return parsed.success ? undefined : `${where}: ${issuesText(parsed.error, { at: "(document)", limit: 1, words: "type" })} for an HCN ${kind}`;
}
