/**
 * What Pulumi takes as a stack name: `^[A-Za-z0-9_.-]{1,100}$` (pulumi/pulumi validateStackName;
 * https://www.pulumi.com/docs/iac/concepts/stacks/ "Stack names may only contain alphanumeric
 * characters, hyphens, underscores, or periods"). The SDK's Topology seeds IDs with a stack name
 * and the fleet makes stack names, so the rule lives below both.
 */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
