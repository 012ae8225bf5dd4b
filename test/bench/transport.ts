/**
 * Benchmark: the PowerShell transport (node-powershell + the pwsh double, which answers from
 * the emulator) against the emulator called directly, in this process, same operations; how
 * many shells a 200-resource deployment on 3 hosts starts (the target is one per host); and
 * the session pool: many hosts at once through a pool of the default size, with the most
 * PowerShell processes alive at once (counted by the double's processes themselves) and this
 * process's peak RSS. The double's own cost (a Node process parsing base64 JSON) stands in
 * for pwsh's, so the figures are the transport's here, not a prediction for a real Windows host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { HnsClient } from "../../provider/hosts/client";
import { disconnectAll } from "../../provider/hosts/connect";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { PowerShellClient, SessionPool } from "../../provider/hosts/powershell";
import { sessionLimits } from "../../provider/hosts/powershell/session-limits";
import { EndpointProvider } from "../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../provider/resources/network/controller";
import { PwshDouble } from "../doubles/double";
import { CountedDouble } from "../unit/hosts/powershell/process-count";

/** One round: a network, `n` endpoints on it, a get and a list per endpoint, then deletes. Returns operations done. */
async function workload(client: HnsClient, n: number, round: number): Promise<number> {
  const net = await client.create("network", {
    Name: `bench-${round}`,
    Type: "L2Bridge",
    Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: `10.${round % 250}.0.0/16`, Routes: [{ NextHop: `10.${round % 250}.0.1`, DestinationPrefix: "0.0.0.0/0" }] }] }],
  });
  let ops = 1;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await client.create("endpoint", { Name: `ep${i}`, HostComputeNetwork: net.ID })).ID!);
    await client.get("endpoint", ids[i]);
    await client.list("endpoint", { VirtualNetwork: net.ID! });
    ops += 3;
  }
  for (const id of ids) await client.delete("endpoint", id);
  await client.delete("network", net.ID!);
  return ops + ids.length + 1;
}

async function opsPerSecond(client: HnsClient, rounds: number, n: number): Promise<number> {
  await workload(client, 2, 999); // warm up: session open, agent loaded, caches filled
  const t = performance.now();
  let ops = 0;
  for (let r = 0; r < rounds; r++) ops += await workload(client, n, r);
  return ops / ((performance.now() - t) / 1000);
}

/** 200 resources on 3 hosts through the providers, as the engine would drive them (in this process). */
async function deploy(dbl: PwshDouble, resources: number, hosts: number): Promise<number> {
  const networks = new NetworkProvider();
  const endpoints = new EndpointProvider();
  const before = dbl.spawns().length;
  const perHost = Math.floor(resources / hosts);
  await Promise.all(
    Array.from({ length: hosts }, async (_, h) => {
      const host = { kind: "local", name: `bench-host${h}`, executable: dbl.executable };
      const net = await networks.create((await networks.check({}, { host, name: "pods", type: "l2bridge", subnets: [{ prefix: "10.250.0.0/16" }] })).inputs);
      const count = perHost - 1 + (h < resources - perHost * hosts ? 1 : 0);
      // The engine runs creates in parallel; the session serialises them on one shell.
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const args = (await endpoints.check({}, { host, network: net.id, name: `ep${i}`, __seed: `bench/${h}/${i}` })).inputs;
          await endpoints.create(args);
        }),
      );
    }),
  );
  const started = dbl.spawns().length - before;
  await disconnectAll();
  return started;
}

export async function benchTransport(rounds = Number(process.env.BENCH_ROUNDS ?? 3), n = 20): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-transport-"));
  try {
    const dbl = new PwshDouble(path.join(dir, "double"));
    const direct = await opsPerSecond(new HnsEmulator(path.join(dir, "direct.json")), rounds, n);
    const ps = new PowerShellClient({ kind: "local", name: "bench", executable: dbl.executable });
    const through = await opsPerSecond(ps, rounds, n);
    await ps.close();
    console.log(`transport: HNS operations/s through node-powershell + pwsh double vs the emulator directly (${rounds} rounds of ${4 * n + 2} ops)`);
    console.log(`  ${through.toFixed(0)} ops/s vs ${direct.toFixed(0)} ops/s  ratio ${(direct / through).toFixed(2)}x slower`);
    const shells = await deploy(dbl, 200, 3);
    console.log(`  200 resources on 3 hosts: ${shells} shell process${shells === 1 ? "" : "es"} started (target 3)`);
    await benchPool(path.join(dir, "pool"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One host's calls, one after another as one resource's operations are: version, create, list, get, delete. */
async function hostCalls(client: HnsClient, n: number): Promise<void> {
  await client.version();
  const net = await client.create("network", { Name: "pool-bench", Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: `10.${n % 250}.0.0/24` }] }] });
  await client.list("network");
  await client.get("network", net.ID!);
  await client.delete("network", net.ID!);
}

