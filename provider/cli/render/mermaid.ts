/**
 * The plan as a Mermaid flowchart: hosts → networks (vSwitches) → endpoints, with load
 * balancers pointing at their backends. Node ids are positional (h0n1e2), so user names only
 * ever appear inside quoted labels, escaped with Mermaid's entity codes.
 */
import type { Plan } from "../../planner/plan";
import { addressSummary, loadBalancerSummary, policySummary } from "./summary";

const ENTITIES: Record<string, string> = { '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;" };
export function mermaidLabel(text: string): string {
  return `"${text.replace(/["<>#&]/g, (c) => ENTITIES[c]).replace(/[\r\n]+/g, " ")}"`;
}

export function mermaid(plan: Plan): string {
  const lines = ["flowchart LR"];
  const endpointIds = new Map<string, string>();
  plan.hosts.forEach((host, h) => {
    lines.push(`  subgraph h${h}[${mermaidLabel(`${host.name} · HNS ${host.hnsVersion}`)}]`);
    host.networks.forEach((net, n) => {
      const nid = `h${h}n${n}`;
      lines.push(`    ${nid}[(${mermaidLabel(`${net.name} · ${net.type} · ${net.subnets.map((s) => s.prefix).join(", ") || "no subnet"}`)})]`);
      net.endpoints.forEach((ep, e) => {
        const eid = `${nid}e${e}`;
        endpointIds.set(ep.key, eid);
        const policies = ep.policies.map(policySummary).join("; ");
        lines.push(`    ${eid}[${mermaidLabel(`${ep.name}${ep.attach === "host" ? " (host)" : ""} · ${addressSummary(ep)}${policies ? ` · ${policies}` : ""}`)}]`);
        lines.push(`    ${nid} --- ${eid}`);
      });
      net.loadBalancers.forEach((lb, l) => {
        const lid = `${nid}l${l}`;
        lines.push(`    ${lid}{{${mermaidLabel(`${lb.name} · ${loadBalancerSummary(lb)}`)}}}`);
        for (const b of lb.backends) if (endpointIds.has(b)) lines.push(`    ${lid} -.-> ${endpointIds.get(b)}`);
      });
    });
    lines.push("  end");
  });
  return `${lines.join("\n")}\n`;
}
