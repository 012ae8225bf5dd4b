/** Namespaces (network compartments): create, attach and detach endpoints, delete. */
import { hnsError } from "../../vocabulary/errors";
import { HostComputeNamespace, SCHEMA_VERSION_2_0, type ModifyRequest } from "../../hcn";
import { sameGuid, type HnsDocument } from "../client";
import { HOST_DEFAULT_NAMESPACE_ID, type EmulatorState } from "./state";
import { indexOf } from "./indexes";
import { findById, newId, parseBody } from "./objects";

export function createNamespace(state: EmulatorState, settings: unknown): HnsDocument<"namespace"> {
  const ns = structuredClone(parseBody(HostComputeNamespace, settings));
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
    else if (req.RequestType === "Remove") ns.Resources = resources.filter((r) => !(r.Type === "Container" && sameGuid((r.Data as { ID?: string }).ID, s.ContainerId)));
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
