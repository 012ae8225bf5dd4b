/**
 * Namespaces (compartments), load balancers and SDN routes: the objects that refer to endpoints.
 */
import { randomUUID } from "node:crypto";
import { HnsError, hnsError } from "../../errors";
import { requireFeature } from "../../features";
import { HostComputeLoadBalancer, HostComputeNamespace, HostComputeRoute, LoadBalancerFlags, SCHEMA_VERSION_2_0, type ModifyRequest } from "../../hcn";
import { ZERO_GUID, sameGuid, type HnsDocument, type HnsKind } from "../client";
import { HOST_DEFAULT_NAMESPACE_ID, type EmulatorState } from "./state";
import { indexOf } from "./indexes";
import { findById, invalidJson, type AnyTable } from "./util";

function newId(state: EmulatorState, kind: HnsKind, given: string | undefined): string {
  const id = !given || sameGuid(given, ZERO_GUID) ? randomUUID() : given;
  if (findById(state.objects[kind] as AnyTable, id)) throw hnsError("ERROR_ALREADY_EXISTS");
  return id;
}

function requireEndpoints(state: EmulatorState, ids: string[] | undefined, what: string): string[] {
  if (!ids || ids.length === 0) {
    throw hnsError("HCN_E_INVALID_JSON", `A ${what} needs at least one endpoint in HostComputeEndpoints`);
  }
  return ids.map((id) => {
    const ep = findById(state.objects.endpoint, id);
    if (!ep) throw new HnsError({ code: "HCN_E_ENDPOINT_NOT_FOUND", message: `The endpoint ${id} of the ${what} was not found` });
    return ep.ID!;
  });
}

export function createNamespace(state: EmulatorState, settings: unknown): HnsDocument<"namespace"> {
  const r = HostComputeNamespace.safeParse(settings);
  if (!r.success) throw invalidJson(r.error);
  const ns = structuredClone(r.data);
  ns.ID = newId(state, "namespace", ns.ID);
  ns.Type = ns.Type ?? "Host";
  ns.NamespaceId = ns.NamespaceId ?? 2 + Object.keys(state.objects.namespace).length;
  ns.Resources = [];
  ns.SchemaVersion = ns.SchemaVersion ?? { ...SCHEMA_VERSION_2_0 };
  state.objects.namespace[ns.ID.toLowerCase()] = ns;
  return ns;
}

export function modifyNamespace(state: EmulatorState, id: string, req: ModifyRequest): HnsDocument<"namespace"> {
  const ns = findById(state.objects.namespace, id);
  if (!ns) throw hnsError("ERROR_NOT_FOUND");
  const s = (req.Settings ?? {}) as { EndpointId?: string; ContainerId?: string };
  const resources = (ns.Resources ??= []);
  if (req.ResourceType === "Endpoint") {
    const ep = s.EndpointId ? findById(state.objects.endpoint, s.EndpointId) : undefined;
    if (!ep) throw hnsError("HCN_E_ENDPOINT_NOT_FOUND");
    const here = resources.some((r) => r.Type === "Endpoint" && sameGuid((r.Data as { ID?: string }).ID, ep.ID));
    if (req.RequestType === "Add") {
      if (here) throw hnsError("HCN_E_ENDPOINT_ALREADY_ATTACHED");
      if (ep.HostComputeNamespace) throw hnsError("HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS");
      resources.push({ Type: "Endpoint", Data: { ID: ep.ID } });
      ep.HostComputeNamespace = ns.ID;
    } else if (req.RequestType === "Remove") {
      if (!here) throw hnsError("HCN_E_ENDPOINT_NOT_ATTACHED");
      ns.Resources = resources.filter((r) => !(r.Type === "Endpoint" && sameGuid((r.Data as { ID?: string }).ID, ep.ID)));
      delete ep.HostComputeNamespace;
    } else throw hnsError("HCN_E_REQUEST_UNSUPPORTED");
  } else if (req.ResourceType === "Container") {
    if (!s.ContainerId) throw hnsError("HCN_E_INVALID_JSON", "ContainerId is required");
    if (req.RequestType === "Add") resources.push({ Type: "Container", Data: { ID: s.ContainerId } });
    else if (req.RequestType === "Remove") ns.Resources = resources.filter((r) => !(r.Type === "Container" && (r.Data as { ID?: string }).ID === s.ContainerId));
    else throw hnsError("HCN_E_REQUEST_UNSUPPORTED");
  } else throw hnsError("HCN_E_REQUEST_UNSUPPORTED");
  return ns;
}

