/**
 * One way to define a resource. What every object resource (Network, Endpoint, Namespace) does
 * the same lives here: check against its schema, diff by its field table, create under a
 * deterministic ID (finding the object again after a lost reply), adopt an existing object,
 * read it back for drift, converge it on update and delete it (gone already counts as deleted).
 * A resource's own module gives a ResourceSpec: only what is particular to its object.
 *
 * A resource whose arguments are a union tagged by `kind` (Policy: a load balancer, an SDN route,
 * or policies added to an endpoint or network) gives a VariantsSpec instead: each variant says
 * what its fields do, its ID, and how it is applied, read and removed; diffs, state and the
 * engine's calls are the same machinery.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { isCode, isHnsError, isIndeterminate, isNotFound, type HnsError } from "../vocabulary/errors";
import type { HnsClient, HnsDocument, HnsDocumentInput, HnsKind } from "../hosts/client";
import { connect } from "../hosts/connect";
import { judgeTogether } from "../judge/program";
import { Host } from "../hosts/host";
import type { Adopt } from "../kinds/args";
import { UNKNOWN } from "../vocabulary/unknown";
import { diffFields, sameValue, type FieldRule } from "../kinds/field-rules";
import { checkWith, explain, plain, type CheckFailure } from "./common";

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
  /** The ID a create uses (provider/kinds/identity.ts deterministicId). */
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
export function defineResource<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>): new () => SpecProvider<A>;
/** The provider class of a resource with variants: `new PolicyProvider()`. */
export function defineResource<U extends VariantArgs, O extends HnsIdOutputs>(spec: VariantsSpec<U, O>): new () => SpecProvider<U, VariantState<U>>;
export function defineResource(spec: { kind: string; variants?: unknown }): new () => SpecProvider<ResourceArgs | VariantArgs, never> {
  // The overloads above hold the types; either form is taken apart by its own calls.
  const calls = spec.variants ? variantCalls(spec as unknown as VariantsSpec<VariantArgs, HnsIdOutputs>) : objectCalls(spec as unknown as ResourceSpec<ObjectKind, ResourceArgs, z.ZodObject>);
  const Provider = class extends SpecProvider<ResourceArgs | VariantArgs, never> {
    constructor() {
      super(spec as Declaration<ResourceArgs | VariantArgs>, calls as HostCalls<ResourceArgs | VariantArgs, never>);
    }
  };
  // Named for stack traces and logs: NetworkProvider, EndpointProvider, ...
  Object.defineProperty(Provider, "name", { value: `${spec.kind.charAt(0).toUpperCase()}${spec.kind.slice(1)}Provider` });
  return Provider;
}

/**
 * What a create of some arguments makes on a host: the HNS object's kind and ID, and whether one
 * found under that ID is it (`hns-plan doctor` asks it of a pending create the engine never saw end).
 */
export interface PendingCreate {
  kind: HnsKind;
  id: string;
  recognises(doc: { Name?: string; HostComputeNetwork?: string }): boolean;
}

/** What both forms of spec declare alike: what check needs, and the object's words in messages. */
interface Declaration<A> {
  kind: string;
  args: z.ZodType<A>;
  outputs: z.ZodObject;
  judge?: (a: A) => CheckFailure[];
  implied?: (news: Record<string, unknown>) => Record<string, unknown>;
  describe(a: Partial<A>, id?: string): string;
}

/** What the engine's calls do on a host, by form of spec (objectCalls, variantCalls); `S` is the state's type. */
interface HostCalls<A, S> {
  /** The ID a create will use; only resources the program-wide rules judge (judge/program.ts declares networks and endpoints) have one here. */
  plannedId?(a: A): string;
  /** What a create of `a` makes; undefined when it makes no object of its own (a policy set). */
  made(a: A): PendingCreate | undefined;
  diff(olds: Record<string, unknown>, news: A): dynamic.DiffResult;
  create(client: HnsClient, args: A): Promise<dynamic.CreateResult>;
  /** undefined: the object is gone. */
  read(client: HnsClient, id: string, props: S): Promise<dynamic.ReadResult | undefined>;
  update(client: HnsClient, id: string, olds: S, news: A): Promise<dynamic.UpdateResult>;
  /** Gone already is done (a not-found error counts as deleted). */
  remove(client: HnsClient, id: string, props: S): Promise<void>;
}

/**
 * The engine's six calls over either form of spec: check against the schema, the judge and
 * (for networks and endpoints) the program's other resources; the host calls connected, and
 * their failures told as "error while <action>: <reason>. <fix>".
 */
export class SpecProvider<A extends { host: Host }, S = Partial<A>> implements dynamic.ResourceProvider {
  private readonly stripOutputs: (news: Record<string, unknown>) => Record<string, unknown>;

