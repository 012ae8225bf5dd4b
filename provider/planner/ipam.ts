/**
 * IPAM: concrete endpoint addresses, source VIPs and load-balancer VIPs, offline.
 *
 * Order of precedence, per pool: reserved offsets, then static addresses from the topology,
 * then addresses the lock file already holds, then new allocations (lowest free address, in
 * declaration order). Because locked addresses are claimed before anything new is handed out,
 * adding or removing an endpoint never moves another endpoint's address; the lock file makes
 * that hold across runs and machines. IPAM reports facts (conflicts, exhaustion); the rules
 * turn them into messages.
 */
import { addressAt, addressAtSlot, canonicalIp, parseCidr, slotOf, type Cidr, type Family, type Slot } from "../vocabulary/net/cidr";
import { emptyLock, type Lock } from "./lock";
import { at, type EndpointNode, type LoadBalancerNode, type Model, type NetworkNode, type SubnetNode } from "./model";
import { reservedOffsets } from "./reservations";

export interface Assigned {
  address: string;
  prefixLength: number;
  gateway: string;
  /** Where the address came from. */
  source: "static" | "locked" | "allocated";
}

export type IpamIssue =
  | { kind: "outside"; key: string; path: string; address: string; prefixes: string[] }
  | { kind: "reserved"; key: string; path: string; address: string; pool: string }
  | { kind: "duplicate"; key: string; path: string; address: string; other: string }
  | { kind: "exhausted"; key: string; path: string; pool: string }
  | { kind: "no-subnet"; key: string; path: string; family: Family }
  | { kind: "no-vip-pool"; key: string; path: string };

export interface IpamResult {
  /** Each endpoint's IPv4 / IPv6 assignment (keyed by node: no key string to hash per lookup). */
  endpoints: Map<EndpointNode, { ipv4?: Assigned; ipv6?: Assigned }>;
  /** Load balancer key → frontend VIP, and source VIP when asked for. */
  vips: Map<string, { frontend?: string; source?: string }>;
  /** The lock after this plan: exactly the allocations in use, nothing stale. */
  lock: Lock;
  issues: IpamIssue[];
}

type Claim = "ok" | "outside" | "reserved" | { takenBy: string };

/** Claims an address in whichever pool holds it; undefined when none does. */
function claimIn(pools: Pool[], address: string, owner: string, asHost: boolean): { pool: Pool; claim: Exclude<Claim, "outside"> } | undefined {
  for (const pool of pools) {
    const claim = pool.claim(address, owner, asHost);
    if (claim !== "outside") return { pool, claim };
  }
  return undefined;
}

/** One subnet's address space during planning: offsets taken, by whom, and a scan cursor. */
class Pool {
  readonly taken = new Map<Slot, string>();
  readonly reserved: Set<Slot>;
  readonly hostOffset?: Slot;
  /** A number: a scan never gets past 2^53 addresses, so it never needs a bigint slot. */
  private cursor = 0;
  private readonly size: number;

  constructor(
    readonly cidr: Cidr,
    readonly gateway: string,
    reserved: { offsets: Set<Slot>; hostOffset?: Slot },
  ) {
    this.reserved = reserved.offsets;
    this.hostOffset = reserved.hostOffset;
    this.size = Number(cidr.size);
  }

  /** Claims an address for an owner; says why it cannot (parsing the address once). */
  claim(address: string, owner: string, asHost: boolean): Claim {
    const off = slotOf(this.cidr, address);
    if (off === undefined) return "outside";
    const hostSlot = asHost && off === this.hostOffset;
    if (this.reserved.has(off) && !hostSlot) return "reserved";
    const other = this.taken.get(off);
    if (other !== undefined && other !== owner) return { takenBy: other };
    this.taken.set(off, owner);
    return "ok";
  }

