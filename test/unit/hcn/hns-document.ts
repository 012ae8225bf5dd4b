// Test helper (the product reads documents through HnsClient's typed calls, never from free text):
// reads any HNS / HCN JSON a host or client prints: a bare object, an array of objects, or
// the HNSCall envelope {Success, Output}. Detects kind and version from the keys present
// (never from where the text came from) and parses with the matching schema.
import { z } from "zod";
import {
  HcnNetworkType,
  HnsEndpointV1,
  HnsNamespaceV1,
  HnsNetworkV1,
  HnsPolicyListV1,
  HostComputeEndpoint,
  HostComputeLoadBalancer,
  HostComputeNamespace,
  HostComputeNetwork,
  HostComputeRoute,
  NamespaceType,
  isRecord,
} from "../../../provider/hcn";

export const HNS_DOCUMENT_KINDS = ["network", "endpoint", "namespace", "loadBalancer", "route", "policyList"] as const;
export type HnsDocumentKind = (typeof HNS_DOCUMENT_KINDS)[number];
export type HnsDocumentVersion = "v1" | "v2";

export type ParsedDocument =
  | { kind: "network"; version: "v2"; doc: HostComputeNetwork }
  | { kind: "network"; version: "v1"; doc: HnsNetworkV1 }
  | { kind: "endpoint"; version: "v2"; doc: HostComputeEndpoint }
  | { kind: "endpoint"; version: "v1"; doc: HnsEndpointV1 }
  | { kind: "namespace"; version: "v2"; doc: HostComputeNamespace }
  | { kind: "namespace"; version: "v1"; doc: HnsNamespaceV1 }
  | { kind: "loadBalancer"; version: "v2"; doc: HostComputeLoadBalancer }
  | { kind: "route"; version: "v2"; doc: HostComputeRoute }
  | { kind: "policyList"; version: "v1"; doc: HnsPolicyListV1 };

export type HnsDocumentErrorReason = "hns-error" | "invalid-json" | "unknown-kind" | "invalid-document";

/** Why a document could not be read. `hnsError`/`errorCode` carry an HNS error record's fields. */
export class HnsDocumentError extends Error {
  readonly reason: HnsDocumentErrorReason;
  readonly hnsError?: string;
  readonly errorCode?: number;
  readonly issues?: readonly z.core.$ZodIssue[];

  constructor(
    reason: HnsDocumentErrorReason,
    message: string,
    extra: { hnsError?: string; errorCode?: number; issues?: readonly z.core.$ZodIssue[] } = {},
  ) {
    super(message);
    this.name = "HnsDocumentError";
    this.reason = reason;
    this.hnsError = extra.hnsError;
    this.errorCode = extra.errorCode;
    this.issues = extra.issues;
  }
}

const has = (o: Record<string, unknown>, keys: readonly string[]) => keys.some((k) => k in o);

// Keys that only one kind carries, in either version (test/fixtures/hns-corpus/INDEX.md "v1 vs v2" notes; hcsshim hcn/*.go field lists).
const ENDPOINT_KEYS = [
  "HostComputeNetwork",
  "HostComputeNamespace",
  "IpConfigurations",
  "IPConfigurations",
  "VirtualNetwork",
  "VirtualNetworkName",
  "IPAddress",
  "IPv6Address",
  "IsRemoteEndpoint",
  "EnableInternalDNS",
  "SharedContainers",
  "EncapOverhead",
  "MacAddress",
];
const NAMESPACE_KEYS = ["NamespaceId", "NamespaceGuid", "IsDefault", "Containers", "CompartmentId", "ResourceList"];
const NETWORK_KEYS = [
  "Ipams",
  "MacPool",
  "Subnets",
  "MacPools",
  "NetworkAdapterName",
  "ManagementIP",
  "NatName",
  "NATName",
  "SourceMac",
  "LayeredOn",
  "IsolateSwitch",
  "Extensions",
  "DrMacAddress",
  "DNSServerCompartment",
  "SwitchGuid",
];
const V2_KEYS = [
  "Ipams",
  "MacPool",
  "HostComputeNetwork",
  "HostComputeNamespace",
  "HostComputeEndpoints",
  "IpConfigurations",
  "IPConfigurations",
  "NamespaceId",
  "NamespaceGuid",
];
const POLICY_LIST_TYPES = new Set(["elb", "route", "proxy"]);

/** Which HNS object a JSON object is, from the keys it carries; undefined when unclear. */
export function detectKind(o: Record<string, unknown>): HnsDocumentKind | undefined {
  if ("HostComputeEndpoints" in o) {
    const routeLike = has(o, ["Setting", "Routes"]) && !has(o, ["PortMappings", "FrontendVIPs", "SourceVIP"]);
    return routeLike ? "route" : "loadBalancer";
  }
  if ("References" in o) return "policyList";
  if (has(o, ENDPOINT_KEYS)) return "endpoint";
  if (has(o, NAMESPACE_KEYS) || (Array.isArray(o.Resources) && !has(o, NETWORK_KEYS))) return "namespace";
  if (has(o, NETWORK_KEYS)) return "network";
  if (HcnNetworkType.safeParse(o.Type).success) return "network";
  if (NamespaceType.safeParse(o.Type).success) return "namespace";
  // A v2 NAT network with no Ipams prints neither Type (zero value) nor any marker above.
  if (isRecord(o.SchemaVersion) && has(o, ["Name", "Dns", "Policies", "Flags"])) return "network";
  const policies = o.Policies;
  if (
    Array.isArray(policies) &&
    policies.length > 0 &&
    policies.every((p) => isRecord(p) && typeof p.Type === "string" && POLICY_LIST_TYPES.has(p.Type.toLowerCase()))
  ) {
    return "policyList";
  }
  return undefined;
}

