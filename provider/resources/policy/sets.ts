/**
 * Policy sets: policies a Policy resource adds to an existing endpoint or network (Modify
 * Policy Add) and removes again on delete, next to whatever else is there (owned-policies.ts).
 */
import { endpointNotFound, networkNotFound } from "../../hcn";
import type { HnsClient } from "../../hosts/client";
import { ownedOf } from "../../kinds/field-rules";
import { applyPolicyChanges, policyChanges } from "../owned-policies";
import type { PolicyArgs } from "../../kinds/policy/args";

export type SetArgs = Extract<PolicyArgs, { kind: "endpointPolicies" | "networkPolicies" }>;

function target(a: SetArgs): { kind: "endpoint" | "network"; id: string } {
  return a.kind === "endpointPolicies" ? { kind: "endpoint", id: a.endpoint } : { kind: "network", id: a.network };
}

/** Adds what `want` declares and the host lacks, removes what `have` owned and `want` dropped; returns the target's ID. */
export async function applySet(client: HnsClient, have: SetArgs | undefined, want: SetArgs): Promise<string> {
  const t = target(want);
  const doc = await client.get(t.kind, t.id);
  if (!doc) throw (t.kind === "endpoint" ? endpointNotFound : networkNotFound).named(t.id, client.hostName);
  // A set moved to another object (a replacement) owned nothing on this one.
  const owned = have && target(have).id.toLowerCase() === t.id.toLowerCase() ? have.policies : undefined;
  await applyPolicyChanges(client, t.kind, doc, policyChanges(owned, want.policies, doc.Policies));
  return doc.ID!;
}

/**
 * The declared policies still on the target (possibly none: drift the next up repairs);
 * undefined only when the target itself is gone. A set whose policies were all removed (by
 * hand, or with another resource that declared the same one) stays in the state, so a refresh
 * shows the drift instead of forgetting the resource.
 */
export async function readSet(client: HnsClient, like: SetArgs): Promise<unknown[] | undefined> {
  const t = target(like);
  const doc = await client.get(t.kind, t.id);
  return doc ? (ownedOf<unknown>(like.policies, doc.Policies) ?? []) : undefined;
}

export async function deleteSet(client: HnsClient, props: SetArgs): Promise<void> {
  const t = target(props);
  const doc = await client.get(t.kind, t.id);
  if (doc) await applyPolicyChanges(client, t.kind, doc, policyChanges(props.policies, undefined, doc.Policies));
}
