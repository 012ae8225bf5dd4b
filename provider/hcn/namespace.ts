// HCN v2 HostComputeNamespace (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnnamespace.go).
import { z } from "zod";
import { HnsError } from "../vocabulary/errors";
import { HcnGuid, NamespaceResourceType, UInt, enumOf, opt, ordinals, baseFields } from "./common";
import { notFoundErrors } from "./not-found";

// Integer forms follow the docs' NamespaceType order (the docs sample creates `"Type":0`).
const NAMESPACE_TYPES = ["Host", "HostDefault", "Guest", "GuestDefault"] as const;
export const NamespaceType = enumOf(NAMESPACE_TYPES, ordinals(NAMESPACE_TYPES));
export type NamespaceType = z.infer<typeof NamespaceType>;

/** hcsshim serialises the resource's Id as "ID"; the docs write "Id". Both are read. */
export const NamespaceResourceData = z.looseObject({ ID: opt(HcnGuid), Id: opt(HcnGuid) });
export type NamespaceResourceData = z.infer<typeof NamespaceResourceData>;

export const NamespaceResource = z.looseObject({
  Type: NamespaceResourceType,
  Data: NamespaceResourceData.prefault({}),
});
export type NamespaceResource = z.infer<typeof NamespaceResource>;

export const HostComputeNamespace = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  // Compartment number (uint32), not a GUID.
  NamespaceId: opt(UInt),
  NamespaceGuid: opt(HcnGuid),
  // Left optional: no source shows whether HNS omits the zero value (Host) here.
  Type: opt(NamespaceType),
  Resources: opt(z.array(NamespaceResource)),
  ...baseFields,
});
export type HostComputeNamespace = z.infer<typeof HostComputeNamespace>;

/**
 * A namespace that is not there: HNS has no HCN code for it and answers ERROR_NOT_FOUND
 * ("Element not found", hcsshim IsElementNotFoundError). A namespace is adopted by ID only, so
 * the fix names where to look IDs up.
 */
export const namespaceNotFound = notFoundErrors("namespace", "ERROR_NOT_FOUND", "check the ID (hnsdiag list namespaces), or remove adopt to create one");

/** A host without its default (HostDefault) namespace, the one `attach: "host"` means. */
export function noHostNamespace(host: string): HnsError {
  return new HnsError({ code: namespaceNotFound.code, message: `host ${host} has no default (host) namespace` });
}
