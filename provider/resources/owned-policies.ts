/**
 * Which policies on an endpoint or network a resource owns, and the Modify requests that move
 * the host from what it owns to what it declares.
 *
 * Several resources may put policies on one object: an Endpoint its own `policies`, any number
 * of `Policy { kind: "endpointPolicies" }` resources theirs (the same for networks). HNS keeps
 * one flat list per object and records no owner, so each resource owns exactly the policies it
 * declared and nothing else:
 * - a read reports the declared policies that are present on the host; one missing there is
 *   left out, which the next diff shows as drift and the next up adds back;
 * - an update adds the declared policies missing on the host and removes those it owned before
 *   and no longer declares (Modify Policy Add / Remove); it never sends the whole list
 *   (Modify Policy Update), which would wipe every other resource's policies;
 * - a create that carries policies in its document (a Network's or Endpoint's create) owns
 *   exactly those, and an object found again (a retry, adopt) gets only the missing ones added.
 *
 * Two resources declaring an identical policy on one object share its single copy: HNS refuses
 * a second identical one (HCN_E_POLICY_ALREADY_EXISTS), the second resource finds it present
 * and adds nothing, and both read it as theirs. Nothing on the host says who added it, so the
 * first of them to stop declaring it (an update, or a Policy resource's delete) removes it; the
 * other then reads it as missing and its next up adds it back. Declare a policy in one place.
 */
import type { HnsClient, HnsDocument } from "../hosts/client";
import { isPresent } from "../kinds/field-rules";

export interface PolicyChanges {
  /** The host's own copies of the policies to remove (sent back as the host stored them). */
  remove: unknown[];
  add: unknown[];
}

/**
 * From `owned` (what this resource had) to `want` on a host holding `onHost`: only what is
 * missing is added, so a retry after a lost reply adds nothing twice; only what this resource
 * owned, no longer wants and is still there is removed.
 */
export function policyChanges(owned: readonly unknown[] | undefined, want: readonly unknown[] | undefined, onHost: readonly unknown[] | undefined): PolicyChanges {
  const host = onHost ?? [];
  const wanted = want ?? [];
  const dropped = (owned ?? []).filter((p) => !isPresent(p, wanted));
  return {
    remove: host.filter((q) => isPresent(q, dropped)),
    add: wanted.filter((p, i) => !isPresent(p, host) && !isPresent(p, wanted.slice(0, i))),
  };
}

/** Sends the changes as Modify Policy Remove, then Add; returns the object as the host has it after. */
export async function applyPolicyChanges<K extends "endpoint" | "network">(client: HnsClient, kind: K, doc: HnsDocument<K>, changes: PolicyChanges): Promise<HnsDocument<K>> {
  if (changes.remove.length) doc = await client.modify(kind, doc.ID!, { ResourceType: "Policy", RequestType: "Remove", Settings: { Policies: changes.remove } });
  if (changes.add.length) doc = await client.modify(kind, doc.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: changes.add } });
  return doc;
}
