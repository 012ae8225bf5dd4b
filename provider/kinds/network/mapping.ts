/**
 * Network arguments <-> HostComputeNetwork: what a change of each field does (NETWORK_FIELDS),
 * the create body (`toHcn`), and the host's document back in argument form (`fromHcn`) so
 * refresh can report drift field by field. A new Network field is declared in args.ts and
 * mapped here; nothing else names it.
 */
import { hostKey } from "../../hosts/host";
import { ownedOf, replaceKey, type FieldRule } from "../field-rules";
import { deterministicId } from "../identity";
import type { HostComputeNetwork, NetworkPolicy } from "../../hcn";
import { NetworkFlags, SCHEMA_VERSION_2_0 } from "../../hcn";
import { addressAt, isDefaultRoute as isDefault, parseCidr } from "../../vocabulary/net/cidr";
import { NETWORK_TYPE_TRAITS, hnsTypeOf } from "../../vocabulary/facts/network-types";
import type { NetworkArgs, NetworkOutputs, NetworkType, Subnet } from "./args";

/** What changes replace the network and what HNS Modify updates in place. */
export const NETWORK_FIELDS: { [K in keyof NetworkArgs]-?: FieldRule } = {
  host: "replace",
  name: "replace",
  type: "replace",
  subnets: "replace",
  adapterName: "replace",
  macPool: "replace",
  persistent: "replace",
  disableHostPort: "replace",
  vxlanPort: "replace",
  dns: "update", // Modify ResourceType DNS
  policies: "update", // Modify ResourceType Policy Add/Remove of its own policies
  adopt: "ignore",
  __seed: "ignore",
};

/**
 * The ID a network's create uses (deterministicId): from its seed, host and the fields whose
 * change replaces it, so a retried create finds its network and a replacement gets a new ID.
 */
export function networkId(args: NetworkArgs): string {
  return deterministicId(args.__seed, "network", hostKey(args.host), replaceKey(args, NETWORK_FIELDS));
}

const HCN_TYPE = Object.fromEntries(Object.entries(NETWORK_TYPE_TRAITS).map(([t, tr]) => [t, tr.hns])) as Record<NetworkType, string>;
const ARG_TYPE = Object.fromEntries(Object.entries(HCN_TYPE).map(([k, v]) => [v, k])) as Record<string, NetworkType>;

export function defaultGateway(prefix: string): string | undefined {
  const c = parseCidr(prefix);
  return c && addressAt(c, 1n);
}

export function toHcn(args: Omit<NetworkArgs, "host">, id: string): HostComputeNetwork {
  const subnets = (args.subnets ?? []).map((s) => {
    const family = parseCidr(s.prefix)?.family;
    const gateway = s.gateway ?? defaultGateway(s.prefix);
    return {
      IpAddressPrefix: s.prefix,
      Routes: [
        { NextHop: gateway, DestinationPrefix: family === "ipv6" ? "::/0" : "0.0.0.0/0" },
        ...(s.routes ?? []).map((r) => ({ NextHop: r.nextHop, DestinationPrefix: r.destination, ...(r.metric !== undefined ? { Metric: r.metric } : {}) })),
      ],
      ...(s.vlan !== undefined ? { Policies: [{ Type: "VLAN", Settings: { IsolationId: s.vlan } }] } : {}),
      ...(s.vsid !== undefined ? { Policies: [{ Type: "VSID", Settings: { IsolationId: s.vsid } }] } : {}),
    };
  });
  const policies: unknown[] = [
    ...(args.adapterName ? [{ Type: "NetAdapterName", Settings: { NetworkAdapterName: args.adapterName } }] : []),
    ...(args.vxlanPort !== undefined ? [{ Type: "VxlanPort", Settings: { Port: args.vxlanPort } }] : []),
    ...(args.policies ?? []),
  ];
  const flags = (args.persistent === false ? NetworkFlags.EnableNonPersistent : 0) | (args.disableHostPort ? NetworkFlags.DisableHostPort : 0);
  return {
    ID: id,
    Name: args.name,
    Type: HCN_TYPE[args.type],
    ...(flags ? { Flags: flags } : {}),
    ...(subnets.length ? { Ipams: [{ Type: "Static", Subnets: subnets }] } : {}),
    ...(args.dns ? { Dns: dnsToHcn(args.dns) } : {}),
    ...(args.macPool ? { MacPool: { Ranges: [{ StartMacAddress: args.macPool.start, EndMacAddress: args.macPool.end }] } } : {}),
    ...(policies.length ? { Policies: policies } : {}),
    SchemaVersion: { ...SCHEMA_VERSION_2_0 },
  } as HostComputeNetwork;
}

