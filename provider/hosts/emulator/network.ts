/**
 * HcnCreateNetwork / HcnModifyNetwork / HcnDeleteNetwork as HNS behaves (hcsshim hcn/hcnnetwork.go
 * and its tests; docs/emulator.md lists each behaviour with its source): server-chosen IDs and MAC pools, default prefix and gateway, duplicate names refused
 * with 0x803B0010, feature gates by HNS version, a delete that takes the network's endpoints with it.
 */
import { HnsError, hnsError } from "../../vocabulary/errors";
import { NETWORK_POLICY_FEATURES, NETWORK_TYPE_TRAITS, VLAN_RANGE, VSID_RANGE, defaultGateway, defaultNatPrefix, hnsTypeOf, inRange, rangeText, traitsOfHns, typesWith, type NetworkTypeTraits } from "../../vocabulary/facts";
import { requireFeature, supports } from "../../vocabulary/features";
import { HnsNetworkV1, HostComputeNetwork, NetworkFlags, networkFromV1, SCHEMA_VERSION_2_0, type ModifyRequest } from "../../hcn";
import { broadcastOffset, hasHostBits, isDefaultRoute, offsetOf, overlaps, parseCidr } from "../../vocabulary/net/cidr";
import { macPoolBlock } from "../../vocabulary/net/mac";
import type { EmulatorState } from "./state";
import { indexOf } from "./indexes";
import { dropEndpoints, findById, isV1Body, newId, parseBody, samePolicy } from "./objects";

type Network = HostComputeNetwork;
type Subnet = NonNullable<NonNullable<Network["Ipams"]>[number]["Subnets"]>[number];

/** HCN type names of the types that have a trait, for messages. */
const hnsNames = (trait: Parameters<typeof typesWith>[0]) => typesWith(trait).map((t) => NETWORK_TYPE_TRAITS[t].hns).join(", ");

export function parseNetworkSettings(settings: unknown): Network {
  // The v1 form has flat Subnets[] and MacPools[] where v2 has Ipams.
  // Each form read with its own schema: a v1 body that does not fit is HNS's invalid-JSON error too.
  return parseBody(HostComputeNetwork, isV1Body(settings, ["Subnets", "MacPools"], "Ipams") ? networkFromV1(parseBody(HnsNetworkV1, settings)) : settings);
}

export function createNetwork(state: EmulatorState, settings: unknown): Network {
  const net = structuredClone(parseNetworkSettings(settings));
  const v = state.version;
  const id = newId(state, "network", net.ID);
  net.ID = id;
  net.Name = net.Name ?? id;
  const clash = Object.values(state.objects.network).find((n) => (n.Name ?? "").toLowerCase() === net.Name!.toLowerCase());
  if (clash) {
    throw new HnsError({
      code: "HCN_E_NETWORK_ALREADY_EXISTS",
      fix: `network ${clash.ID} is already named "${net.Name}"; choose another name or adopt that network`,
    });
  }
  const type = hnsTypeOf(net);
  if (!traitsOfHns(type)) {
    throw hnsError("HCN_E_INVALID_NETWORK_TYPE", `The network type ${type} is not supported by this host. `);
  }
  if ((net.Flags ?? 0) & NetworkFlags.DisableHostPort) requireFeature(v, "DisableHostPort", "network flag DisableHostPort");
  for (const p of net.Policies ?? []) checkNetworkPolicy(state, type, p);

  net.Ipams = fillIpams(state, net, type);
  if (type === "NAT") checkNatPrefixes(state, net);
  if (!net.MacPool?.Ranges?.length) net.MacPool = { Ranges: [macPoolBlock(state.macBlock++)] };
  net.SchemaVersion = net.SchemaVersion ?? { ...SCHEMA_VERSION_2_0 };
  state.objects.network[id.toLowerCase()] = net;
  return net;
}

function checkNetworkPolicy(state: EmulatorState, type: string, p: NonNullable<Network["Policies"]>[number]): void {
  const v = state.version;
  const s = (p as { Settings?: Record<string, unknown> }).Settings ?? {};
  const traits = traitsOfHns(type)!;
  const feature = NETWORK_POLICY_FEATURES[p.Type];
  if (feature) requireFeature(v, feature, `${p.Type} policy`);
  switch (p.Type) {
    case "VxlanPort":
      if (!traits.vxlanPort) throw hnsError("HCN_E_INVALID_POLICY", `VxlanPort applies to ${hnsNames("vxlanPort")} networks only`);
      break;
    case "HostRoute":
      if (!traits.hostRoute) throw hnsError("HCN_E_INVALID_POLICY", `HostRoute applies to ${hnsNames("hostRoute")} networks only`);
      break;
    case "NetAdapterName": {
      const name = String(s.NetworkAdapterName ?? "");
      if (!traits.adapter) throw hnsError("HCN_E_INVALID_POLICY", `NetAdapterName does not apply to ${type} networks`);
      if (!state.adapters.some((a) => a.toLowerCase() === name.toLowerCase())) {
        throw new HnsError({
          code: "HCN_E_ADAPTER_NOT_FOUND",
          message: `The network adapter "${name}" was not found`,
          fix: `adapters on this host: ${state.adapters.join(", ") || "none"}`,
        });
      }
      break;
    }
  }
}

