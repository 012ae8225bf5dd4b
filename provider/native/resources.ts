/**
 * The native plugin's resources: one per kind of provider/kinds/registry.ts, with its Pulumi type
 * token and the dynamic provider that implements it (one implementation, two front doors); a
 * name left out is filled in the same way the TypeScript SDK fills it (provider/kinds/identity.ts).
 */
import type { z } from "zod";
import { printedGuid } from "../hosts/emulator/objects";
import { KINDS, type ResourceKind, type TypeName } from "../kinds/registry";
import type { DefaultNameRule } from "../kinds/identity";

/** The Pulumi package name: tokens are `hns:index:<Type>`, the plugin `pulumi-resource-hns`. */
export const PACKAGE = "hns";

/** A kind as the plugin serves it (provider/kinds/registry.ts KindSpec says what each field means). */
export interface NativeResource {
  kind: ResourceKind;
  type: TypeName;
  defaultName?: DefaultNameRule;
  notImportable?: string;
  outputs: z.ZodObject;
  /** As the registry's, with the ID as the host prints it (upper case), which is what the host's reply will carry. */
  plannedId?: { output: string; of: (inputs: Record<string, unknown>) => string | undefined };
  references?: Record<string, { type: TypeName; context: "__network" }>;
}

/** An ID as HNS prints it (a preview's planned ID then equals what the create reports). */
const printed = (id: string | undefined) => (id === undefined ? undefined : printedGuid(id));

export const NATIVE_RESOURCES: readonly NativeResource[] = KINDS.map((k) => {
  const planned = k.plannedId;
  return {
    kind: k.kind as ResourceKind,
    type: k.type as TypeName,
    ...(k.defaultName ? { defaultName: k.defaultName } : {}),
    ...(k.notImportable ? { notImportable: k.notImportable } : {}),
    outputs: k.outputs,
    ...(planned ? { plannedId: { output: planned.output, of: (a: Record<string, unknown>) => printed(planned.of(a)) } } : {}),
    ...(k.references ? { references: k.references as NativeResource["references"] } : {}),
  };
});

export const tokenOf = (r: Pick<NativeResource, "type"> | { type: string }) => `${PACKAGE}:index:${r.type}`;

export function resourceOfToken(token: string): NativeResource | undefined {
  return NATIVE_RESOURCES.find((r) => tokenOf(r) === token);
}