/**
 * v2 when SchemaVersion says so (Major ≥ 2; a query with SchemaVersion 1.0 returns v1, as hns.v2.psm1 shows)
 * or the object has v2-only keys or Settings-style policies; v1 otherwise. HCN Create also
 * takes v1-shaped bodies without SchemaVersion (the WSL scripts in the corpus): those read as v1.
 */
export function detectVersion(o: Record<string, unknown>, kind: HnsDocumentKind): HnsDocumentVersion {
  if (kind === "policyList") return "v1";
  if (kind === "loadBalancer" || kind === "route") return "v2";
  const sv = o.SchemaVersion;
  if (isRecord(sv) && typeof sv.Major === "number") return sv.Major >= 2 ? "v2" : "v1";
  if (has(o, V2_KEYS)) return "v2";
  if (kind === "namespace" && (Array.isArray(o.Resources) || typeof o.Type === "string")) return "v2";
  const policies = o.Policies;
  if (Array.isArray(policies) && policies.some((p) => isRecord(p) && "Settings" in p)) return "v2";
  return "v1";
}

function schemaFor(kind: HnsDocumentKind, version: HnsDocumentVersion): z.ZodType {
  switch (kind) {
    case "network":
      return version === "v2" ? HostComputeNetwork : HnsNetworkV1;
    case "endpoint":
      return version === "v2" ? HostComputeEndpoint : HnsEndpointV1;
    case "namespace":
      return version === "v2" ? HostComputeNamespace : HnsNamespaceV1;
    case "loadBalancer":
      return HostComputeLoadBalancer;
    case "route":
      return HostComputeRoute;
    case "policyList":
      return HnsPolicyListV1;
  }
}

const KIND_LABEL: Record<HnsDocumentKind, string> = {
  network: "network",
  endpoint: "endpoint",
  namespace: "namespace",
  loadBalancer: "load balancer",
  route: "SDN route",
  policyList: "policy list",
};

/** Parses one object whose kind (and optionally version) is known or detected. */
export function parseHnsObject(value: unknown, where = "", kind?: HnsDocumentKind, version?: HnsDocumentVersion): ParsedDocument {
  if (!isRecord(value)) {
    throw new HnsDocumentError("invalid-document", `Expected an HNS object${where}, received ${Array.isArray(value) ? "an array" : typeof value}`);
  }
  const k = kind ?? detectKind(value);
  if (k === undefined) {
    const keys = Object.keys(value);
    throw new HnsDocumentError(
      "unknown-kind",
      `Cannot tell which HNS object this is${where} (keys: ${keys.length ? keys.join(", ") : "none"}); ` +
        "expected a network, endpoint, namespace, load balancer, SDN route or policy list document",
    );
  }
  const v = version ?? detectVersion(value, k);
  const r = schemaFor(k, v).safeParse(value);
  if (!r.success) {
    throw new HnsDocumentError("invalid-document", `Invalid ${v} ${KIND_LABEL[k]} document${where}:\n${z.prettifyError(r.error)}`, {
      issues: r.error.issues,
    });
  }
  return { kind: k, version: v, doc: r.data } as ParsedDocument;
}

const ERROR_RECORD_KEYS = new Set(["Success", "Error", "ErrorCode", "Data"]);

function isEnvelope(o: Record<string, unknown>): boolean {
  if (typeof o.Success === "boolean" && ("Output" in o || "Error" in o || "ErrorCode" in o || Object.keys(o).length === 1)) {
    return true;
  }
  // A bare HCN error record: {"Error": "...", "ErrorCode": n} (hcsshim hcn/hcnerrors.go).
  return typeof o.Error === "string" && Object.keys(o).every((k) => ERROR_RECORD_KEYS.has(k));
}

function collect(value: unknown, where: string, out: ParsedDocument[], depth: number): void {
  if (Array.isArray(value) && depth < 2) {
    value.forEach((item, i) => collect(item, `${where}[${i}]`, out, depth + 1));
    return;
  }
  if (isRecord(value) && isEnvelope(value) && depth < 2) {
    if (value.Success === false || (value.Success === undefined && typeof value.Error === "string")) {
      const text = typeof value.Error === "string" ? value.Error : "unknown error";
      const code = typeof value.ErrorCode === "number" ? value.ErrorCode : undefined;
      const hex = code === undefined ? "" : ` (0x${(code >>> 0).toString(16)})`;
      throw new HnsDocumentError("hns-error", `HNS failed with error : ${text}${hex}`.trimEnd(), { hnsError: text, errorCode: code });
    }
    const output = value.Output;
    if (output === undefined || output === null) return;
    collect(output, `${where}.Output`, out, depth + 1);
    return;
  }
  out.push(parseHnsObject(value, where ? ` at ${where}` : ""));
}

/**
 * Every HNS object in `json` (a parsed value or JSON text): a bare object, an array of
 * objects, or an HNSCall envelope whose Output is either. An envelope with Success false
 * (or a bare error record) throws HnsDocumentError("hns-error") carrying HNS's Error text.
 */
export function parseHnsDocument(json: unknown): ParsedDocument[] {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json.replace(/^\uFEFF/, ""));
    } catch (e) {
      throw new HnsDocumentError("invalid-json", `Not JSON: ${(e as Error).message}`);
    }
  }
  const out: ParsedDocument[] = [];
  collect(value, "", out, 0);
  return out;
}
