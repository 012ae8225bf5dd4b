/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers") as HNS takes them in
 * PortMapping.Protocol, ACL Protocols and load-balancer port mappings (hcsshim hcnpolicy.go
 * sends 6 for TCP and 17 for UDP). The names are the HCN schema's ProtocolType variants.
 */
export const PROTOCOL_NUMBERS = { Unknown: 0, ICMPv4: 1, ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, ICMPv6: 58 } as const;

/** The lower-case names the topology and the SDK take, and their numbers. */
export const PROTOCOL_BY_NAME = { tcp: PROTOCOL_NUMBERS.TCP, udp: PROTOCOL_NUMBERS.UDP, icmp: PROTOCOL_NUMBERS.ICMP } as const;
export type ProtocolName = keyof typeof PROTOCOL_BY_NAME;
const PROTOCOL_NAMES = Object.keys(PROTOCOL_BY_NAME) as ProtocolName[];

/** A protocol as the topology and the SDK write it (a name, or an IANA number), as HNS takes it. */
export function protocolNumber(p: ProtocolName | number): number {
  return typeof p === "number" ? p : PROTOCOL_BY_NAME[p];
}

/** The name of an IANA protocol number, if it has one; `among` narrows the names (port mappings take tcp and udp only). */
export function protocolName<N extends ProtocolName>(n: number, among: readonly N[] = PROTOCOL_NAMES as N[]): N | undefined {
  return among.find((name) => PROTOCOL_BY_NAME[name] === n);
}