const UNCAPPED_HOSTS = 10;

interface PoolRun {
  hosts: number;
  size: number;
  peakProcesses: number;
  started: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

/** `hosts` hosts, all at once, through a pool of `size`; RSS sampled every 5 ms and after every host. */
async function poolRun(c: CountedDouble, round: number, hosts: number, size: number, idleMs: number): Promise<PoolRun> {
  (global as { gc?: () => void }).gc?.();
  c.reset();
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const rssBeforeMb = mb();
  let peakRssMb = rssBeforeMb;
  const sample = () => (peakRssMb = Math.max(peakRssMb, mb()));
  const sampler = setInterval(sample, 5);
  const pool = new SessionPool(size, idleMs);
  const clients = Array.from({ length: hosts }, (_, h) => new PowerShellClient({ kind: "local", name: `pool${round}-${h}`, executable: c.executable }, { pool }));
  try {
    await Promise.all(clients.map((client, h) => hostCalls(client, h).then(sample)));
  } finally {
    clearInterval(sampler);
    await Promise.all(clients.map((x) => x.close()));
  }
  return { hosts, size, peakProcesses: c.peak(), started: c.started(), rssBeforeMb, peakRssMb };
}

/**
 * The pool at 10, 100 and 500 hosts (BENCH_POOL_HOSTS), BENCH_POOL_REPEATS times, the order of
 * sizes reversed on every other repeat so that warm-up and memory left by one size do not always
 * land on the same next one. Then, for comparison, the uncapped way (one process per host) at
 * UNCAPPED_HOSTS hosts at most: hundreds of double processes (about 65 MB each) would not fit a
 * shared machine.
 */
export async function benchPool(dir: string): Promise<PoolRun[]> {
  const sizes = (process.env.BENCH_POOL_HOSTS ?? "10,100,500").split(",").map(Number).filter((n) => n > 0);
  const repeats = Number(process.env.BENCH_POOL_REPEATS ?? 1);
  const limits = sessionLimits();
  const c = new CountedDouble(dir);
  const runs: PoolRun[] = [];
  let round = 0;
  for (let r = 0; r < repeats; r++) {
    for (const hosts of r % 2 === 0 ? sizes : [...sizes].reverse()) runs.push(await poolRun(c, ++round, hosts, limits.maxSessions, limits.idleSeconds * 1000));
  }
  // One process per host, as before the pool: never more than UNCAPPED_HOSTS of them on a shared machine.
  const few = Math.min(Math.min(...sizes), UNCAPPED_HOSTS);
  const uncapped = await poolRun(c, ++round, few, few, limits.idleSeconds * 1000);
  console.log(`transport: session pool of ${limits.maxSessions} (idle ${limits.idleSeconds} s), 5 calls per host, all hosts at once, ${repeats} repeat(s)`);
  for (const hosts of sizes) {
    const mine = runs.filter((x) => x.hosts === hosts);
    const range = (f: (x: PoolRun) => number, digits = 0) => {
      const v = mine.map(f);
      const [lo, hi] = [Math.min(...v).toFixed(digits), Math.max(...v).toFixed(digits)];
      return lo === hi ? lo : `${lo}-${hi}`;
    };
    console.log(`  ${String(hosts).padStart(4)} hosts: peak ${range((x) => x.peakProcesses)} PowerShell processes (pool ${limits.maxSessions}), ${range((x) => x.started)} started, peak RSS ${range((x) => x.peakRssMb)} MB (+${range((x) => x.peakRssMb - x.rssBeforeMb, 1)} MB over the run's start)`);
  }
  const [lo, hi] = [Math.min(...sizes), Math.max(...sizes)];
  if (hi > lo) {
    const perHost = (pick: (v: number[]) => number) => {
      const peak = (n: number) => pick(runs.filter((x) => x.hosts === n).map((x) => x.peakRssMb - x.rssBeforeMb));
      return ((peak(hi) - peak(lo)) / (hi - lo)) * 1024;
    };
    console.log(`  RSS growth per host from ${lo} to ${hi} hosts: ${perHost((v) => Math.min(...v)).toFixed(0)}-${perHost((v) => Math.max(...v)).toFixed(0)} KB (min-to-min, max-to-max)`);
  }
  console.log(`  uncapped, ${uncapped.hosts} hosts: peak ${uncapped.peakProcesses} processes, peak RSS ${uncapped.peakRssMb.toFixed(0)} MB (+${(uncapped.peakRssMb - uncapped.rssBeforeMb).toFixed(1)} MB)`);
  return runs;
}

if (require.main === module) {
  benchTransport().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
