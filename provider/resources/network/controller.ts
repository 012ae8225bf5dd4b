/**
 * Network: one HNS network. What is particular to it beside its arguments and mapping: names
 * are unique on a host (a replacement deletes first; a name taken by another network is refused
 * with adopt as the way out), and DNS and its own policies are updated in place (HNS Modify).
 */
import { HnsError, isCode } from "../../vocabulary/errors";
import { networkNotFound } from "../../hcn";
import type { HnsClient } from "../../hosts/client";
import { judgeNetwork } from "../../judge";
import { sameValue } from "../../kinds/field-rules";
import { defineResource } from "../define";
import { applyPolicyChanges, policyChanges } from "../owned-policies";
import { NetworkArgs, NetworkOutputs } from "../../kinds/network/args";
import { dnsToHcn, fromHcn, NETWORK_FIELDS, networkId, outputsOf, toHcn } from "../../kinds/network/mapping";

/**
 * Applies DNS and policy differences with HNS Modify requests. `have.policies` is what this
 * resource owned; others on the network belong to someone else and stay (owned-policies.ts).
 */
async function converge(client: HnsClient, id: string, have: Partial<NetworkArgs>, want: NetworkArgs) {
  if (!sameValue(have.dns, want.dns)) {
    await client.modify("network", id, { ResourceType: "DNS", RequestType: "Update", Settings: want.dns ? dnsToHcn(want.dns) : {} });
  }
  const doc = await client.get("network", id);
  if (!doc) throw networkNotFound.gone(id, client.hostName);
  return applyPolicyChanges(client, "network", doc, policyChanges(have.policies, want.policies, doc.Policies));
}

export const NetworkProvider = defineResource({
  kind: "network",
  args: NetworkArgs,
  outputs: NetworkOutputs,
  fields: NETWORK_FIELDS,
  judge: judgeNetwork,
  // Subnets HNS chose itself (nat without subnets) are the network's to keep when adopting.
  unset: { diff: new Set(), adopt: new Set(["subnets"]) },
  // HNS network names are unique per host, so a replacement must delete the old one first.
  deleteBeforeReplace: true,
  describe: (a) => `network "${a.name}"`,
  id: networkId,
  toHcn: (_client, a, id) => toHcn(a, id),
  fromHcn: (_client, doc, like) => fromHcn(doc, like),
  outputsOf,
  isOurs: (found, a) => found.Name === a.name,
  createFailure: (e, a, client) =>
    isCode(e, "HCN_E_NETWORK_ALREADY_EXISTS")
      ? new HnsError({ code: e.code, message: `a network named "${a.name}" already exists on host ${client.hostName}`, fix: "choose another name, or set adopt: true to take that network over" })
      : undefined,
  adopt: {
    find: async (client, a) => (typeof a.adopt === "object" ? client.get("network", a.adopt.id) : (await client.list("network", { Name: a.name }))[0]),
    missing: (client, a) => networkNotFound.toAdopt(typeof a.adopt === "object" ? a.adopt : { name: a.name }, `host ${client.hostName}`),
    conflict: (found, differs, seen) =>
      new HnsError({
        code: "Conflict",
        message: `network "${found.Name}" (${found.ID}) differs from the arguments in ${differs.map((k) => `${k} (host has ${JSON.stringify(seen[k as keyof NetworkArgs])})`).join(", ")}`,
        fix: "change those arguments to match the host, or remove adopt and let pulumi create a new network",
      }),
    // Its declared policies missing there are added; the policies already there that it does not
    // declare are left alone (`seen.policies` holds only declared ones): they are not its own.
    then: (client, found, seen, a) => converge(client, found.ID!, seen, a),
  },
  converge,
  remove: (client, id) => client.delete("network", id),
});
export type NetworkProvider = InstanceType<typeof NetworkProvider>;