  constructor(
    private readonly spec: Declaration<A>,
    private readonly calls: HostCalls<A, S>,
  ) {
    this.stripOutputs = outputStripper(spec.outputs);
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const given = this.stripOutputs(news ?? {});
    const { inputs, failures } = checkWith(this.spec.args, this.spec.implied ? this.spec.implied(given) : given, this.spec.judge);
    failures.push(...outputsGiven(this.spec.outputs, olds, news ?? {}));
    // With the other resources of the program on the same host (provider/judge/program.ts).
    const plannedId = this.calls.plannedId;
    if (inputs) failures.push(...(await judgeTogether(this.spec.kind, inputs as Record<string, unknown>, olds, plannedId && (() => plannedId(inputs)))));
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: Record<string, unknown>, news: A): Promise<dynamic.DiffResult> {
    return this.calls.diff(olds, news);
  }

  /** What a create of these (checked) inputs makes on the host, for `hns-plan doctor`; not an engine call. */
  pendingCreate(inputs: Record<string, unknown>): PendingCreate | undefined {
    return this.calls.made(inputs as A);
  }

  async create(args: A): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      return await this.calls.create(client, args);
    } catch (e) {
      throw explain(e, `creating ${this.spec.describe(args)} on host ${client.hostName}`);
    }
  }

  async read(id: string, props: S): Promise<dynamic.ReadResult> {
    // Gone (deleted behind our back, with its network, or lost in a reboot): an empty ID makes
    // refresh drop it, and the next up re-creates it.
    return (await this.calls.read(connect(Host.parse(hostOf(props))), id, props)) ?? { id: "" };
  }

  async update(id: string, olds: S, news: A): Promise<dynamic.UpdateResult> {
    try {
      return await this.calls.update(connect(news.host), id, olds, news);
    } catch (e) {
      throw explain(e, `updating ${this.spec.describe(news)}`);
    }
  }

  async delete(id: string, props: S): Promise<void> {
    const client = connect(Host.parse(hostOf(props)));
    try {
      await this.calls.remove(client, id, props);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: deleting converges
      throw explain(e, `deleting ${this.spec.describe(props as Partial<A>, id)}`);
    }
  }
}

function hostOf(props: unknown): unknown {
  return (props as { host?: unknown }).host;
}

/** The host calls of a resource that is one HNS object (a ResourceSpec). */
function objectCalls<K extends ObjectKind, A extends ResourceArgs, O extends z.ZodObject>(spec: ResourceSpec<K, A, O>): HostCalls<A, Partial<A>> {
  const strip = outputStripper(spec.outputs);
  const stateOf = (args: Partial<A>, doc: Doc<K>) => plain({ ...args, ...spec.outputsOf(doc) });
  return {
    plannedId: (a) => spec.id(a),
    made: (a) => ({ kind: spec.kind, id: spec.id(a), recognises: (doc) => spec.isOurs(doc as Doc<K>, a) }),
    diff: (olds, news) => {
      const d = diffFields(comparable(spec, olds), comparable(spec, news as Record<string, unknown>), spec.fields as Record<string, FieldRule>, spec.unset.diff);
      return { changes: d.changes, replaces: d.replaces, ...(spec.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}) };
    },
    create: async (client, args) => {
      let doc = args.adopt ? await adopt(spec, client, args) : await createOrFind(spec, client, args);
      if (spec.afterCreate) doc = await spec.afterCreate(client, doc, args);
      return { id: doc.ID!, outs: stateOf(args, doc) };
    },
    read: async (client, id, props) => {
      // An object another client deletes while HNS reads it fails with "Element not found"
      // instead of being absent (antrea#2301): gone too.
      const doc = await client.get(spec.kind, id).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (!doc) return undefined;
      const seen = await spec.fromHcn(client, doc, props);
      const inputs = plain({ ...strip(props as Record<string, unknown>), ...seen, host: Host.parse(props.host) }) as Partial<A>;
      return { id: doc.ID!, props: stateOf(inputs, doc), inputs };
    },
    update: async (client, id, olds, news) => ({ outs: stateOf(news, await spec.converge(client, id, olds, news)) }),
    remove: (client, id, props) => spec.remove(client, id, props),
  };
}

/** The arguments of a resource with variants: a union tagged by `kind`. */
export interface VariantArgs {
  kind: string;
  host: Host;
  __seed?: string;
}

/** The outputs of a resource with variants: the ID of what it made or changed on the host. */
type HnsIdOutputs = z.ZodObject<{ hnsId: z.ZodString }>;
type VariantState<U> = U & { hnsId?: string };
type VariantOf<U, K> = Extract<U, { kind: K }>;

/**
 * One variant: what it does on a host. `hnsId` names the HNS object it made (or changed) and is
 * kept in the state's outputs: it may differ from the resource's ID, which never changes.
 */
export interface VariantSpec<A extends VariantArgs> {
  /** What a change of each field does: replace, update in place, or nothing. */
  fields: { [F in keyof A]-?: FieldRule };
  /** The resource's ID, chosen at create. */
  id(a: A): string;
  /** The HNS object a create makes, if it makes one of its own (a load balancer, a route); any object found under its ID is it. */
  makes?: Extract<HnsKind, "loadBalancer" | "route">;
  /** Fields whose value, not known yet, means a replacement with the old one deleted first. */
  replacedWhenUnknown?: readonly (keyof A & string)[];
  /** Makes the host match `want` (from `have`, the state, when updating); returns the hnsId. */
  apply(client: HnsClient, want: A, have?: { hnsId: string; args: A }): Promise<string>;
  /** The host's side in argument form; undefined when it is gone. */
  read(client: HnsClient, hnsId: string, like: A): Promise<Partial<A> | undefined>;
  remove(client: HnsClient, hnsId: string, props: A): Promise<void>;
  /** Whether a replacement deletes the old one first. */
  deleteBeforeReplace(olds: A, news: A, replaces: string[]): boolean;
}

