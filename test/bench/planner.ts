/**
 * Planner benchmark: plan 10,000 endpoints over 100 networks on 20 hosts, then twice that,
 * with and without a lock file. Prints medians and the scaling ratio (targets: < 100 ms for
 * 10,000 endpoints, ratio ≤ 2.2 for twice the size).
 */
import { performance } from "node:perf_hooks";
import { hasErrors, plan, type TopologyInput } from "../../provider/planner";

/** `hosts` hosts in one domain, 5 l2bridge networks each, 100 endpoints and a load balancer per network. */
export function fleet(hosts: number): TopologyInput {
  return {
    reservations: "flannel",
    domains: [{ name: "dc", vipPool: "10.96.0.0/16" }],
    hosts: Array.from({ length: hosts }, (_, h) => ({
      name: `node-${h}`,
      domain: "dc",
      hnsVersion: "ws2022",
      networks: Array.from({ length: 5 }, (_, n) => ({
        name: `net-${n}`,
        type: "l2bridge" as const,
        subnets: [{ prefix: `10.${100 + Math.floor(h / 50)}.${(h % 50) * 5 + n}.0/24` }],
        outboundNat: { exceptions: ["10.0.0.0/8"] },
        endpoints: Array.from({ length: 100 }, (_, e) =>
          e === 0 ? { name: "host", attach: "host" as const } : { name: `ep-${e}`, ...(e % 10 === 0 ? { ports: [{ internal: 80, external: 20000 + n * 1000 + e }] } : {}) },
        ),
        loadBalancers: [{ name: "svc", backends: ["ep-1", "ep-2", "ep-3"], ports: [{ internal: 8080, external: 80 }] }],
      })),
    })),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, rounds: number): number {
  fn(); // warm-up: JIT and caches, not measured
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

export function benchPlanner(rounds = 7): void {
  console.log("\nplanner (offline plan, median of %d):", rounds);
  const rows: { endpoints: number; cold: number; locked: number }[] = [];
  for (const hosts of [20, 40]) {
    const doc = fleet(hosts);
    const first = plan(doc);
    if (hasErrors(first)) throw new Error(`benchmark topology is invalid: ${first.findings[0].message}`);
    const endpoints = first.hosts.reduce((n, h) => n + h.networks.reduce((m, x) => m + x.endpoints.length, 0), 0);
    rows.push({ endpoints, cold: time(() => plan(doc), rounds), locked: time(() => plan(doc, first.lock), rounds) });
  }
  for (const r of rows) console.log(`  ${r.endpoints} endpoints: ${r.cold.toFixed(1)} ms without a lock, ${r.locked.toFixed(1)} ms with one`);
  const [a, b] = rows;
  console.log(`  scaling ×2 endpoints: ${(b.cold / a.cold).toFixed(2)}× without a lock, ${(b.locked / a.locked).toFixed(2)}× with one (target ≤ 2.2)`);
}

if (require.main === module) benchPlanner();
