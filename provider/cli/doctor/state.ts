/**
 * What `hns-plan doctor` reads from a stack's state: the JSON `pulumi stack export
 * --show-secrets` prints (apitype.UntypedDeployment, version 3). Only the parts doctor uses
 * are checked; secrets are decoded in memory and never written anywhere.
 */
import { issuesText } from "../../vocabulary/errors";
import { inputShapeProblems } from "../../vocabulary/values";
import { z } from "zod";
import { Host } from "../../hosts/host";
import { stackTag } from "../../kinds/identity";
import { REGISTRY, dynamicTokenOf, type ResourceKind } from "../../kinds/registry";
import { InputError } from "../../topology-files";

/**
 * Pulumi's marker for a secret value in a serialized state (resource.SecretSig in
 * pulumi/sdk go/common/resource/properties.go): `{ <key>: <value>, plaintext | ciphertext }`.
 */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const StateResource = z.looseObject({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});

const PendingOperation = z.looseObject({
  resource: StateResource,
  /** creating, updating, deleting, reading, importing. */
  type: z.string(),
});

export const StackExport = z.looseObject({
  version: z.number(),
  deployment: z.looseObject({
    resources: z.array(StateResource).nullish(),
    pending_operations: z.array(PendingOperation).nullish(),
  }),
});
export type StackExport = z.infer<typeof StackExport>;

/** The pulumi-hns resource types as the state records them (a dynamic resource's type token, sdk/shim.ts). */
export const HNS_TYPES: Readonly<Record<string, ResourceKind>> = Object.fromEntries((Object.keys(REGISTRY) as ResourceKind[]).map((kind) => [dynamicTokenOf(REGISTRY[kind]), kind]));

/** One pulumi-hns resource of the state: recorded (with its ID) or only pending. */
export interface StateEntry {
  urn: string;
  kind: ResourceKind;
  /** The ID the state holds; undefined for a pending create. */
  id?: string;
  /** The engine's checked inputs (what create was, or would be, called with). */
  inputs: Record<string, unknown>;
  /** Outputs of a recorded resource (what read and delete take). */
  outputs: Record<string, unknown>;
  host: Host;
  /** For a pending operation: its type (creating, deleting, …). */
  pending?: string;
  /**
   * Why the entry does not look like the named stack's own (its URN or seed names another
   * stack): it is reported, its pending create adopts nothing, and nothing is deleted for it.
   */
  suspicious?: string;
}

/** The stack doctor looks after, as the user named it: never taken from the export. */
export interface Owner {
  project: string;
  stack: string;
  /**
   * The fleet the stack deploys a host group of (`hns-plan fleet`, docs/fleets.md): its resources
   * are seeded by `<project>/<fleet>`, so its objects carry the fleet's tag, not the stack's.
   */
  fleet?: string;
}

/** What seeds the owner's IDs: `<project>/<stack>`, or `<project>/<fleet>` for a fleet's stack. */
export function seedPrefixOf(owner: Owner): string {
  return `${owner.project}/${owner.fleet ?? owner.stack}`;
}

export interface StackState {
  owner: Owner;
  /** The owner's tag (stackTag of seedPrefixOf): the first 8 hex digits of the IDs its resources made. */
  tag: string;
  /** Recorded resources. */
  resources: StateEntry[];
  /** Resources with an operation the engine started and never saw finish. */
  pending: StateEntry[];
}

/**
 * Parses the export text, naming what is wrong and how to get a usable one. Ownership is the
 * owner's, as the user named it: a resource's URN or seed in the export only makes it
 * suspicious when it disagrees, and never widens what doctor counts as the stack's.
 */
/** Resource inputs nest a few levels inside an export's own few; 256 leaves room for any program's. */
const EXPORT_MAX_DEPTH = 256;

