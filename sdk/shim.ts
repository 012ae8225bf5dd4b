/**
 * The provider object Pulumi serializes into each resource's state (`__provider`).
 *
 * It must stay tiny and its text must never change between releases: each method loads the
 * real implementation by package name when the engine calls it. So nothing unserializable is
 * captured, `~__provider` diffs never appear after an upgrade, and an upgraded package fixes
 * read and delete for stacks written by older versions.
 *
 * The module is resolved from the provider process's working directory (the Pulumi project),
 * through `createRequire`, which also finds the package when the project is this package.
 * DO NOT EDIT the functions below without a migration plan: their text lives in users' state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

export type ShimKind = "network" | "endpoint" | "policy" | "namespace";

export function providerShim(kind: ShimKind): dynamic.ResourceProvider {
  const impl = () => require("module").createRequire(require("path").join(process.cwd(), "noop.js"))("pulumi-hns/provider").providers[kind];
  return {
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
  };
}
