/** The plan as text tables, one block per host, and findings as a list. */
import type { Plan } from "../../planner/plan";
import type { Finding } from "../../planner/rules/rule";
import type { Terminal } from "../terminal";
import { addressSummary, loadBalancerSummary, policySummary } from "./summary";

/** Left-aligned columns separated by two spaces; the header is painted bold. */
export function columns(term: Terminal, header: string[], rows: string[][], indent = ""): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [term.paint("bold", line(header)), ...rows.map(line)];
}

export function planTable(plan: Plan, term: Terminal): string {
  const out: string[] = [];
  for (const host of plan.hosts) {
    out.push(term.paint(["bold", "cyan"], `${host.name}`) + `  HNS ${host.hnsVersion}${host.domain ? `, domain ${host.domain}` : ""}`);
    for (const net of host.networks) {
      const subnets = net.subnets.map((s) => `${s.prefix} gw ${s.gateway}${s.vlan !== undefined ? ` vlan ${s.vlan}` : ""}${s.vsid !== undefined ? ` vsid ${s.vsid}` : ""}`);
      out.push(`  ${term.paint("bold", net.name)} (${net.type})  ${subnets.join("; ") || "no subnet"}`);
      if (net.policies.length) out.push(`    network policies: ${net.policies.map(policySummary).join("; ")}`);
      if (net.endpoints.length) {
        out.push(
          ...columns(
            term,
            ["ENDPOINT", "ADDRESS", "FROM", "POLICIES"],
            net.endpoints.map((e) => [
              e.attach === "host" ? `${e.name} (host)` : e.name,
              addressSummary(e),
              e.ipv4?.source ?? e.ipv6?.source ?? "-",
              e.policies.map(policySummary).join("; ") || "-",
            ]),
            "    ",
          ),
        );
      }
      if (net.loadBalancers.length) {
        out.push(
          ...columns(
            term,
            ["LOAD BALANCER", "VIP / PORTS", "SOURCE VIP", "BACKENDS"],
            net.loadBalancers.map((l) => [l.name, loadBalancerSummary(l), l.sourceVip ?? "-", l.backends.map((b) => b.split("/").pop()!).join(", ")]),
            "    ",
          ),
        );
      }
    }
    out.push("");
  }
  const c = plan.lockChanges;
  out.push(`lock: ${c.added.length} added, ${c.moved.length} moved, ${c.released.length} released`);
  return out.join("\n");
}

export function findingLines(findings: Finding[], term: Terminal): string[] {
  return findings.map((f) => {
    const level = f.severity === "error" ? term.paint(["bold", "red"], "error") : term.paint(["bold", "yellow"], "warning");
    // "at" and the path make the place read as one (a host "n" with a network "a" is "n/a").
    return `${level} ${term.paint("bold", f.rule)} at ${f.where} (${f.path})\n  ${f.message}\n  ${term.paint("dim", `fix: ${f.fix}`)}`;
  });
}
