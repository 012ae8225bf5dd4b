/**
 * Program-side argument types derived from the provider's zod schemas, so no interface is
 * written twice: every field (and every nested field) accepts a Pulumi Input.
 */
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export type DeepInput<T> = T extends (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;

export type ResourceInputs<T> = { [K in keyof T]: DeepInput<T[K]> };

/** `<project>/<stack>/<type>/<name>`: seeds deterministic HNS IDs so a retried create finds its object. */
export function seedOf(type: string, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${type}/${name}`;
}

/**
 * Auto-name: the resource name plus a short hash of project and stack, so two stacks that
 * deploy the same program to one host do not collide (HNS network names are unique per host).
 * Deterministic, unlike a random suffix, so an interrupted create is retried under the same name.
 */
export function autoName(name: string): string {
  const h = crypto.createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}`).digest("hex").slice(0, 7);
  return `${name}-${h}`;
}
