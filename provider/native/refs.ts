/**
 * Resource references on the wire. The plugin tells the engine it accepts them (Configure,
 * acceptResources, set by @pulumi/pulumi's provider server), so an input written as a resource
 * (`network: ${web}` in Pulumi YAML) arrives as `{ [specialSigKey]: specialResourceSig, urn, id }`
 * (the engine's rpc.go MarshalPropertyValue; `id` is empty while the engine has none: in a
 * preview, a resource whose ID is not planned, such as a network that adopts). The resource code takes IDs: a reference becomes its resource's ID here,
 * and what the reference says beyond it (which resource of the program it is) is handed to check.
 */
import { specialResourceSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { UNKNOWN } from "../vocabulary/unknown";
import { resourceOfUrn } from "./urn";
import type { NativeResource } from "./resources";
import type { ParsedUrn } from "./urn";

export interface ResourceRef {
  urn: string;
  id?: string;
}

export function isResourceRef(v: unknown): v is ResourceRef {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[specialSigKey] === specialResourceSig && typeof (v as ResourceRef).urn === "string";
}

/** The referenced resource's ID, or the engine's placeholder for a value not known yet (a preview). */
export const idOfRef = (ref: ResourceRef): string => (typeof ref.id === "string" && ref.id !== "" ? ref.id : UNKNOWN);

/** The plugin's resource a reference names, when it names one of the `want` type. */
export function referenced(ref: ResourceRef, want: NativeResource["type"]): { resource: NativeResource; parsed: ParsedUrn } | undefined {
  try {
    const r = resourceOfUrn(ref.urn);
    return r.resource.type === want ? r : undefined;
  } catch {
    return undefined;
  }
}
