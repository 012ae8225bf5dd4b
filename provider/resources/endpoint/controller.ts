/**
 * Endpoint: one HNS endpoint on a network. What is particular to it: HNS allocates what it
 * leaves unset (address, prefix length, MAC), it attaches to a namespace after create (and is
 * deleted again when that fails), and its own policies and attachment update in place.
 */
import { HnsError, isCode, isHnsError, isNotFound } from "../../vocabulary/errors";
import { endpointNotFound, networkNotFound, noHostNamespace, type HostComputeEndpoint } from "../../hcn";
import type { HnsClient } from "../../hosts/client";
import { sameGuid } from "../../hosts/client";
import { hostKey } from "../../hosts/host";
import { judgeEndpointArgs } from "../../judge";
import { declaredNetwork } from "../../judge/program";
import { deterministicId } from "../../kinds/identity";
import { UNKNOWN } from "../../vocabulary/unknown";
import { replaceKey, sameValue } from "../../kinds/field-rules";
import { defineResource, detachedAlready } from "../define";
import { applyPolicyChanges, policyChanges } from "../owned-policies";
import { EndpointArgs, EndpointOutputs, type Attach } from "../../kinds/endpoint/args";
import { ENDPOINT_FIELDS, fromHcn, outputsOf, toHcn } from "../../kinds/endpoint/mapping";

export function endpointId(args: EndpointArgs): string {
  return deterministicId(args.__seed, "endpoint", hostKey(args.host), replaceKey({ ...args, network: args.network.toLowerCase() }, ENDPOINT_FIELDS));
}

export const EndpointProvider = defineResource({
  kind: "endpoint",
  args: EndpointArgs,
  outputs: EndpointOutputs,
  fields: ENDPOINT_FIELDS,
  judge: judgeEndpointArgs,
  // `network: web.networkId` in a YAML preview, or an ID typed in: the network checked earlier in
  // this run under that planned ID lends its type and subnets, as `network: web` does.
  implied: (news) => {
    if (news.__network !== undefined || typeof news.network !== "string" || news.network === UNKNOWN) return news;
    const behind = declaredNetwork(news.host, { id: news.network });
    return behind ? { ...news, __network: behind } : news;
  },
  // Left to HNS when unset: a later explicit value equal to what HNS chose is no change.
  unset: { diff: new Set(["ipAddress", "prefixLength", "macAddress"]), adopt: "all" },
  // The same static address cannot exist twice on a network: delete first.
  deleteBeforeReplace: true,
  // GUIDs compare case-insensitively: HNS prints them upper case, state written from another
  // source (an earlier emulator, a typed-in ID) may hold lower case, and that is no change.
  comparable: (s) => ({
    ...s,
    ...(typeof s.network === "string" ? { network: s.network.toLowerCase() } : {}),
    ...(isNamespaceAttach(s.attach) ? { attach: { namespace: s.attach.namespace.toLowerCase() } } : {}),
    ipAddress: s.ipAddress ?? s.appliedIpAddress,
    prefixLength: s.prefixLength ?? s.appliedPrefixLength,
    macAddress: s.macAddress ?? s.appliedMacAddress,
  }),
  describe: (a) => `endpoint "${a.name}"`,
  id: endpointId,
  toHcn: (_client, a, id) => toHcn(a, id),
  fromHcn: async (client, doc, like) => ({ ...fromHcn(doc, like), attach: await attachmentOf(client, doc) }),
  outputsOf,
  isOurs: (found, a) => found.Name === a.name && sameGuid(found.HostComputeNetwork, a.network),
  // The network it names was lost (a reboot, a hand delete) or never made.
  createFailure: (e, a, client) => (isCode(e, networkNotFound.code) ? networkNotFound.named(a.network, client.hostName) : undefined),
  adopt: {
    find: async (client, a) => (typeof a.adopt === "object" ? client.get("endpoint", a.adopt.id) : (await client.list("endpoint", { HostComputeNetwork: a.network, Name: a.name }))[0]),
    missing: (client, a) => endpointNotFound.toAdopt(typeof a.adopt === "object" ? a.adopt : { name: a.name }, typeof a.adopt === "object" ? `host ${client.hostName}` : `network ${a.network}`),
    conflict: (found, differs) => new HnsError({ code: "Conflict", message: `endpoint ${found.ID} differs from the arguments in ${differs.join(", ")}`, fix: "change those arguments to match the host, or remove adopt" }),
    // Policies already there stay: they may be another resource's (owned-policies.ts).
    then: (client, found, _seen, a) => applyPolicyChanges(client, "endpoint", found, policyChanges(undefined, a.policies, found.Policies)),
  },
  afterCreate: async (client, doc, a) => {
    try {
      return await attach(client, doc, a.attach);
    } catch (e) {
      // The engine records nothing for a failed create, so an endpoint left here would be
      // outside the state: delete it again. An adopted one was not ours to make, so it stays.
      if (!a.adopt) await undoCreate(client, doc.ID!, e);
      throw e;
    }
  },
  converge: async (client, id, olds, news) => {
    let doc = await client.get("endpoint", id);
    if (!doc) throw endpointNotFound.gone(id, client.hostName);
    // Against the host, not only the old state: a declared policy missing there is added back.
    doc = await applyPolicyChanges(client, "endpoint", doc, policyChanges(olds.policies, news.policies, doc.Policies));
    if (!sameValue(olds.attach, news.attach)) doc = await attach(client, doc, news.attach);
    return doc;
  },
  remove: (client, id) => remove(client, id),
});
export type EndpointProvider = InstanceType<typeof EndpointProvider>;

