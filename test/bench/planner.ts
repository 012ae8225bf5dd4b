/**
 * Planner benchmark: plan 10,000 endpoints over 100 networks on 20 hosts, then twice that,
 * with and without a lock file. Prints medians with ranges and the scaling ratio, round by round
 * (targets: < 100 ms for 10,000 endpoints, ratio ≤ 2.2 for twice the size).
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
          e === 0 ? { name: "host", attach: "host" as const } : { name: `ep-${e}`, ...(e % 10 === 0 ? { ports: [{ internalPort: 80, externalPort: 20000 + n * 1000 + e }] } : {}) },
        ),
        loadBalancers: [{ name: "svc", backends: ["ep-1", "ep-2", "ep-3"], portMappings: [{ internalPort: 8080, externalPort: 80 }] }],
      })),
    })),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeOnce(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/**
 * Each round plans the small and the large fleet back to back, so both sizes see the same
 * machine state, and the scaling figure is the median of the rounds' own ratios (with their
 * range), not a ratio of medians taken minutes apart.
 */
export function benchPlanner(rounds = Number(process.env.BENCH_PLANNER_ROUNDS) || 15): void {
  console.log("\nplanner (offline plan, %d interleaved rounds):", rounds);
  const sizes = [20, 40].map((hosts) => {
    const doc = fleet(hosts);
    const first = plan(doc);
    if (hasErrors(first)) throw new Error(`benchmark topology is invalid: ${first.findings[0].message}`);
    const endpoints = first.hosts.reduce((n, h) => n + h.networks.reduce((m, x) => m + x.endpoints.length, 0), 0);
    return { endpoints, cold: () => plan(doc), locked: () => plan(doc, first.lock) };
  });
  for (const mode of ["cold", "locked"] as const) {
    for (const s of sizes) s[mode](); // warm-up: JIT and caches, not measured
    const times = sizes.map(() => [] as number[]);
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const [small, large] = sizes.map((s, i) => {
        const t = timeOnce(s[mode]);
        times[i].push(t);
        return t;
      });
      ratios.push(large / small);
    }
    const label = mode === "cold" ? "without a lock" : "with a lock";
    sizes.forEach((s, i) => console.log(`  ${s.endpoints} endpoints ${label}: median ${median(times[i]).toFixed(1)} ms (${range(times[i], 1)})`));
    console.log(`  scaling ×2 endpoints ${label}: median ${median(ratios).toFixed(2)}× (${range(ratios, 2)}) (target: under 100 ms at 10,000, ≤ 2.2×)`);
  }
}

if (require.main === module) benchPlanner();
