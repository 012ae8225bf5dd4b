/**
 * The plan as a standalone SVG a person can open in a browser: four columns (host, network /
 * vSwitch, endpoint, policies), one row per endpoint or load balancer, lines from each
 * network to its endpoints and dashed lines from load balancers to their backends.
 */
import type { Plan } from "../../planner/plan";
import { addressSummary, loadBalancerSummary, policySummary } from "./summary";

const ROW = 34;
const BOX_H = 26;
const COL_X = [16, 216, 476, 756];
const COL_W = [184, 240, 260, 360];
const HEAD = 40;

export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Keeps labels inside their boxes (about 7 px per character at 12 px). */
function fit(text: string, width: number): string {
  const max = Math.floor((width - 12) / 7);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function svg(plan: Plan): string {
  const shapes: string[] = [];
  const links: string[] = [];
  const box = (col: number, y: number, height: number, cls: string, label: string, title = label) => {
    shapes.push(
      `<g class="${cls}"><title>${xmlEscape(title)}</title><rect x="${COL_X[col]}" y="${y}" width="${COL_W[col]}" height="${height}" rx="5"/>` +
        `<text x="${COL_X[col] + 8}" y="${y + 17}">${xmlEscape(fit(label, COL_W[col]))}</text></g>`,
    );
  };
  const link = (from: number, y1: number, to: number, y2: number, dashed: boolean) =>
    links.push(`<path class="${dashed ? "lb" : "link"}" d="M${COL_X[from] + COL_W[from]} ${y1 + BOX_H / 2} C${COL_X[from] + COL_W[from] + 30} ${y1 + BOX_H / 2} ${COL_X[to] - 30} ${y2 + BOX_H / 2} ${COL_X[to]} ${y2 + BOX_H / 2}"/>`);

  let y = HEAD;
  for (const host of plan.hosts) {
    const hostTop = y;
    for (const net of host.networks) {
      const netTop = y;
      const rows = Math.max(1, net.endpoints.length + net.loadBalancers.length);
      const at = new Map<string, number>();
      net.endpoints.forEach((ep, i) => {
        const ey = netTop + i * ROW;
        at.set(ep.key, ey);
        box(2, ey, BOX_H, ep.attach === "host" ? "endpoint host" : "endpoint", `${ep.name} ${addressSummary(ep)}`);
        const policies = ep.policies.map(policySummary).join(" · ");
        if (policies) box(3, ey, BOX_H, "policy", policies);
        link(1, netTop, 2, ey, false);
      });
      net.loadBalancers.forEach((lb, i) => {
        const ly = netTop + (net.endpoints.length + i) * ROW;
        box(3, ly, BOX_H, "lb", `LB ${lb.name} ${loadBalancerSummary(lb)}`);
        for (const b of lb.backends) {
          const by = at.get(b);
          if (by !== undefined) links.push(`<path class="lb" d="M${COL_X[3]} ${ly + BOX_H / 2} L${COL_X[2] + COL_W[2]} ${by + BOX_H / 2}"/>`);
        }
      });
      const subnets = net.subnets.map((s) => s.prefix).join(", ");
      box(1, netTop, rows * ROW - (ROW - BOX_H), "network", `${net.name} (${net.type}) ${subnets}`);
      y += rows * ROW;
    }
    const height = Math.max(BOX_H, y - hostTop - (ROW - BOX_H));
    box(0, hostTop, height, "host", `${host.name} · HNS ${host.hnsVersion}`);
    if (!host.networks.length) y += ROW;
    y += 16;
  }
  const width = COL_X[3] + COL_W[3] + 16;
  const heads = ["Host", "Network / vSwitch", "Endpoint", "Policies / load balancers"]
    .map((h, i) => `<text class="head" x="${COL_X[i]}" y="24">${h}</text>`)
    .join("");
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<style>rect{stroke-width:1.2}.host rect{fill:#e8eef9;stroke:#3a5fa0}.network rect{fill:#eaf6ec;stroke:#2f7d3b}.endpoint rect{fill:#fff;stroke:#555}.endpoint.host rect{fill:#fff8e1}.policy rect{fill:#f6f6f6;stroke:#aaa}.lb rect{fill:#fdecea;stroke:#b03a2e}.link{fill:none;stroke:#888}path.lb{fill:none;stroke:#b03a2e;stroke-dasharray:4 3}.head{font-weight:bold;fill:#333}</style>`,
    heads,
    ...links,
    ...shapes,
    `</svg>`,
    "",
  ].join("\n");
}
