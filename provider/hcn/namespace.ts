// HCN v2 HostComputeNamespace (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnnamespace.go).
import { z } from "zod";
import { HcnGuid, NamespaceResourceType, UInt, enumOf, opt, ordinals, baseFields } from "./common";

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
