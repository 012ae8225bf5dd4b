/**
 * HcnCreateEndpoint and friends: addresses and MACs from the network when not given, the
 * default route and DNS inherited, PortMapping conflicts refused with 0x803B0013 (WinNAT port
 * forwarding is host-wide, so NAT conflicts are checked across the host's NAT networks).
 */
import { HnsError, hnsError } from "../../vocabulary/errors";
import { ENDPOINT_POLICY_FEATURES, hnsTypeOf, traitsOfHns } from "../../vocabulary/facts";
import { requireFeature } from "../../vocabulary/features";
import { EndpointFlags, HnsEndpointV1, HostComputeEndpoint, endpointFromV1, SCHEMA_VERSION_2_0, type ModifyRequest } from "../../hcn";
import { addressAt, broadcastOffset, canonicalIp, isDefaultRoute, offsetOf, parseCidr, type Cidr } from "../../vocabulary/net/cidr";
import { sameGuid } from "../client";
import { nextFreeMac, normalizeMac } from "../../vocabulary/net/mac";
import { applyPolicyRequest, checkIsolation } from "./network";
import type { EmulatorState } from "./state";
import { indexOf, type AddressesInUse } from "./indexes";
import { findById, isV1Body, newId, parseBody } from "./objects";

type Endpoint = HostComputeEndpoint;
type Policy = NonNullable<Endpoint["Policies"]>[number];

export function parseEndpointSettings(settings: unknown): Endpoint {
  // Each form read with its own schema: a v1 body that does not fit is HNS's invalid-JSON error too.
  return parseBody(HostComputeEndpoint, isV1Body(settings, ["VirtualNetwork", "IPAddress"], "HostComputeNetwork") ? endpointFromV1(parseBody(HnsEndpointV1, settings)) : settings);
}

function staticSubnets(state: EmulatorState, networkId: string) {
  const net = findById(state.objects.network, networkId)!;
  return (net.Ipams ?? [])
    .filter((i) => (i.Type ?? "Static") === "Static")
    .flatMap((i) => i.Subnets ?? [])
    .map((s) => ({ subnet: s, cidr: parseCidr(s.IpAddressPrefix ?? "") }))
    .filter((x): x is { subnet: typeof x.subnet; cidr: Cidr } => x.cidr !== undefined);
}

function gatewayOf(s: { Routes?: { NextHop?: string; DestinationPrefix?: string }[] }): string | undefined {
  return s.Routes?.find((r) => isDefaultRoute(r.DestinationPrefix))?.NextHop;
}

/** Addresses the network's endpoints hold (an index: no scan of the host's endpoints). */
function usedAddresses(state: EmulatorState, networkId: string): AddressesInUse {
  return indexOf(state).addressesOn(networkId);
}

/** Network, gateway and broadcast addresses are never handed out. */
function reserved(cidr: Cidr, gateway: string | undefined, addr: bigint): boolean {
  return addr === 0n || addr === broadcastOffset(cidr) || (gateway !== undefined && offsetOf(cidr, gateway) === addr);
}

export function createEndpoint(state: EmulatorState, settings: unknown): Endpoint {
  const ep = structuredClone(parseEndpointSettings(settings));
  const netId = ep.HostComputeNetwork;
  const net = netId ? findById(state.objects.network, netId) : undefined;
  if (!net) throw hnsError("HCN_E_NETWORK_NOT_FOUND");
  const id = newId(state, "endpoint", ep.ID);
  ep.ID = id;
  ep.HostComputeNetwork = net.ID;
  // HostComputeNamespace is read-only: set by namespace Modify, never by create (hcsshim hcnendpoint.go).
  delete ep.HostComputeNamespace;
  const type = hnsTypeOf(net);
  const remote = ((ep.Flags ?? 0) & EndpointFlags.RemoteEndpoint) !== 0;
  if (remote && !traitsOfHns(type)?.remoteEndpoints) throw hnsError("HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION");

  assignAddresses(state, net.ID!, ep, remote);
  if (!ep.Dns && net.Dns) ep.Dns = structuredClone(net.Dns);

  const macs = indexOf(state).macsOn(net.ID!);
  if (ep.MacAddress) {
    const mac = normalizeMac(ep.MacAddress);
    if (!mac) throw hnsError("HCN_E_INVALID_ENDPOINT", `The MAC address ${ep.MacAddress} is not valid`);
    ep.MacAddress = mac;
  } else {
    ep.MacAddress = nextFreeMac(net.MacPool?.Ranges ?? [], macs);
  }
  for (const p of ep.Policies ?? []) checkEndpointPolicy(state, type, p);
  checkPortConflicts(state, net.ID!, type, id, ep.Policies ?? []);
  ep.SchemaVersion = ep.SchemaVersion ?? { ...SCHEMA_VERSION_2_0 };
  state.objects.endpoint[id.toLowerCase()] = ep;
  return ep;
}

