/** Namespace arguments <-> HostComputeNamespace. */
import type { FieldRule } from "../field-rules";
import { SCHEMA_VERSION_2_0, type HostComputeNamespace, type NamespaceType } from "../../hcn";
import { DEFAULT_NAMESPACE_KIND, type NamespaceArgs, type NamespaceKind, type NamespaceOutputs } from "./args";

/** What a change of each field does on the host: replace the object, update it in place (HNS Modify), or nothing. */
export const NAMESPACE_FIELDS: { [K in keyof NamespaceArgs]-?: FieldRule } = {
  host: "replace",
  type: "replace",
  name: "update", // a label in the state only: HNS namespaces have no name
  adopt: "ignore",
  __seed: "ignore",
};

const HCN_TYPE: Record<NamespaceKind, NamespaceType> = { host: "Host", guest: "Guest" };
const KIND_OF = Object.fromEntries(Object.entries(HCN_TYPE).map(([k, v]) => [v, k])) as Partial<Record<NamespaceType, NamespaceKind>>;

export function kindOf(args: Pick<NamespaceArgs, "type">): NamespaceKind {
  return args.type ?? DEFAULT_NAMESPACE_KIND;
}

/**
 * The create body. No Name: HNS's namespace schema has none (hcsshim hcn/hcnnamespace.go).
 * `readyOnCreate` asks HNS 15.2+ to make the compartment now rather than when a container
 * starts in it, as hcsshim's NewNamespace does (microsoft/Windows-Containers#401 shows the wait).
 */
export function toHcn(args: NamespaceArgs, id: string, readyOnCreate: boolean): HostComputeNamespace {
  return { ID: id, Type: HCN_TYPE[kindOf(args)], SchemaVersion: { ...SCHEMA_VERSION_2_0 }, ...(readyOnCreate ? { ReadyOnCreate: true } : {}) } as HostComputeNamespace;
}

/**
 * The host's document in argument form. A type HNS reports that no argument makes (a default
 * compartment, adopted by ID) comes back undefined, so adopt can name it.
 */
export function fromHcn(doc: HostComputeNamespace): { type?: NamespaceKind } {
  // An absent Type reads as Host, value 0 of the docs' NamespaceType (no source shows whether HNS omits it).
  return { type: KIND_OF[doc.Type ?? "Host"] };
}

/** Endpoint IDs in the namespace's Resources (HNS writes the ID as "ID" or "Id"). */
export function attachedEndpoints(doc: HostComputeNamespace): string[] {
  return (doc.Resources ?? [])
    .filter((r) => r.Type === "Endpoint")
    .map((r) => r.Data.ID ?? r.Data.Id)
    .filter((id): id is string => !!id);
}

export function outputsOf(doc: HostComputeNamespace): NamespaceOutputs {
  return {
    namespaceId: doc.ID!,
    ...(doc.NamespaceId !== undefined ? { compartmentId: doc.NamespaceId } : {}),
    endpoints: attachedEndpoints(doc),
  };
}