function fillIpams(state: EmulatorState, net: Network, type: string): Network["Ipams"] {
  const ipams = structuredClone(net.Ipams ?? []);
  const statics = ipams.filter((i) => (i.Type ?? "Static") === "Static");
  const subnets = statics.flatMap((i) => i.Subnets ?? []);
  const real = subnets.filter((s) => s.IpAddressPrefix && s.IpAddressPrefix !== "0.0.0.0/0");
  const traits = traitsOfHns(type)!;
  if (ipams.some((i) => i.Type === "Dhcp") && traits.staticSubnetRequired) {
    throw hnsError("HCN_E_INVALID_SUBNET", `${type} networks take static subnets only (no DHCP)`);
  }
  if (real.length === 0 && traits.autoPrefix) {
    // NAT without Ipams (or Docker's 0.0.0.0/0 placeholder) gets a prefix chosen by HNS.
    const prefix = freePrefix(state);
    const subnet: Subnet = { IpAddressPrefix: prefix, Routes: [{ NextHop: defaultGateway(parseCidr(prefix)!), DestinationPrefix: "0.0.0.0/0" }] };
    return [{ Type: "Static", Subnets: [subnet] }];
  }
  if (real.length === 0 && traits.staticSubnetRequired) {
    throw hnsError("HCN_E_INVALID_SUBNET", `${type} networks need a static subnet with a prefix`);
  }
  checkSubnetCount(state, type, traits, real);
  for (const s of real) checkSubnet(state, type, s);
  for (let i = 0; i < real.length; i++)
    for (let j = i + 1; j < real.length; j++)
      if (overlaps(parseCidr(real[i].IpAddressPrefix!)!, parseCidr(real[j].IpAddressPrefix!)!)) {
        throw hnsError("HCN_E_INVALID_SUBNET", `Subnets ${real[i].IpAddressPrefix} and ${real[j].IpAddressPrefix} overlap`);
      }
  return ipams.map((i) => (i.Type ?? "Static") === "Static" ? { ...i, Type: "Static", Subnets: (i.Subnets ?? []).filter((s) => s.IpAddressPrefix !== "0.0.0.0/0") } : i);
}

/**
 * WinNAT keeps one NAT per internal prefix, so a NAT network whose prefix overlaps another NAT
 * network's is refused: docker/for-win#1384 (a nat network on 172.16.0.0/20 beside the default
 * nat network: "HNS failed with error : The object already exists.", Win32 5010).
 */
function checkNatPrefixes(state: EmulatorState, net: Network): void {
  const mine = prefixesOf(net);
  for (const other of Object.values(state.objects.network)) {
    if (hnsTypeOf(other) !== "NAT") continue;
    for (const theirs of prefixesOf(other)) {
      const clash = mine.find((p) => overlaps(p, theirs));
      if (!clash) continue;
      throw new HnsError({
        code: "ERROR_OBJECT_ALREADY_EXISTS",
        message: `The object already exists. The NAT prefix ${clash.text} overlaps ${theirs.text} of NAT network ${other.Name ?? other.ID}`,
        fix: `WinNAT keeps one NAT per internal prefix: choose a prefix outside ${theirs.text}, or delete that network first`,
      });
    }
  }
}

function prefixesOf(net: Network) {
  return (net.Ipams ?? []).flatMap((i) => (i.Subnets ?? []).map((s) => parseCidr(s.IpAddressPrefix ?? ""))).filter((c) => c !== undefined);
}

/** Several subnets of one family: only where the type takes them, from the MultipleSubnets version. */
function checkSubnetCount(state: EmulatorState, type: string, traits: NetworkTypeTraits, subnets: Subnet[]): void {
  const perFamily = ["ipv4", "ipv6"].map((f) => subnets.filter((s) => parseCidr(s.IpAddressPrefix!)?.family === f).length);
  if (!perFamily.some((n) => n > 1)) return;
  if (!traits.multipleSubnets) throw hnsError("HCN_E_INVALID_SUBNET", `${type} networks take a single subnet per address family`);
  requireFeature(state.version, "MultipleSubnets", "several subnets on one network");
}

