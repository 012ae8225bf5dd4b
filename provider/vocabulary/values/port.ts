/**
 * Ports, port ranges and port lists, and IP protocols, as HNS spells them. A port is a whole
 * number 1-65535 (HNS refuses 0 as a mapping's internal port, HCN_E_INVALID_INTERNAL_PORT); a
 * range is "low-high" with low <= high; an ACL port list is ports or ranges joined by ","
 * with nothing else (hcsshim hcn/hcnpolicy.go: LocalPorts and RemotePorts are strings, kube-proxy
 * and the Windows CNI plugins write "80" and "80,443"). Only TCP (6) and UDP (17) carry ports
 * in HNS's policies (PortMapping, load balancers and ACLs match ports of those two).
 */
import { PORT_RANGE } from "../facts/ranges";
import { PROTOCOL_NUMBERS } from "../facts/protocols";
import { quote, valueType } from "./spec";

export function portProblem(v: number): string | undefined {
  if (!Number.isInteger(v) || Object.is(v, -0) || v < PORT_RANGE.min || v > PORT_RANGE.max) {
    return `${quote(v)} is not a port: give a whole number ${PORT_RANGE.min}-${PORT_RANGE.max}`;
  }
  return undefined;
}

export const PortNumber = valueType<number>(
  {
    name: "Port",
    summary: `A TCP or UDP port number, ${PORT_RANGE.min}-${PORT_RANGE.max}.`,
    accepts: [`whole numbers ${PORT_RANGE.min}-${PORT_RANGE.max}`],
    refuses: ["0 (no port; HNS refuses it in a mapping), -0, negatives, fractions, numbers above 65535"],
    examples: ["80", "8080"],
  },
  portProblem,
);

const PORT_TEXT = /^(0|[1-9][0-9]*)$/;

/** One port or "low-high" range as text; problem or undefined. */
export function portRangeTextProblem(v: string): string | undefined {
  const parts = v.split("-");
  if (parts.length > 2 || !parts.every((p) => PORT_TEXT.test(p))) {
    return `${quote(v)} is not a port or range: write a port such as "80" or a range such as "8000-8080" (no blanks, names or leading zeros)`;
  }
  const [lo, hi] = parts.map(Number);
  const p = portProblem(lo) ?? (hi !== undefined ? portProblem(hi) : undefined);
  if (p) return `${quote(v)}: ${p}`;
  if (hi !== undefined && lo > hi) return `${quote(v)} runs backwards: write the low port first, "${hi}-${lo}"`;
  return undefined;
}

export const PortRangeText = valueType<string>(
  {
    name: "PortRange",
    summary: 'One port or an inclusive range "low-high", as text.',
    accepts: ['"80"', '"8000-8080" (low <= high)'],
    refuses: ["port names (\"http\"), blanks, leading zeros, 0 or ports above 65535, a range whose low end is above its high end"],
    examples: ["80", "8000-8080"],
  },
  portRangeTextProblem,
);

/** HNS's comma list of ports and ranges ("80,443,8000-8080"). */
export function portListTextProblem(v: string): string | undefined {
  if (v === "") return 'is empty: give ports such as "80,443", or leave the field out for any port';
  for (const item of v.split(",")) {
    const p = portRangeTextProblem(item);
    if (p) return `${p} (in the list ${quote(v)}; HNS wants ports or ranges joined by "," alone)`;
  }
  return undefined;
}

export const PortListText = valueType<string>(
  {
    name: "PortList",
    summary: 'Ports and ranges joined by ",", as HNS spells ACL ports.',
    accepts: ['"80"', '"80,443"', '"80,8000-8080"'],
    refuses: ["an empty list, blanks after commas, empty items (\"80,,443\")", "what PortRange refuses, for each item"],
    examples: ["80,443"],
  },
  portListTextProblem,
);

/** Protocols whose packets carry ports HNS can match. */
export const PORT_PROTOCOLS: ReadonlySet<number> = new Set([PROTOCOL_NUMBERS.TCP, PROTOCOL_NUMBERS.UDP]);

export function protocolNumberProblem(v: number): string | undefined {
  if (!Number.isInteger(v) || Object.is(v, -0) || v < 0 || v > 255) return `${quote(v)} is not an IP protocol number: give 0-255 (IANA; 6 is TCP, 17 UDP, 1 ICMP)`;
  return undefined;
}

export const ProtocolNumber = valueType<number>(
  {
    name: "Protocol",
    summary: "An IP protocol: a name (tcp, udp, icmp where the field allows it) or an IANA number 0-255.",
    accepts: ["whole numbers 0-255", "the names a field lists"],
    refuses: ["-0, negatives, fractions, numbers above 255 (an ACL's Protocols list also takes 256, HNS's \"any\")", "a protocol that carries no ports where ports are given (only TCP and UDP do)"],
    examples: ["tcp", "6", "17"],
  },
  protocolNumberProblem,
);

/**
 * An ACL's protocol list as HNS takes it: "256" means any protocol (Calico's Windows CNI plugin
 * writes its default-deny ACL as Protocols "256", projectcalico/calico cni-plugin, Windows dataplane).
 */
export const ANY_PROTOCOL = 256;

/** HNS's ACL Protocols text: protocol numbers joined by "," ("6", "6,17"), or "256" for any. */
export function protocolListTextProblem(v: string): string | undefined {
  for (const item of v.split(",")) {
    if (!PORT_TEXT.test(item)) return `${quote(v)} is not a protocol list: write IANA numbers joined by ",", e.g. "6" or "6,17" ("256" for any)`;
    if (Number(item) === ANY_PROTOCOL) continue;
    const p = protocolNumberProblem(Number(item));
    if (p) return p;
  }
  return undefined;
}
