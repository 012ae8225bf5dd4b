/**
 * Benchmark: `pulumi up` (and a no-change preview) of N resources through the real engine,
 * pulumi-hns against the emulator vs the same shape of stack through a no-op dynamic
 * provider, the engine's own floor. Both run in this process, one after the other.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv } from "../helpers/engine-env";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as hns from "../../sdk";

/**
 * The floor: the very same program and inputs, but the provider shim resolves
 * `pulumi-hns/provider` (from the provider process's directory) to a no-op implementation
 * that echoes its inputs. Only what the provider does differs between the two runs.
 */
function noopProjectDir(root: string): string {
  const dir = path.join(root, "noop-project");
  const pkg = path.join(dir, "node_modules", "pulumi-hns");
  mkdirSync(pkg, { recursive: true });
  symlinkSync(path.resolve(__dirname, "../../node_modules/@pulumi"), path.join(dir, "node_modules", "@pulumi"));
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "pulumi-hns", exports: { "./provider": "./provider.js" } }));
  writeFileSync(
    path.join(pkg, "provider.js"),
    `// Echoes its inputs, plus the ID output later resources read (networkId...), so the program's
// data flow and dependency order are those of pulumi-hns.
const noop = (idOutput) => ({
  async check(_olds, news) { return { inputs: news }; },
  async diff() { return { changes: false }; },
  async create(inputs) { const id = require("node:crypto").randomUUID(); return { id, outs: { ...inputs, [idOutput]: id } }; },
  async read(id, props) { return { id, props }; },
  async update(_id, _olds, news) { return { outs: news }; },
  async delete() {},
});
exports.providers = { network: noop("networkId"), endpoint: noop("endpointId"), policy: noop("hnsId"), namespace: noop("namespaceId") };
`,
  );
  return dir;
}

/** n resources: one network per 50, endpoints on them. */
function program(n: number): pulumi.automation.PulumiFn {
  return async () => {
    const host = { kind: "emulator" as const, name: "bench" };
    const nets: hns.Network[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 50 === 0) {
        nets.push(new hns.Network(`net${i / 50}`, { host, type: "l2bridge", subnets: [{ prefix: `10.${i / 50}.0.0/16` }] }));
      } else {
        new hns.Endpoint(`ep${i}`, { host, network: nets[nets.length - 1].networkId });
      }
    }
  };
}

async function timeStack(label: string, n: number, noop: boolean, bin: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
  try {
    const main = noop ? noopProjectDir(dir) : process.cwd();
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: `bench-${label}`, stackName: "bench", program: program(n) },
      {
        projectSettings: { name: `bench-${label}`, runtime: "nodejs", main },
        pulumiCommand: await PulumiCommand.get({ root: path.dirname(bin) }),
        envVars: engineEnv(dir, [bin], { passphrase: "bench" }),
      },
    );
    let t = performance.now();
    const up = await stack.up();
    const upMs = performance.now() - t;
    if (up.summary.result !== "succeeded") throw new Error(`${label}: up ${up.summary.result}`);
    const bytes = checkpointBytes(path.join(dir, "state", ".pulumi", "stacks", `bench-${label}`, "bench.json"));
    t = performance.now();
    await stack.preview();
    const previewMs = performance.now() - t;
    await stack.destroy();
    return { upMs, previewMs, ...bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the file backend rewrites on every step: the checkpoint's size per resource, and the
 * median size of one endpoint's entry in it (URN, inputs, outputs, dependencies, the engine's own
 * fields), as the backend writes it.
 */
function checkpointBytes(file: string): { fileBytes: number; resources: number; endpointBytes: number } {
  const text = readFileSync(file, "utf8");
  const resources = JSON.parse(text).checkpoint.latest.resources as { type: string }[];
  const endpoints = resources.filter((r) => r.type.endsWith(":Endpoint")).map((r) => JSON.stringify(r).length);
  return { fileBytes: Buffer.byteLength(text), resources: resources.length, endpointBytes: median(endpoints) };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];

/**
 * Pairs alternate pulumi-hns and the floor, so drift in machine load hits both; each pair
 * gives a ratio, and the spread of those ratios (min/median/max) is the noise.
 */
export async function benchEngine(bin: string, sizes = [200, 1000], rounds = Number(process.env.BENCH_ROUNDS ?? 3)): Promise<void> {
  console.log(`engine: pulumi up / no-change preview, pulumi-hns (emulator) vs the same program on a no-op provider; ${rounds} interleaved pairs, ratio min/median/max`);
  for (const n of sizes) {
    const pairs: { ours: Awaited<ReturnType<typeof timeStack>>; floor: Awaited<ReturnType<typeof timeStack>> }[] = [];
    for (let i = 0; i < rounds; i++) {
      const ours = await timeStack(`hns${n}`, n, false, bin);
      const floor = await timeStack(`noop${n}`, n, true, bin);
      pairs.push({ ours, floor });
    }
    const seconds = (xs: number[]) => (median(xs) / 1000).toFixed(2);
    const line = (k: "upMs" | "previewMs") => {
      const r = sorted(pairs.map((p) => p.ours[k] / p.floor[k]));
      return `${seconds(pairs.map((p) => p.ours[k]))}s vs ${seconds(pairs.map((p) => p.floor[k]))}s  ratio ${[r[0], median(r), r[r.length - 1]].map((x) => x.toFixed(2)).join("/")}`;
    };
    console.log(`  ${String(n).padStart(4)} resources  up: ${line("upMs")}   preview: ${line("previewMs")}`);
    const { ours, floor } = pairs[0];
    const perResource = (x: typeof ours) => Math.round(x.fileBytes / x.resources);
    console.log(`             checkpoint: ${perResource(ours)} bytes per resource (floor ${perResource(floor)}), an endpoint's entry ${ours.endpointBytes} bytes (floor ${floor.endpointBytes})`);
  }
}

// `ts-node test/bench/engine.ts [sizes...]` (BENCH_ROUNDS pairs each; the CLI from PULUMI_HNS_BIN or the setup script's cache).
if (require.main === module) {
  const bin = process.env.PULUMI_HNS_BIN ?? path.join(os.homedir(), ".cache", "pulumi-hns", "pulumi-v3.248.0", "bin");
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  benchEngine(bin, sizes.length ? sizes : undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
