/**
 * Rules only a resource's own check applies: SDN routes and load balancers over endpoints named
 * by ID have no counterpart in the topology document, so the planner's catalog (planner/rules)
 * cannot hold them. Declared here once, with their fix, for the check failures and the
 * reference (docs/reference/rules.md).
 */
import { checkFailureOf, type CheckFailure } from "../vocabulary/errors";

interface ResourceRule {
  /** The resource kind the rule is about. */
  resource: string;
  title: string;
  fix: string;
}

export const RESOURCE_RULES = {
  "route-endpoint-duplicate": { resource: "Policy (route)", title: "A route lists each endpoint once", fix: "list each endpoint once" },
  "route-family-mismatch": { resource: "Policy (route)", title: "A route's next hop is of its destination's address family", fix: "use a next hop of the destination's address family" },
  "route-destination-duplicate": { resource: "Policy (route)", title: "A destination prefix is routed once: HNS keeps one route per destination", fix: "merge them or remove one" },
  "lb-vip-duplicate": { resource: "Policy (loadBalancer)", title: "A load balancer lists each frontend VIP once (compared as addresses, not as text)", fix: "list each VIP once" },
  "lb-frontend-duplicate": {
    resource: "Policy (loadBalancer)",
    title: "Load balancers of one host do not share a frontend (the same frontend VIPs and port mappings): HNS refuses the second (HCN_E_POLICY_ALREADY_EXISTS), judged with the program's other Policies and what the host holds",
    fix: "give one of them another frontend VIP or port, or merge their backends into one load balancer",
  },
  "lb-vip-family": {
    resource: "Policy (loadBalancer)",
    title: "A load balancer's VIPs are all IPv6 when it is flagged ipv6, and all IPv4 when it is not",
    fix: "use VIPs of one family, and set ipv6: true for IPv6 ones",
  },
} as const satisfies Record<string, ResourceRule>;

export type ResourceRuleId = keyof typeof RESOURCE_RULES;

/** A check failure of one of these rules; `fix` when the case has a more specific one than the rule's. */
export function resourceRuleFailure(rule: ResourceRuleId, path: string, reason: string, fix?: string): CheckFailure {
  return checkFailureOf({ code: rule, path, reason, fix: fix ?? RESOURCE_RULES[rule].fix });
}
