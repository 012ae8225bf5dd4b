/**
 * What the HNS rules look up on every endpoint call, kept per host so a call costs the same on
 * a host with ten endpoints or fifty thousand: a network's endpoints, addresses, MACs and host
 * ports, a namespace's endpoints, and which namespaces, load balancers and routes name an endpoint.
 *
 * The store tells the index of every document that changed once a transaction is written (and
 * of every state it loads whole), so the index describes the state as last written. The rules
 * read it before they change anything, which is all one call does.
 */
import { canonicalIp } from "../../net/cidr";
import type { HnsDocuments, HnsKind } from "../client";
import { portKeys } from "./endpoint";
import type { EmulatorState } from "./state";

/** A multiset of strings: two remote endpoints may share an address. */
class Counts {
  private readonly m = new Map<string, number>();
  add(k: string) {
    this.m.set(k, (this.m.get(k) ?? 0) + 1);
  }
  remove(k: string) {
    const n = (this.m.get(k) ?? 0) - 1;
    if (n > 0) this.m.set(k, n);
    else this.m.delete(k);
  }
  has(k: string) {
    return this.m.has(k);
  }
}

/** key -> set of keys, with empty sets dropped. */
class Groups {
  private readonly m = new Map<string, Set<string>>();
  add(group: string, k: string) {
    let s = this.m.get(group);
    if (!s) this.m.set(group, (s = new Set()));
    s.add(k);
  }
  remove(group: string, k: string) {
    const s = this.m.get(group);
    s?.delete(k);
    if (s?.size === 0) this.m.delete(group);
  }
  get(group: string): ReadonlySet<string> {
    return this.m.get(group) ?? EMPTY;
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/** What one stored document put into the index, to take it out again. */
interface Entry {
  net?: string;
  ips?: string[];
  mac?: string;
  ports?: string[];
  namespace?: string;
  endpoints?: string[];
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

export class HostIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly endpointsOfNetwork = new Groups();
  private readonly addresses = new Map<string, Counts>();
  private readonly macs = new Map<string, Counts>();
  /** network -> "protocol/port/vip" -> endpoints mapping it. */
  private readonly ports = new Map<string, Groups>();
  private readonly endpointsOfNamespace = new Groups();
  /** endpoint -> "kind\0key" of the namespaces, load balancers and routes naming it. */
  private readonly users = new Groups();

  constructor(state: EmulatorState) {
    for (const kind of ["endpoint", "namespace", "loadBalancer", "route"] as const) {
      for (const [key, doc] of Object.entries(state.objects[kind])) this.update(kind, key, doc);
    }
  }

  /** Takes out what the document under `key` put in, then puts in what `doc` holds. */
  update(kind: HnsKind, key: string, doc: unknown): void {
    if (kind === "network") return;
    const id = `${kind}\0${key}`;
    const old = this.entries.get(id);
    if (old) this.unlink(id, key, old);
    if (doc === undefined) {
      this.entries.delete(id);
      return;
    }
    const entry =
      kind === "endpoint"
        ? endpointEntry(doc as HnsDocuments["endpoint"])
        : kind === "namespace"
          ? { endpoints: ((doc as HnsDocuments["namespace"]).Resources ?? []).filter((r) => r.Type === "Endpoint").map((r) => lower((r.Data as { ID?: string } | undefined)?.ID)) }
          : { endpoints: ((doc as { HostComputeEndpoints?: string[] }).HostComputeEndpoints ?? []).map(lower) };
    this.entries.set(id, entry);
    this.link(id, key, entry);
  }

  private link(id: string, key: string, e: Entry) {
    if (e.net !== undefined) {
      this.endpointsOfNetwork.add(e.net, key);
      for (const ip of e.ips!) at(this.addresses, e.net, Counts).add(ip);
      if (e.mac) at(this.macs, e.net, Counts).add(e.mac);
      for (const p of e.ports!) at(this.ports, e.net, Groups).add(p, key);
    }
    if (e.namespace) this.endpointsOfNamespace.add(e.namespace, key);
    for (const ep of e.endpoints ?? []) this.users.add(ep, id);
  }

  private unlink(id: string, key: string, e: Entry) {
    if (e.net !== undefined) {
      this.endpointsOfNetwork.remove(e.net, key);
      for (const ip of e.ips!) this.addresses.get(e.net)?.remove(ip);
      if (e.mac) this.macs.get(e.net)?.remove(e.mac);
      for (const p of e.ports!) this.ports.get(e.net)?.remove(p, key);
    }
    if (e.namespace) this.endpointsOfNamespace.remove(e.namespace, key);
    for (const ep of e.endpoints ?? []) this.users.remove(ep, id);
  }

  /** Keys of the endpoints on a network. */
  endpointsOn(networkId: string): ReadonlySet<string> {
    return this.endpointsOfNetwork.get(lower(networkId));
  }

  /** Addresses (canonical) the network's endpoints hold. */
  addressesOn(networkId: string): { has(ip: string): boolean } {
    return this.addresses.get(lower(networkId)) ?? NONE;
  }

  macsOn(networkId: string): { has(mac: string): boolean } {
    return this.macs.get(lower(networkId)) ?? NONE;
  }

  /** Keys of the network's endpoints that map host port `port` ("protocol/port/vip"). */
  portUsers(networkId: string, port: string): ReadonlySet<string> {
    return this.ports.get(lower(networkId))?.get(port) ?? EMPTY;
  }

  /** Keys of the endpoints in a namespace (by their HostComputeNamespace). */
  endpointsIn(namespaceId: string): ReadonlySet<string> {
    return this.endpointsOfNamespace.get(lower(namespaceId));
  }

  /** Keys of the objects of one kind naming an endpoint (namespaces in their Resources, load balancers and routes in HostComputeEndpoints). */
  usersOf(endpointId: string, kind: "namespace" | "loadBalancer" | "route"): string[] {
    const prefix = `${kind}\0`;
    return [...this.users.get(lower(endpointId))].filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
  }
}

const NONE = { has: () => false };

function at<V>(m: Map<string, V>, k: string, make: new () => V): V {
  let v = m.get(k);
  if (!v) m.set(k, (v = new make()));
  return v;
}

function endpointEntry(ep: HnsDocuments["endpoint"]): Entry {
  return {
    net: lower(ep.HostComputeNetwork),
    ips: (ep.IpConfigurations ?? []).flatMap((c) => (c.IpAddress ? [canonicalIp(c.IpAddress) ?? c.IpAddress] : [])),
    mac: ep.MacAddress ?? undefined,
    ports: portKeys(ep.Policies ?? []),
    namespace: ep.HostComputeNamespace ? lower(ep.HostComputeNamespace) : undefined,
  };
}

const indexes = new WeakMap<EmulatorState, HostIndex>();

/** The index of a state: the store's, kept up to date; built on first use for a state the store does not hold (a host being made). */
export function indexOf(state: EmulatorState): HostIndex {
  let ix = indexes.get(state);
  if (!ix) indexes.set(state, (ix = new HostIndex(state)));
  return ix;
}

export function indexState(state: EmulatorState): void {
  indexes.set(state, new HostIndex(state));
}

export function indexDocument(state: EmulatorState, kind: string, key: string, doc: unknown): void {
  indexes.get(state)?.update(kind as HnsKind, key, doc);
}
