/** Short, human descriptions of planned objects, shared by the table and the diagrams. */
import { protocolName } from "../../vocabulary/facts";
import type { PlannedEndpoint, PlannedLoadBalancer } from "../../planner/plan";


export function policySummary(policy: { Type: string; Settings?: unknown }): string {
  const s = (policy.Settings ?? {}) as Record<string, unknown>;
  switch (policy.Type) {
    case "PortMapping":
      return `${protocolName(Number(s.Protocol)) ?? `proto ${String(s.Protocol)}`} ${String(s.ExternalPort)}→${String(s.InternalPort)}`;
    case "OutBoundNAT": {
      const n = Array.isArray(s.Exceptions) ? s.Exceptions.length : 0;
      return `outbound NAT${n ? ` (${n} exception${n > 1 ? "s" : ""})` : ""}`;
    }
    case "ACL":
      return `ACL ${String(s.Action).toLowerCase()} ${String(s.Direction).toLowerCase()} @${String(s.Priority)}`;
    case "RemoteSubnetRoute":
      return `remote ${String(s.DestinationPrefix)} via ${String(s.ProviderAddress ?? "?")}`;
    case "ProviderAddress":
      return `PA ${String(s.ProviderAddress)}`;
    default:
      return policy.Type;
  }
}

export function addressSummary(ep: PlannedEndpoint): string {
  return [ep.ipv4?.address, ep.ipv6?.address].filter(Boolean).join(", ") || "-";
}

export function loadBalancerSummary(lb: PlannedLoadBalancer): string {
  const ports = lb.portMappings.map((p) => `${p.protocol} ${p.externalPort}→${p.internalPort}`).join(", ");
  return `${lb.frontendVips.join(", ") || "-"} ${ports}`;
}
