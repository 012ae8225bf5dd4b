/**
 * Field schemas shared by the resources' arguments: addresses, prefixes, MACs, GUIDs, DNS,
 * routes. Messages say what to write instead.
 */
import { z } from "zod";
import { hasHostBits, isIp, parseCidr } from "../net/cidr";
import { parseMac } from "../net/mac";

export const IpAddress = z.string().refine(isIp, { message: 'must be an IPv4 or IPv6 address such as "10.0.0.5"' });

export const Prefix = z
  .string()
  .refine((v) => parseCidr(v) !== undefined, { message: 'must be a prefix in CIDR form such as "10.0.0.0/24"' })
  .refine((v) => !hasHostBits(v), { message: "has host bits set: use the network address (for example 10.0.0.0/24, not 10.0.0.7/24)" });

export const MacAddress = z.string().refine((v) => parseMac(v) !== undefined, {
  message: 'must be a MAC address such as "00-15-5D-00-00-01" (":" separators work too)',
});

export const Guid = z
  .string()
  .regex(/^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/, {
    message: 'must be an HNS object ID (a GUID such as "4f2a…-…"); pass another resource\'s output, e.g. network.networkId',
  });

export const Port = z.number().int().min(1).max(65535);

export const Dns = z
  .object({
    /** DNS servers, in order. */
    servers: z.array(IpAddress).optional(),
    /** Primary DNS suffix. */
    domain: z.string().min(1).optional(),
    /** Search suffixes. */
    search: z.array(z.string().min(1)).optional(),
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

/** Take over an existing HNS object instead of creating one: `true` finds it by name, `{ id }` by ID. */
export const Adopt = z.union([
  z.boolean(),
  z
    .object({
      /** HNS ID of the object to take over. */
      id: Guid,
    })
    .strict(),
]);
export type Adopt = z.infer<typeof Adopt>;

/** Set by the SDK: `<project>/<stack>/<resource name>`, the seed of the object's deterministic ID. */
export const Seed = z.string().min(1);