export function dnsToHcn(dns: NonNullable<NetworkArgs["dns"]>) {
  return {
    ...(dns.servers ? { ServerList: dns.servers } : {}),
    ...(dns.domain ? { Domain: dns.domain } : {}),
    ...(dns.search ? { Search: dns.search } : {}),
    ...(dns.options ? { Options: dns.options } : {}),
  };
}

export function dnsFromHcn(dns: HostComputeNetwork["Dns"]): NetworkArgs["dns"] {
  if (!dns) return undefined;
  const out = {
    ...(dns.ServerList?.length ? { servers: dns.ServerList } : {}),
    ...(dns.Domain ? { domain: dns.Domain } : {}),
    ...(dns.Search?.length ? { search: dns.Search } : {}),
    ...(dns.Options?.length ? { options: dns.Options } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** The host's document in argument form, for the fields the arguments manage. */
export function fromHcn(doc: HostComputeNetwork, like: Partial<NetworkArgs>): Partial<NetworkArgs> {
  const policies = (doc.Policies ?? []) as NetworkPolicy[];
  const settingsOf = (t: string) => (policies.find((p) => p.Type === t) as { Settings?: Record<string, unknown> } | undefined)?.Settings;
  const subnets: Subnet[] = (doc.Ipams ?? []).flatMap((i) =>
    (i.Subnets ?? []).filter((s) => s.IpAddressPrefix).map((s) => {
      const def = (s.Routes ?? []).find((r) => isDefault(r.DestinationPrefix));
      const other = (s.Routes ?? []).filter((r) => !isDefault(r.DestinationPrefix));
      const iso = (t: string) => ((s.Policies ?? []).find((p) => p.Type === t) as { Settings?: { IsolationId?: number } } | undefined)?.Settings?.IsolationId;
      const likeSubnet = (like.subnets ?? []).find((l) => l.prefix === s.IpAddressPrefix);
      return {
        prefix: s.IpAddressPrefix!,
        ...(def?.NextHop && (likeSubnet?.gateway !== undefined || def.NextHop !== defaultGateway(s.IpAddressPrefix!)) ? { gateway: def.NextHop } : {}),
        ...(other.length ? { routes: other.map((r) => ({ destination: r.DestinationPrefix!, nextHop: r.NextHop!, ...(r.Metric ? { metric: r.Metric } : {}) })) } : {}),
        ...(iso("VLAN") !== undefined ? { vlan: iso("VLAN") } : {}),
        ...(iso("VSID") !== undefined ? { vsid: iso("VSID") } : {}),
      };
    }),
  );
  const flags = doc.Flags ?? 0;
  const range = doc.MacPool?.Ranges?.[0];
  const adapter = settingsOf("NetAdapterName")?.NetworkAdapterName as string | undefined;
  const vxlan = settingsOf("VxlanPort")?.Port as number | undefined;
  return {
    name: doc.Name,
    type: ARG_TYPE[hnsTypeOf(doc)] ?? (String(doc.Type).toLowerCase() as NetworkType),
    // Subnets HNS chose itself (a type with autoPrefix, given none) are not drift.
    ...(like.subnets !== undefined || !NETWORK_TYPE_TRAITS[ARG_TYPE[hnsTypeOf(doc)]]?.autoPrefix ? { subnets } : {}),
    dns: dnsFromHcn(doc.Dns),
    adapterName: adapter,
    ...(like.macPool !== undefined && range ? { macPool: { start: range.StartMacAddress, end: range.EndMacAddress } } : {}),
    ...(like.persistent !== undefined || flags & NetworkFlags.EnableNonPersistent ? { persistent: !(flags & NetworkFlags.EnableNonPersistent) } : {}),
    ...(like.disableHostPort !== undefined || flags & NetworkFlags.DisableHostPort ? { disableHostPort: !!(flags & NetworkFlags.DisableHostPort) } : {}),
    vxlanPort: vxlan,
    // Only the policies it declared: others may belong to Policy resources (provider/resources/owned-policies.ts).
    policies: ownedOf(like.policies, policies),
  };
}

export function outputsOf(doc: HostComputeNetwork): NetworkOutputs {
  const range = doc.MacPool?.Ranges?.[0];
  return {
    networkId: doc.ID!,
    appliedSubnets: (doc.Ipams ?? []).flatMap((i) =>
      (i.Subnets ?? [])
        .filter((s) => s.IpAddressPrefix)
        .map((s) => {
          const gw = (s.Routes ?? []).find((r) => isDefault(r.DestinationPrefix))?.NextHop;
          return { prefix: s.IpAddressPrefix!, ...(gw ? { gateway: gw } : {}) };
        }),
    ),
    ...(range ? { appliedMacPool: { start: range.StartMacAddress, end: range.EndMacAddress } } : {}),
  };
}