export function deleteNamespace(state: EmulatorState, id: string): void {
  const ns = findById(state.objects.namespace, id);
  if (!ns) throw hnsError("ERROR_NOT_FOUND");
  if (sameGuid(ns.ID, HOST_DEFAULT_NAMESPACE_ID)) throw hnsError("E_ACCESSDENIED", "The host's default namespace cannot be deleted");
  for (const k of [...indexOf(state).endpointsIn(ns.ID!)]) delete state.objects.endpoint[k].HostComputeNamespace;
  delete state.objects.namespace[ns.ID!.toLowerCase()];
}

function parseLoadBalancer(state: EmulatorState, settings: unknown): HnsDocument<"loadBalancer"> {
  const r = HostComputeLoadBalancer.safeParse(settings);
  if (!r.success) throw invalidJson(r.error);
  const lb = structuredClone(r.data);
  lb.HostComputeEndpoints = requireEndpoints(state, lb.HostComputeEndpoints, "load balancer");
  if (((lb.Flags ?? 0) & LoadBalancerFlags.DSR) !== 0) requireFeature(state.version, "DSR", "load balancer DSR flag");
  if (((lb.Flags ?? 0) & LoadBalancerFlags.IPv6) !== 0) requireFeature(state.version, "IPv6DualStack", "IPv6 load balancer");
  for (const pm of lb.PortMappings ?? []) {
    if (!Number(pm.InternalPort)) throw hnsError("HCN_E_INVALID_INTERNAL_PORT");
    if (Number(pm.DistributionType ?? 0) !== 0) requireFeature(state.version, "SessionAffinity", "DistributionType");
  }
  lb.SchemaVersion = lb.SchemaVersion ?? { ...SCHEMA_VERSION_2_0 };
  return lb;
}

/** What makes two load balancers the same to HNS: their frontend VIPs and port mappings, as stored. */
export function frontendKey(lb: HnsDocument<"loadBalancer">): string {
  return JSON.stringify([lb.FrontendVIPs ?? [], lb.PortMappings]);
}

export function createLoadBalancer(state: EmulatorState, settings: unknown): HnsDocument<"loadBalancer"> {
  const lb = parseLoadBalancer(state, settings);
  lb.ID = newId(state, "loadBalancer", lb.ID);
  const [dupKey] = indexOf(state).loadBalancersWith(frontendKey(lb));
  const dup = dupKey === undefined ? undefined : state.objects.loadBalancer[dupKey];
  if (dup && (lb.FrontendVIPs ?? []).length > 0) throw hnsError("HCN_E_POLICY_ALREADY_EXISTS", `A load balancer with the same frontend and ports exists (${dup.ID})`);
  state.objects.loadBalancer[lb.ID.toLowerCase()] = lb;
  return lb;
}

/** HcnModifyLoadBalancer takes the whole object and needs HNS 15.4 (hcsshim ModifyLoadbalancer). */
export function modifyLoadBalancer(state: EmulatorState, id: string, whole: unknown): HnsDocument<"loadBalancer"> {
  const cur = findById(state.objects.loadBalancer, id);
  if (!cur) throw hnsError("ERROR_NOT_FOUND");
  requireFeature(state.version, "ModifyLoadBalancer", "load balancer modify");
  const lb = parseLoadBalancer(state, whole);
  lb.ID = cur.ID;
  state.objects.loadBalancer[cur.ID!.toLowerCase()] = lb;
  return lb;
}

export function createRoute(state: EmulatorState, settings: unknown): HnsDocument<"route"> {
  const r = HostComputeRoute.safeParse(settings);
  if (!r.success) throw invalidJson(r.error);
  const route = structuredClone(r.data);
  route.ID = newId(state, "route", route.ID);
  route.HostComputeEndpoints = requireEndpoints(state, route.HostComputeEndpoints, "route");
  if (!(route.Setting ?? []).length) throw hnsError("HCN_E_INVALID_JSON", "A route needs at least one Setting entry");
  route.SchemaVersion = route.SchemaVersion ?? { ...SCHEMA_VERSION_2_0 };
  state.objects.route[route.ID.toLowerCase()] = route;
  return route;
}

export function deleteSimple(state: EmulatorState, kind: "loadBalancer" | "route", id: string): void {
  const obj = findById(state.objects[kind], id);
  if (!obj) throw hnsError("ERROR_NOT_FOUND");
  delete state.objects[kind][obj.ID!.toLowerCase()];
}