function isNamespaceAttach(a: unknown): a is { namespace: string } {
  return typeof a === "object" && a !== null && typeof (a as { namespace?: unknown }).namespace === "string";
}

/** Detaches (as CNI plugins do: namespace remove, then delete) and deletes; gone already is done. */
async function remove(client: HnsClient, id: string): Promise<void> {
  try {
    const doc = await client.get("endpoint", id);
    if (!doc) return;
    if (doc.HostComputeNamespace) await client.modify("namespace", doc.HostComputeNamespace, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: doc.ID } }).catch(detachedAlready);
    await client.delete("endpoint", id);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Deletes an endpoint whose create failed half way. If that fails too, the endpoint keeps its
 * deterministic ID, so the next up's create finds it (createOrFind) and carries on from there.
 */
async function undoCreate(client: HnsClient, id: string, cause: unknown): Promise<void> {
  try {
    await remove(client, id);
  } catch (e) {
    const first = isHnsError(cause) ? cause : new HnsError({ code: "E_FAIL", message: String(cause) });
    throw new HnsError({
      code: first.code,
      hresult: first.hresult,
      message: `${first.message.trim()}; endpoint ${id} stays on the host (deleting it again failed: ${e instanceof Error ? e.message : String(e)})`,
      fix: "run pulumi up again: it finds that endpoint under the same ID and re-uses it",
    });
  }
}

async function hostNamespaceId(client: HnsClient): Promise<string> {
  const [ns] = await client.list("namespace", { Type: "HostDefault" });
  if (!ns) throw noHostNamespace(client.hostName);
  return ns.ID!;
}

/** Moves the endpoint to the wanted namespace (or out of any), with namespace Modify requests. */
async function attach(client: HnsClient, doc: HostComputeEndpoint, to: Attach | undefined): Promise<HostComputeEndpoint> {
  const target = to && (to === "host" ? await hostNamespaceId(client) : to.namespace);
  if (sameGuid(doc.HostComputeNamespace, target) || (!doc.HostComputeNamespace && !target)) return doc;
  if (doc.HostComputeNamespace) {
    await client.modify("namespace", doc.HostComputeNamespace, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: doc.ID } });
  }
  if (target) await client.modify("namespace", target, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: doc.ID } });
  return (await client.get("endpoint", doc.ID!)) ?? doc;
}

/** The attachment in argument form: "host" when the endpoint sits in the host's default namespace. */
async function attachmentOf(client: HnsClient, doc: HostComputeEndpoint): Promise<Attach | undefined> {
  if (!doc.HostComputeNamespace) return undefined;
  return sameGuid(doc.HostComputeNamespace, await hostNamespaceId(client)) ? "host" : { namespace: doc.HostComputeNamespace };
}
