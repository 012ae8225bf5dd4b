/**
 * Program-side argument types derived from the provider's zod schemas, so no interface is
 * written twice: every field (and every nested field) accepts a Pulumi Input.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { defaultName, seedOf as seedAt } from "../provider/kinds/identity";
import { REGISTRY, type KindSpec, type ResourceKind } from "../provider/kinds/registry";
import type { HostArgs } from "./host";
import { protectHost } from "./secrets";

export type DeepInput<T> = T extends (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;

export type ResourceInputs<T> = { [K in keyof T]: DeepInput<T[K]> };

/** A resource's outputs as its properties: one per field of the provider's outputs schema. */
export type OutputProperties<S extends z.ZodObject> = { readonly [K in keyof z.infer<S>]-?: pulumi.Output<z.infer<S>[K]> };

/**
 * Every field of the outputs schema, unset: the engine creates an output property only for a
 * key the resource registers, and fills it from the provider's outputs.
 */
export function outputPlaceholders(outputs: z.ZodObject): Record<string, undefined> {
  return Object.fromEntries(Object.keys(outputs.shape).map((k) => [k, undefined]));
}

/**
 * What a resource of `kind` registers: its arguments (with `own` values, such as what an
 * endpoint learns of its network), its HNS name by the kind's default-name rule when the
 * program gives none, the host block with its credentials made secret, the seed of its
 * deterministic ID, and a placeholder per field of its outputs schema (provider/kinds/registry.ts).
 */
export function resourceProps(kind: ResourceKind, name: string, args: { host: pulumi.Input<HostArgs>; name?: unknown }, own: pulumi.Inputs = {}): pulumi.Inputs {
  const { type, outputs, defaultName: rule }: KindSpec = REGISTRY[kind];
  // An output given as an argument (past TypeScript, with a cast or from JavaScript) would be
  // overwritten by its placeholder below and dropped without a word: refuse it, naming it.
  const given = Object.keys(outputs.shape).filter((k) => (args as Record<string, unknown>)[k] !== undefined);
  if (given.length) {
    throw new Error(`${type} ${name}: ${given.map((k) => `"${k}"`).join(", ")} ${given.length === 1 ? "is an output" : "are outputs"} the host reports, not ${given.length === 1 ? "an argument" : "arguments"}: remove ${given.length === 1 ? "it" : "them"} (read ${given.length === 1 ? "it" : "them"} from the resource)`);
  }
  const named = rule ? { name: args.name ?? defaultName(rule, here(), name) } : {};
  return { ...args, ...own, ...named, host: protectHost(args.host, `${type} ${name}`), __seed: seedOf(type, name), ...outputPlaceholders(outputs) };
}

/** The stack whose identity resources declared now take instead of the running one's (seededAs). */
let seedStack: string | undefined;

/**
 * Declares resources whose IDs and auto-names are those the stack `stack` of this project would
 * give them: a fleet's group stacks all seed as the fleet (sdk/topology.ts, docs/fleets.md).
 * `declare` runs synchronously (each resource computes its seed in its constructor), so no
 * other program's resources, even of another stack in this process, are declared meanwhile.
 */
export function seededAs<T>(stack: string | undefined, declare: () => T): T {
  const outer = seedStack;
  seedStack = stack;
  try {
    return declare();
  } finally {
    seedStack = outer;
  }
}

/** This program's project and stack (or the one seededAs names), as the runtime knows them. */
const here = () => ({ project: pulumi.getProject(), stack: seedStack ?? pulumi.getStack() });

/** `<project>/<stack>/<type>/<name>`: seeds deterministic HNS IDs so a retried create finds its object (provider/kinds/identity.ts). */
export function seedOf(type: string, name: string): string {
  return seedAt(here(), type, name);
}

/** A network's auto-name: the resource name plus a short hash of project and stack (provider/kinds/identity.ts defaultName). */
export function autoName(name: string): string {
  return defaultName("stack-unique", here(), name)!;
}
