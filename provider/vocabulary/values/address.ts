/**
 * IP addresses and prefixes by role. The text forms are strict (RFC 4291 §2.2 for IPv6; four
 * dotted decimals without leading zeros for IPv4, since Windows' inet_pton refuses and older
 * parsers read a leading 0 as octal, https://learn.microsoft.com/en-us/windows/win32/api/ws2tcpip/nf-ws2tcpip-inetptonw);
 * what each role refuses, and why, is written in ROLE_RULES once.
 */
import * as ipaddr from "ipaddr.js";
import { parseCidr, type Family } from "../net/cidr";
import { quote, valueType, type ValueType } from "./spec";

/** Special blocks an address or prefix can fall in (RFC 6890's registries). */
export type AddressClass = "unspecified" | "loopback" | "multicast" | "broadcast" | "linkLocal" | "reserved";

const CLASS_TEXT: Record<AddressClass, string> = {
  unspecified: "the unspecified address (0.0.0.0/8, ::)",
  loopback: "a loopback address (127.0.0.0/8, ::1)",
  multicast: "a multicast address (224.0.0.0/4, ff00::/8)",
  broadcast: "the limited broadcast address 255.255.255.255",
  linkLocal: "a link-local address (169.254.0.0/16, fe80::/10)",
  reserved: "a reserved address (240.0.0.0/4, RFC 1112)",
};

/** The blocks of each class, as prefixes (for addresses: membership; for subnets: overlap). */
const CLASS_BLOCKS: Record<AddressClass, string[]> = {
  unspecified: ["0.0.0.0/8", "::/128"],
  loopback: ["127.0.0.0/8", "::1/128"],
  multicast: ["224.0.0.0/4", "ff00::/8"],
  broadcast: ["255.255.255.255/32"],
  linkLocal: ["169.254.0.0/16", "fe80::/10"],
  reserved: ["240.0.0.0/4"],
};
const BLOCKS = Object.entries(CLASS_BLOCKS).flatMap(([c, ps]) => ps.map((p) => ({ cls: c as AddressClass, cidr: parseCidr(p)! })));

/** Why each role refuses a class (the fix follows from the role). */
export type AddressRole = "host" | "gateway" | "vip" | "dnsServer" | "nextHop" | "providerAddress" | "remoteHost" | "match";

interface RoleRule {
  what: string;
  refuses: AddressClass[];
  /** An IPv6 link-local address needs a zone id to mean anything, which HNS cannot take. */
  why: string;
  example: string;
}

export const ROLE_RULES: Record<AddressRole, RoleRule> = {
  host: {
    what: "an endpoint's own address (or a reserved or remote peer address)",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
    why: "a vNIC needs a unicast address its network can route",
    example: "10.244.1.5",
  },
  gateway: {
    what: "a subnet's default gateway",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
    why: "the gateway is a unicast address inside the subnet",
    example: "10.244.1.1",
  },
  vip: {
    what: "a load balancer's frontend or source VIP",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
    why: "VFP matches a VIP as a unicast destination; 169.254.169.254 and the like belong to the platform",
    example: "10.96.0.10",
  },
  dnsServer: {
    what: "a DNS server a container asks",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "reserved"],
    why: "a container's resolver sends unicast queries; a loopback server would be the container itself",
    example: "10.96.0.10",
  },
  nextHop: {
    what: "a route's next hop",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
    why: "a next hop is a unicast neighbour inside one of the network's subnets",
    example: "10.244.1.1",
  },
  providerAddress: {
    what: "a host's provider address (its IP on the physical network, for overlay encapsulation)",
    refuses: ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"],
    why: "VXLAN packets are sent to it as a unicast destination",
    example: "192.168.1.10",
  },
  remoteHost: {
    what: "the address PowerShell remoting connects to",
    refuses: ["unspecified", "multicast", "broadcast", "reserved"],
    why: "a connection needs one unicast peer",
    example: "192.168.1.10",
  },
  match: {
    what: "an address an ACL or exception list matches",
    refuses: [],
    why: "",
    example: "10.0.0.5",
  },
};

export interface ParsedIp {
  family: Family;
  /** Canonical text (RFC 5952 for IPv6). */
  text: string;
  bytes: number[];
}

const V4_PART = /^(0|[1-9][0-9]{0,2})$/;

