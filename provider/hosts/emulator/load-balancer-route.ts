/** Load balancers and SDN routes: the policy-list objects that refer to endpoints. */
import { hnsError } from "../../vocabulary/errors";
import { requireFeature } from "../../vocabulary/features";
import { HostComputeLoadBalancer, HostComputeRoute, LoadBalancerFlags, SCHEMA_VERSION_2_0, frontendKey } from "../../hcn";
import type { HnsDocument } from "../client";
import type { EmulatorState } from "./state";
import { indexOf } from "./indexes";
import { findById, newId, parseBody, requireEndpoints } from "./objects";

function parseLoadBalancer(state: EmulatorState, settings: unknown): HnsDocument<"loadBalancer"> {
  const lb = structuredClone(parseBody(HostComputeLoadBalancer, settings));
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

/** HNS takes one load balancer per frontend (hcn frontendKey): another of the same is refused, on create and on modify alike. */
function refuseSecondFrontend(state: EmulatorState, lb: HnsDocument<"loadBalancer">, self?: string): void {
  const key = frontendKey(lb);
  const dupKey = key === undefined ? undefined : [...indexOf(state).loadBalancersWith(key)].find((k) => k !== self);
  const dup = dupKey === undefined ? undefined : state.objects.loadBalancer[dupKey];
  if (dup) throw hnsError("HCN_E_POLICY_ALREADY_EXISTS", `A load balancer with the same frontend and ports exists (${dup.ID})`);
}

export function createLoadBalancer(state: EmulatorState, settings: unknown): HnsDocument<"loadBalancer"> {
  const lb = parseLoadBalancer(state, settings);
  lb.ID = newId(state, "loadBalancer", lb.ID);
  refuseSecondFrontend(state, lb);
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
  refuseSecondFrontend(state, lb, cur.ID!.toLowerCase());
  state.objects.loadBalancer[cur.ID!.toLowerCase()] = lb;
  return lb;
}

export function createRoute(state: EmulatorState, settings: unknown): HnsDocument<"route"> {
  const route = structuredClone(parseBody(HostComputeRoute, settings));
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
