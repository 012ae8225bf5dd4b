/**
 * Benchmark: one topology of H emulated hosts x E endpoints deployed as one stack, then as 10
 * stacks through the Automation API (provider/fleet, what `hns-plan fleet` runs), K at a time:
 * wall time of the up and of one reconcile cycle (a refresh of every stack, nothing drifted), the
 * peak of the summed resident memory of this process and everything it started (the pulumi
 * engines, their language and provider processes; sampled from /proc), and the most PowerShell
 * processes alive at once. The hosts are emulated, so that count is 0 by construction: the
 * emulator answers in the provider process (the transport's own figures are in transport.ts).
 *
 * `npm run bench` runs 20 hosts x 10 endpoints; HNS_BENCH_FLEET=100x50 runs the issue's size
 * (the one-stack layout alone took over 15 minutes for a third of it on a loaded 2-core machine),
 * HNS_BENCH_FLEET_STACKS the layouts (default "1,10": one stack, then 10) and
 * HNS_BENCH_FLEET_CONCURRENCY K (default 4, the CLI's).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { fleetOperation } from "../../provider/fleet/operation";
import { reconcile } from "../../provider/fleet/reconcile";
import { splitFleet } from "../../provider/fleet/split";
import { fleetStacks } from "../../provider/fleet/stacks";
import { plan } from "../../provider/planner/plan";
import { Topology as TopologySchema } from "../../provider/planner/topology";
import { writeLock } from "../../provider/topology-files";
import { engineEnv } from "../helpers/engine-env";

function topology(hosts: number, endpoints: number) {
  return TopologySchema.parse({
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: `node-${i + 1}`,
      networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: `10.${Math.floor(i / 250)}.${i % 250}.0/24` }], endpoints: Array.from({ length: endpoints }, (_, e) => ({ name: `ep${e}` })) }],
    })),
  });
}

interface Tree {
  rssBytes: number;
  processes: number;
  powershell: number;
}

/** This process and its descendants, from /proc: summed RSS, how many, how many are PowerShell. */
function processTree(): Tree {
  const page = 4096;
  const rows = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        const fields = stat.slice(close + 2).split(" ");
        return [{ pid: Number(pid), comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(fields[1]), rss: Number(fields[21]) * page }];
      } catch {
        return []; // gone between the listing and the read
      }
    });
  const mine = new Set([process.pid]);
  for (let before = 0; before !== mine.size; ) {
    before = mine.size;
    for (const r of rows) if (mine.has(r.ppid)) mine.add(r.pid);
  }
  const tree = rows.filter((r) => mine.has(r.pid));
  return { rssBytes: tree.reduce((n, r) => n + r.rss, 0), processes: tree.length, powershell: tree.filter((r) => /^(pwsh|powershell)/i.test(r.comm)).length };
}

/** Samples the tree every 200 ms while `work` runs; the peaks. */
async function sampled<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peak: Tree }> {
  const peak: Tree = { rssBytes: 0, processes: 0, powershell: 0 };
  const sample = () => {
    const t = processTree();
    peak.rssBytes = Math.max(peak.rssBytes, t.rssBytes);
    peak.processes = Math.max(peak.processes, t.processes);
    peak.powershell = Math.max(peak.powershell, t.powershell);
  };
  const timer = setInterval(sample, 200);
  const t0 = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - t0) / 1000, peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

async function deployAs(label: string, bin: string, doc: ReturnType<typeof topology>, hostsPerStack: number, concurrency: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-fleet-${label}-`));
  // As the CLI does: the lock written once, before any stack, which then only read it.
  const lockFile = path.join(dir, "hns.lock.json");
  writeLock(lockFile, plan(doc).lock);
  const spec = { project: "bench-fleet", fleet: "bench", name: "topology", topology: doc, lockFile, emulator: true, frozenLock: true };
  const stacks = fleetStacks(spec, { pulumiCommand: await PulumiCommand.get({ root: path.dirname(bin) }), envVars: engineEnv(dir, [bin], { passphrase: "bench" }) });
  const groups = splitFleet(doc, { hostsPerStack }, "bench");
  try {
    const up = await sampled(() => fleetOperation(groups, "up", stacks, { concurrency }));
    const failed = up.result.stacks.filter((o) => o.result !== "succeeded");
    if (failed.length) throw new Error(`${label}: ${failed.map((o) => `${o.stack} ${o.error}`).join("; ")}`);
    const cycle = await sampled(() => reconcile(groups, stacks, { concurrency, intervalSeconds: 1, once: true }));
    if (cycle.result?.healed.length) throw new Error(`${label}: a reconcile right after up found drift`);
    return { stacks: groups.length, up, cycle };
  } finally {
    stacks.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchFleet(bin: string): Promise<void> {
  const [hosts, endpoints] = (process.env.HNS_BENCH_FLEET ?? "20x10").split("x").map(Number);
  const layouts = (process.env.HNS_BENCH_FLEET_STACKS ?? "1,10").split(",").map(Number);
  const concurrency = Number(process.env.HNS_BENCH_FLEET_CONCURRENCY ?? 4);
  const doc = topology(hosts, endpoints);
  console.log(`fleet: ${hosts} emulated hosts x ${endpoints} endpoints (${hosts * (endpoints + 1)} resources) as ${layouts.join(" vs ")} stacks, ${concurrency} at a time, on ${os.availableParallelism()} cores (Automation API, file backend)`);
  for (const stacks of layouts) {
    const label = `${stacks} stack${stacks === 1 ? "" : "s"}`;
    const r = await deployAs(label.replace(" ", "-"), bin, doc, Math.ceil(hosts / stacks), concurrency);
    const mb = (t: Tree) => `${Math.round(t.rssBytes / 2 ** 20)} MB in ${t.processes} processes`;
    console.log(
      `  ${label.padEnd(10)} up ${r.up.seconds.toFixed(1)} s (peak ${mb(r.up.peak)}, PowerShell ${r.up.peak.powershell})` +
        `   reconcile cycle ${r.cycle.seconds.toFixed(1)} s (peak ${mb(r.cycle.peak)})`,
    );
  }
}

// `ts-node test/bench/fleet.ts` (the CLI from PULUMI_HNS_BIN or the setup script's cache; sizes from the variables above).
if (require.main === module) {
  const bin = process.env.PULUMI_HNS_BIN ?? path.join(os.homedir(), ".cache", "pulumi-hns", "pulumi-v3.248.0", "bin");
  benchFleet(bin).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
