/**
 * One way to define a resource. What every object resource (Network, Endpoint, Namespace) does
 * the same lives here: check against its schema, diff by its field table, create under a
 * deterministic ID (finding the object again after a lost reply), adopt an existing object,
 * read it back for drift, converge it on update and delete it (gone already counts as deleted).
 * A resource's own module gives a ResourceSpec: only what is particular to its object.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { isCode, isHnsError, isIndeterminate, isNotFound, type HnsError } from "../errors";
import type { HnsClient, HnsDocument, HnsDocumentInput } from "../hosts/client";
import { connect } from "../hosts/connect";
import { judgeTogether } from "../judge/program";
import { Host } from "../hosts/host";
import type { Adopt } from "./args";
import { UNKNOWN, checkWith, diffFields, explain, plain, sameValue, type CheckFailure, type FieldRule } from "./common";

type ObjectKind = "network" | "endpoint" | "namespace";
type Doc<K extends ObjectKind> = HnsDocument<K>;

/** What every resource's arguments carry. */
export interface ResourceArgs {
  host: Host;
  name?: string;
  adopt?: Adopt;
  __seed?: string;
}

export interface ResourceSpec<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject> {
  /** The HNS object kind the resource manages. */
  kind: K;
  /** The arguments' schema (check). */
  args: z.ZodType<A>;
  /** The outputs' schema: what the host resolved, added to the arguments in the state. */
  outputs: O;
  /** What a change of each field does: replace the object, update it in place, or nothing. */
  fields: { [F in keyof A]-?: FieldRule };
  /** The HNS rules the arguments decide (provider/judge). */
  judge?: (a: A) => CheckFailure[];
  /**
   * Inputs the program implies without passing them, added before check: an endpoint that names
   * its network by an ID another resource of this run will create learns that network's type
   * and subnets (provider/judge/program.ts declaredNetwork).
   */
  implied?: (news: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Fields whose unset value is "no preference": in diff, those the host resolves (an allocated
   * address); in adopt, those left for the object found to decide ("all": every unset field).
   */
  unset: { diff: ReadonlySet<string>; adopt: ReadonlySet<string> | "all" };
  /** A replacement deletes the old object first (something of it is unique on the host). */
  deleteBeforeReplace: boolean;
  /** The arguments (or state) in the form diff and adopt compare: defaults filled in, outputs standing in for unset fields. The host's side of adopt goes through it too (outputs it lacks leave its fields as read). */
  comparable?: (a: Record<string, unknown>) => Record<string, unknown>;
  /** The object in messages: `network "web"`. */
  describe(a: Partial<A>, id?: string): string;
  /** The ID a create uses (provider/resources/common.ts deterministicId). */
  id(a: A): string;
  /** The create body. */
  toHcn(client: HnsClient, a: A, id: string): Promise<HnsDocumentInput<K>> | HnsDocumentInput<K>;
  /** The host's document in argument form, shaped like `like` (for drift and adopt). */
  fromHcn(client: HnsClient, doc: Doc<K>, like: Partial<A>): Promise<Partial<A>> | Partial<A>;
  /** The outputs of the host's document. */
  outputsOf(doc: Doc<K>): z.infer<O>;
  /** Whether the object found under our ID after a failed create is the one this create meant. */
  isOurs(found: Doc<K>, a: A): boolean;
  /** A create failure in this object's words; returns undefined to rethrow it as it is. */
  createFailure?(e: HnsError, a: A, client: HnsClient): HnsError | undefined;
  adopt: {
    find(client: HnsClient, a: A): Promise<Doc<K> | undefined>;
    /** Nothing to adopt. */
    missing(client: HnsClient, a: A): HnsError;
    /** The found object differs from the arguments in `differs` (fields that replace). */
    conflict(found: Doc<K>, differs: string[], seen: Partial<A>): HnsError;
    /** After adopting: converge what can be updated in place. */
    then(client: HnsClient, found: Doc<K>, seen: Partial<A>, a: A): Promise<Doc<K>>;
  };
  /** After a create or adopt (an Endpoint attaches to its namespace). */
  afterCreate?(client: HnsClient, doc: Doc<K>, a: A): Promise<Doc<K>>;
  /** Makes the host's object match `want` in the fields that update in place; returns it as the host has it after. */
  converge(client: HnsClient, id: string, have: Partial<A>, want: A): Promise<Doc<K>>;
  /** Deletes the object (and what hangs on it); gone already is done. */
  remove(client: HnsClient, id: string, props: Partial<A>): Promise<void>;
}

/** The provider class of a resource: `new NetworkProvider()` is what the engine calls. */
export function defineResource<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>): new () => SpecProvider<K, A, O> {
  const Provider = class extends SpecProvider<K, A, O> {
    constructor() {
      super(spec);
    }
  };
  // Named for stack traces and logs: NetworkProvider, EndpointProvider, ...
  Object.defineProperty(Provider, "name", { value: `${spec.kind.charAt(0).toUpperCase()}${spec.kind.slice(1)}Provider` });
  return Provider;
}

/** The engine's six calls over a ResourceSpec (exported for the type of defineResource's classes). */
export class SpecProvider<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject> implements dynamic.ResourceProvider {
  private readonly stripOutputs: (news: Record<string, unknown>) => Record<string, unknown>;

