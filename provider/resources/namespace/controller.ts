/**
 * Namespace: one HNS namespace (network compartment) under a deterministic ID, reporting the
 * endpoints attached to it. It never attaches or detaches on create or update: each Endpoint
 * owns its attachment (Endpoint.attach), and Pulumi orders those after this.
 */
import { HnsError } from "../../vocabulary/errors";
import { supports } from "../../vocabulary/features";
import { namespaceNotFound } from "../../hcn";
import { hostKey } from "../../hosts/host";
import { deterministicId } from "../../kinds/identity";
import { replaceKey } from "../../kinds/field-rules";
import { defineResource, detachedAlready } from "../define";
import { NamespaceArgs, NamespaceOutputs } from "../../kinds/namespace/args";
import { attachedEndpoints, fromHcn, kindOf, NAMESPACE_FIELDS, outputsOf, toHcn } from "../../kinds/namespace/mapping";

/** The arguments with the default type filled in, so writing the default out is no change. */
function withDefaults<T extends Partial<NamespaceArgs>>(args: T): T {
  return { ...args, type: kindOf(args) };
}

export function namespaceId(args: NamespaceArgs): string {
  return deterministicId(args.__seed, "namespace", hostKey(args.host), replaceKey(withDefaults(args), NAMESPACE_FIELDS));
}

const named = (a: Partial<NamespaceArgs>) => `namespace${a.name ? ` "${a.name}"` : ""}`;

export const NamespaceProvider = defineResource({
  kind: "namespace",
  args: NamespaceArgs,
  outputs: NamespaceOutputs,
  fields: NAMESPACE_FIELDS,
  unset: { diff: new Set(), adopt: new Set() },
  // Nothing about a namespace is unique on a host, so the new one is made first and the
  // Endpoints re-attach to it before the old one goes.
  deleteBeforeReplace: false,
  comparable: withDefaults,
  describe: (a, id) => `${named(a)}${id ? ` (${id})` : ""}`,
  id: namespaceId,
  // HNS 15.2+ makes the compartment at create (mapping.ts toHcn).
  toHcn: async (client, a, id) => toHcn(a, id, supports(await client.version(), "NamespaceReadyOnCreate")),
  fromHcn: (_client, doc) => fromHcn(doc),
  outputsOf,
  // Its type is part of the ID, so the namespace under our ID is ours.
  isOurs: () => true,
  adopt: {
    find: (client, a) => client.get("namespace", typeof a.adopt === "object" ? a.adopt.id : ""),
    missing: (client, a) => namespaceNotFound.toAdopt({ id: typeof a.adopt === "object" ? a.adopt.id : "" }, `host ${client.hostName}`),
    conflict: (found, _differs, seen) =>
      new HnsError({
        code: "Conflict",
        message: `namespace ${found.ID} differs from the arguments in type (host has ${JSON.stringify(found.Type ?? "Host")})`,
        fix: seen.type ? `set type: "${seen.type}", or remove adopt to create a new namespace` : "a default compartment cannot be managed: remove adopt, or use Endpoint attach: \"host\"",
      }),
    then: async (_client, found) => found,
  },
  // Only the name (a state label) or a host credential changed: nothing to send, but the
  // outputs are refreshed from the host.
  converge: async (client, id) => {
    const doc = await client.get("namespace", id);
    if (!doc) throw namespaceNotFound.gone(id, client.hostName);
    return doc;
  },
  /**
   * Takes out the endpoints still attached, then deletes, as hcsshim releases a container's
   * namespace (internal/uvm/network.go, NetworkEndpoints.Release). Normally none are left:
   * Pulumi deletes or moves the Endpoints attached through ns.namespaceId first.
   */
  remove: async (client, id) => {
    const doc = await client.get("namespace", id);
    if (!doc) return;
    for (const ep of attachedEndpoints(doc)) {
      await client.modify("namespace", id, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep } }).catch(detachedAlready);
    }
    await client.delete("namespace", id);
  },
});
export type NamespaceProvider = InstanceType<typeof NamespaceProvider>;
