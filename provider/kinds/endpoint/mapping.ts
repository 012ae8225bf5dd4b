/** Endpoint arguments <-> HostComputeEndpoint. */
import { ownedOf, type FieldRule } from "../field-rules";
import type { HostComputeEndpoint } from "../../hcn";
import { EndpointFlags, SCHEMA_VERSION_2_0 } from "../../hcn";
import { isDefaultRoute as isDefault } from "../../vocabulary/net/cidr";
import { normalizeMac } from "../../vocabulary/net/mac";
import { dnsFromHcn, dnsToHcn } from "../network/mapping";
import type { EndpointArgs, EndpointOutputs } from "./args";

/** What a change of each field does on the host: replace the object, update it in place (HNS Modify), or nothing. */
export const ENDPOINT_FIELDS: { [K in keyof EndpointArgs]-?: FieldRule } = {
  host: "replace",
  network: "replace",
  name: "replace",
  ipAddress: "replace",
  prefixLength: "replace",
  ipv6Address: "replace",
  macAddress: "replace",
  dns: "replace", // HNS has no endpoint DNS modify
  routes: "replace",
  remote: "replace",
  disableIcc: "replace",
  policies: "update", // Modify ResourceType Policy Add/Remove of its own policies
  attach: "update", // namespace Modify Endpoint Remove/Add
  // Declarations of the container for check's rule hyperv-hot-add: HNS stores neither, so a change is no change to the endpoint.
  isolation: "ignore",
  hotAdd: "ignore",
  adopt: "ignore",
  __seed: "ignore",
  __network: "ignore",
};

export function toHcn(args: Omit<EndpointArgs, "host">, id: string): HostComputeEndpoint {
  const flags = (args.remote ? EndpointFlags.RemoteEndpoint : 0) | (args.disableIcc ? EndpointFlags.DisableICC : 0);
  return {
    ID: id,
    Name: args.name,
    HostComputeNetwork: args.network,
    ...(args.ipAddress || args.ipv6Address
      ? {
          IpConfigurations: [
            ...(args.ipAddress ? [{ IpAddress: args.ipAddress, ...(args.prefixLength !== undefined ? { PrefixLength: args.prefixLength } : {}) }] : []),
            ...(args.ipv6Address ? [{ IpAddress: args.ipv6Address }] : []),
          ],
        }
      : {}),
    ...(args.macAddress ? { MacAddress: normalizeMac(args.macAddress) } : {}),
    ...(args.dns ? { Dns: dnsToHcn(args.dns) } : {}),
    ...(args.routes ? { Routes: args.routes.map((r) => ({ DestinationPrefix: r.destination, NextHop: r.nextHop, ...(r.metric !== undefined ? { Metric: r.metric } : {}) })) } : {}),
    ...(args.policies?.length ? { Policies: args.policies } : {}),
    ...(flags ? { Flags: flags } : {}),
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  } as HostComputeEndpoint;
}

/** The host's document in argument form; fields the arguments left to HNS stay unset. */
export function fromHcn(doc: HostComputeEndpoint, like: Partial<EndpointArgs>): Partial<EndpointArgs> {
  const ip = doc.IpConfigurations?.[0];
  const flags = doc.Flags ?? 0;
  const explicitRoutes = (doc.Routes ?? []).filter((r) => like.routes !== undefined || !isDefault(r.DestinationPrefix));
  return {
    network: doc.HostComputeNetwork,
    name: doc.Name,
    ...(like.ipAddress !== undefined ? { ipAddress: ip?.IpAddress } : {}),
    ...(like.prefixLength !== undefined ? { prefixLength: ip?.PrefixLength } : {}),
    ...(like.ipv6Address !== undefined ? { ipv6Address: (doc.IpConfigurations ?? []).filter((c) => c.IpAddress?.includes(":")).pop()?.IpAddress } : {}),
    ...(like.macAddress !== undefined ? { macAddress: doc.MacAddress ?? undefined } : {}),
    ...(like.dns !== undefined ? { dns: dnsFromHcn(doc.Dns) } : {}),
    ...(explicitRoutes.length ? { routes: explicitRoutes.map((r) => ({ destination: r.DestinationPrefix!, nextHop: r.NextHop!, ...(r.Metric ? { metric: r.Metric } : {}) })) } : {}),
    // Only the policies it declared: others may belong to Policy resources (provider/resources/owned-policies.ts).
    policies: ownedOf(like.policies, doc.Policies),
    ...(like.remote !== undefined || flags & EndpointFlags.RemoteEndpoint ? { remote: !!(flags & EndpointFlags.RemoteEndpoint) } : {}),
    ...(like.disableIcc !== undefined || flags & EndpointFlags.DisableICC ? { disableIcc: !!(flags & EndpointFlags.DisableICC) } : {}),
  };
}

export function outputsOf(doc: HostComputeEndpoint): EndpointOutputs {
  const ip = doc.IpConfigurations?.[0];
  const gw = (doc.Routes ?? []).find((r) => isDefault(r.DestinationPrefix))?.NextHop;
  return {
    endpointId: doc.ID!,
    ...(ip?.IpAddress ? { appliedIpAddress: ip.IpAddress } : {}),
    ...(ip?.PrefixLength !== undefined ? { appliedPrefixLength: ip.PrefixLength } : {}),
    ...(doc.MacAddress ? { appliedMacAddress: doc.MacAddress } : {}),
    ...(gw ? { gateway: gw } : {}),
    ...(doc.HostComputeNamespace ? { namespaceId: doc.HostComputeNamespace } : {}),
  };
}
