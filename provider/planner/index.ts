/** The offline planner: IPAM, policy planning and validation rules. Pure; no I/O. */
export * from "./topology";
export * from "./lock";
export * from "./plan";
export { RULES, ruleById } from "./rules/catalog";
export type { Finding, Rule, Severity } from "./rules/rule";
