/**
 * What every kind's operations share: lookup by ID, new IDs, a body that does not fit the
 * schema as HNS's error, endpoint references, and policy equality.
 */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { HnsError, hnsError } from "../../vocabulary/errors";
import { invalidJson } from "../../hcn";
import { ZERO_GUID, sameGuid, type HnsKind } from "../client";
import type { EmulatorState } from "./state";
import { indexOf } from "./indexes";
export function findById<T>(table: Record<string, T>, id: string): T | undefined {
  return table[id.toLowerCase()];
}

/** Any kind's table, for code that only needs IDs. */
export type AnyTable = Record<string, { ID?: string }>;


/** A body read with its kind's schema; one that does not fit is HNS's invalid-JSON error. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw invalidJson(r.error);
  return r.data;
}

/**
 * Whether a create body is in the v1 form, which HCN Create also accepts (hcsshim
 * hcnv1schema_test.go): it carries a v1-only key and not the v2 key that replaced them.
 */
export function isV1Body(body: unknown, v1Keys: readonly string[], v2Key: string): body is Record<string, unknown> {
  return typeof body === "object" && body !== null && v1Keys.some((k) => k in body) && !(v2Key in body);
}

/** Policies are equal when their Type and Settings are (HNS compares the JSON it stored). */
export function samePolicy(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/**
 * A GUID as HNS prints it: upper case. HNS keeps IDs as GUIDs, not strings, and formats them
 * upper case on output, references included (hcsshim hcn/hcnnamespace_test.go compares a
 * namespace's endpoint resource with strings.ToUpper of the endpoint's ID; the Get-HnsNetwork
 * output in microsoft/SDN and the corpus in test/fixtures/hns-corpus print upper case).
 */
export function printedGuid(id: string): string {
  return id.toUpperCase();
}

/** A document's ID and the IDs it names, as HNS prints them (a namespace's endpoint resources included). */
export function printIds(doc: Record<string, unknown>): void {
  for (const key of ["ID", "HostComputeNetwork", "HostComputeNamespace"]) if (typeof doc[key] === "string") doc[key] = printedGuid(doc[key]);
  if (Array.isArray(doc.HostComputeEndpoints)) doc.HostComputeEndpoints = doc.HostComputeEndpoints.map((e) => (typeof e === "string" ? printedGuid(e) : e));
  if (Array.isArray(doc.Resources)) {
    for (const r of doc.Resources as { Type?: string; Data?: { ID?: unknown } }[]) if (r.Type === "Endpoint" && typeof r.Data?.ID === "string") r.Data.ID = printedGuid(r.Data.ID);
  }
}

/** The ID a create uses: the one given, or a new one when absent or zero; an ID in use is refused as HNS refuses it. */
export function newId(state: EmulatorState, kind: HnsKind, given: string | undefined): string {
  const id = printedGuid(!given || sameGuid(given, ZERO_GUID) ? randomUUID() : given);
  if (findById(state.objects[kind] as AnyTable, id)) throw hnsError("ERROR_ALREADY_EXISTS");
  return id;
}

/** The IDs of the endpoints a load balancer or route names, each of which must exist. */
export function requireEndpoints(state: EmulatorState, ids: string[] | undefined, what: string): string[] {
  if (!ids || ids.length === 0) {
    throw hnsError("HCN_E_INVALID_JSON", `A ${what} needs at least one endpoint in HostComputeEndpoints`);
  }
  return ids.map((id) => {
    const ep = findById(state.objects.endpoint, id);
    if (!ep) throw new HnsError({ code: "HCN_E_ENDPOINT_NOT_FOUND", message: `The endpoint ${id} of the ${what} was not found` });
    return ep.ID!;
  });
}

/**
 * Endpoints that vanish with their network (a network delete, a reboot): they leave their
 * namespaces, and the load balancers and routes that name one of them go too (our choice: no
 * public source shows what HNS keeps of a policy list whose endpoint is gone; kube-proxy
 * re-creates its load balancers when the network changes). Keys are the tables' lower-case
 * keys; the users come from the index (as it was when the call began: a user this call already
 * deleted is skipped).
 */
export function dropEndpoints(state: EmulatorState, keys: string[]): void {
  const index = indexOf(state);
  const lost = new Set(keys);
  const named = (r: { Type?: string; Data?: unknown }) => r.Type === "Endpoint" && lost.has(String((r.Data as { ID?: string } | undefined)?.ID).toLowerCase());
  for (const key of keys) {
    for (const kind of ["loadBalancer", "route"] as const) for (const k of index.usersOf(key, kind)) delete state.objects[kind][k];
    for (const k of index.usersOf(key, "namespace")) {
      const ns = state.objects.namespace[k];
      if (ns) ns.Resources = (ns.Resources ?? []).filter((r) => !named(r));
    }
  }
  for (const k of lost) delete state.objects.endpoint[k];
}
