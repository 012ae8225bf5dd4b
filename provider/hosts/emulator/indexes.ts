/**
 * What the HNS rules look up on every endpoint call, kept per host so a call costs the same on
 * a host with ten endpoints or fifty thousand: a network's endpoints, addresses, MACs and host
 * ports, a namespace's endpoints, which namespaces, load balancers and routes name an endpoint,
 * and which load balancers have a given frontend.
 *
 * The store tells the index of every document that changed once a transaction is written (and
 * of every state it loads whole), so the index describes the state as last written. The rules
 * read it before they change anything, which is all one call does.
 */
import { canonicalIp, offsetOf, type Cidr } from "../../vocabulary/net/cidr";
import { parseMac } from "../../vocabulary/net/mac";
import type { HnsDocument, HnsKind } from "../client";
import { frontendKey } from "../../hcn";
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

/**
 * What a network's endpoints hold from one pool (addresses, or MACs), and where a search for
 * the lowest free one may start: per subnet or MAC range, every value below its floor is held
 * (or reserved). Allocation raises a floor to what it found free; a removal lowers it. So the
 * search stays "lowest free first", as HNS's, without walking past every held value each time.
 */
class Pool {
  readonly held = new Counts();
  private readonly floors = new Map<string, { floor: bigint; offset: (v: string) => bigint | undefined }>();
  has(v: string) {
    return this.held.has(v);
  }
  /** Where to start looking in the range `range` (whose values start at `start`). */
  from(range: string, start: bigint): bigint {
    return this.floors.get(range)?.floor ?? start;
  }
  /** Everything in `range` below `floor` is held or reserved. */
  raise(range: string, floor: bigint, offset: (v: string) => bigint | undefined) {
    this.floors.set(range, { floor, offset });
  }
  release(v: string) {
    this.held.remove(v);
    for (const f of this.floors.values()) {
      const o = f.offset(v);
      if (o !== undefined && o < f.floor) f.floor = o;
    }
  }
  /** The ranges changed (a network modified): search from their starts again. */
  reset() {
    this.floors.clear();
  }
}

/** What one stored document put into the index, to take it out again. */
interface Entry {
  net?: string;
  ips?: string[];
  mac?: string;
  ports?: string[];
  namespace?: string;
  endpoints?: string[];
  frontend?: string;
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

export class HostIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly endpointsOfNetwork = new Groups();
  private readonly addresses = new Map<string, Pool>();
  private readonly macs = new Map<string, Pool>();
  /** network -> "protocol/port/vip" -> endpoints mapping it. */
  private readonly ports = new Map<string, Groups>();
  private readonly endpointsOfNamespace = new Groups();
  /** endpoint -> "kind\0key" of the namespaces, load balancers and routes naming it. */
  private readonly users = new Groups();
  /** frontend key (VIPs and port mappings) -> load balancers with it. */
  private readonly frontends = new Groups();

  constructor(state: EmulatorState) {
    for (const kind of ["endpoint", "namespace", "loadBalancer", "route"] as const) {
      for (const [key, doc] of Object.entries(state.objects[kind])) this.update(kind, key, doc);
    }
  }

  /** Takes out what the document under `key` put in, then puts in what `doc` holds. */
  update(kind: HnsKind, key: string, doc: unknown): void {
    if (kind === "network") {
      this.addresses.get(key)?.reset();
      this.macs.get(key)?.reset();
      return;
    }
    const id = `${kind}\0${key}`;
    const old = this.entries.get(id);
    if (old) this.unlink(id, key, old);
    if (doc === undefined) {
      this.entries.delete(id);
      return;
    }
    const entry =
      kind === "endpoint"
        ? endpointEntry(doc as HnsDocument<"endpoint">)
        : kind === "namespace"
          ? { endpoints: ((doc as HnsDocument<"namespace">).Resources ?? []).filter((r) => r.Type === "Endpoint").map((r) => lower((r.Data as { ID?: string } | undefined)?.ID)) }
          : {
              endpoints: ((doc as { HostComputeEndpoints?: string[] }).HostComputeEndpoints ?? []).map(lower),
              frontend: kind === "loadBalancer" ? frontendKey(doc as HnsDocument<"loadBalancer">) : undefined,
            };
    this.entries.set(id, entry);
    this.link(id, key, entry);
  }

