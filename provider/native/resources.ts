/**
 * The native plugin's resources: Pulumi type token, the dynamic provider that implements it
 * (one implementation, two front doors) and how a name left out is filled in, the same way the
 * TypeScript SDK fills it (sdk/network.ts, sdk/endpoint.ts, sdk/namespace.ts).
 */
import type { ResourceKind } from "../index";

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
}

export const NATIVE_RESOURCES: readonly NativeResource[] = [
  { kind: "network", type: "Network", defaultName: "stack-unique" },
  { kind: "endpoint", type: "Endpoint", defaultName: "resource" },
  {
    kind: "policy",
    type: "Policy",
    notImportable: "an ID alone does not say which kind of Policy it is (a load balancer, a route, or policies added to an endpoint or network): declare the Policy in the program instead",
  },
  { kind: "namespace", type: "Namespace", defaultName: "resource" },
];

export const tokenOf = (r: NativeResource) => `${PACKAGE}:index:${r.type}`;

export function resourceOfToken(token: string): NativeResource | undefined {
  return NATIVE_RESOURCES.find((r) => tokenOf(r) === token);
}