function checkSubnet(state: EmulatorState, type: string, s: Subnet): void {
  const c = parseCidr(s.IpAddressPrefix!);
  if (!c || hasHostBits(s.IpAddressPrefix!)) {
    throw hnsError("HCN_E_INVALID_PREFIX", `The prefix ${s.IpAddressPrefix} is invalid. `);
  }
  const traits = traitsOfHns(type)!;
  if (c.family === "ipv6") {
    // HNS manages IPv6 only on dual-stack types; transparent IPv6 is self-assigned (facts/network-types.ts).
    if (traits.ipv6 !== "dual-stack") {
      throw hnsError("HCN_E_INVALID_PREFIX", `IPv6 prefixes are not supported on ${type} networks`);
    }
    requireFeature(state.version, "IPv6DualStack", "IPv6 subnet");
  }
  // Our choices where HNS's answer is undocumented (docs/emulator.md), as the planner's rules
  // subnet-size and gateway-reserved say: a subnet must hold a gateway and an endpoint, and the
  // gateway must be a host address of it.
  if (c.prefixLength === 0 || c.prefixLength > (c.family === "ipv4" ? 30 : 126)) {
    throw hnsError("HCN_E_INVALID_SUBNET", `The subnet ${s.IpAddressPrefix} has no room for a gateway and an endpoint`);
  }
  for (const r of s.Routes ?? []) {
    // hcsshim hcn/hcnnetwork_test.go TestCreateDeleteNetworks: HNS refuses a subnet route with
    // no next hop and no destination, and one to 1.1.1.1/0 (host bits set); the code is our choice.
    if (!r.NextHop || !r.DestinationPrefix) throw hnsError("HCN_E_INVALID_SUBNET", `A route of the subnet ${s.IpAddressPrefix} needs a NextHop and a DestinationPrefix`);
    if (!parseCidr(r.DestinationPrefix) || hasHostBits(r.DestinationPrefix)) throw hnsError("HCN_E_INVALID_SUBNET", `The route destination ${r.DestinationPrefix} of the subnet ${s.IpAddressPrefix} is not a network prefix`);
    if (!isDefaultRoute(r.DestinationPrefix)) continue;
    const off = offsetOf(c, r.NextHop);
    if (off === undefined) throw hnsError("HCN_E_INVALID_SUBNET", `The gateway ${r.NextHop} is outside the subnet ${s.IpAddressPrefix}`);
    if (off === 0n || off === broadcastOffset(c)) throw hnsError("HCN_E_INVALID_SUBNET", `The gateway ${r.NextHop} is the network or broadcast address of ${s.IpAddressPrefix}`);
  }
  const isolation = (s.Policies ?? []).filter((p) => p.Type === "VLAN" || p.Type === "VSID").map((p) => p.Type);
  if (new Set(isolation).size > 1) throw hnsError("HCN_E_INVALID_POLICY", `The subnet ${s.IpAddressPrefix} has both a VLAN and a VSID policy`);
  if (!(s.Routes ?? []).some((r) => isDefaultRoute(r.DestinationPrefix))) {
    // Our choice (docs/emulator.md): a subnet with no route at all gets its first host address as
    // gateway. No peer sends one (hcsshim, the CNI plugins, flannel and moby always give a gateway).
    s.Routes = [...(s.Routes ?? []), { NextHop: defaultGateway(c), DestinationPrefix: c.family === "ipv4" ? "0.0.0.0/0" : "::/0" }];
  }
  for (const p of s.Policies ?? []) checkIsolation(type, p);
}

/** VLAN / VSID policies (on a subnet, or VLAN on an endpoint): the type must take them, the id must be in range. */
export function checkIsolation(type: string, p: { Type: string; Settings?: unknown }): void {
  if (p.Type !== "VLAN" && p.Type !== "VSID") return;
  const id = Number((p.Settings as { IsolationId?: number } | undefined)?.IsolationId);
  const traits = traitsOfHns(type)!;
  if (p.Type === "VLAN" && !traits.vlan) throw hnsError("HCN_E_INVALID_POLICY", `VLAN isolation does not apply to ${type} networks (only ${hnsNames("vlan")})`);
  if (p.Type === "VSID" && !traits.vsid) throw hnsError("HCN_E_INVALID_POLICY", `VSID isolation does not apply to ${type} networks (only ${hnsNames("vsid")})`);
  if (p.Type === "VLAN" && !inRange(VLAN_RANGE, id)) throw hnsError("HCN_E_INVALID_POLICY", `VLAN ${id} is outside ${rangeText(VLAN_RANGE)}`);
  if (p.Type === "VSID" && !inRange(VSID_RANGE, id)) {
    throw hnsError("HCN_E_INVALID_POLICY", `VSID ${id} is outside ${rangeText(VSID_RANGE)} (Windows reserves VSIDs below ${VSID_RANGE.min})`);
  }
}

