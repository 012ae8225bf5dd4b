/**
 * Who a resource is, in the words both front doors share: the SDK learns project, stack and
 * resource name from the program's runtime, the native plugin from the URN the engine passes
 * (https://www.pulumi.com/docs/iac/concepts/resources/names/#urns). From those three and the
 * resource's type name come its seed (what its deterministic HNS IDs are derived from), the HNS
 * name it gets when the program gives none, and the tag that marks one stack's objects on a host.
 * Each is computed here only: the SDK (sdk/inputs.ts), the plugin (provider/native/urn.ts) and
 * the controllers (provider/resources) call these, so the two front doors name and number the
 * same resource the same way.
 */
import { createHash } from "node:crypto";

/** A program's place: its Pulumi project and stack. */
export interface StackPlace {
  project: string;
  stack: string;
}

/** How a resource's HNS name is filled in when the program gives none. */
export type DefaultNameRule = "resource" | "stack-unique";

/** `<project>/<stack>/<type>/<name>`: seeds deterministic HNS IDs so a retried create finds its object. */
export function seedOf(at: StackPlace, type: string, name: string): string {
  return `${at.project}/${at.stack}/${type}/${name}`;
}

/** SHA-256 over "<project>/<stack>", in hex: what the stack-unique name and the stack tag are cut from. */
function stackDigest(project: string, stack: string): string {
  return createHash("sha256").update(`${project}/${stack}`, "utf8").digest("hex");
}

/**
 * The HNS name a resource gets when the program gives none: the resource name, or for
 * "stack-unique" the name plus 7 hex digits of project and stack, so two stacks that deploy the
 * same program to one host do not collide (HNS network names are unique per host).
 * Deterministic, unlike a random suffix, so an interrupted create is retried under the same name.
 */
export function defaultName(rule: DefaultNameRule | undefined, at: StackPlace, name: string): string | undefined {
  if (rule === "resource") return name;
  if (rule === "stack-unique") return `${name}-${stackDigest(at.project, at.stack).slice(0, 7)}`;
  return undefined;
}

/**
 * 8 hex digits naming a stack: SHA-256 over "<project>/<stack>", the first two segments of a
 * resource seed (`<project>/<stack>/<type>/<name>`, seedOf). Undefined for a seed of another
 * shape. A chance collision between two stacks is 1 in 2^32.
 */
export function stackTag(seedOrStack: string): string | undefined {
  const [project, stack] = seedOrStack.split("/");
  if (!project || !stack) return undefined;
  return stackDigest(project, stack).slice(0, 8);
}

const ID_NAMESPACE = Buffer.from("0b4f5d0e0c5b4f358d2a7d1c5e6f9a31", "hex");

/**
 * HNS accepts client-chosen IDs, so creates use an ID derived from what identifies the
 * object: a retry after a lost reply finds the object instead of making a second one.
 * A name-based UUID (RFC 9562 version 5: SHA-1 over namespace + name), whose first 8 hex
 * digits are the stack's tag (see stackTag) when the resource carries a seed: so the objects
 * one stack made can be told apart on a host even when its state lost track of them
 * (an interrupted `pulumi up`), which is what `hns-plan doctor` looks for.
 */
export function deterministicId(seed: string | undefined, ...parts: string[]): string {
  const h = createHash("sha1").update(ID_NAMESPACE).update([seed ?? "", ...parts].join("\u0000"), "utf8").digest();
  const tag = seed ? stackTag(seed) : undefined;
  if (tag) Buffer.from(tag, "hex").copy(h, 0);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
