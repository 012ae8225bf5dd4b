/**
 * Benchmark: the PowerShell transport (node-powershell + the pwsh double, which answers from
 * the emulator) against the emulator called directly, in this process, same operations; and
 * how many shells a 200-resource deployment on 3 hosts starts (the target is one per host).
 * The double's own cost (a Node process parsing base64 JSON) stands in for pwsh's, so the
 * ratio is the transport's overhead here, not a prediction for a real Windows host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { HnsClient } from "../../provider/hosts/client";
import { disconnectAll } from "../../provider/hosts/connect";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { PowerShellClient } from "../../provider/hosts/powershell";
import { EndpointProvider } from "../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../provider/resources/network/controller";
import { PwshDouble } from "../doubles/double";

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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchTransport().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
