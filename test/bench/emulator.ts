/**
 * Benchmark: the emulator's cost per HNS call as the host fills up. A host with 100 networks
 * and N endpoints already on it (N = 100 ... 50,000; the endpoints are written straight into
 * the state file, so filling a host costs nothing here), then rounds of: create an endpoint
 * on one network, get it, list that network's endpoints, delete it. Each operation is timed
 * on its own; min/median/max over the rounds. A store whose work grows with the host shows
 * up as create/get/delete times growing with N.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { formatMac, parseMac } from "../../provider/vocabulary/net/mac";

const NETWORKS = 100;
export const EMULATOR_SIZES = [100, 1_000, 10_000, 50_000];
const OPS = ["create", "get", "list", "delete"] as const;
type OpName = (typeof OPS)[number];

/** A state file holding NETWORKS networks made by the emulator and `endpoints` endpoints spread over them. */
async function filledHost(dir: string, endpoints: number): Promise<{ file: string; networks: string[] }> {
  const seed = new HnsEmulator(path.join(dir, "seed.json"));
  const networks: string[] = [];
  for (let i = 0; i < NETWORKS; i++) {
    const net = await seed.create("network", { Name: `net${i}`, Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: `10.${i}.0.0/16` }] }] });
    networks.push(net.ID!);
  }
  const state = await seed.snapshot();
  for (let j = 0; j < endpoints; j++) {
    const i = j % NETWORKS;
    const n = Math.floor(j / NETWORKS) + 2; // .0 is the network, .1 the gateway
    const net = state.objects.network[networks[i].toLowerCase()];
    const id = `${(0x10000000 + j).toString(16)}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    state.objects.endpoint[id] = {
      ID: id,
      Name: `ep${j}`,
      HostComputeNetwork: net.ID,
      IpConfigurations: [{ IpAddress: `10.${i}.${n >> 8}.${n & 255}`, PrefixLength: 16 }],
      Routes: [{ NextHop: `10.${i}.0.1`, DestinationPrefix: "0.0.0.0/0" }],
      MacAddress: formatMac(parseMac(net.MacPool!.Ranges![0].StartMacAddress)! + BigInt(n)),
      SchemaVersion: { Major: 2, Minor: 0 },
    };
  }
  const file = path.join(dir, "host.json");
  writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  return { file, networks };
}

const ms = (t: number) => performance.now() - t;

/** Times of each operation over `rounds` rounds on a host with `endpoints` endpoints. */
export async function timeEmulator(endpoints: number, rounds: number): Promise<{ times: Record<OpName, number[]>; loadMs: number; fileBytes: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-emulator-"));
  try {
    const { file, networks } = await filledHost(dir, endpoints);
    const fileBytes = statSync(file).size;
    const hns = new HnsEmulator(file);
    // A process's first call reads the file whole (parse, check, index); later calls do not.
    const t0 = performance.now();
    await hns.version();
    const loadMs = ms(t0);
    const times: Record<OpName, number[]> = { create: [], get: [], list: [], delete: [] };
    // Warm up: the first calls load the file (and may rewrite it once); not what is measured.
    for (let r = -3; r < rounds; r++) {
      const net = networks[(r + NETWORKS) % NETWORKS];
      let t = performance.now();
      const ep = await hns.create("endpoint", { Name: `bench${r}`, HostComputeNetwork: net });
      const create = ms(t);
      t = performance.now();
      await hns.get("endpoint", ep.ID!);
      const get = ms(t);
      t = performance.now();
      await hns.list("endpoint", { VirtualNetwork: net });
      const list = ms(t);
      t = performance.now();
      await hns.delete("endpoint", ep.ID!);
      const del = ms(t);
      if (r < 0) continue;
      times.create.push(create);
      times.get.push(get);
      times.list.push(list);
      times.delete.push(del);
    }
    return { times, loadMs, fileBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => {
  const s = sorted(xs);
  const f = (x: number) => x.toFixed(x < 10 ? 2 : 1);
  return `${f(s[0])}/${f(median(s))}/${f(s[s.length - 1])}`;
};

export async function benchEmulator(sizes = EMULATOR_SIZES, rounds = Number(process.env.BENCH_EMULATOR_ROUNDS ?? 30)): Promise<void> {
  console.log(`emulator: ms per call (min/median/max of ${rounds}) on one host with ${NETWORKS} networks and N endpoints`);
  console.log(`  ${"N".padStart(6)}  ${OPS.map((o) => o.padEnd(17)).join(" ")} first call (file)`);
  const medians = new Map<number, Record<OpName, number>>();
  for (const n of sizes) {
    const { times: t, loadMs, fileBytes } = await timeEmulator(n, rounds);
    medians.set(n, Object.fromEntries(OPS.map((o) => [o, median(t[o])])) as Record<OpName, number>);
    console.log(`  ${String(n).padStart(6)}  ${OPS.map((o) => range(t[o]).padEnd(17)).join(" ")} ${loadMs.toFixed(0)} ms (${(fileBytes / 2 ** 20).toFixed(1)} MiB)`);
  }
  const base = medians.get(sizes[0])!;
  for (const n of sizes.slice(1)) {
    const m = medians.get(n)!;
    console.log(`  median at ${n} / at ${sizes[0]}: ${OPS.map((o) => `${o} ${(m[o] / base[o]).toFixed(2)}x`).join("  ")}`);
  }
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  benchEmulator(sizes.length ? sizes : undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
