/**
 * Policy provider: a resource with variants (define.ts VariantsSpec), one per kind. Load
 * balancers and SDN routes are HNS objects of their own (objects.ts); policy sets are policies
 * this resource adds to an endpoint or network (Modify Policy Add) and removes on delete (sets.ts).
 */
import { judgePolicy } from "../../judge";
import { defineResource, type VariantSpec } from "../define";
import { PolicyArgs, PolicyOutputs, type LoadBalancerArgs, type RouteArgs } from "../../kinds/policy/args";
import { POLICY_FIELDS, objectId, setId } from "../../kinds/policy/fields";
import { clashes, createObject, deleteObject, readObject, updateObject, type ObjectArgs } from "./objects";
import { applySet, deleteSet, readSet, type SetArgs } from "./sets";

type Fields<A> = { [F in keyof A]-?: "replace" | "update" | "ignore" };

/** A load balancer or route: its own HNS object, made anew or modified (objects.ts). */
function objectVariant<A extends ObjectArgs>(kind: A["kind"]): VariantSpec<A> {
  return {
    fields: POLICY_FIELDS[kind] as Fields<A>,
    id: objectId,
    makes: kind,
    apply: (client, want, have) => (have ? updateObject(client, have.hnsId, have.args, want) : createObject(client, want)),
    read: async (client, hnsId, like) => (await readObject(client, hnsId, like)) as Partial<A> | undefined,
    remove: (client, hnsId, props) => deleteObject(client, props.kind, hnsId),
    // A new one goes up before the old one comes down, unless the two would clash on the host.
    deleteBeforeReplace: (olds, news, replaces) => !replaces.includes("host") && clashes(olds, news),
  };
}

/** Policies added to an endpoint or network, named by `target` (sets.ts). */
function setVariant<A extends SetArgs>(kind: A["kind"], target: (a: A) => string): VariantSpec<A> {
  return {
    fields: POLICY_FIELDS[kind] as Fields<A>,
    id: (a) => setId(a, target(a)),
    apply: (client, want, have) => applySet(client, have?.args, want),
    // Gone when the target is; a set whose policies were removed reads as drift (sets.ts).
    read: async (client, _hnsId, like) => {
      const policies = await readSet(client, like);
      return policies && ({ policies } as Partial<A>);
    },
    remove: (client, _hnsId, props) => deleteSet(client, props),
    // A policy set leaves its target before it joins another.
    deleteBeforeReplace: () => true,
  };
}

type Kind<K extends PolicyArgs["kind"]> = Extract<PolicyArgs, { kind: K }>;

const VARIANTS: { [K in PolicyArgs["kind"]]: VariantSpec<Kind<K>> } = {
  loadBalancer: {
    ...objectVariant<LoadBalancerArgs>("loadBalancer"),
    // An endpoint this load balancer names is being replaced, and the old endpoint must go
    // first (Endpoint replaces delete before they create): HNS does not delete an endpoint a
    // load balancer still names, so the load balancer goes before it and comes back over the new
    // one. The engine asks this with the replaced endpoint's ID unknown (its check for
    // dependents of a delete-before-replace); a known new ID is an update in place.
    replacedWhenUnknown: ["endpoints"],
  },
  route: objectVariant<RouteArgs>("route"),
  endpointPolicies: setVariant<Kind<"endpointPolicies">>("endpointPolicies", (a) => a.endpoint),
  networkPolicies: setVariant<Kind<"networkPolicies">>("networkPolicies", (a) => a.network),
};

/** The arguments with the IDs they name in lower case: GUIDs compare case-insensitively (HNS prints them upper case). */
function guidsLowered<A extends Partial<PolicyArgs>>(a: A): A {
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  const r = { ...a } as Record<string, unknown>;
  for (const k of ["endpoint", "network"]) if (k in r) r[k] = lower(r[k]);
  if (Array.isArray(r.endpoints)) r.endpoints = r.endpoints.map(lower);
  return r as A;
}

export const PolicyProvider = defineResource({
  kind: "policy",
  args: PolicyArgs,
  outputs: PolicyOutputs,
  judge: judgePolicy,
  describe: (a) => `${a.kind} policy`,
  comparable: guidsLowered,
  variants: VARIANTS,
});
export type PolicyProvider = InstanceType<typeof PolicyProvider>;