/**
 * The endpoint's addresses: given ones checked (inside a subnet, not reserved, not taken), none
 * given: one allocated per family; then a default route through each one's gateway.
 */
function assignAddresses(state: EmulatorState, networkId: string, ep: Endpoint, remote: boolean): void {
  const subnets = staticSubnets(state, networkId);
  const used = usedAddresses(state, networkId);
  const configs = ep.IpConfigurations ?? [];
  for (const c of configs) {
    const ip = c.IpAddress ? canonicalIp(c.IpAddress) : undefined;
    if (!ip) throw hnsError("HCN_E_INVALID_IP", `The IP address ${c.IpAddress ?? "(none)"} is not valid`);
    const home = subnets.find((s) => offsetOf(s.cidr, ip) !== undefined);
    // A remote endpoint stands for an address elsewhere: kube-proxy's winkernel proxier makes one
    // for a service's ClusterIP on an overlay network (syncProxyRules), outside every subnet.
    if (!home && subnets.length > 0 && !remote) throw hnsError("HCN_E_INVALID_IP");
    if (home && reserved(home.cidr, gatewayOf(home.subnet), offsetOf(home.cidr, ip)!)) {
      throw hnsError("HCN_E_ADDR_INVALID_OR_RESERVED", `The address ${ip} is the network, gateway or broadcast address of ${home.cidr.text}`);
    }
    if (!remote && used.has(ip)) {
      throw hnsError("HCN_E_ADDR_INVALID_OR_RESERVED", `The address ${ip} is already used by another endpoint of this network`);
    }
    c.IpAddress = ip;
    c.PrefixLength = c.PrefixLength ?? home?.cidr.prefixLength;
  }
  if (configs.length === 0 && !remote) {
    // One address per family: on a dual-stack network (an IPv4 and an IPv6 subnet) an endpoint
    // created without addresses gets one of each (windows-container-networking's sdnbridge
    // dual-stack test expects an IPv4 and an IPv6 address on the container's interface).
    for (const family of ["ipv4", "ipv6"] as const) {
      const home = subnets.find((s) => s.cidr.family === family);
      if (home) configs.push({ IpAddress: allocate(home.cidr, gatewayOf(home.subnet), used), PrefixLength: home.cidr.prefixLength });
    }
  }
  ep.IpConfigurations = configs;
  if (!ep.Routes?.length && configs.length > 0 && !remote) {
    // A default route through each address's subnet gateway, one per family.
    const routes = configs.flatMap((c) => {
      const home = subnets.find((s) => offsetOf(s.cidr, c.IpAddress!) !== undefined);
      const gw = home && gatewayOf(home.subnet);
      return gw ? [{ NextHop: gw, DestinationPrefix: home!.cidr.family === "ipv4" ? "0.0.0.0/0" : "::/0" }] : [];
    });
    if (routes.length) ep.Routes = routes.filter((r, i) => routes.findIndex((o) => o.DestinationPrefix === r.DestinationPrefix) === i);
  }
}

function allocate(cidr: Cidr, gateway: string | undefined, used: AddressesInUse): string {
  const limit = cidr.size < 65536n ? cidr.size : 65536n;
  // The index knows where the lowest free address may start (everything below is taken).
  for (let off = used.from(cidr); off < limit; off++) {
    if (reserved(cidr, gateway, off)) continue;
    const ip = addressAt(cidr, off);
    if (!used.has(ip)) {
      used.found(cidr, off);
      return ip;
    }
  }
  throw hnsError("HCN_E_ADDR_INVALID_OR_RESERVED", `No free address left in ${cidr.text}`);
}

