/**
 * Reservation conventions as offsets into a subnet. The network address, the gateway and the
 * IPv4 broadcast address are always reserved; conventions add to that.
 */
import { broadcastOffset, slotOf, toSlot, type Cidr, type Slot } from "../vocabulary/net/cidr";
import type { Reservations } from "./topology";

export interface Reserved {
  /** Offsets never handed out to an ordinary endpoint. */
  offsets: Set<Slot>;
  /** The offset a host endpoint (attach: host) gets, when the convention keeps one. */
  hostOffset?: Slot;
}

const CONVENTIONS = {
  hns: { first: 1, last: 0 },
  flannel: { first: 3, last: 0, host: 2 }, // .1 gateway, .2 the host's vNIC (flannel host-gw, win-bridge)
  calico: { first: 3, last: 1 }, // Calico's Windows IPAM keeps the first 3 and the last address of a block
} as const;

export function reservedOffsets(cidr: Cidr, gateway: string, convention: Reservations, extra: readonly string[] = []): Reserved {
  const c = typeof convention === "string" ? CONVENTIONS[convention] : convention;
  const offsets = new Set<Slot>();
  const size = cidr.size;
  for (let i = 0n; i < BigInt(c.first) && i < size; i++) offsets.add(toSlot(i));
  for (let i = 1n; i <= BigInt(c.last) && i <= size; i++) offsets.add(toSlot(size - i));
  const bc = broadcastOffset(cidr);
  if (bc !== undefined) offsets.add(toSlot(bc));
  const gw = slotOf(cidr, gateway);
  if (gw !== undefined) offsets.add(gw);
  for (const a of extra) {
    const o = slotOf(cidr, a);
    if (o !== undefined) offsets.add(o);
  }
  const host = "host" in c && c.host !== undefined ? BigInt(c.host) : undefined;
  return { offsets, ...(host !== undefined && host < size && toSlot(host) !== gw ? { hostOffset: toSlot(host) } : {}) };
}
