/**
 * What `check` asks after the zod schema has accepted a resource's arguments: the HNS rules
 * those arguments decide (./topology.ts runs the planner's own rules over them).
 */
import type { EndpointArgs } from "../resources/endpoint/args";
import type { PolicyArgs } from "../resources/policy/args";
import { judgeEndpoint, judgeLoadBalancer, judgeNetwork, judgeNetworkPolicies, type CheckFailure } from "./topology";
import { judgeRoute } from "./route";

export type { CheckFailure } from "./topology";
export { judgeNetwork };

export function judgeEndpointArgs(args: EndpointArgs): CheckFailure[] {
  return judgeEndpoint(args, args.__network);
}

export function judgePolicy(args: PolicyArgs): CheckFailure[] {
  switch (args.kind) {
    case "loadBalancer":
      return judgeLoadBalancer(args);
    case "route":
      return judgeRoute(args);
    case "endpointPolicies":
      return judgeEndpoint({ host: args.host, policies: args.policies }, undefined);
    case "networkPolicies":
      return judgeNetworkPolicies(args.host, args.policies);
  }
}
