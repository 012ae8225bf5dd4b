// Shared building blocks for the HCN v2 / HNS v1 document model.
// Reading is lenient (real hosts print enums in any case, as integers, and null for
// absent values); parsing always yields canonical values. Facts: the documents in
// test/fixtures/hns-corpus (its INDEX.md names the public source of each).
import { z } from "zod";
import { PROTOCOL_NUMBERS } from "../vocabulary/facts/protocols";
import { HnsError, issuePaths, issuesText } from "../vocabulary/errors";

// ---------------------------------------------------------------------------
// Generic helpers

/**
 * An optional field that also accepts `null` (PowerShell and some HNS builds print null
 * for absent values). Null becomes absent, so consumers only ever see `T | undefined`.
 */
export function opt<T extends z.ZodType>(schema: T) {
  // The third type argument is what callers may pass (z.input): the field's own input or null,
  // so a document literal is type-checked against what the reader accepts.
  return z.preprocess<unknown, z.ZodOptional<T>, z.input<T> | null | undefined>((v) => (v === null ? undefined : v), schema.optional()).optional();
}

/**
 * A field HNS omits when it holds the zero value (NAT, Static, …): absent or null reads as
 * `value`, so the parsed document always carries it (hcsshim hcn/hcnnetwork.go: HNS omits zero values, so a NAT network prints no Type).
 */
export function orDefault<T extends z.ZodType>(schema: T, value: NoInfer<z.output<T>>) {
  return opt(schema).transform((v): z.output<T> => (v === undefined ? value : v));
}

/** Integer form table for enumOf: the docs list enum variants in wire order (the HNS schema docs (https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/main/virtualization/api/hcn/HNS_Schema.md)). */
export function ordinals<const T extends readonly string[]>(names: T): Readonly<Record<number, T[number]>> {
  const table: Record<number, T[number]> = {};
  names.forEach((n, i) => (table[i] = n));
  return table;
}

/**
 * "String or number, case-insensitive → canonical string" enum schema.
 * HNS documents the string form, but hcsshim and the docs samples also send integers
 * (`"Type":0`, `"RequestType":0`), and v1 hosts print lower-case names ("nat"), as the corpus in test/fixtures/hns-corpus shows.
 * `numbers` maps the accepted integer forms; without it only names are accepted.
 */
export function enumOf<const T extends readonly [string, ...string[]]>(
  names: T,
  numbers?: Readonly<Record<number, T[number]>>,
) {
  const byLower = new Map<string, T[number]>(names.map((n) => [n.toLowerCase(), n]));
  const expected =
    names.join(" | ") +
    " (any case)" +
    (numbers ? ` or one of ${Object.keys(numbers).join(", ")}` : "");
  const fromNumber = (n: number): T[number] | undefined => (numbers ? numbers[n] : undefined);
  return z.union([z.string(), z.number()]).transform((v, ctx): T[number] => {
    let hit: T[number] | undefined;
    if (typeof v === "number") hit = fromNumber(v);
    else {
      const s = v.trim();
      hit = byLower.get(s.toLowerCase()) ?? (/^\d+$/.test(s) ? fromNumber(Number(s)) : undefined);
    }
    if (hit !== undefined) return hit;
    ctx.issues.push({ code: "custom", input: v, message: `want ${expected}` });
    return z.NEVER;
  });
}

/**
 * A number field whose values also have names (hcsshim models it as an integer, the docs
 * name the variants): a number, numeric string or name (any case) → the number.
 */