  /** The lowest free offset; the cursor only moves forward because nothing is freed mid-plan. */
  next(owner: string, asHost: boolean): string | undefined {
    if (asHost && this.hostOffset !== undefined && !this.taken.has(this.hostOffset)) {
      this.taken.set(this.hostOffset, owner);
      return addressAtSlot(this.cidr, this.hostOffset);
    }
    while (this.cursor < this.size && (this.reserved.has(this.cursor) || this.taken.has(this.cursor))) this.cursor++;
    if (this.cursor >= this.size) return undefined;
    this.taken.set(this.cursor, owner);
    return addressAtSlot(this.cidr, this.cursor);
  }
}

const FAMILIES: Family[] = ["ipv4", "ipv6"];
const FIELD: Record<Family, "ipAddress" | "ipv6Address"> = { ipv4: "ipAddress", ipv6: "ipv6Address" };

/** The endpoint's static address of a family, and the field that declares it. */
function staticOf(ep: EndpointNode, family: Family): { ip: string; field: string } | undefined {
  const fields = family === "ipv4" ? (["ipAddress"] as const) : (["ipv6Address", "ipAddress"] as const);
  for (const field of fields) {
    const ip = ep.endpoint[field] && canonicalIp(ep.endpoint[field]!);
    if (ip && (ip.includes(":") ? "ipv6" : "ipv4") === family) return { ip, field: at(ep, field) };
  }
  return undefined;
}

