/**
 * The engine side of pulumi-hns: what the serialized provider shim loads at call time
 * (`require("pulumi-hns/provider")`), so upgrading the package upgrades old stacks too.
 */
import type * as pulumi from "@pulumi/pulumi";
import { sweepStaleDirs } from "./hosts/powershell/credentials";
import type { ResourceKind } from "./kinds/registry";
import { EndpointProvider } from "./resources/endpoint/controller";
import { NamespaceProvider } from "./resources/namespace/controller";
import { NetworkProvider } from "./resources/network/controller";
import { PolicyProvider } from "./resources/policy/controller";

// A provider process killed by SIGKILL cannot remove the private key directory of the ssh session
// it was opening; the next provider process to start clears such leftovers, whatever its hosts.
sweepStaleDirs();

/**
 * The controller of each kind in provider/kinds/registry.ts, by kind: a kind of the registry
 * without one here (or one here that the registry lacks) does not compile.
 */
export const providers = {
  network: new NetworkProvider(),
  endpoint: new EndpointProvider(),
  policy: new PolicyProvider(),
  namespace: new NamespaceProvider(),
} satisfies { [K in ResourceKind]: pulumi.dynamic.ResourceProvider };
export type { ResourceKind } from "./kinds/registry";

export { HnsError, isNotFound } from "./vocabulary/errors";
export { NetworkArgs, type NetworkState } from "./kinds/network/args";
export { EndpointArgs, type EndpointState } from "./kinds/endpoint/args";
export { PolicyArgs, type PolicyState } from "./kinds/policy/args";
export { NamespaceArgs, type NamespaceState } from "./kinds/namespace/args";
export { Host, EmulatorHost, LocalHost, SshHost, WinrmHost } from "./hosts/host";
export { HOST_CREDENTIALS } from "./hosts/host";
export type { HnsClient } from "./hosts/client";