export function namedNumber(table: Readonly<Record<string, number>>, what: string, max = Number.MAX_SAFE_INTEGER) {
  const byLower = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  return z.union([z.number().int().min(0).max(max), z.string()]).transform((v, ctx): number => {
    if (typeof v === "number") return v;
    const s = v.trim();
    const n = /^\d+$/.test(s) ? Number(s) : byLower.get(s.toLowerCase());
    if (n !== undefined && n <= max) return n;
    ctx.issues.push({
      code: "custom",
      input: v,
      message: `Expected ${what} (${Object.keys(table).join(", ")}), received ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  });
}

/**
 * Bit-flag schema: a number, a numeric string, or flag names joined by "," or "|"
 * (the docs name flag variants as strings) → the numeric mask hcsshim sends (hcsshim hcn/hcnnetwork.go, hcnendpoint.go).
 */
export function flagsOf(table: Readonly<Record<string, number>>) {
  const byLower = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  return z.union([z.number().int().min(0), z.string()]).transform((v, ctx): number => {
    if (typeof v === "number") return v;
    let mask = 0;
    for (const part of v.split(/[,|]/).map((p) => p.trim()).filter((p) => p !== "")) {
      const bit = /^\d+$/.test(part) ? Number(part) : byLower.get(part.toLowerCase());
      if (bit === undefined) {
        ctx.issues.push({
          code: "custom",
          input: v,
          message: `Unknown flag ${JSON.stringify(part)}; expected a number or names from ${Object.keys(table).join(", ")}`,
        });
        return z.NEVER;
      }
      mask |= bit;
    }
    return mask;
  });
}

/**
 * An object schema that also reads alias keys (the docs and hcsshim spell some keys
 * differently): an alias is renamed to its canonical spelling when that key is absent.
 * Callers may send the canonical shape (z.input of `shape`).
 */
export function withAliases<S extends z.ZodType>(aliases: Readonly<Record<string, string>>, shape: S) {
  const rename = (v: unknown): unknown => {
    if (!isRecord(v)) return v;
    let out: Record<string, unknown> | undefined;
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (alias in v && !(canonical in v)) {
        out ??= { ...v };
        out[canonical] = out[alias];
        delete out[alias];
      }
    }
    return out ?? v;
  };
  return z.preprocess<unknown, S, z.input<S>>(rename, shape);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Preprocessor for tagged objects: rewrites `Type` to its canonical casing
 * ("INTERFACECONSTRAINT" → "InterfaceConstraint", as hns.v2.psm1 (https://github.com/microsoft/SDN/blob/master/Kubernetes/windows/hns.v2.psm1) spells it, "nat" → "NAT"), then applies
 * `extra` to known types.
 */
export function canonicalType(names: readonly string[], extra?: (p: Record<string, unknown>) => Record<string, unknown>) {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  return (v: unknown): unknown => {
    if (!isRecord(v) || typeof v.Type !== "string") return v;
    const hit = byLower.get(v.Type.trim().toLowerCase());
    if (hit === undefined) return v;
    const out = hit === v.Type ? v : { ...v, Type: hit };
    return extra ? extra(out) : out;
  };
}

/**
 * A tagged union that keeps members of unknown Type: objects whose Type (any case) is in
 * `names` must satisfy `strict` (errors keep their paths); any other Type is read by
 * `fallback`. Host documents use this so a newer Windows build's policy does not break reads.
 */
export function lenientUnion<S extends z.ZodType, F extends z.ZodType>(strict: S, names: readonly string[], fallback: F) {
  const known = new Set(names.map((n) => n.toLowerCase()));
  return z.unknown().transform((v, ctx): z.output<S> | z.output<F> => {
    const type = isRecord(v) && typeof v.Type === "string" ? v.Type.trim().toLowerCase() : undefined;
    const r = type !== undefined && !known.has(type) ? fallback.safeParse(v) : strict.safeParse(v);
    if (r.success) return r.data as z.output<S> | z.output<F>;
    for (const issue of r.error.issues) ctx.issues.push({ ...issue, input: v } as never);
    return z.NEVER;
  });
}

// Unsigned integers. uint64 fields (LUIDs, Version, timestamps) may exceed 2^53 on real
// hosts, so they are plain non-negative numbers rather than safe integers.
export const UInt = z.number().int().min(0);
export const UInt16 = UInt.max(65535);
export const UInt64 = z.number().min(0);

/** A comma list that hosts print as a string but clients sometimes send as an array/number. */
export const CommaList = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((v) => (Array.isArray(v) ? v.join(",") : String(v)));
export type CommaList = z.infer<typeof CommaList>;

/** A list that may arrive as a comma string ("10.0.0.1, 10.0.0.2") → trimmed array. */
export const StringList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(",").map((s) => s.trim()).filter((s) => s !== "")));
export type StringList = z.infer<typeof StringList>;

// ---------------------------------------------------------------------------
// GUIDs

/**
 * A GUID as read from a document: any string. Hosts print any case, and captured
 * templates contain placeholders such as "$($id)" (corpus network-wslscript-1), so
 * reading never rejects; user input is checked by provider/vocabulary/fields.ts's Guid.
 */
export const HcnGuid = z.string();
export type HcnGuid = z.infer<typeof HcnGuid>;

// ---------------------------------------------------------------------------
// Versions, queries, shared structs

export const SchemaVersion = z.looseObject({ Major: UInt, Minor: UInt });
export type SchemaVersion = z.infer<typeof SchemaVersion>;

/** Default schema version of hcsshim queries and creates (hcsshim hcn/hcn.go: defaultQuery). */
export const SCHEMA_VERSION_2_0: SchemaVersion = Object.freeze({ Major: 2, Minor: 0 });

export const HostComputeQueryFlags = { None: 0, Detailed: 1 } as const;

export const HostComputeQuery = z.looseObject({
  SchemaVersion: opt(SchemaVersion),
  Flags: opt(flagsOf(HostComputeQueryFlags)),
  // A JSON *string* such as '{"Name":"nat"}' (hcsshim hcn/hcn.go: HostComputeQuery.Filter is a string).
  Filter: opt(z.string()),
});
export type HostComputeQuery = z.infer<typeof HostComputeQuery>;

/** Object health: v1 prints {LastErrorCode, LastUpdateTime}, v2 {Data, Extra}; kept opaque. */
export const Health = z.looseObject({});
export type Health = z.infer<typeof Health>;

/** Fields every HCN object inherits from `Base` (HNS_Schema.md): spread into each kind's shape. */
export const baseFields = {
  Health: opt(Health),
  SchemaVersion: opt(SchemaVersion),
  State: opt(UInt),
  Owner: opt(z.string()),
  Version: opt(UInt64),
  AdditionalParams: opt(z.looseObject({})),
};

export const HcnDns = z.looseObject({
  Domain: opt(z.string()),
  Search: opt(StringList),
  ServerList: opt(StringList),
  Options: opt(StringList),
});
export type HcnDns = z.infer<typeof HcnDns>;

export const HcnRoute = z.looseObject({
  NextHop: opt(z.string()),
  DestinationPrefix: opt(z.string()),
  Metric: opt(UInt),
});
export type HcnRoute = z.infer<typeof HcnRoute>;

/** A MAC range; both ends are required (a range without them is meaningless, hosts print both). */
export const MacRange = z.looseObject({
  StartMacAddress: z.string(),
  EndMacAddress: z.string(),
});
export type MacRange = z.infer<typeof MacRange>;

export const HcnMacPool = z.looseObject({ Ranges: opt(z.array(MacRange)) });
export type HcnMacPool = z.infer<typeof HcnMacPool>;

/**
 * IP protocol. hcsshim sends IANA numbers (TCP 6, UDP 17) while the docs name
 * ProtocolType variants; both are accepted and the number is canonical.
 */
const protocolByLower = new Map(Object.entries(PROTOCOL_NUMBERS).map(([k, v]) => [k.toLowerCase(), v]));

export const HcnProtocol = namedNumber(PROTOCOL_NUMBERS, "an IP protocol number (6 TCP, 17 UDP) or name", 255);
export type HcnProtocol = z.infer<typeof HcnProtocol>;

/** ACL-style protocol list ("6" or "6,17"); names are turned into numbers. */
export const ProtocolList = z
  .union([z.string(), z.number()])
  .transform((v) =>
    String(v)
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "")
      .map((p) => String(protocolByLower.get(p.toLowerCase()) ?? p))
      .join(","),
  );
export type ProtocolList = z.infer<typeof ProtocolList>;

// ---------------------------------------------------------------------------
// Modify requests (the HNS schema docs (https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/main/virtualization/api/hcn/HNS_Schema.md), ModifyNetworkSettingRequest and friends). Integer forms are the docs' variant order: observed
// `"ResourceType":0` = endpoint Port and `"ResourceType":1` = namespace Endpoint [SCEN].

export const MODIFY_REQUEST_TYPES = ["Add", "Remove", "Update", "Refresh"] as const;
export const ModifyRequestType = enumOf(MODIFY_REQUEST_TYPES, ordinals(MODIFY_REQUEST_TYPES));
export type ModifyRequestType = z.infer<typeof ModifyRequestType>;

export const NETWORK_RESOURCE_TYPES = ["DNS", "Extension", "Policy", "Subnet", "IPSubnet"] as const;
export const NetworkResourceType = enumOf(NETWORK_RESOURCE_TYPES, ordinals(NETWORK_RESOURCE_TYPES));
export type NetworkResourceType = z.infer<typeof NetworkResourceType>;

export const ENDPOINT_RESOURCE_TYPES = ["Port", "Policy"] as const;
export const EndpointResourceType = enumOf(ENDPOINT_RESOURCE_TYPES, ordinals(ENDPOINT_RESOURCE_TYPES));
export type EndpointResourceType = z.infer<typeof EndpointResourceType>;

export const NAMESPACE_RESOURCE_TYPES = ["Container", "Endpoint"] as const;
export const NamespaceResourceType = enumOf(NAMESPACE_RESOURCE_TYPES, ordinals(NAMESPACE_RESOURCE_TYPES));
export type NamespaceResourceType = z.infer<typeof NamespaceResourceType>;

export const MODIFY_RESOURCE_TYPES = [
  "DNS",
  "Extension",
  "Policy",
  "Subnet",
  "IPSubnet",
  "Port",
  "Container",
  "Endpoint",
] as const;

/**
 * Resource type of a request whose object kind is not known. The integer form depends on
 * the kind (0 is "DNS" for a network but "Port" for an endpoint), so integers are refused
 * here: parse with NetworkModifyRequest / EndpointModifyRequest / NamespaceModifyRequest.
 */
const ModifyResourceTypeName = enumOf(MODIFY_RESOURCE_TYPES);

export const ModifyResourceType = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === "number" || /^\d+$/.test(v.trim())) {
    ctx.issues.push({
      code: "custom",
      input: v,
      message:
        "An integer ResourceType depends on the object kind; parse with NetworkModifyRequest, EndpointModifyRequest or NamespaceModifyRequest",
    });
    return z.NEVER;
  }
  const r = ModifyResourceTypeName.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.issues.push({ code: "custom", input: v, message: issue.message });
  return z.NEVER;
});
export type ModifyResourceType = z.infer<typeof ModifyResourceType>;

function modifyRequest<R extends z.ZodType>(resourceType: R) {
  return z.looseObject({
    ResourceType: resourceType,
    RequestType: ModifyRequestType,
    // Fields only the schema docs name (the HNS schema docs (https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/main/virtualization/api/hcn/HNS_Schema.md)).
    ResourceUri: opt(z.string()),
    // Shape depends on ResourceType (policies, DNS, {EndpointId}, …); validated by the caller.
    Settings: z.unknown().optional(),
  });
}

export const ModifyRequest = modifyRequest(ModifyResourceType);
export type ModifyRequest = z.infer<typeof ModifyRequest>;
export const NetworkModifyRequest = modifyRequest(NetworkResourceType);
export type NetworkModifyRequest = z.infer<typeof NetworkModifyRequest>;
export const EndpointModifyRequest = modifyRequest(EndpointResourceType);
export type EndpointModifyRequest = z.infer<typeof EndpointModifyRequest>;
export const NamespaceModifyRequest = modifyRequest(NamespaceResourceType);
export type NamespaceModifyRequest = z.infer<typeof NamespaceModifyRequest>;

/** The kind-specific schema to read a Modify request with (integer ResourceType needs the kind). */
export const MODIFY_REQUEST_SCHEMAS = {
  network: NetworkModifyRequest,
  endpoint: EndpointModifyRequest,
  namespace: NamespaceModifyRequest,
} as const;

/** A body that does not fit HNS's schema, as HNS answers it: 0x803B001B with the first problems named. */
export function invalidJson(error: z.ZodError): HnsError {
  const what = issuesText(error, { at: "(document)", limit: 3 });
  const policyType = issuePaths(error).some((path) => path.includes("Policies") && path.at(-1) === "Type");
  return new HnsError({
    code: policyType ? "HCN_E_INVALID_POLICY_TYPE" : "HCN_E_INVALID_JSON",
    message: `${policyType ? "Invalid policy type" : "The JSON document is invalid"}: ${what}`,
  });
}
