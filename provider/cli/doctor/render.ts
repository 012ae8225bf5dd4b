/** doctor's report as text: one table of findings, then what to do next. */
import { columns } from "../render/table";
import type { Terminal } from "../terminal";
import type { Deletion, Diagnosis } from "./inspect";

export function report(d: Diagnosis, term: Terminal, deletion?: Deletion): string[] {
  const out: string[] = [];
  out.push(`stack tag ${d.tags.join(", ") || "(none)"}: ${d.hosts.length} host${d.hosts.length === 1 ? "" : "s"}, ${d.pending.length} pending operation${d.pending.length === 1 ? "" : "s"}`);
  for (const h of d.hosts) {
    out.push(`  ${term.paint("bold", h.name)} (${h.kind})  ${h.error ? term.paint("red", `unreachable: ${h.error}`) : `${h.tagged} object${h.tagged === 1 ? "" : "s"} with the stack's tag`}`);
  }
  const deleted = new Set(deletion?.deleted.map((o) => o.id));
  const failed = new Map(deletion?.failed.map((f) => [f.orphan.id, f.error]));
  const rows = [
    ...d.orphans.map((o) => [
      o.host,
      o.kind,
      o.id,
      o.name ?? "-",
      deleted.has(o.id) ? "deleted" : failed.has(o.id) ? `not deleted: ${failed.get(o.id)}` : o.adoptable ? "orphan (pending create: adoptable)" : o.urn ? "orphan (pending create)" : "orphan (unrecorded)",
      o.urn ?? "-",
    ]),
    ...d.gone.map((g) => [g.host, "-", g.id, "-", "gone (the state holds it, the host does not)", g.urn]),
  ];
  if (rows.length) out.push("", ...columns(term, ["HOST", "KIND", "ID", "NAME", "STATUS", "URN"], rows));
  else if (!d.hosts.some((h) => h.error)) out.push("", term.paint("green", "no orphans, nothing gone"));
  if (d.hosts.length === 0) out.push("", "the state holds no pulumi-hns resource: no host to inspect");
  const creates = d.pending.filter((p) => p.type === "creating").length;
  const kept = d.orphans.filter((o) => !deleted.has(o.id) && !failed.has(o.id));
  const next: string[] = [];
  if (!deletion && kept.length) next.push("hns-plan doctor --delete   removes the orphans (or --adopt: keeps those the next up re-finds, when its arguments are unchanged)");
  if (deletion && failed.size) next.push("fix what HNS refused above (e.g. a container still on the network), then hns-plan doctor --delete again");
  if (creates) next.push("pulumi refresh --clear-pending-creates --yes   drops the pending creates (a plain refresh --yes keeps them) and any gone entry");
  else if (d.gone.length) next.push("pulumi refresh --yes   drops the entries whose objects are gone");
  if (deletion && kept.length) next.push(`pulumi up   re-finds the ${kept.length} kept orphan${kept.length === 1 ? "" : "s"} by their IDs (only with unchanged arguments)`);
  if (next.length) out.push("", "next (docs/interrupted-deployment.md):", ...next.map((n) => `  ${n}`));
  return out;
}
