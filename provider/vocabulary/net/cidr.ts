/**
 * Address arithmetic over IPv4 and IPv6 prefixes, with BigInt offsets so /64s work.
 * Parsing and formatting go through ipaddr.js; everything here is pure.
 */
import * as ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

export interface Cidr {
  family: Family;
  /** First address of the prefix, as an integer. */
  base: bigint;
  prefixLength: number;
  /** Number of addresses in the prefix. */
  size: bigint;
  /** Canonical text, host bits cleared: "10.0.0.0/24". */
  text: string;
}

const bitsOf = (f: Family) => (f === "ipv4" ? 32 : 128);

/** Strict: IPv4 only in four-part decimal ("10.1" and "0x0a.1.1.1" are refused, unlike ipaddr.isValid). */
export function isIp(text: string): boolean {
  // ipaddr.js answers "" by throwing and catching inside, which costs microseconds per call.
  if (typeof text !== "string" || text === "") return false;
  return text.includes(":") ? ipaddr.IPv6.isValid(text) : ipaddr.IPv4.isValidFourPartDecimal(text);
}

/**
 * Canonical dotted-quad IPv4 ("10.0.0.5", no leading zeros) to its integer, or undefined.
 * The planner converts tens of thousands of addresses per plan; this skips ipaddr.js's
 * general parser for the common case and leaves every other form to it.
 */
function fastIpv4(text: string): number | undefined {
  // One pass over the characters, no split: this runs for every address of a plan.
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && part === 0) || ++digits > 3) return undefined;
    part = part * 10 + d;
    if (part > 255) return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
}

export function familyOf(text: string): Family | undefined {
  if (typeof text === "string" && fastIpv4(text) !== undefined) return "ipv4";
  if (!isIp(text)) return undefined;
  return ipaddr.parse(text).kind();
}

export function ipToBigInt(text: string): bigint {
  const v4 = fastIpv4(text);
  if (v4 !== undefined) return BigInt(v4);
  const bytes = ipaddr.parse(text).toByteArray();
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function bigIntToIp(value: bigint, family: Family): string {
  if (family === "ipv4") {
    const v = Number(value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const n = 16;
  const bytes: number[] = [];
  for (let i = 0, v = value; i < n; i++, v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Parses "a.b.c.d/n" or "x::/n"; undefined when it is not a prefix. Host bits are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string") return undefined;
  // The common case, canonical "a.b.c.d/n", without ipaddr.js (whose isValidCIDR tries IPv6 first).
  const slash = text.indexOf("/");
  const v4 = slash > 0 ? fastIpv4(text.slice(0, slash)) : undefined;
  if (v4 !== undefined && /^(?:[0-9]|[12][0-9]|3[0-2])$/.test(text.slice(slash + 1))) {
    const len = Number(text.slice(slash + 1));
    const size = 1n << BigInt(32 - len);
    const base = (BigInt(v4) / size) * size;
    return { family: "ipv4", base, prefixLength: len, size, text: `${bigIntToIp(base, "ipv4")}/${len}` };
  }
  if (!ipaddr.isValidCIDR(text) || !isIp(text.split("/")[0])) return undefined;
  const [addr, len] = ipaddr.parseCIDR(text);
  const family = addr.kind();
  const bits = bitsOf(family);
  const size = 1n << BigInt(bits - len);
  const base = (ipToBigInt(addr.toString()) / size) * size;
  return { family, base, prefixLength: len, size, text: `${bigIntToIp(base, family)}/${len}` };
}

/** True when the text has host bits set ("10.0.0.10/10"). */
export function hasHostBits(text: string): boolean {
  const c = parseCidr(text);
  if (!c) return false;
  return ipToBigInt(text.split("/")[0]) !== c.base;
}

export function addressAt(c: Cidr, offset: bigint): string {
  return bigIntToIp(c.base + offset, c.family);
}

/** Offset of an address inside the prefix, or undefined when outside (or of the other family). */
export function offsetOf(c: Cidr, address: string): bigint | undefined {
  const v4 = fastIpv4(address);
  if (v4 !== undefined ? c.family !== "ipv4" : familyOf(address) !== c.family) return undefined;
  const off = (v4 !== undefined ? BigInt(v4) : ipToBigInt(address)) - c.base;
  return off >= 0n && off < c.size ? off : undefined;
}

/**
 * An offset in the one form Maps and Sets can compare: a number when it is a safe integer
 * (every IPv4 offset, and the first 2^53 of an IPv6 prefix), a bigint beyond. The planner
 * keys tens of thousands of addresses per plan by offset; numbers spare a BigInt each.
 */
export type Slot = number | bigint;

export function toSlot(offset: bigint): Slot {
  return offset <= MAX_SAFE ? Number(offset) : offset;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** offsetOf as a Slot; canonical IPv4 text takes no BigInt at all. */
export function slotOf(c: Cidr, address: string): Slot | undefined {
  if (c.family === "ipv4") {
    const v4 = fastIpv4(address);
    if (v4 !== undefined) {
      const off = v4 - Number(c.base);
      return off >= 0 && off < Number(c.size) ? off : undefined;
    }
  }
  const off = offsetOf(c, address);
  return off === undefined ? undefined : toSlot(off);
}

/** The address at a slot. */
export function addressAtSlot(c: Cidr, slot: Slot): string {
  if (c.family === "ipv4" && typeof slot === "number") {
    const v = Number(c.base) + slot;
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  return addressAt(c, BigInt(slot));
}

export function contains(c: Cidr, address: string): boolean {
  return offsetOf(c, address) !== undefined;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base < b.base + b.size && b.base < a.base + a.size;
}

/** A default route's destination, IPv4 or IPv6. */
export function isDefaultRoute(prefix: string | undefined): boolean {
  return prefix === "0.0.0.0/0" || prefix === "::/0";
}

/** The broadcast address exists only for IPv4 prefixes shorter than /31. */
export function broadcastOffset(c: Cidr): bigint | undefined {
  return c.family === "ipv4" && c.prefixLength < 31 ? c.size - 1n : undefined;
}

/** Normalises an address's text ("010.0.0.1" is not accepted; "::FFFF" becomes "::ffff"). */
export function canonicalIp(text: string): string | undefined {
  if (typeof text === "string" && fastIpv4(text) !== undefined) return text;
  return isIp(text) ? ipaddr.parse(text).toString() : undefined;
}