/** The prefix HNS numbers a network with: facts/nat-prefix.ts, over every prefix on this host. */
function freePrefix(state: EmulatorState): string {
  const taken = Object.values(state.objects.network).flatMap(prefixesOf);
  const prefix = defaultNatPrefix(taken);
  if (!prefix) throw hnsError("HCN_E_INVALID_SUBNET", "No free /16 left in 172.16.0.0/12 for a NAT network");
  return prefix;
}

export function modifyNetwork(state: EmulatorState, id: string, req: ModifyRequest): Network {
  const net = findById(state.objects.network, id);
  if (!net) throw hnsError("HCN_E_NETWORK_NOT_FOUND");
  const type = hnsTypeOf(net);
  const settings = (req.Settings ?? {}) as Record<string, unknown>;
  switch (req.ResourceType) {
    case "Policy": {
      const parsed = parseNetworkSettings({ Type: type, Policies: settings.Policies ?? [] }).Policies ?? [];
      if (req.RequestType !== "Remove") for (const p of parsed) checkNetworkPolicy(state, type, p);
      net.Policies = applyPolicyRequest(net.Policies ?? [], parsed, req.RequestType);
      break;
    }
    case "DNS": {
      if (req.RequestType === "Remove") delete net.Dns;
      else net.Dns = parseNetworkSettings({ Type: type, Dns: settings }).Dns;
      break;
    }
    case "Subnet": {
      if (!supports(state.version, "IPv6DualStack")) requireFeature(state.version, "IPv6DualStack", "subnet modify");
      const subnets = parseNetworkSettings({ Type: type, Ipams: [{ Type: "Static", Subnets: settings.Subnets ?? [] }] }).Ipams![0].Subnets ?? [];
      const ipam = (net.Ipams ??= []).find((i) => i.Type === "Static") ?? (net.Ipams.push({ Type: "Static", Subnets: [] }), net.Ipams.at(-1)!);
      if (req.RequestType === "Add") {
        for (const s of subnets) checkSubnet(state, type, s);
        checkSubnetCount(state, type, traitsOfHns(type)!, [...(ipam.Subnets ?? []), ...subnets]);
        ipam.Subnets = [...(ipam.Subnets ?? []), ...subnets];
      } else if (req.RequestType === "Remove") {
        ipam.Subnets = (ipam.Subnets ?? []).filter((s) => !subnets.some((r) => r.IpAddressPrefix === s.IpAddressPrefix));
      } else throw hnsError("HCN_E_REQUEST_UNSUPPORTED");
      break;
    }
    default:
      throw hnsError("HCN_E_REQUEST_UNSUPPORTED", `Modify of ${req.ResourceType} on a network is not supported by the emulator`);
  }
  return net;
}

/** Modify Policy semantics shared by networks and endpoints: Add appends, Remove deletes, Update replaces. */
export function applyPolicyRequest<P>(current: P[], given: P[], request: ModifyRequest["RequestType"]): P[] {
  switch (request) {
    case "Add":
      for (const p of given) if (current.some((c) => samePolicy(c, p))) throw hnsError("HCN_E_POLICY_ALREADY_EXISTS");
      return [...current, ...given];
    case "Remove":
      for (const p of given) if (!current.some((c) => samePolicy(c, p))) throw hnsError("HCN_E_POLICY_NOT_FOUND");
      return current.filter((c) => !given.some((p) => samePolicy(c, p)));
    case "Update":
      return given;
    default:
      throw hnsError("HCN_E_REQUEST_UNSUPPORTED");
  }
}

/**
 * Deleting a network takes its endpoints with it, as HNS does: hcsshim's hcn/hnsv1_test.go
 * TestEndpointStatsAll and windows-container-networking's sdnbridge plugin test delete a network
 * with an endpoint still on it, and both expect success.
 */
export function deleteNetwork(state: EmulatorState, id: string): void {
  const net = findById(state.objects.network, id);
  if (!net) throw hnsError("HCN_E_NETWORK_NOT_FOUND");
  dropEndpoints(state, [...indexOf(state).endpointsOn(net.ID!)]);
  delete state.objects.network[net.ID!.toLowerCase()];
}
