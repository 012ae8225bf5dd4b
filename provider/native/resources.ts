/**
 * The native plugin's resources: Pulumi type token, the dynamic provider that implements it
 * (one implementation, two front doors) and how a name left out is filled in, the same way the
 * TypeScript SDK fills it (sdk/network.ts, sdk/endpoint.ts, sdk/namespace.ts).
 */
import type { z } from "zod";
import type { ResourceKind } from "../index";
import { EndpointOutputs } from "../kinds/endpoint/args";
import { NamespaceOutputs } from "../kinds/namespace/args";
import { NetworkOutputs, type NetworkArgs } from "../kinds/network/args";
import { networkId } from "../resources/network/controller";
import { printedGuid } from "../hosts/emulator/objects";
import { PolicyOutputs } from "../kinds/policy/args";

/** The Pulumi package name: tokens are `hns:index:<Type>`, the plugin `pulumi-resource-hns`. */
export const PACKAGE = "hns";

export interface NativeResource {
  kind: ResourceKind;
  /** The type name in the token and in the seed of deterministic IDs (`<project>/<stack>/<type>/<name>`). */
  type: "Network" | "Endpoint" | "Policy" | "Namespace";
  /** HNS name given when the program gives none: the resource name, or it plus a stack hash (HNS network names are unique per host). */
  defaultName?: "resource" | "stack-unique";
  /** Why `pulumi import` cannot read this type by ID alone, if it cannot. */
  notImportable?: string;
  /** What the host resolves (provider/resources/<kind>/args.ts): not known in a preview, unless planned. */
  outputs: z.ZodObject;
  /**
   * The object's ID known before the host answers: the output that holds it (also the resource
   * ID), and how a create derives it from the checked inputs (undefined: the host tells it). A
   * preview's Create reports it, so a program can pass it on in the same preview; an update
   * keeps the object, so its ID stays.
   */
  plannedId?: { output: string; of: (inputs: Record<string, unknown>) => string | undefined };
  /**
   * Inputs that take a resource of the plugin as well as its ID (`network: ${web}` in YAML):
   * the type it must be, and the hidden input that carries to check what this run's check saw
   * of that resource (judge/program.ts declaredNetwork). The schema offers both (gen-schema.ts).
   */
  references?: Record<string, { type: "Network"; context: "__network" }>;
}

export const NATIVE_RESOURCES: readonly NativeResource[] = [
  {
    kind: "network",
    type: "Network",
    defaultName: "stack-unique",
    outputs: NetworkOutputs,
    // Its create uses the deterministic ID (network/controller.ts), which the host reports as HNS
    // prints GUIDs; an adopted network's ID is the host's to tell.
    plannedId: { output: "networkId" satisfies keyof NetworkOutputs, of: (a) => (a.adopt ? undefined : printedGuid(networkId(a as NetworkArgs))) },
  },
  { kind: "endpoint", type: "Endpoint", defaultName: "resource", outputs: EndpointOutputs, references: { network: { type: "Network", context: "__network" } } },
  {
    kind: "policy",
    type: "Policy",
    notImportable: "an ID alone does not say which kind of Policy it is (a load balancer, a route, or policies added to an endpoint or network): declare the Policy in the program instead",
    outputs: PolicyOutputs,
  },
  { kind: "namespace", type: "Namespace", defaultName: "resource", outputs: NamespaceOutputs },
];

export const tokenOf = (r: NativeResource) => `${PACKAGE}:index:${r.type}`;

export function resourceOfToken(token: string): NativeResource | undefined {
  return NATIVE_RESOURCES.find((r) => tokenOf(r) === token);
}
