/**
 * Check benchmark (issue 21, bounded work): `check` of a load balancer over N backends, an SDN
 * route of N routes, an endpoint with N raw ACL policies and a network with N raw policies, at
 * N = 10,000 and 20,000, interleaved round by round. Prints each one's median and range and the
 * median of the rounds' own 20k/10k ratios (about 2 when check is linear; 4 would be quadratic).
 *
 * Then a whole program checked resource by resource on one host, as the engine checks it (issue
 * 24: each check judges the resource with those checked before it, provider/judge/program.ts):
 * N/10 NAT networks and N endpoints with a published port each, N = 500 and 1,000. Each check
 * plans the host's declarations so far, so the total is quadratic by design; the figure says
 * what that costs beside the engine's own time for the same program (test/bench/engine.ts).
 */
import { performance } from "node:perf_hooks";
import { providers } from "../../provider";
import { forgetProgram } from "../../provider/judge/program";

const host = { kind: "emulator", name: "bench", stateDir: "/nonexistent/bench-check-never-writes" };
const guid = (i: number) => `4f2a6c1e-0b1d-4c3e-9f00-${i.toString(16).padStart(12, "0")}`;

const INPUTS: Record<string, { kind: keyof typeof providers; args: (n: number) => Record<string, unknown> }> = {
  "load balancer, N backends": {
    kind: "policy",
    args: (n) => ({ kind: "loadBalancer", host, endpoints: Array.from({ length: n }, (_, i) => guid(i)), frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 80, externalPort: 80 }] }),
  },
  "SDN route, N routes": {
    kind: "policy",
    args: (n) => ({ kind: "route", host, endpoints: [guid(1)], routes: Array.from({ length: n }, (_, i) => ({ destinationPrefix: `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`, nextHop: "192.168.0.1" })) }),
  },
  "endpoint, N raw ACLs": {
    kind: "endpoint",
    args: (n) => ({ host, network: guid(0), name: "e", policies: Array.from({ length: n }, (_, i) => ({ Type: "ACL", Settings: { Action: "Allow", Direction: i % 2 ? "In" : "Out", Priority: i % 60000, Protocols: "6", LocalPorts: String(1 + (i % 60000)) } })) }),
  },
  "network, N raw policies": {
    kind: "network",
    args: (n) => ({ host, name: "n", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }], policies: Array.from({ length: n }, (_, i) => ({ Type: "NetworkACL", Settings: { Action: "Allow", Direction: "In", Priority: i % 60000 } })) }),
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

export async function benchCheck(rounds = Number(process.env.BENCH_CHECK_ROUNDS ?? 9)): Promise<void> {
  console.log(`\n## check at 10,000 and 20,000 (${rounds} rounds, interleaved)`);
  for (const [name, { kind, args }] of Object.entries(INPUTS)) {
    const small = args(10_000);
    const large = args(20_000);
    const t10: number[] = [];
    const t20: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const [input, times] of [[small, t10], [large, t20]] as const) {
        const t0 = performance.now();
        const result = await providers[kind].check({}, input);
        times.push(performance.now() - t0);
        if (result.failures) throw new Error(`${name}: a valid input was refused: ${JSON.stringify(result.failures.slice(0, 2))}`);
      }
    }
    const ratios = t10.map((t, i) => t20[i] / t);
    console.log(`${name}: 10k median ${median(t10).toFixed(0)} ms (${range(t10)}), 20k median ${median(t20).toFixed(0)} ms (${range(t20)}), 20k/10k ratio median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
  }
  await benchProgram();
}

/** A program of n endpoints on n/10 NAT networks of one host, in the engine's order: each network, then its endpoints. */
function program(n: number): [keyof typeof providers, Record<string, unknown>][] {
  const out: [keyof typeof providers, Record<string, unknown>][] = [];
  const networks = Math.max(1, Math.floor(n / 10));
  for (let k = 0; k < networks; k++) {
    const prefix = `10.${k >> 8}.${k & 255}.0/24`;
    out.push(["network", { host, name: `net${k}`, type: "nat", subnets: [{ prefix }], __seed: `bench/dev/Network/net${k}` }]);
    for (let i = k; i < n; i += networks) {
      out.push([
        "endpoint",
        {
          host,
          network: guid(k),
          name: `ep${i}`,
          policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 1024 + i } }],
          __network: { type: "nat", subnets: [{ prefix }], name: `net${k}` },
          __seed: `bench/dev/Endpoint/ep${i}`,
        },
      ]);
    }
  }
  return out;
}

export async function benchProgram(rounds = Number(process.env.BENCH_CHECK_ROUNDS ?? 5)): Promise<void> {
  console.log(`\n## a program checked together on one host (${rounds} rounds, interleaved)`);
  const [small, large] = [program(500), program(1000)];
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (const [i, resources] of [small, large].entries()) {
      forgetProgram();
      const t0 = performance.now();
      for (const [kind, args] of resources) {
        const result = await providers[kind].check({}, args);
        if (result.failures) throw new Error(`${String(args.name)}: a valid resource was refused: ${JSON.stringify(result.failures.slice(0, 2))}`);
      }
      times[i].push(performance.now() - t0);
    }
  }
  const ratios = times[0].map((t, i) => times[1][i] / t);
  console.log(`550 resources: median ${median(times[0]).toFixed(0)} ms (${range(times[0])}); 1,100 resources: median ${median(times[1]).toFixed(0)} ms (${range(times[1])}); 1,100/550 ratio median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
}

if (require.main === module) benchCheck().catch((e) => { console.error(e); process.exit(1); });