function checkEndpointPolicy(state: EmulatorState, networkType: string, p: Policy): void {
  const s = ((p as { Settings?: Record<string, unknown> }).Settings ?? {}) as Record<string, unknown>;
  const feature = ENDPOINT_POLICY_FEATURES[p.Type];
  if (feature) requireFeature(state.version, feature, `${p.Type} policy`);
  if (p.Type === "PortMapping" && !Number(s.InternalPort)) throw hnsError("HCN_E_INVALID_INTERNAL_PORT");
  // Our choices where HNS's answer is undocumented (docs/emulator.md), as the planner's rules say:
  // IPsec encryption of container traffic is unsupported (rule ipsec-encryption); a mapping needs
  // a host port (rule hcn-port-mapping).
  if (p.Type === "Encryption") throw hnsError("HCN_E_INVALID_POLICY_TYPE", "Encryption (IPsec) policies are not supported for container endpoints");
  if (p.Type === "PortMapping" && !Number(s.ExternalPort)) throw hnsError("HCN_E_INVALID_POLICY", "A PortMapping needs an ExternalPort from 1 to 65535");
  // Our choice where HNS's answer is unverified: a host-port mapping only where the type forwards
  // ports (WinNAT or VFP, facts/network-types.ts), as the planner's policy-network-type rule says.
  if (p.Type === "PortMapping" && Number(s.ExternalPort) && !traitsOfHns(networkType)?.ports) {
    throw hnsError("HCN_E_INVALID_POLICY", `A ${networkType} network does not forward host ports`);
  }
  checkIsolation(networkType, p);
}

type PortKey = string;
export function portKeys(policies: Policy[]): PortKey[] {
  return policies
    .filter((p) => p.Type === "PortMapping")
    .map((p) => {
      const s = (p as { Settings: Record<string, unknown> }).Settings;
      const ext = Number(s.ExternalPort ?? 0);
      return ext ? `${String(s.Protocol ?? 6)}/${ext}/${String(s.VIP ?? "")}` : "";
    })
    .filter((k) => k !== "");
}

function checkPortConflicts(state: EmulatorState, networkId: string, type: string, selfId: string, policies: Policy[]): void {
  const mine = portKeys(policies);
  if (mine.length === 0) return;
  const scope = type === "NAT" ? Object.values(state.objects.network).filter((n) => hnsTypeOf(n) === "NAT").map((n) => n.ID!) : [networkId];
  const index = indexOf(state);
  for (const net of scope) {
    for (const clash of mine) {
      for (const key of index.portUsers(net, clash)) {
        const other = state.objects.endpoint[key];
        if (sameGuid(other.ID, selfId)) continue;
        throw new HnsError({
          code: "HCN_E_PORT_ALREADY_EXISTS",
          message: `A port mapping for ${clash.split("/").slice(0, 2).join(" port ")} already exists on endpoint ${other.Name ?? other.ID}`,
        });
      }
    }
  }
}

export function modifyEndpoint(state: EmulatorState, id: string, req: ModifyRequest): Endpoint {
  const ep = findById(state.objects.endpoint, id);
  if (!ep) throw hnsError("HCN_E_ENDPOINT_NOT_FOUND");
  if (req.ResourceType !== "Policy") throw hnsError("HCN_E_REQUEST_UNSUPPORTED", `Modify of ${req.ResourceType} on an endpoint is not supported by the emulator`);
  const given = parseEndpointSettings({ HostComputeNetwork: ep.HostComputeNetwork, Policies: (req.Settings as { Policies?: unknown })?.Policies ?? [] }).Policies ?? [];
  const net = findById(state.objects.network, ep.HostComputeNetwork!)!;
  if (req.RequestType !== "Remove") for (const p of given) checkEndpointPolicy(state, hnsTypeOf(net), p);
  const next = applyPolicyRequest(ep.Policies ?? [], given, req.RequestType);
  checkPortConflicts(state, net.ID!, hnsTypeOf(net), ep.ID!, next);
  ep.Policies = next;
  return ep;
}

export function deleteEndpoint(state: EmulatorState, id: string): void {
  const ep = findById(state.objects.endpoint, id);
  if (!ep) throw hnsError("HCN_E_ENDPOINT_NOT_FOUND");
  const index = indexOf(state);
  const refs = [...index.usersOf(ep.ID!, "loadBalancer"), ...index.usersOf(ep.ID!, "route")];
  if (refs.length > 0) {
    throw new HnsError({
      code: "HCN_E_ENTITY_HAS_REFERENCES",
      message: `The endpoint ${ep.Name ?? ep.ID} is used by ${refs.length} load balancer(s) or route(s)`,
      fix: "delete those policies first",
    });
  }
  // Deleting an endpoint takes it out of its namespace, as removing the port does on a host.
  for (const ns of index.usersOf(ep.ID!, "namespace").map((k) => state.objects.namespace[k])) {
    ns.Resources = (ns.Resources ?? []).filter((r) => !(r.Type === "Endpoint" && sameGuid((r.Data as { ID?: string })?.ID, ep.ID)));
  }
  delete state.objects.endpoint[ep.ID!.toLowerCase()];
}