/** The address's form, or the problem with its text (role-independent). */
export function parseIpText(v: string): ParsedIp | string {
  if (v === "") return "is empty: give an address such as \"10.0.0.5\" or \"fd00::5\"";
  if (v.includes("%")) return `${quote(v)} has a zone id ("%..."): HNS takes no zone; give the address alone`;
  if (/[\[\]]/.test(v)) return `${quote(v)} has brackets: give the address alone, e.g. "fd00::5"`;
  if (/\s/u.test(v)) return `${quote(v)} contains blanks: give the address alone`;
  if (v.includes(":")) {
    if (!ipaddr.IPv6.isValid(v)) return `${quote(v)} is not an IPv6 address: write it as in "fd00::5" (RFC 4291 §2.2)`;
    const a = ipaddr.IPv6.parse(v);
    if (a.isIPv4MappedAddress()) return `${quote(v)} is an IPv4-mapped IPv6 address: write the IPv4 address ${a.toIPv4Address().toString()} itself`;
    // IPv4-compatible (::a.b.c.d, RFC 4291 §2.5.5.1) is deprecated; a dotted tail elsewhere (NAT64's 64:ff9b::10.0.0.1) is a text form of its own.
    if (v.includes(".") && a.parts.slice(0, 6).every((p) => p === 0)) return `${quote(v)} is an IPv4-compatible IPv6 address, which RFC 4291 deprecates: write the IPv4 address or the IPv6 address in hexadecimal groups`;
    return { family: "ipv6", text: a.toString(), bytes: a.toByteArray() };
  }
  const parts = v.split(".");
  if (parts.length !== 4 || !parts.every((p) => V4_PART.test(p) && Number(p) <= 255)) {
    const lead = parts.length === 4 && parts.some((p) => /^0[0-9]/.test(p));
    return lead
      ? `${quote(v)} has a leading zero, which some parsers read as octal: write ${quote(parts.map((p) => String(Number(p))).join("."))}`
      : `${quote(v)} is not an IPv4 address: write four numbers 0-255 between dots, e.g. "10.0.0.5"`;
  }
  return { family: "ipv4", text: v, bytes: parts.map(Number) };
}

const bigOf = (bytes: number[]) => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

/** The special class an address falls in, if any. */
export function classOf(ip: ParsedIp): AddressClass | undefined {
  const n = bigOf(ip.bytes);
  for (const b of BLOCKS) if (b.cidr.family === ip.family && n >= b.cidr.base && n < b.cidr.base + b.cidr.size) return b.cls;
  return undefined;
}

/** What is wrong with `v` as an address in `role`, or undefined. */
export function addressProblem(v: string, role: AddressRole): string | undefined {
  const ip = parseIpText(v);
  if (typeof ip === "string") return ip;
  const rule = ROLE_RULES[role];
  const cls = classOf(ip);
  if (cls && rule.refuses.includes(cls)) return `${quote(v)} is ${CLASS_TEXT[cls]}, not usable as ${rule.what}: ${rule.why}; give an address such as ${quote(rule.example)}`;
  return undefined;
}

const ROLE_TYPE_NAMES: Record<AddressRole, string> = {
  host: "HostAddress",
  gateway: "GatewayAddress",
  vip: "VipAddress",
  dnsServer: "DnsServerAddress",
  nextHop: "NextHopAddress",
  providerAddress: "ProviderAddress",
  remoteHost: "RemoteHostAddress",
  match: "MatchAddress",
};

const TEXT_REFUSALS = [
  "a zone id (fe80::1%eth0): HNS takes no zone",
  "brackets, blanks, an empty string",
  "IPv4 with leading zeros (010.0.0.1), fewer or more than four parts, parts above 255",
  "IPv4-mapped IPv6 (::ffff:10.0.0.1): write the IPv4 address; IPv4-compatible IPv6 (::10.0.0.1, deprecated by RFC 4291)",
];

function roleType(role: AddressRole): ValueType<string> {
  const rule = ROLE_RULES[role];
  return valueType<string>(
    {
      name: ROLE_TYPE_NAMES[role],
      summary: `An IPv4 or IPv6 address used as ${rule.what}.`,
      accepts: ["IPv4 in four dotted decimals", "IPv6 in any RFC 4291 text form (upper or lower case, :: compression)"],
      refuses: [...TEXT_REFUSALS, ...rule.refuses.map((c) => `${CLASS_TEXT[c]}${rule.why ? `: ${rule.why}` : ""}`)],
      examples: [rule.example],
    },
    (v) => addressProblem(v, role),
  );
}

export const ADDRESS_TYPES = Object.fromEntries((Object.keys(ROLE_RULES) as AddressRole[]).map((r) => [r, roleType(r)])) as Record<AddressRole, ValueType<string>>;

// ---------------------------------------------------------------------------
// Prefixes

export type PrefixRole = "subnet" | "vipPool" | "destination" | "sdnRouteDestination" | "match";

export interface ParsedPrefix {
  family: Family;
  address: ParsedIp;
  length: number;
  hostBits: boolean;
  base: bigint;
  size: bigint;
}

export function parsePrefixText(v: string): ParsedPrefix | string {
  const slash = v.indexOf("/");
  if (slash < 0) return `${quote(v)} has no prefix length: write it in CIDR form, e.g. "10.0.0.0/24"`;
  const ip = parseIpText(v.slice(0, slash));
  if (typeof ip === "string") return ip;
  const lenText = v.slice(slash + 1);
  const max = ip.family === "ipv4" ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText) || Number(lenText) > max) {
    return `${quote(v)} has prefix length ${quote(lenText)}: write a number 0-${max} without leading zeros, e.g. "${ip.family === "ipv4" ? "10.0.0.0/24" : "fd00::/64"}"`;
  }
  const length = Number(lenText);
  const bits = BigInt(max - length);
  const n = bigOf(ip.bytes);
  const size = 1n << bits;
  const base = (n >> bits) << bits;
  return { family: ip.family, address: ip, length, hostBits: base !== n, base, size };
}

