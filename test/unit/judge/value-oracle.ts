/**
 * The value types' written specs (docs/reference/values.md), computed again without the code
 * under test: ipaddr.js for the address grammar, first-octet and RFC block tests for the
 * classes, a hand list of the characters a name refuses. The generated suite checks that
 * `check` refuses exactly what this oracle calls bad.
 */
import * as ipaddr from "ipaddr.js";

const V4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

export type Family = "ipv4" | "ipv6";
export type Cls = "unspecified" | "loopback" | "multicast" | "broadcast" | "linkLocal" | "reserved" | "unicast";

/** The family and class of a well-formed address text, or undefined for a malformed one. */
export function oracleIp(v: string): { family: Family; cls: Cls } | undefined {
  if (V4.test(v)) {
    const [a, b] = v.split(".").map(Number);
    const cls: Cls = a === 0 ? "unspecified" : a === 127 ? "loopback" : a >= 224 && a <= 239 ? "multicast" : v === "255.255.255.255" ? "broadcast" : a >= 240 ? "reserved" : a === 169 && b === 254 ? "linkLocal" : "unicast";
    return { family: "ipv4", cls };
  }
  // IPv6 as ipaddr.js validates it, without a zone; no IPv4-mapped form, and a dotted tail only
  // where the first 96 bits are not all zero (IPv4-compatible addresses are deprecated, RFC 4291).
  if (!/^[0-9A-Fa-f:.]+$/.test(v) || !v.includes(":") || !ipaddr.IPv6.isValid(v)) return undefined;
  const a = ipaddr.IPv6.parse(v);
  if (a.isIPv4MappedAddress()) return undefined;
  if (v.includes(".") && a.parts.slice(0, 6).every((p) => p === 0)) return undefined;
  const range = a.range();
  const cls: Cls = range === "unspecified" ? "unspecified" : range === "loopback" ? "loopback" : range === "multicast" ? "multicast" : range === "linkLocal" ? "linkLocal" : "unicast";
  return { family: "ipv6", cls };
}

/** Which classes each role refuses (the spec's table). */
export const ROLE_REFUSES: Record<string, Cls[]> = {
  host: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
  vip: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
  nextHop: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
  dnsServer: ["unspecified", "loopback", "multicast", "broadcast", "reserved"],
};

export function oracleAddressGood(v: string, role: keyof typeof ROLE_REFUSES): boolean {
  const ip = oracleIp(v);
  return ip !== undefined && !ROLE_REFUSES[role].includes(ip.cls);
}

/** Characters a name refuses, by the spec's list (controls, format, separators, other blanks, private use). */
export function nameCharBad(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0xa0 ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3000 ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    // Characters that render as nothing or as a blank: Hangul fillers, variation selectors, CGJ, Khmer vowels, braille blank, U+FFFC.
    [0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x2800, 0x3164, 0xffa0, 0xfffc].includes(cp) ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0000 && cp <= 0xe0fff)
  );
}

export function oracleNameGood(v: string): boolean {
  const cps: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // A surrogate pair is one code point; a lone half is itself (and bad).
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length && v.charCodeAt(i + 1) >= 0xdc00 && v.charCodeAt(i + 1) <= 0xdfff) {
      cps.push(((c - 0xd800) << 10) + (v.charCodeAt(i + 1) - 0xdc00) + 0x10000);
      i++;
    } else cps.push(c);
  }
  const leadingMark = cps.length > 0 && /^\p{M}/u.test(String.fromCodePoint(cps[0]));
  return cps.length >= 1 && cps.length <= 256 && !cps.some(nameCharBad) && !leadingMark && v === v.normalize("NFC") && v[0] !== " " && v[v.length - 1] !== " ";
}

export function oracleMacGood(v: string): boolean {
  if (!/^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$/.test(v)) return false;
  return (parseInt(v.slice(0, 2), 16) & 1) === 0 && !/^(00-){5}00$/.test(v);
}

export function oraclePortGood(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= 65535 && !Object.is(v, -0);
}

/** HNS's comma list of ports and ranges. */
export function oraclePortListGood(v: string): boolean {
  return v !== "" && v.split(",").every((item) => {
    const m = /^([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?$/.exec(item);
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return lo <= 65535 && hi <= 65535 && lo <= hi;
  });
}

/** A subnet prefix on an l2bridge network: canonical, no host bits, no special block, /1-/30 (IPv6 /1-/126). */
export function oracleSubnetGood(v: string): boolean {
  const slash = v.indexOf("/");
  if (slash < 0) return false;
  const ip = oracleIp(v.slice(0, slash));
  const len = v.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(len)) return false;
  const n = Number(len);
  const max = ip.family === "ipv4" ? 32 : 128;
  if (n > max || n === 0 || n > max - 2) return false;
  const [addr] = ipaddr.parseCIDR(v);
  const bytes = addr.toByteArray();
  // Host bits: every bit past the length is zero.
  for (let bit = n; bit < max; bit++) if (bytes[bit >> 3] & (0x80 >> (bit & 7))) return false;
  // A special block overlapped: the prefix's first address, or (shorter prefixes) a block inside it.
  const blocks = ip.family === "ipv4" ? ["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "169.254.0.0/16"] : ["::/128", "::1/128", "fe80::/10", "ff00::/8"];
  for (const b of blocks) {
    const [baddr, blen] = ipaddr.parseCIDR(b);
    const short = Math.min(n, blen);
    if (baddr.kind() === addr.kind() && (addr as ipaddr.IPv4).match(baddr as ipaddr.IPv4, short)) return false;
  }
  return true;
}
