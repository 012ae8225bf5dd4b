/**
 * Field schemas in the form a user writes them, shared by the resources' arguments
 * (provider/resources), the topology document (provider/planner) and the HNS document model
 * (provider/hcn): addresses, prefixes, MACs, GUIDs, ports, protocols, names, DNS, routes.
 * Each is declared here once; messages say what to write instead.
 */
import { z } from "zod";
import { NETWORK_TYPES } from "./facts/network-types";
import { NAME_MAX_LENGTH } from "./facts/ranges";
import { parseMac } from "./net/mac";
import {
  ADDRESS_TYPES,
  DisplayName,
  DnsName as DnsNameType,
  LocalPath as LocalPathType,
  MacAddressValue,
  PREFIX_TYPES,
  PORT_PROTOCOLS,
  PortNumber,
  addressOrPrefixProblem,
  familyOfText,
  ProtocolNumber,
  displayTextProblem,
  numberSchema,
  textSchema,
} from "./values";

// Addresses by role (provider/vocabulary/values/address.ts says what each refuses and why).
/** An endpoint's own address, a reserved address, a remote peer's address. */
export const HostAddress = textSchema(ADDRESS_TYPES.host);
/** A subnet's gateway. */
export const GatewayAddress = textSchema(ADDRESS_TYPES.gateway);
/** A load balancer's frontend or source VIP. */
export const VipAddress = textSchema(ADDRESS_TYPES.vip);
/** A DNS server a container asks. */
export const DnsServerAddress = textSchema(ADDRESS_TYPES.dnsServer);
/** A route's next hop. */
export const NextHopAddress = textSchema(ADDRESS_TYPES.nextHop);
/** A host's provider address (overlay). */
export const ProviderAddress = textSchema(ADDRESS_TYPES.providerAddress);

/** A subnet's prefix: canonical, no host bits, no special block. */
export const Prefix = textSchema(PREFIX_TYPES.subnet);
/** A route destination or exception prefix: canonical, no host bits. */
export const DestinationPrefix = textSchema(PREFIX_TYPES.destination);
/** A VIP pool: canonical, no host bits, no special block. */
export const VipPoolPrefix = textSchema(PREFIX_TYPES.vipPool);
/** An exception list entry (OutBoundNAT): a destination prefix or a single address. */
export const ExceptionEntry = z.string().superRefine((v, ctx) => {
  const p = addressOrPrefixProblem(v, "destination", "match");
  if (p) ctx.addIssue({ code: "custom", message: p });
});
/** The IPv6 address of a dual-stack endpoint. */
export const Ipv6HostAddress = HostAddress.refine((v) => v.includes(":"), { message: "must be an IPv6 address: put an IPv4 address in ipAddress" });
/** An SDN route's destination: HNS takes host bits (hcsshim hcn/hcnroute_test.go). */
export const SdnRouteDestinationPrefix = textSchema(PREFIX_TYPES.sdnRouteDestination);

/** A unicast MAC in HNS's spelling ("00-15-5D-00-00-01"). */
export const MacAddress = textSchema(MacAddressValue);

/** A path on the machine running Pulumi: absolute or relative to the project directory. */
export const LocalPath = textSchema(LocalPathType);

/** A range of MAC addresses for a network's endpoints. */
export const MacPool = z
  .object({
    /** First MAC address of the range, e.g. "00-15-5D-52-C0-00". */
    start: MacAddress,
    /** Last MAC address of the range, e.g. "00-15-5D-52-CF-FF". */
    end: MacAddress,
  })
  .strict()
  .refine((p) => parseMac(p.start) === undefined || parseMac(p.end) === undefined || !(parseMac(p.start)! > parseMac(p.end)!), { message: "start comes after end: swap them, or give the range's first address as start" });

/** A DNS name or suffix (RFC 1123; provider/vocabulary/values/text.ts). */
const DnsName = textSchema(DnsNameType);

/** A GUID in HNS's text form, braces optional (HNS prints IDs without them, .NET tools with them). */
const GUID_PATTERN = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** The ID of an HNS object another resource made or the user names (strict; the HNS document model reads IDs leniently). */
export const Guid = z.string().regex(GUID_PATTERN, {
  message: 'must be an HNS object ID (a GUID such as "4f2a…-…"); pass another resource\'s output, e.g. network.networkId',
});

/** A TCP or UDP port: 1-65535 (0 is no port; HNS refuses it in a mapping). */
export const Port = numberSchema(PortNumber);

/** The protocol names the resources and the topology take for forwarded and balanced ports (numbers: provider/vocabulary/facts/protocols.ts). */
export const PortProtocolName = z.enum(["tcp", "udp"]);
export type PortProtocolName = z.infer<typeof PortProtocolName>;

/** A port protocol by name, or any IP protocol number (IANA; 6 is TCP, 17 UDP). */
export const Protocol = z.union([PortProtocolName, numberSchema(ProtocolNumber)]);

/** A protocol whose ports are forwarded or balanced: tcp or udp, by name or number (6, 17). */
export const PortProtocol = z.union([
  PortProtocolName,
  numberSchema(ProtocolNumber).refine((n) => PORT_PROTOCOLS.has(n), { message: "carries no ports, so nothing can forward or balance them: use \"tcp\" (6) or \"udp\" (17)" }),
]);

/** An HNS network type in the lower-case form the arguments and the topology take (provider/vocabulary/facts/network-types.ts). */
export const NetworkType = z.enum(NETWORK_TYPES);
export type NetworkType = z.infer<typeof NetworkType>;

/** An HNS object name or a label: printable Unicode in NFC (provider/vocabulary/values/text.ts). */
export const HnsName = textSchema(DisplayName);

/** Free text HNS passes on (resolver options): one line of printable text. */
const OptionText = z.string().superRefine((v, ctx) => {
  const p = displayTextProblem(v, NAME_MAX_LENGTH);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

export const Dns = z
  .object({
    /** DNS servers, in order. */
    servers: z.array(DnsServerAddress).optional(),
    /** Primary DNS suffix. */
    domain: DnsName.optional(),
    /** Search suffixes. */
    search: z.array(DnsName).optional(),
    /** Resolver options (Docker's `--dns-option`): HNS has none, so any is refused (rule docker-dns-option); the field exists so the refusal can say why. */
    options: z.array(OptionText).optional(),
  })
  .strict();
export type Dns = z.infer<typeof Dns>;

export const Route = z
  .object({
    /** Destination prefix, e.g. "10.96.0.0/12". */
    destination: DestinationPrefix,
    /** Next hop address, inside one of the network's subnets (rule route-next-hop-outside). */
    nextHop: NextHopAddress,
    /** Route metric, 0-65535 (HNS keeps it as a uint16); lower wins. Defaults to HNS's. */
    metric: z.number().int().min(0).max(65535).optional(),
  })
  .strict()
  // One route, one family: a next hop of the other family cannot forward to the destination.
  .superRefine((r, ctx) => {
    const [d, h] = [familyOfText(r.destination), familyOfText(r.nextHop)];
    if (d && h && d !== h) ctx.addIssue({ code: "custom", path: ["nextHop"], message: `next hop ${r.nextHop} is ${h} but ${r.destination} is ${d}: use a next hop of the destination's family` });
  });
export type Route = z.infer<typeof Route>;
