/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers") as HNS takes them in
 * PortMapping.Protocol, ACL Protocols and load-balancer port mappings (hcsshim hcnpolicy.go
 * sends 6 for TCP and 17 for UDP). The names are the HCN schema's ProtocolType variants.
 */
export const PROTOCOL_NUMBERS = { Unknown: 0, ICMPv4: 1, ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, ICMPv6: 58 } as const;

/** The lower-case names the topology and the SDK take, and their numbers. */
export const PROTOCOL_BY_NAME = { tcp: PROTOCOL_NUMBERS.TCP, udp: PROTOCOL_NUMBERS.UDP, icmp: PROTOCOL_NUMBERS.ICMP } as const;