/** A resource whose arguments are a union tagged by `kind`, each variant with its own way on a host. */
export interface VariantsSpec<U extends VariantArgs, O extends HnsIdOutputs> {
  /** The resource's name in the provider (and its class's). */
  kind: string;
  args: z.ZodType<U>;
  outputs: O;
  judge?: (a: U) => CheckFailure[];
  implied?: (news: Record<string, unknown>) => Record<string, unknown>;
  describe(a: Partial<U>, id?: string): string;
  /** The arguments (or state) in the form diff compares. */
  comparable?: <T extends Partial<U>>(a: T) => T;
  variants: { [K in U["kind"]]: VariantSpec<VariantOf<U, K>> };
}

/** The host calls of a resource with variants: each call goes to the variant of the arguments' kind. */
function variantCalls<U extends VariantArgs, O extends HnsIdOutputs>(spec: VariantsSpec<U, O>): HostCalls<U, VariantState<U>> {
  const strip = outputStripper(spec.outputs);
  // Called with arguments of that kind only.
  const of = (kind: U["kind"]) => spec.variants[kind] as unknown as VariantSpec<U>;
  const cmp = <T extends Partial<U>>(a: T): T => (spec.comparable ? spec.comparable(a) : a);
  // State written before hnsId could differ from the ID may lack it.
  const hnsIdOf = (id: string, props: VariantState<U>) => props.hnsId || id;
  return {
    made: (a) => (of(a.kind).makes ? { kind: of(a.kind).makes!, id: of(a.kind).id(a), recognises: () => true } : undefined),
    diff: (state, news) => {
      const olds = state as VariantState<U>;
      // Another kind is another object: the old one goes first.
      if (olds.kind !== news.kind) return { changes: true, replaces: ["kind"], deleteBeforeReplace: true };
      const variant = of(news.kind);
      const unknown = variant.replacedWhenUnknown?.find((f) => namesUnknown(news[f]));
      if (unknown) return { changes: true, replaces: [unknown], deleteBeforeReplace: true };
      const d = diffFields(cmp(olds) as Record<string, unknown>, cmp(news) as Record<string, unknown>, variant.fields as Record<string, FieldRule>);
      return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: variant.deleteBeforeReplace(olds, news, d.replaces) };
    },
    create: async (client, args) => {
      const hnsId = await of(args.kind).apply(client, args);
      return { id: of(args.kind).id(args), outs: plain({ ...args, hnsId }) };
    },
    read: async (client, id, props) => {
      // Deleted by another client while HNS read it ("Element not found", antrea#2301): gone, as absent is.
      const seen = await of(props.kind)
        .read(client, hnsIdOf(id, props), props)
        .catch((e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw e;
        });
      if (!seen) return undefined;
      const inputs = plain({ ...strip(props as Record<string, unknown>), ...seen });
      return { id, props: plain({ ...inputs, hnsId: props.hnsId }), inputs };
    },
    update: async (client, id, olds, news) => ({ outs: plain({ ...news, hnsId: await of(news.kind).apply(client, news, { hnsId: hnsIdOf(id, olds), args: olds }) }) }),
    remove: (client, id, props) => of(props.kind).remove(client, hnsIdOf(id, props), props),
  };
}

/** Whether a value (or an element of it) is one the engine does not know yet. */
function namesUnknown(value: unknown): boolean {
  return value === UNKNOWN || (Array.isArray(value) && value.some((v) => v === UNKNOWN));
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
function outputsGiven(outputs: z.ZodObject, olds: Record<string, unknown> | undefined, news: Record<string, unknown>): CheckFailure[] {
  return Object.keys(outputs.shape)
    .filter((k) => news[k] !== undefined && news[k] !== null && news[k] !== UNKNOWN && !sameValue(olds?.[k], news[k]))
    .map((k) => ({ property: k, reason: "is an output the host reports, not an argument: remove it (read it from the resource's outputs)" }));
}

/** Drops the resource's output keys and the serialized provider (both in the engine's inputs) before validating. */
function outputStripper(outputs: z.ZodObject): (news: Record<string, unknown>) => Record<string, unknown> {
  const drop = new Set(["__provider", ...Object.keys(outputs.shape)]);
  return (news) => Object.fromEntries(Object.entries(news).filter(([k]) => !drop.has(k)));
}

/** A detach of an endpoint deleted or detached meanwhile is what was wanted. */
export function detachedAlready(e: unknown): void {
  if (!isNotFound(e) && !isCode(e, "HCN_E_ENDPOINT_NOT_ATTACHED")) throw e;
}