export function readStackExport(text: string, source: string, owner: Owner): StackState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the text, which holds secrets in plaintext: only where.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new InputError(`${source} is not JSON${at ? ` (at character ${at})` : ""}: give the output of \`pulumi stack export --show-secrets\``);
  }
  // Nesting no export of Pulumi's has: refused before any walk of it can run out of stack.
  const deep = inputShapeProblems(raw, EXPORT_MAX_DEPTH, Number.MAX_SAFE_INTEGER).find((p) => /levels deep/.test(p.reason));
  if (deep) throw new InputError(`${source} is nested more than ${EXPORT_MAX_DEPTH} levels deep (at ${deep.path.join(".")}), which no stack export is: give the output of \`pulumi stack export --show-secrets\``);
  const parsed = StackExport.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(`${source} is not a stack export (${issuesText(parsed.error, { at: "(root)", limit: 1 })}): give the output of \`pulumi stack export --show-secrets\``);
  }
  if (parsed.data.version !== 3) throw new InputError(`${source} is a version ${parsed.data.version} stack export; doctor reads version 3 (Pulumi 3.x)`);
  const d = parsed.data.deployment;
  const resources = (d.resources ?? []).flatMap((r) => entry(r, source, owner));
  const pending = (d.pending_operations ?? []).flatMap((op) => entry(op.resource, source, owner).map((e) => ({ ...e, pending: op.type })));
  return { owner, tag: stackTag(seedPrefixOf(owner))!, resources, pending };
}

function entry(r: z.infer<typeof StateResource>, source: string, owner: Owner): StateEntry[] {
  const kind = HNS_TYPES[r.type as keyof typeof HNS_TYPES];
  if (!kind) return [];
  const inputs = revealed(r.inputs ?? {}, `${source}: ${r.urn}`) as Record<string, unknown>;
  const outputs = revealed(r.outputs ?? {}, `${source}: ${r.urn}`) as Record<string, unknown>;
  const host = Host.safeParse(outputs.host ?? inputs.host);
  if (!host.success) throw new InputError(`${source}: ${r.urn} has no usable host block (${issuesText(host.error, { at: false, limit: 1 })})`);
  const suspicious = disagreement(r.urn, inputs.__seed, owner);
  return [{ urn: r.urn, kind, id: r.id || undefined, inputs, outputs, host: host.data, ...(suspicious ? { suspicious } : {}) }];
}

/** What in an entry names another stack than the owner, if anything. */
function disagreement(urn: string, seed: unknown, owner: Owner): string | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  if (!m || m[1] !== owner.stack || m[2] !== owner.project) return `its URN is not of stack ${owner.project}/${owner.stack}`;
  if (seed !== undefined && (typeof seed !== "string" || !seed.startsWith(`${seedPrefixOf(owner)}/`))) {
    if (owner.fleet) return `its __seed is not of fleet ${owner.project}/${owner.fleet}`;
    // A stack of hns-plan fleet seeds by its fleet (<fleet>-<group> seeded <project>/<fleet>): say so.
    const fleet = typeof seed === "string" && seed.startsWith(`${owner.project}/`) ? seed.split("/")[1] : undefined;
    const hint = fleet && owner.stack.startsWith(`${fleet}-`) ? ` (it is seeded as a stack of fleet ${fleet}: pass --fleet ${fleet})` : "";
    return `its __seed names another stack than ${owner.project}/${owner.stack}${hint}`;
  }
  return undefined;
}

/** Replaces every secret envelope by its value; an encrypted one means the export lacked --show-secrets. */
function revealed(v: unknown, where: string): unknown {
  if (Array.isArray(v)) return v.map((x) => revealed(x, where));
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG_KEY] === SECRET_SIG_VALUE) {
    if (typeof o.plaintext === "string") return revealed(plaintextOf(o.plaintext, where), where);
    throw new InputError(`${where} holds encrypted secrets: export with \`pulumi stack export --show-secrets\` (doctor needs the host credentials to connect)`);
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revealed(x, where)]));
}

function plaintextOf(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${where} holds a secret whose plaintext is not JSON: give the unedited output of \`pulumi stack export --show-secrets\``);
  }
}
