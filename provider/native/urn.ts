/**
 * What the SDK learns from the program's runtime (project, stack, resource name), the native
 * plugin reads from the URN the engine passes to check, create and read:
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`
 * (https://www.pulumi.com/docs/iac/concepts/resources/names/#urns).
 */
import { defaultName, seedOf } from "../kinds/identity";
import { resourceOfToken, type NativeResource } from "./resources";

export interface ParsedUrn {
  stack: string;
  project: string;
  /** The resource's own type token (the last `$`-separated part of the qualified type). */
  type: string;
  name: string;
}

export function parseUrn(urn: string): ParsedUrn {
  const m = /^urn:pulumi:([^:]*)::([^:]*)::([^]*?)::([^]*)$/.exec(urn);
  if (!m) throw new Error(`not a Pulumi URN: ${JSON.stringify(urn)}`);
  const [, stack, project, qualified, name] = m;
  return { stack, project, type: qualified.split("$").pop()!, name };
}

/** The resource a URN names, or an error naming the type the plugin does not have. */
export function resourceOfUrn(urn: string): { resource: NativeResource; parsed: ParsedUrn } {
  const parsed = parseUrn(urn);
  const resource = resourceOfToken(parsed.type);
  if (!resource) throw new Error(`the hns plugin has no resource type ${parsed.type}`);
  return { resource, parsed };
}

/** The seed of deterministic HNS IDs, as the SDK makes it (provider/kinds/identity.ts seedOf). */
export function seedOfUrn(u: ParsedUrn, r: NativeResource): string {
  return seedOf(u, r.type, u.name);
}

/** The HNS name a resource gets when the program gives none, as the SDK names it (provider/kinds/identity.ts defaultName). */
export function defaultNameOf(u: ParsedUrn, r: NativeResource): string | undefined {
  return defaultName(r.defaultName, u, u.name);
}