/** Canonical text of a prefix with host bits cleared. */
function baseText(p: ParsedPrefix): string {
  const bytes: number[] = [];
  const count = p.family === "ipv4" ? 4 : 16;
  for (let i = count - 1, x = p.base; i >= 0; i--, x >>= 8n) bytes[i] = Number(x & 0xffn);
  return `${ipaddr.fromByteArray(bytes).toString()}/${p.length}`;
}

/** The special classes a prefix overlaps. */
function overlappedClasses(p: ParsedPrefix): AddressClass[] {
  const out: AddressClass[] = [];
  for (const b of BLOCKS) {
    if (b.cidr.family === p.family && p.base < b.cidr.base + b.cidr.size && b.cidr.base < p.base + p.size && !out.includes(b.cls)) out.push(b.cls);
  }
  return out;
}

const SUBNET_REFUSES: AddressClass[] = ["unspecified", "loopback", "multicast", "broadcast", "linkLocal", "reserved"];

export function prefixProblem(v: string, role: PrefixRole): string | undefined {
  const p = parsePrefixText(v);
  if (typeof p === "string") return p;
  // HNS takes an SDN route's destination as written (hcsshim hcn/hcnroute_test.go creates one to
  // "169.254.169.254/24"), so that role alone keeps host bits.
  if (p.hostBits && role !== "sdnRouteDestination") {
    return `${quote(v)} has host bits set: write the network address, ${quote(baseText(p))}`;
  }
  if (role === "subnet" || role === "vipPool") {
    const hit = overlappedClasses(p).find((c) => SUBNET_REFUSES.includes(c));
    const what = role === "subnet" ? "no subnet may hold: endpoints need" : "no VIP pool may hold: VIPs are";
    if (hit) return `${quote(v)} covers ${CLASS_TEXT[hit]}, which ${what} unicast, routable addresses; use a private range such as "${role === "subnet" ? "10.244.1.0/24" : "10.96.0.0/16"}" or "fd00:1::/64"`;
  }
  return undefined;
}

const PREFIX_SPECS: Record<PrefixRole, { name: string; summary: string; extra: string[]; example: string }> = {
  subnet: {
    name: "SubnetPrefix",
    summary: "A subnet's address prefix.",
    extra: ["host bits (10.0.0.7/24): write the network address", ...SUBNET_REFUSES.map((c) => `a prefix that covers ${CLASS_TEXT[c]}`)],
    example: "10.244.1.0/24",
  },
  vipPool: {
    name: "VipPoolPrefix",
    summary: "A pool the planner takes load-balancer VIPs from: a prefix whose every address could be a VIP.",
    extra: ["host bits (10.96.0.7/16): write the network address", ...SUBNET_REFUSES.map((c) => `a prefix that covers ${CLASS_TEXT[c]}`)],
    example: "10.96.0.0/16",
  },
  destination: {
    name: "DestinationPrefix",
    summary: "A route destination or exception prefix (subnet routes, OutBoundNAT exceptions, remote subnet routes).",
    extra: ["host bits (10.0.0.7/24): write the network address"],
    example: "10.96.0.0/12",
  },
  sdnRouteDestination: {
    name: "SdnRouteDestinationPrefix",
    summary: "The destination of an SDN route (Policy kind route): HNS takes it as written, host bits included (hcsshim hcn/hcnroute_test.go uses 169.254.169.254/24).",
    extra: [],
    example: "169.254.169.254/24",
  },
  match: {
    name: "MatchPrefix",
    summary: "A prefix an ACL matches.",
    extra: ["host bits: write the network address"],
    example: "10.0.0.0/8",
  },
};

export const PREFIX_TYPES = Object.fromEntries(
  (Object.keys(PREFIX_SPECS) as PrefixRole[]).map((role) => {
    const s = PREFIX_SPECS[role];
    return [
      role,
      valueType<string>(
        {
          name: s.name,
          summary: s.summary,
          accepts: ["an address as its address type accepts it, '/', a length 0-32 (IPv4) or 0-128 (IPv6)"],
          refuses: ["no '/length', a length with leading zeros (/024) or out of range", ...TEXT_REFUSALS, ...s.extra],
          examples: [s.example],
        },
        (v) => prefixProblem(v, role),
      ),
    ];
  }),
) as Record<PrefixRole, ValueType<string>>;

/** An address or a prefix (ACL address lists, OutBoundNAT exception lists). */
export function addressOrPrefixProblem(v: string, prefixRole: PrefixRole, addressRole: AddressRole): string | undefined {
  return v.includes("/") ? prefixProblem(v, prefixRole) : addressProblem(v, addressRole);
}

/** The family of a good address or prefix text. */
export function familyOfText(v: string): Family | undefined {
  const p = v.includes("/") ? parsePrefixText(v) : parseIpText(v);
  return typeof p === "string" ? undefined : p.family;
}
