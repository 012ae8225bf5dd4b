/**
 * Field schemas in the form a user writes them, shared by the resources' arguments
 * (provider/resources), the topology document (provider/planner) and the HNS document model
 * (provider/hcn): addresses, prefixes, MACs, GUIDs, ports, protocols, names, DNS, routes.
 * Each is declared here once; messages say what to write instead.
 */
import { z } from "zod";
import { NETWORK_TYPES } from "./facts/network-types";
import { NAME_MAX_LENGTH, PORT_RANGE } from "./facts/ranges";
import { hasHostBits, isIp, parseCidr } from "./net/cidr";
import { parseMac } from "./net/mac";

export const IpAddress = z.string().refine(isIp, { message: 'must be an IPv4 or IPv6 address such as "10.0.0.5"' });

export const Prefix = z
  .string()
  .refine((v) => parseCidr(v) !== undefined, { message: 'must be a prefix in CIDR form such as "10.0.0.0/24"' })
  .refine((v) => !hasHostBits(v), { message: "has host bits set: use the network address (for example 10.0.0.0/24, not 10.0.0.7/24)" });

export const MacAddress = z
  .string()
  .refine((v) => parseMac(v) !== undefined, {
    message: 'must be a MAC address such as "00-15-5D-00-00-01" (":" separators work too)',
  })
  // A vNIC's address is a unicast one: the I/G bit (lowest bit of the first octet) marks group
  // (multicast, and broadcast FF-FF-FF-FF-FF-FF) addresses, IEEE 802-2014 §8.2; all-zero is no address.
  .refine((v) => !isGroupMac(v), { message: "is a multicast or broadcast address (first octet odd): use a unicast MAC, e.g. in Hyper-V's 00-15-5D range" })
  .refine((v) => parseMac(v) !== 0n, { message: "is the all-zero address: use a unicast MAC, e.g. in Hyper-V's 00-15-5D range" });

function isGroupMac(text: string): boolean {
  const v = parseMac(text);
  return v !== undefined && ((v >> 40n) & 1n) === 1n;
}

/** A range of MAC addresses for a network's endpoints. */
export const MacPool = z
  .object({
    /** First MAC address of the range, e.g. "00-15-5D-52-C0-00". */
    start: MacAddress,
    /** Last MAC address of the range, e.g. "00-15-5D-52-CF-FF". */
    end: MacAddress,
  })
  .strict()
  .refine((p) => !(parseMac(p.start)! > parseMac(p.end)!), { message: "start comes after end: swap them, or give the range's first address as start" });

/**
 * A DNS name or suffix: dot-separated labels of letters, digits, '-' and '_' (RFC 1123 host
 * names; '_' occurs in service names), at most 253 characters. HNS passes it to the resolver
 * of the container, where a blank would split it.
 */
const DnsName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\.?$/, 'must be a DNS name such as "corp.example.com": letters, digits, "-" and "_" between dots, no blanks');

/** A GUID in HNS's text form, braces optional (HNS prints IDs without them, .NET tools with them). */
const GUID_PATTERN = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** The ID of an HNS object another resource made or the user names (strict; the HNS document model reads IDs leniently). */
export const Guid = z.string().regex(GUID_PATTERN, {
  message: 'must be an HNS object ID (a GUID such as "4f2a…-…"); pass another resource\'s output, e.g. network.networkId',
});

/** A TCP or UDP port: 0 is no port (HNS refuses it in a mapping). */
export const Port = z.number().int().min(PORT_RANGE.min).max(PORT_RANGE.max);

/** The protocol names the resources and the topology take for forwarded and balanced ports (numbers: provider/facts/protocols.ts). */
export const PortProtocolName = z.enum(["tcp", "udp"]);
export type PortProtocolName = z.infer<typeof PortProtocolName>;

/** A port protocol by name, or any IP protocol number (IANA; 6 is TCP, 17 UDP). */
export const Protocol = z.union([PortProtocolName, z.number().int().min(0).max(255)]);

/** An HNS network type in the lower-case form the arguments and the topology take (provider/facts/network-types.ts). */
export const NetworkType = z.enum(NETWORK_TYPES);
export type NetworkType = z.infer<typeof NetworkType>;

/** An HNS object name: HNS stores any text, but a control character in it breaks every tool that prints it. */
export const HnsName = z
  .string()
  .min(1)
  .max(NAME_MAX_LENGTH)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: "contains a control character (newline, tab, ...): use printable characters only" });

export const Dns = z
  .object({
    /** DNS servers, in order. */
    servers: z.array(IpAddress).optional(),
    /** Primary DNS suffix. */
    domain: DnsName.optional(),
    /** Search suffixes. */
    search: z.array(DnsName).optional(),
    /** Resolver options passed through to HNS. */
    options: z.array(z.string()).optional(),
  })
  .strict();
export type Dns = z.infer<typeof Dns>;

export const Route = z
  .object({
    /** Destination prefix, e.g. "10.96.0.0/12". */
    destination: Prefix,
    /** Next hop address. */
    nextHop: IpAddress,
    /** Route metric; lower wins. Defaults to HNS's. */
    metric: z.number().int().min(0).optional(),
  })
  .strict();
export type Route = z.infer<typeof Route>;
