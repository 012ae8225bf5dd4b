/**
 * doctor's report as text: the hosts (the export's blocks shown, credentials left out), one
 * table of findings, the suspicious entries, then the documented next steps for what was found
 * (docs/interrupted-deployment.md), as commands that run as printed (steps.ts). Every value
 * from the export or a host goes through printable: it is shown escaped, on its line.
 */
import { printable } from "../../vocabulary/printable";
import { columns } from "../render/table";
import type { Terminal } from "../terminal";
import type { Deletion, Diagnosis } from "./inspect";
import type { Steps } from "./steps";

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

export function report(d: Diagnosis, term: Terminal, steps: Steps, deletion?: Deletion): string[] {
  const out: string[] = [];
  out.push(`stack ${printable(d.stack)}${d.fleet ? ` of fleet ${printable(d.fleet)}` : ""} (tag ${d.tag}): ${plural(d.hosts.length, "host")}, ${plural(d.pending.length, "pending operation")}`);
  for (const h of d.hosts) {
    const status = h.skipped ? term.paint("yellow", printable(h.skipped)) : h.error ? term.paint("red", `unreachable: ${printable(h.error)}`) : `${plural(h.tagged, "object")} with the stack's tag`;
    out.push(`  ${term.paint("bold", printable(h.name))} (${h.kind})  ${status}`);
    if (h.kind !== "emulator") out.push(`    host block in the export: ${printable(JSON.stringify(h.block))}`);
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
  ].map((row) => row.map(printable));
  const inspected = d.hosts.some((h) => !h.error && !h.skipped);
  if (rows.length) out.push("", ...columns(term, ["HOST", "KIND", "ID", "NAME", "STATUS", "URN"], rows));
  else if (inspected && !d.hosts.some((h) => h.error || h.skipped)) out.push("", term.paint("green", "no orphans, nothing gone"));
  if (d.hosts.length === 0) out.push("", "the state holds no pulumi-hns resource of this stack: no host to inspect");
  if (d.suspicious.length) {
    out.push("", term.paint("yellow", `${plural(d.suspicious.length, "suspicious entry", "suspicious entries")} (not the stack's own by URN or seed: shown, never acted on):`));
    for (const s of d.suspicious) out.push(`  ${printable(s.urn)}${s.id ? ` (${printable(s.id)})` : ""}: ${printable(s.reason)}`);
  }

  if (d.processes?.length) {
    out.push("", term.paint("yellow", `${plural(d.processes.length, "deployment process", "deployment processes")} still running in the project directory (docs/interrupted-deployment.md, step 0):`));
    for (const p of d.processes) out.push(`  ${p.pid}  ${printable(p.command)}`);
  }

  const creates = d.pending.filter((p) => p.type === "creating").length;
  const deletes = d.pending.filter((p) => p.type === "deleting").length;
  const kept = d.orphans.filter((o) => !deleted.has(o.id) && !failed.has(o.id));
  const next: string[] = [];
  if (d.hosts.some((h) => h.skipped)) next.push(`${steps.doctor("--connect")}   contacts the hosts the export names (check their blocks above first)`);
  if (!deletion && kept.length) next.push(`${steps.doctor("--delete")}   removes the orphans (or --adopt: keeps those the next up re-finds, when its arguments are unchanged)`);
  if (deletion && failed.size) next.push(`fix what HNS refused above (e.g. a container still on the network), then ${steps.doctor("--delete")}`);
  if (creates) next.push(`${steps.pulumi("refresh", "--clear-pending-creates", "--yes")}   drops the pending creates (a plain refresh --yes keeps them) and any gone entry`);
  else if (d.gone.length || deletes) next.push(`${steps.pulumi("refresh", "--yes")}   drops the entries whose objects are gone`);
  if (deletes) next.push(`${steps.pulumi("destroy", "--yes")}   finishes an interrupted destroy (or ${steps.pulumi("up", "--yes")} after an interrupted replacement)`);
  else if (deletion && kept.length) next.push(`${steps.pulumi("up")}   re-finds the ${plural(kept.length, "kept orphan")} by their IDs (only with unchanged arguments)`);
  // While a deployment still runs, the host and the state may change under any other step: stopping it comes first, alone.
  if (d.processes?.length) next.splice(0, next.length, `kill ${d.processes.map((p) => p.pid).join(" ")}   stops them (or wait for them to end), then ${steps.doctor()} again`);
  if (next.length) out.push("", "next (docs/interrupted-deployment.md):", ...next.map((n) => `  ${n}`));
  return out;
}
