/**
 * Reservation conventions as offsets into a subnet. The network address, the gateway and the
 * IPv4 broadcast address are always reserved; conventions add to that.
 */
import { broadcastOffset, offsetOf, type Cidr } from "../net/cidr";
import type { Reservations } from "./topology";

export interface Reserved {
  /** Offsets never handed out to an ordinary endpoint. */
  offsets: Set<bigint>;
  /** The offset a host endpoint (attach: host) gets, when the convention keeps one. */
  hostOffset?: bigint;
}

const CONVENTIONS = {
  hns: { first: 1, last: 0 },
  flannel: { first: 3, last: 0, host: 2 }, // .1 gateway, .2 the host's vNIC (flannel host-gw, win-bridge)
  calico: { first: 3, last: 1 }, // Calico's Windows IPAM keeps the first 3 and the last address of a block
} as const;

export function reservedOffsets(cidr: Cidr, gateway: string, convention: Reservations, extra: readonly string[] = []): Reserved {
  const c = typeof convention === "string" ? CONVENTIONS[convention] : convention;
  const offsets = new Set<bigint>();
  const size = cidr.size;
  for (let i = 0n; i < BigInt(c.first) && i < size; i++) offsets.add(i);
  for (let i = 1n; i <= BigInt(c.last) && i <= size; i++) offsets.add(size - i);
  const bc = broadcastOffset(cidr);
  if (bc !== undefined) offsets.add(bc);
  const gw = offsetOf(cidr, gateway);
  if (gw !== undefined) offsets.add(gw);
  for (const a of extra) {
    const o = offsetOf(cidr, a);
    if (o !== undefined) offsets.add(o);
  }
  const host = "host" in c && c.host !== undefined ? BigInt(c.host) : undefined;
  return { offsets, ...(host !== undefined && host < size && host !== gw ? { hostOffset: host } : {}) };
}
