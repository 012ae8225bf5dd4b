/** What a planner rule is, and what it reports. */
import type { Problem } from "../../vocabulary/errors";
import type { EndpointPolicy } from "../../hcn";
import type { IpamResult } from "../ipam";
import type { EndpointNode, Model } from "../model";
import type { TopologyInput } from "../topology";

export type Severity = "error" | "warning";

export interface Finding {
  /** Rule id from the catalog ("schema" for shape errors). */
  rule: string;
  severity: Severity;
  /** Where, in the vocabulary of the topology: "node-1/pods/pod-a". */
  where: string;
  /** Where, as a document path: "hosts.0.networks.1.endpoints.2.ipAddress". */
  path: string;
  /** What is wrong and why HNS or Windows cares. */
  message: string;
  /** What to do instead. */
  fix: string;
}

/** A finding in the shape every problem is told in (provider/vocabulary/errors.ts). */
export function problemOf(f: Finding): Problem {
  return { code: f.rule, path: f.path, reason: f.message, fix: f.fix };
}

export type Report = Omit<Finding, "rule" | "severity" | "fix"> & { fix?: string };

export interface RuleContext {
  model: Model;
  ipam: IpamResult;
  /** Each endpoint's final policy list (planned, then its raw policies), as the plan emits it. */
  endpointPolicies: Map<EndpointNode, EndpointPolicy[]>;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** One line for the catalog table. */
  title: string;
  /** The default fix, also printed in the catalog. */
  fix: string;
  /** Where the fact comes from, for the docs. */
  source?: string;
  check(ctx: RuleContext): Report[];
  /** A topology this rule refuses, and the corrected one it accepts (docs and tests). */
  example: {
    fail: TopologyInput;
    pass: TopologyInput;
    /** Other rules the failing example necessarily breaks too. */
    alsoBreaks?: string[];
  };
}

/** A one-host, one-network topology for examples. */
export function single(network: Record<string, unknown>, host: Record<string, unknown> = {}): TopologyInput {
  return {
    hosts: [{ name: "node-1", ...host, networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], ...network }] }],
  } as TopologyInput;
}
