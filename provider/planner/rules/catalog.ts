/**
 * The rule catalog: every check the planner runs, with its id, message and fix, in the order
 * findings are reported. The reference rule table (docs/reference/rules.md) and the tests are generated from this list.
 */
import { addressRules } from "./address";
import { containerHostRules } from "./container-host";
import { fitRules } from "./fit";
import { hcnPolicyRules } from "./hcn-policies";
import { loadBalancerRules } from "./load-balancer";
import type { Rule } from "./rule";
import { subnetRules } from "./subnet";
import { unsupportedRules } from "./unsupported";

export const RULES: readonly Rule[] = [...addressRules, ...subnetRules, ...fitRules, ...hcnPolicyRules, ...loadBalancerRules, ...unsupportedRules, ...containerHostRules];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
