/**
 * What each kind of Policy replaces and updates, and the IDs derived from its fields.
 */
import { hostKey } from "../../hosts/host";
import { deterministicId } from "../identity";
import { fieldsKey, type FieldRule } from "../field-rules";
import type { LoadBalancerArgs, PolicyArgs, RouteArgs } from "./args";

type Kind = PolicyArgs["kind"];
type Rules<K extends Kind> = { [F in keyof Extract<PolicyArgs, { kind: K }>]-?: FieldRule };

export const POLICY_FIELDS: { [K in Kind]: Rules<K> } = {
  // HcnModifyLoadBalancer (HNS 15.4+) takes the whole object; before that a change makes a new
  // object under a new ID, which the state keeps in hnsId (the resource ID cannot change).
  loadBalancer: { kind: "replace", host: "replace", __seed: "ignore", endpoints: "update", sourceVip: "update", frontendVips: "update", portMappings: "update", dsr: "update", ipv6: "update" },
  // "HCNRoute doesn't implement modify functionality" (hcsshim hcnroute.go): every change replaces.
  route: { kind: "replace", host: "replace", __seed: "ignore", endpoints: "replace", routes: "replace" },
  endpointPolicies: { kind: "replace", host: "replace", __seed: "ignore", endpoint: "replace", policies: "update" },
  networkPolicies: { kind: "replace", host: "replace", __seed: "ignore", network: "replace", policies: "update" },
};

/** A policy set's ID: its kind and target (a set is one per resource and target). */
export function setId(args: Extract<PolicyArgs, { kind: "endpointPolicies" | "networkPolicies" }>, target: string): string {
  return deterministicId(args.__seed, "policy", args.kind, hostKey(args.host), target.toLowerCase());
}

/**
 * The HNS ID of a load balancer or route: derived from every field HNS sees, so a retry of the
 * same create finds its object while a changed object gets a new ID (HNS has been seen to fail
 * a create right after a delete of the same ID, hcsshim#95).
 */
export function objectId(args: LoadBalancerArgs | RouteArgs): string {
  const rules: Record<string, FieldRule> = POLICY_FIELDS[args.kind];
  const fields = Object.keys(rules).filter((k) => rules[k] !== "ignore");
  const normal = { ...args, endpoints: args.endpoints.map((e) => e.toLowerCase()) };
  return deterministicId(args.__seed, "policy", args.kind, hostKey(args.host), fieldsKey(normal, fields));
}
