/**
 * Policy provider. Load balancers and SDN routes are HNS objects of their own (objects.ts);
 * policy sets are policies this resource adds to an endpoint or network (Modify Policy Add) and
 * removes on delete (sets.ts). Each kind is a record of what it does, in KINDS.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { unknownValue } from "@pulumi/pulumi/runtime";
import { isNotFound } from "../../errors";
import type { HnsClient } from "../../hosts/client";
import { connect } from "../../hosts/connect";
import { Host } from "../../hosts/host";
import { judgePolicy } from "../../judge";
import { checkWith, diffFields, explain, plain } from "../common";
import { outputStripper, outputsGiven } from "../define";
import { PolicyArgs, PolicyOutputs, type PolicyState } from "./args";
import { fieldsOf, policyId } from "./fields";
import { clashes, createObject, deleteObject, readObject, updateObject, type ObjectArgs } from "./objects";
import { applySet, deleteSet, readSet, type SetArgs } from "./sets";

export { policyId };

type Kind = PolicyArgs["kind"];

/** What one kind of Policy does on a host. `hnsId` is the HNS object's ID (policy sets: their target's). */
interface KindOps<A extends PolicyArgs> {
  /** Makes the host match `want` (from `have`, the state, when updating); returns the hnsId. */
  apply(client: HnsClient, want: A, have?: { hnsId: string; args: A }): Promise<string>;
  /** The host's side in argument form; undefined when it is gone. */
  read(client: HnsClient, hnsId: string, like: A): Promise<Partial<A> | undefined>;
  remove(client: HnsClient, hnsId: string, props: A): Promise<void>;
  /** Whether a replacement must delete the old one first. */
  deleteFirst(olds: A, news: A, replaces: string[]): boolean;
}

/** A load balancer or route: its own HNS object, made anew or modified (objects.ts). */
const OBJECT: KindOps<ObjectArgs> = {
  apply: (client, want, have) => (have ? updateObject(client, have.hnsId, have.args, want) : createObject(client, want)),
  read: (client, hnsId, like) => readObject(client, hnsId, like),
  remove: (client, hnsId, props) => deleteObject(client, props.kind, hnsId),
  // A new one goes up before the old one comes down, unless the two would clash on the host.
  deleteFirst: (olds, news, replaces) => !replaces.includes("host") && clashes(olds, news),
};

/** Policies added to an endpoint or network (sets.ts). */
const SET: KindOps<SetArgs> = {
  apply: (client, want, have) => applySet(client, have?.args, want),
  // Gone when the target is; a set whose policies were removed reads as drift (sets.ts).
  read: async (client, _hnsId, like) => {
    const policies = await readSet(client, like);
    return policies && ({ policies } as Partial<SetArgs>);
  },
  remove: (client, _hnsId, props) => deleteSet(client, props),
  // A policy set leaves its target before it joins another.
  deleteFirst: () => true,
};

const KINDS: Record<Kind, KindOps<ObjectArgs> | KindOps<SetArgs>> = { loadBalancer: OBJECT, route: OBJECT, endpointPolicies: SET, networkPolicies: SET };

/** The ops of a kind; they are called with arguments of that kind only. */
function opsOf(kind: Kind): KindOps<PolicyArgs> {
  return KINDS[kind] as KindOps<PolicyArgs>;
}

const strip = outputStripper(PolicyOutputs);

/** The arguments with the IDs they name in lower case: GUIDs compare case-insensitively (HNS prints them upper case). */
function guidsLowered<A extends Partial<PolicyArgs>>(a: A): A {
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  const r = { ...a } as Record<string, unknown>;
  for (const k of ["endpoint", "network"]) if (k in r) r[k] = lower(r[k]);
  if (Array.isArray(r.endpoints)) r.endpoints = r.endpoints.map(lower);
  return r as A;
}

/** Whether a value (or an element of it) is one the engine does not know yet. */
function namesUnknown(value: unknown): boolean {
  return value === unknownValue || (Array.isArray(value) && value.some((v) => v === unknownValue));
}

/** The HNS object's ID: hnsId, which state written before it could differ from the ID may lack. */
function hnsIdOf(id: string, props: Partial<PolicyState>): string {
  return props.hnsId || id;
}

export class PolicyProvider implements dynamic.ResourceProvider {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(PolicyArgs, strip(news ?? {}), judgePolicy);
    failures.push(...outputsGiven(PolicyOutputs, olds, news ?? {}));
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.DiffResult> {
    if (olds.kind !== news.kind) return { changes: true, replaces: ["kind"], deleteBeforeReplace: true };
    // An endpoint this load balancer names is being replaced, and the old endpoint must go
    // first (Endpoint replaces delete before they create): HNS does not delete an endpoint a
    // load balancer still names, so the load balancer goes before it and comes back over the new
    // one. The engine asks this with the replaced endpoint's ID unknown (its check for
    // dependents of a delete-before-replace); a known new ID is an update in place.
    if (news.kind === "loadBalancer" && namesUnknown(news.endpoints)) return { changes: true, replaces: ["endpoints"], deleteBeforeReplace: true };
    const d = diffFields(guidsLowered(olds), guidsLowered(news), fieldsOf(news.kind));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: opsOf(news.kind).deleteFirst(olds, news, d.replaces) };
  }

  async create(args: PolicyArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      const hnsId = await opsOf(args.kind).apply(client, args);
      return { id: policyId(args), outs: plain({ ...args, hnsId }) };
    } catch (e) {
      throw explain(e, `creating ${args.kind} policy on host ${client.hostName}`);
    }
  }

  async read(id: string, props: PolicyState): Promise<dynamic.ReadResult> {
    // Deleted by another client while HNS read it ("Element not found", antrea#2301): gone, as absent is.
    const seen = await opsOf(props.kind)
      .read(connect(Host.parse(props.host)), hnsIdOf(id, props), props)
      .catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
    if (!seen) return { id: "" };
    const inputs = plain({ ...strip(props), ...seen });
    return { id, props: plain({ ...inputs, hnsId: props.hnsId }), inputs };
  }

  async update(id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.UpdateResult> {
    try {
      const hnsId = await opsOf(news.kind).apply(connect(news.host), news, { hnsId: hnsIdOf(id, olds), args: olds });
      return { outs: plain({ ...news, hnsId }) };
    } catch (e) {
      throw explain(e, `updating ${news.kind} policy`);
    }
  }

  async delete(id: string, props: PolicyState): Promise<void> {
    try {
      await opsOf(props.kind).remove(connect(Host.parse(props.host)), hnsIdOf(id, props), props);
    } catch (e) {
      if (isNotFound(e)) return;
      throw explain(e, `deleting ${props.kind} policy`);
    }
  }
}