export function allocate(model: Model, previous: Lock = emptyLock()): IpamResult {
  const result: IpamResult = { endpoints: new Map(), vips: new Map(), lock: emptyLock(), issues: [] };
  const byNetwork = groupBy(model.endpoints, (ep) => ep.net);
  const lbsByNetwork = groupBy(model.loadBalancers, (lb) => lb.net);

  for (const net of model.networks) {
    const endpoints = byNetwork.get(net) ?? [];
    const sourceVips = (lbsByNetwork.get(net) ?? []).filter((l) => l.lb.sourceVip === "auto");
    for (const family of FAMILIES) {
      const subnets = net.subnets.filter((s) => s.cidr.family === family);
      planFamily(result, net, subnets, family, endpoints, sourceVips, previous);
    }
  }
  planVips(result, model, previous);
  return result;
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** One family's allocation on one network: its pools and how an address is recorded. */
interface FamilyRun {
  result: IpamResult;
  family: Family;
  pools: Pool[];
  assign(ep: EndpointNode, pool: Pool, address: string, source: Assigned["source"]): void;
}

function planFamily(
  result: IpamResult,
  net: NetworkNode,
  subnets: SubnetNode[],
  family: Family,
  endpoints: EndpointNode[],
  sourceVips: LoadBalancerNode[],
  previous: Lock,
): void {
  const pools = subnets.map((s) => new Pool(s.cidr, s.gateway, reservedOffsets(s.cidr, s.gateway, net.reservations, net.network.reserved)));
  const run: FamilyRun = {
    result,
    family,
    pools,
    assign: (ep, pool, address, source) => {
      const assigned: Assigned = { address, prefixLength: pool.cidr.prefixLength, gateway: pool.gateway, source };
      const entry = result.endpoints.get(ep);
      if (entry) entry[family] = assigned;
      else result.endpoints.set(ep, family === "ipv4" ? { ipv4: assigned } : { ipv6: assigned }); // no computed key: V8 builds those in its runtime
      if (source !== "static") (result.lock.endpoints[ep.key] ??= {})[family] = address;
    },
  };
  // An endpoint wants an address of this family when it has a static one, or when the
  // network has a subnet of the family to allocate from (IPv4 always; IPv6 = dual stack).
  // A network with no subnet at all cannot be planned: its IPv4 wish is reported below.
  const wanting = endpoints.filter((ep) => staticOf(ep, family) || pools.length > 0 || (family === "ipv4" && !net.subnets.length));
  const pending = claimStatic(run, wanting);
  // Locked addresses next: claimed before anything new, so nothing moves.
  const fresh = claimLocked(run, pending, previous);
  const freshSources = claimLockedSources(run, family === "ipv4" ? sourceVips : [], previous);
  allocateFresh(run, fresh);
  allocateSources(run, freshSources);
}

/** Claims the static addresses; returns the endpoints without one. */
function claimStatic(run: FamilyRun, wanting: EndpointNode[]): EndpointNode[] {
  const { result, pools } = run;
  const pending: EndpointNode[] = [];
  for (const ep of wanting) {
    const declared = staticOf(ep, run.family);
    if (!declared) {
      pending.push(ep);
      continue;
    }
    const { ip, field } = declared;
    const at = claimIn(pools, ip, ep.key, ep.endpoint.attach === "host");
    if (!at) {
      if (pools.length) result.issues.push({ kind: "outside", key: ep.key, path: field, address: ip, prefixes: pools.map((p) => p.cidr.text) });
      else result.issues.push({ kind: "no-subnet", key: ep.key, path: field, family: run.family });
    } else if (at.claim === "reserved") result.issues.push({ kind: "reserved", key: ep.key, path: field, address: ip, pool: at.pool.cidr.text });
    else if (at.claim !== "ok") result.issues.push({ kind: "duplicate", key: ep.key, path: field, address: ip, other: at.claim.takenBy });
    else run.assign(ep, at.pool, ip, "static");
  }
  return pending;
}

/**
 * Claims the locked addresses; returns the endpoints that need a new one. A locked address that
 * no longer fits (its prefix changed, or a static address now takes it) is reallocated or reported.
 */
function claimLocked(run: FamilyRun, pending: EndpointNode[], previous: Lock): EndpointNode[] {
  const fresh: EndpointNode[] = [];
  for (const ep of pending) {
    const ip = previous.endpoints[ep.key]?.[run.family];
    const found = ip ? claimIn(run.pools, ip, ep.key, ep.endpoint.attach === "host") : undefined;
    if (!ip || !found || found.claim === "reserved") fresh.push(ep);
    else if (found.claim === "ok") run.assign(ep, found.pool, ip, "locked");
    else run.result.issues.push({ kind: "duplicate", key: ep.key, path: at(ep, FIELD[run.family]), address: ip, other: found.claim.takenBy });
  }
  return fresh;
}

/** Claims the locked source VIPs; returns the load balancers that need a new one. */
function claimLockedSources(run: FamilyRun, sourceVips: LoadBalancerNode[], previous: Lock): LoadBalancerNode[] {
  const fresh: LoadBalancerNode[] = [];
  for (const lb of sourceVips) {
    const ip = previous.vips[`${lb.key}#source`];
    if (ip && claimIn(run.pools, ip, `${lb.key}#source`, false)?.claim === "ok") setSource(run.result, lb, ip);
    else fresh.push(lb);
  }
  return fresh;
}

function allocateFresh(run: FamilyRun, fresh: EndpointNode[]): void {
  const { result, pools } = run;
  for (const ep of fresh) {
    if (!pools.length) {
      result.issues.push({ kind: "no-subnet", key: ep.key, path: at(ep.net, "subnets"), family: run.family });
      continue;
    }
    const got = firstFree(pools, ep.key, ep.endpoint.attach === "host");
    if (got) run.assign(ep, got.pool, got.address, "allocated");
    else result.issues.push({ kind: "exhausted", key: ep.key, path: at(ep, FIELD[run.family]), pool: pools.map((p) => p.cidr.text).join(", ") });
  }
}

function allocateSources(run: FamilyRun, fresh: LoadBalancerNode[]): void {
  const { result, pools } = run;
  for (const lb of fresh) {
    const got = pools.length ? firstFree(pools, `${lb.key}#source`, false) : undefined;
    if (got) setSource(result, lb, got.address);
    else if (pools.length) result.issues.push({ kind: "exhausted", key: lb.key, path: at(lb, "sourceVip"), pool: pools.map((p) => p.cidr.text).join(", ") });
    else result.issues.push({ kind: "no-subnet", key: lb.key, path: at(lb.net, "subnets"), family: run.family });
  }
}

function firstFree(pools: Pool[], owner: string, asHost: boolean): { pool: Pool; address: string } | undefined {
  for (const pool of pools) {
    const address = pool.next(owner, asHost);
    if (address) return { pool, address };
  }
  return undefined;
}

function setSource(result: IpamResult, lb: LoadBalancerNode, ip: string): void {
  result.vips.set(lb.key, { ...result.vips.get(lb.key), source: ip });
  result.lock.vips[`${lb.key}#source`] = ip;
}

/** Addresses the networks of a VIP scope use: gateways, endpoint addresses, source VIPs. */
function usedIn(result: IpamResult, model: Model, scope: string): string[] {
  const nets = model.networks.filter((n) => n.host.domain === scope);
  const used = nets.flatMap((n) => n.subnets.map((s) => s.gateway));
  for (const ep of model.endpoints) {
    if (ep.net.host.domain !== scope) continue;
    const a = result.endpoints.get(ep);
    if (a?.ipv4) used.push(a.ipv4.address);
    if (a?.ipv6) used.push(a.ipv6.address);
  }
  for (const lb of model.loadBalancers) {
    const source = lb.net.host.domain === scope ? result.vips.get(lb.key)?.source : undefined;
    if (source) used.push(source);
  }
  return used;
}

/** Frontend VIPs: one pool per domain (or per host outside a domain), shared by its hosts. */
function planVips(result: IpamResult, model: Model, previous: Lock): void {
  const pools = new Map<string, Pool | undefined>();
  const poolFor = (lb: LoadBalancerNode) => {
    const scope = lb.net.host.domain;
    if (!pools.has(scope)) {
      const text = model.domains.get(lb.net.host.host.domain ?? "")?.vipPool ?? lb.net.host.host.vipPool;
      const cidr = text ? parseCidr(text) : undefined;
      // The network and broadcast addresses are kept back in a VIP pool, and so is every address
      // the scope's networks already use inside it (gateways, endpoints, source VIPs): a pool that
      // overlaps a pod subnet must not hand out a pod's address or its gateway as a service VIP.
      const pool = cidr && new Pool(cidr, addressAt(cidr, 0n), reservedOffsets(cidr, addressAt(cidr, 0n), { first: 1, last: 0 }, usedIn(result, model, scope)));
      pools.set(scope, pool);
    }
    return pools.get(scope);
  };
  // Declared VIPs may repeat across hosts (a service VIP exists on every node) but are never
  // handed out to another load balancer.
  for (const lb of model.loadBalancers) {
    const vip = lb.lb.vip && canonicalIp(lb.lb.vip);
    if (!vip) continue;
    const pool = poolFor(lb);
    pool?.claim(vip, lb.key, false); // outside the pool, reserved or shared: nothing to keep back
    result.vips.set(lb.key, { ...result.vips.get(lb.key), frontend: vip });
  }
  const fresh: LoadBalancerNode[] = [];
  for (const lb of model.loadBalancers) {
    if (lb.lb.vip) continue;
    const pool = poolFor(lb);
    const ip = previous.vips[lb.key];
    if (pool && ip && pool.claim(ip, lb.key, false) === "ok") {
      result.vips.set(lb.key, { ...result.vips.get(lb.key), frontend: ip });
      result.lock.vips[lb.key] = ip;
    } else fresh.push(lb);
  }
  for (const lb of fresh) {
    const pool = poolFor(lb);
    if (!pool) {
      result.issues.push({ kind: "no-vip-pool", key: lb.key, path: at(lb, "vip") });
      continue;
    }
    const ip = pool.next(lb.key, false);
    if (!ip) {
      result.issues.push({ kind: "exhausted", key: lb.key, path: at(lb, "vip"), pool: pool.cidr.text });
      continue;
    }
    result.vips.set(lb.key, { ...result.vips.get(lb.key), frontend: ip });
    result.lock.vips[lb.key] = ip;
  }
}
