/**
 * HnsClient: the one interface every transport implements (emulator, PowerShell sessions).
 * It mirrors the HCN v2 API (computenetwork.dll): per kind, enumerate / query / create /
 * modify / delete, plus the host's HNS version (HNSCall GET /globals/version).
 * Documents in and out are HCN v2 JSON, parsed with the schemas in ../hcn.
 */
import type { z } from "zod";
import type { HnsVersion } from "../vocabulary/features";
import { HostComputeEndpoint, HostComputeLoadBalancer, HostComputeNamespace, HostComputeNetwork, HostComputeRoute, type ModifyRequest } from "../hcn";

export const HNS_KINDS = ["network", "endpoint", "namespace", "loadBalancer", "route"] as const;
export type HnsKind = (typeof HNS_KINDS)[number];

/** The schema that reads each kind's documents. */
export const HNS_DOCUMENT_SCHEMAS = {
  network: HostComputeNetwork,
  endpoint: HostComputeEndpoint,
  namespace: HostComputeNamespace,
  loadBalancer: HostComputeLoadBalancer,
  route: HostComputeRoute,
} as const satisfies Record<HnsKind, z.ZodType>;
type HnsSchemas = typeof HNS_DOCUMENT_SCHEMAS;

/** A document as the host returns it: parsed, canonical values. */
export type HnsDocument<K extends HnsKind> = z.output<HnsSchemas[K]>;
/**
 * A document as a caller may send it: whatever the schema reads (names or numbers for enums,
 * null for absent fields), a document read back included. Every transport parses it or
 * passes it on as HNS would.
 */
export type HnsDocumentInput<K extends HnsKind> = z.input<HnsSchemas[K]> | HnsDocument<K>;

/**
 * What HcnModify* takes: a ModifyRequest, except HcnModifyLoadBalancer and HcnModifySdnRoute,
 * which take the whole object (HNS refuses to modify a route at all: hcsshim hcnroute.go).
 */
export type HnsModify<K extends HnsKind> = HnsModifies[K];
interface HnsModifies {
  network: z.input<typeof ModifyRequest>;
  endpoint: z.input<typeof ModifyRequest>;
  namespace: z.input<typeof ModifyRequest>;
  loadBalancer: HnsDocumentInput<"loadBalancer">;
  route: HnsDocumentInput<"route">;
}

/** Equality filter over top-level fields, as the `Filter` of a HostComputeQuery. */
export type HnsFilter = Record<string, string | number | boolean>;

export interface HnsClient {
  /** A name for logs and error messages (never a credential). */
  readonly hostName: string;
  version(): Promise<HnsVersion>;
  /** HcnEnumerate + Query of each: every object of a kind matching the filter. */
  list<K extends HnsKind>(kind: K, filter?: HnsFilter): Promise<HnsDocument<K>[]>;
  /** The object with this ID, or undefined when the host has none (GUIDs compare case-insensitively). */
  get<K extends HnsKind>(kind: K, id: string): Promise<HnsDocument<K> | undefined>;
  /** HcnCreate: a zero or absent ID lets HNS choose one; a given ID is used as is. */
  create<K extends HnsKind>(kind: K, settings: HnsDocumentInput<K>): Promise<HnsDocument<K>>;
  modify<K extends HnsKind>(kind: K, id: string, request: HnsModify<K>): Promise<HnsDocument<K>>;
  delete(kind: HnsKind, id: string): Promise<void>;
  /** Releases sessions; the client must not be used afterwards. */
  close(): Promise<void>;
}

export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

export function sameGuid(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
