/**
 * The pack's policies (Pulumi CrossGuard, @pulumi/policy): a stack validation that runs the
 * planner's cross-resource rules over every hns resource of the stack at once, and an advisory
 * that says when check is judging them instead.
 *
 * Why the environment variable: the engine stops a deployment at the first resource whose check
 * fails, before any stack policy runs. So check judges the cross-resource rules (one clash per
 * preview) unless PULUMI_HNS_CROSS_RESOURCE=policy-pack leaves them to this pack (every clash in
 * one preview). The pack runs in the CLI's environment, so it sees the same variable check does.
 */
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { CROSS_RESOURCE_ENV, crossResourcePlace } from "../judge/program";
import { hnsResourceOf, violationsOf, type StackResource } from "./program";

/** Where the cross-resource rules run for this environment, or why the setting is refused. */
function place(env: NodeJS.ProcessEnv): { judgedHere: boolean; problem?: string } {
  try {
    return { judgedHere: crossResourcePlace(env) === "policy-pack" };
  } catch (e) {
    return { judgedHere: false, problem: (e as Error).message };
  }
}

const hasHnsResources = (args: StackValidationArgs) => args.resources.some((r) => hnsResourceOf(r.type) !== undefined);

/** The policies, reading the given environment (the process's, in the pack). */
export function policiesFor(env: NodeJS.ProcessEnv): StackValidationPolicy[] {
  return [
    {
      name: "hns-cross-resource",
      // Printed above every violation: short.
      description: "pulumi-hns: the planner's cross-resource rules over every hns resource of the stack, per host.",
      enforcementLevel: "mandatory",
      validateStack: (args, reportViolation) => {
        if (!hasHnsResources(args)) args.notApplicable("the stack has no hns resources");
        if (!place(env).judgedHere) args.notApplicable(`${CROSS_RESOURCE_ENV} is not "policy-pack": check judges these rules`);
        for (const v of violationsOf(args.resources as unknown as StackResource[])) reportViolation(v.message, v.urn);
      },
    },
    {
      name: "hns-cross-resource-setting",
      description: `pulumi-hns: whether ${CROSS_RESOURCE_ENV} leaves the cross-resource rules to this pack.`,
      enforcementLevel: "advisory",
      validateStack: (args, reportViolation) => {
        if (!hasHnsResources(args)) args.notApplicable("the stack has no hns resources");
        const { judgedHere, problem } = place(env);
        if (judgedHere) return;
        reportViolation(
          problem ??
            `${CROSS_RESOURCE_ENV} is not set to "policy-pack", so check judges the cross-resource rules and a preview stops at the first resource that clashes; set ${CROSS_RESOURCE_ENV}=policy-pack when you run pulumi preview --policy-pack, so that this pack reports every clash at once`,
        );
      },
    },
  ];
}
