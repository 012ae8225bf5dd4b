/**
 * The engine side of pulumi-hns: what the serialized provider shim loads at call time
 * (`require("pulumi-hns/provider")`), so upgrading the package upgrades old stacks too.
 */
import { EndpointProvider } from "./resources/endpoint/controller";
import { NamespaceProvider } from "./resources/namespace/controller";
import { NetworkProvider } from "./resources/network/controller";
import { PolicyProvider } from "./resources/policy/controller";

export const providers = {
  network: new NetworkProvider(),
  endpoint: new EndpointProvider(),
  policy: new PolicyProvider(),
  namespace: new NamespaceProvider(),
};
export type ResourceKind = keyof typeof providers;

export { HnsError, isNotFound } from "./errors";
export { NetworkArgs, type NetworkState } from "./resources/network/args";
export { EndpointArgs, type EndpointState } from "./resources/endpoint/args";
export { PolicyArgs, type PolicyState } from "./resources/policy/args";
export { NamespaceArgs, type NamespaceState } from "./resources/namespace/args";
export { Host, EmulatorHost, LocalHost, SshHost, WinrmHost } from "./hosts/host";
export type { HnsClient } from "./hosts/client";
