/**
 * The provider text Pulumi keeps in each resource's state (`__provider`, in its inputs and again
 * in its outputs) and the base class that puts it there.
 *
 * The Node.js dynamic-provider host loads that text as a module and calls its `handler()` to get
 * the provider (`requireFromString(text).handler()` in @pulumi/pulumi's
 * cmd/dynamic-provider/index.js, which also copies `__provider` from the inputs into the outputs).
 * `pulumi.dynamic.Resource` would fill it with a closure serialization of six methods: about
 * 2,000 bytes, twice per resource, rewritten by the file backend on every step. Here it is one
 * line that loads the implementation by package name when the engine calls it, so:
 * - it is about 150 bytes;
 * - its text never changes between releases: no `~__provider` diff after an upgrade, and an
 *   upgraded package fixes read and delete for stacks written by older versions;
 * - nothing of the program is captured.
 *
 * The package is resolved from the provider process's working directory (the Pulumi project),
 * through `createRequire`, which also finds it when the project is this package.
 * Stacks written before 0.2 hold the serialized closure instead; it loads the same
 * implementation by the same name, so both texts keep working. Such a stack gets lean only as
 * its resources are updated (a refresh copies the outputs' old text back into the inputs).
 * DO NOT EDIT the text below without a migration plan: it lives in users' state.
 */
import * as pulumi from "@pulumi/pulumi";
import { dynamicTokenOf, REGISTRY, type ResourceKind } from "../provider/kinds/registry";

export function providerText(kind: ResourceKind): string {
  return `exports.handler = () => require("module").createRequire(require("path").join(process.cwd(), "noop.js"))("pulumi-hns/provider").providers.${kind};\n`;
}

/**
 * A dynamic-provider resource of pulumi-hns: the same type token and `__provider` key as
 * `pulumi.dynamic.Resource` (so URNs and state stay those of earlier releases), with the
 * provider given as the text above.
 */
export abstract class HnsResource extends pulumi.CustomResource {
  protected constructor(kind: ResourceKind, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(dynamicTokenOf(REGISTRY[kind]), name, { ...props, __provider: providerText(kind) }, opts);
  }
}