  private link(id: string, key: string, e: Entry) {
    if (e.net !== undefined) {
      this.endpointsOfNetwork.add(e.net, key);
      for (const ip of e.ips!) at(this.addresses, e.net, Pool).held.add(ip);
      if (e.mac) at(this.macs, e.net, Pool).held.add(e.mac);
      for (const p of e.ports!) at(this.ports, e.net, Groups).add(p, key);
    }
    if (e.namespace) this.endpointsOfNamespace.add(e.namespace, key);
    for (const ep of e.endpoints ?? []) this.users.add(ep, id);
    if (e.frontend !== undefined) this.frontends.add(e.frontend, key);
  }

  private unlink(id: string, key: string, e: Entry) {
    if (e.net !== undefined) {
      this.endpointsOfNetwork.remove(e.net, key);
      for (const ip of e.ips!) this.addresses.get(e.net)?.release(ip);
      if (e.mac) this.macs.get(e.net)?.release(e.mac);
      for (const p of e.ports!) this.ports.get(e.net)?.remove(p, key);
    }
    if (e.namespace) this.endpointsOfNamespace.remove(e.namespace, key);
    for (const ep of e.endpoints ?? []) this.users.remove(ep, id);
    if (e.frontend !== undefined) this.frontends.remove(e.frontend, key);
  }

  /** Keys of the endpoints on a network. */
  endpointsOn(networkId: string): ReadonlySet<string> {
    return this.endpointsOfNetwork.get(lower(networkId));
  }

  /** Addresses (canonical) the network's endpoints hold, and where to look for a free one in a subnet. */
  addressesOn(networkId: string): AddressesInUse {
    const pool = at(this.addresses, lower(networkId), Pool);
    return {
      has: (ip) => pool.has(ip),
      from: (cidr) => pool.from(cidr.text, 1n),
      found: (cidr, offset) => pool.raise(cidr.text, offset, (ip) => offsetOf(cidr, ip)),
    };
  }

  /** MACs the network's endpoints hold, and where to look for a free one in a range. */
  macsOn(networkId: string): MacsInUse {
    const pool = at(this.macs, lower(networkId), Pool);
    return {
      has: (mac) => pool.has(mac),
      from: (start) => pool.from(String(start), start),
      found: (start, value) =>
        pool.raise(String(start), value, (mac) => {
          const v = parseMac(mac);
          return v !== undefined && v >= start ? v : undefined;
        }),
    };
  }

  /** Keys of the network's endpoints that map host port `port` ("protocol/port/vip"). */
  portUsers(networkId: string, port: string): ReadonlySet<string> {
    return this.ports.get(lower(networkId))?.get(port) ?? EMPTY;
  }

  /** Keys of the endpoints in a namespace (by their HostComputeNamespace). */
  endpointsIn(namespaceId: string): ReadonlySet<string> {
    return this.endpointsOfNamespace.get(lower(namespaceId));
  }

  /** Keys of the load balancers with this frontend key (provider/hcn/loadbalancer.ts frontendKey). */
  loadBalancersWith(frontend: string): ReadonlySet<string> {
    return this.frontends.get(frontend);
  }

  /** Keys of the objects of one kind naming an endpoint (namespaces in their Resources, load balancers and routes in HostComputeEndpoints). */
  usersOf(endpointId: string, kind: "namespace" | "loadBalancer" | "route"): string[] {
    const prefix = `${kind}\0`;
    return [...this.users.get(lower(endpointId))].filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
  }
}

export interface AddressesInUse {
  has(ip: string): boolean;
  /** The lowest offset in the subnet that may be free. */
  from(cidr: Cidr): bigint;
  /** The search found `offset` free: everything below it is taken. */
  found(cidr: Cidr, offset: bigint): void;
}

export interface MacsInUse {
  has(mac: string): boolean;
  from(rangeStart: bigint): bigint;
  found(rangeStart: bigint, value: bigint): void;
}

function at<V>(m: Map<string, V>, k: string, make: new () => V): V {
  let v = m.get(k);
  if (!v) m.set(k, (v = new make()));
  return v;
}

function endpointEntry(ep: HnsDocument<"endpoint">): Entry {
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
