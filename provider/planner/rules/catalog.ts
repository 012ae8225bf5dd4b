/**
 * The rule catalog: every check the planner runs, with its id, message and fix, in the order
 * findings are reported. The README's rule table and the tests are generated from this list.
 */
import { addressRules } from "./address";
import { fitRules } from "./fit";
import type { Rule } from "./rule";
import { unsupportedRules } from "./unsupported";

export const RULES: readonly Rule[] = [...addressRules, ...fitRules, ...unsupportedRules];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