  constructor(private readonly spec: ResourceSpec<K, A, O>) {
    this.stripOutputs = outputStripper(spec.outputs);
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const given = this.stripOutputs(news ?? {});
    const { inputs, failures } = checkWith(this.spec.args, this.spec.implied ? this.spec.implied(given) : given, this.spec.judge);
    failures.push(...outputsGiven(this.spec.outputs, olds, news ?? {}));
    // With the other resources of the program on the same host (provider/judge/program.ts).
    if (inputs) failures.push(...(await judgeTogether(this.spec.kind, inputs as Record<string, unknown>, olds, () => this.spec.id(inputs))));
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: Record<string, unknown>, news: A): Promise<dynamic.DiffResult> {
    const { spec } = this;
    const d = diffFields(comparable(spec, olds), comparable(spec, news as Record<string, unknown>), spec.fields as Record<string, FieldRule>, spec.unset.diff);
    return { changes: d.changes, replaces: d.replaces, ...(spec.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}) };
  }

  async create(args: A): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      let doc = args.adopt ? await adopt(this.spec, client, args) : await createOrFind(this.spec, client, args);
      if (this.spec.afterCreate) doc = await this.spec.afterCreate(client, doc, args);
      return { id: doc.ID!, outs: this.stateOf(args, doc) };
    } catch (e) {
      throw explain(e, `creating ${this.spec.describe(args)} on host ${client.hostName}`);
    }
  }

  async read(id: string, props: Partial<A>): Promise<dynamic.ReadResult> {
    const host = Host.parse(props.host);
    const client = connect(host);
    // Gone (deleted behind our back, with its network, or lost in a reboot): an empty ID makes
    // refresh drop it, and the next up re-creates it. An object another client deletes while
    // HNS reads it fails with "Element not found" instead of being absent (antrea#2301): gone too.
    const doc = await client.get(this.spec.kind, id).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (!doc) return { id: "" };
    const seen = await this.spec.fromHcn(client, doc, props);
    const inputs = plain({ ...this.stripOutputs(props as Record<string, unknown>), ...seen, host }) as Partial<A>;
    return { id: doc.ID!, props: this.stateOf(inputs, doc), inputs };
  }

  async update(id: string, olds: Partial<A>, news: A): Promise<dynamic.UpdateResult> {
    try {
      const doc = await this.spec.converge(connect(news.host), id, olds, news);
      return { outs: this.stateOf(news, doc) };
    } catch (e) {
      throw explain(e, `updating ${this.spec.describe(news)}`);
    }
  }

  async delete(id: string, props: Partial<A>): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      await this.spec.remove(client, id, props);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: deleting converges
      throw explain(e, `deleting ${this.spec.describe(props, id)}`);
    }
  }

  private stateOf(args: Partial<A>, doc: Doc<K>): Record<string, unknown> {
    return plain({ ...args, ...this.spec.outputsOf(doc) });
  }
}

function comparable<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>, a: Record<string, unknown>): Record<string, unknown> {
  return spec.comparable ? spec.comparable(a) : a;
}

async function createOrFind<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>, client: HnsClient, args: A): Promise<Doc<K>> {
  const id = spec.id(args);
  try {
    return await client.create(spec.kind, await spec.toHcn(client, args, id));
  } catch (e) {
    // A retry after a lost reply, or a second attempt of an interrupted up: the object with
    // our deterministic ID is ours, so take it instead of making a duplicate.
    if (isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) {
      const found = await client.get(spec.kind, id);
      if (found && spec.isOurs(found, args)) return found;
    }
    throw (isHnsError(e) && spec.createFailure?.(e, args, client)) || e;
  }
}

/** Takes over an existing object: refused when a field that would replace it differs, then converged. */
async function adopt<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>, client: HnsClient, args: A): Promise<Doc<K>> {
  const found = await spec.adopt.find(client, args);
  if (!found) throw spec.adopt.missing(client, args);
  const seen = await spec.fromHcn(client, found, args);
  const want = comparable(spec, args as Record<string, unknown>);
  const have = comparable(spec, seen as Record<string, unknown>);
  const open = spec.unset.adopt;
  const differs = Object.keys(spec.fields).filter(
    (k) => spec.fields[k as keyof A] === "replace" && k !== "host" && !(want[k] === undefined && (open === "all" || open.has(k))) && !sameValue(have[k], want[k]),
  );
  if (differs.length) throw spec.adopt.conflict(found, differs, seen);
  return spec.adopt.then(client, found, seen, args);
}

/**
 * Outputs written as arguments: an output key in the new inputs that is not the old inputs'
 * value (the only way the engine sends one is back as it was) would be dropped without a word,
 * so it is refused, naming it (a namespace's compartmentId is HNS's to give).
 */
export function outputsGiven(outputs: z.ZodObject, olds: Record<string, unknown> | undefined, news: Record<string, unknown>): CheckFailure[] {
  return Object.keys(outputs.shape)
    .filter((k) => news[k] !== undefined && news[k] !== null && news[k] !== UNKNOWN && !sameValue(olds?.[k], news[k]))
    .map((k) => ({ property: k, reason: "is an output the host reports, not an argument: remove it (read it from the resource's outputs)" }));
}

/** Drops the resource's output keys and the serialized provider (both in the engine's inputs) before validating. */
export function outputStripper(outputs: z.ZodObject): (news: Record<string, unknown>) => Record<string, unknown> {
  const drop = new Set(["__provider", ...Object.keys(outputs.shape)]);
  return (news) => Object.fromEntries(Object.entries(news).filter(([k]) => !drop.has(k)));
}

/** A detach of an endpoint deleted or detached meanwhile is what was wanted. */
export function detachedAlready(e: unknown): void {
  if (!isNotFound(e) && !isCode(e, "HCN_E_ENDPOINT_NOT_ATTACHED")) throw e;
}
