/**
 * What `check` asks after the zod schema has accepted a resource's arguments: the HNS rules
 * those arguments decide (./resource.ts runs the planner's own rules over them).
 */
import type { CheckFailure } from "../vocabulary/errors";
import type { EndpointArgs } from "../kinds/endpoint/args";
import type { PolicyArgs } from "../kinds/policy/args";
import { judgeEndpoint, judgeLoadBalancer, judgeNetwork, judgeNetworkPolicies } from "./resource";
import { judgeRoute } from "./route";

export { judgeNetwork };

export function judgeEndpointArgs(args: EndpointArgs): CheckFailure[] {
  return judgeEndpoint(args, args.__network);
}

type Judges = { [K in PolicyArgs["kind"]]: (args: Extract<PolicyArgs, { kind: K }>) => CheckFailure[] };

/** The rules each kind of Policy is judged by. */
const POLICY_JUDGES: Judges = {
  loadBalancer: judgeLoadBalancer,
  route: judgeRoute,
  endpointPolicies: (args) => judgeEndpoint({ host: args.host, policies: args.policies }, undefined),
  networkPolicies: (args) => judgeNetworkPolicies(args.host, args.policies),
};

export function judgePolicy(args: PolicyArgs): CheckFailure[] {
  return (POLICY_JUDGES[args.kind] as (a: PolicyArgs) => CheckFailure[])(args);
}
