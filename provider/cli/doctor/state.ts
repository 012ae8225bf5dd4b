/**
 * What `hns-plan doctor` reads from a stack's state: the JSON `pulumi stack export
 * --show-secrets` prints (apitype.UntypedDeployment, version 3). Only the parts doctor uses
 * are checked; secrets are decoded in memory and never written anywhere.
 */
import { z } from "zod";
import { Host } from "../../hosts/host";
import { stackTag } from "../../resources/common";
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

/** The pulumi-hns resource types as the state records them (a dynamic resource's type token). */
export const HNS_TYPES = {
  "pulumi-nodejs:dynamic/hns:Network": "network",
  "pulumi-nodejs:dynamic/hns:Endpoint": "endpoint",
  "pulumi-nodejs:dynamic/hns:Policy": "policy",
} as const;
export type ResourceKind = (typeof HNS_TYPES)[keyof typeof HNS_TYPES];

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
}

export interface StackState {
  /** Tags (stackTag) of the stacks whose resources the state holds: normally exactly one. */
  tags: string[];
  /** Recorded resources. */
  resources: StateEntry[];
  /** Resources with an operation the engine started and never saw finish. */
  pending: StateEntry[];
}

/** Parses the export text, naming what is wrong and how to get a usable one. */
export function readStackExport(text: string, source: string): StackState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source} is not JSON (${(e as Error).message}): give the output of \`pulumi stack export --show-secrets\``);
  }
  const parsed = StackExport.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${source} is not a stack export (${issue.path.join(".") || "(root)"}: ${issue.message}): give the output of \`pulumi stack export --show-secrets\``);
  }
  if (parsed.data.version !== 3) throw new InputError(`${source} is a version ${parsed.data.version} stack export; doctor reads version 3 (Pulumi 3.x)`);
  const d = parsed.data.deployment;
  const resources = (d.resources ?? []).flatMap((r) => entry(r, source));
  const pending = (d.pending_operations ?? []).flatMap((op) => entry(op.resource, source).map((e) => ({ ...e, pending: op.type })));
  return { tags: tagsOf([...resources, ...pending], d.resources ?? []), resources, pending };
}

function entry(r: z.infer<typeof StateResource>, source: string): StateEntry[] {
  const kind = HNS_TYPES[r.type as keyof typeof HNS_TYPES];
  if (!kind) return [];
  const inputs = revealed(r.inputs ?? {}, `${source}: ${r.urn}`) as Record<string, unknown>;
  const outputs = revealed(r.outputs ?? {}, `${source}: ${r.urn}`) as Record<string, unknown>;
  const host = Host.safeParse(outputs.host ?? inputs.host);
  if (!host.success) throw new InputError(`${source}: ${r.urn} has no usable host block (${host.error.issues[0].message})`);
  return [{ urn: r.urn, kind, id: r.id || undefined, inputs, outputs, host: host.data }];
}

/** Replaces every secret envelope by its value; an encrypted one means the export lacked --show-secrets. */
function revealed(v: unknown, where: string): unknown {
  if (Array.isArray(v)) return v.map((x) => revealed(x, where));
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG_KEY] === SECRET_SIG_VALUE) {
    if (typeof o.plaintext === "string") return revealed(JSON.parse(o.plaintext), where);
    throw new InputError(`${where} holds encrypted secrets: export with \`pulumi stack export --show-secrets\` (doctor needs the host credentials to connect)`);
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revealed(x, where)]));
}

/**
 * The stack tags: from each resource's seed (`<project>/<stack>/<type>/<name>`, the same
 * text the IDs were derived from), else from the stack's URN (`urn:pulumi:<stack>::<project>::…`).
 */
function tagsOf(entries: StateEntry[], all: z.infer<typeof StateResource>[]): string[] {
  const tags = new Set<string>();
  for (const e of entries) {
    const seed = e.inputs.__seed;
    const tag = typeof seed === "string" ? stackTag(seed) : undefined;
    if (tag) tags.add(tag);
  }
  if (tags.size === 0) {
    for (const r of all) {
      const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(r.urn);
      const tag = m && stackTag(`${m[2]}/${m[1]}`);
      if (tag) tags.add(tag);
    }
  }
  return [...tags].sort();
}
