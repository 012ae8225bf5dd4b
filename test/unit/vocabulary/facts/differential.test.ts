/**
 * Differential test: generated single-network topologies across the HNS presets, judged by the
 * planner and executed by the emulator, must get the same verdict (./verdicts.ts). 2,000 runs
 * here; `npm run test:differential` runs 100,000 (HNS_DIFF_RUNS).
 */
import fc from "fast-check";
import { NETWORK_TYPES } from "../../../../provider/vocabulary/facts";
import { HNS_VERSION_PRESETS } from "../../../../provider/vocabulary/features";
import type { TopologyInput } from "../../../../provider/planner/topology";
import { tempDir } from "../../../helpers/tmp";
import { checkVerdict, disagreement, emulatorVerdict, plannerVerdict } from "./verdicts";

const RUNS = Number(process.env.HNS_DIFF_RUNS ?? 2000);
const tmp = tempDir("hns-diff-");
afterAll(() => tmp.cleanup());

const isolation = fc.oneof(
  fc.constant({}),
  fc.constantFrom(0, 1, 11, 4094, 4095).map((vlan) => ({ vlan })),
  fc.constantFrom(4000, 4096, 5000).map((vsid) => ({ vsid })),
);

export const networkArb = fc
  .record({
    preset: fc.constantFrom(...Object.keys(HNS_VERSION_PRESETS)),
    type: fc.constantFrom(...NETWORK_TYPES),
    v4: fc.integer({ min: 0, max: 2 }),
    v6: fc.integer({ min: 0, max: 2 }),
    subnetIsolation: isolation,
    networkVlan: fc.option(fc.constantFrom(0, 7, 11, 4095), { nil: undefined }),
    endpoints: fc.integer({ min: 0, max: 2 }),
    ports: fc.constantFrom("none", "one", "clash"),
    // What raw HCN policies and declared gateways can add (issue 10: they once bypassed the rules).
    prefixLength: fc.constantFrom(24, 24, 30, 31),
    gateway: fc.constantFrom("default", "first", "network", "broadcast"),
    raw: fc.constantFrom("none", "none", "encryption", "port-zero", "no-external"),
  })
  .map((g): TopologyInput => {
    const gateway = (third: number) =>
      g.gateway === "first" ? { gateway: `10.${third}.0.1` } : g.gateway === "network" ? { gateway: `10.${third}.0.0` } : g.gateway === "broadcast" ? { gateway: `10.${third}.0.${(1 << (32 - g.prefixLength)) - 1}` } : {};
    const subnets = [
      ...[1, 2].slice(0, g.v4).map((third) => ({ prefix: `10.${third}.0.0/${g.prefixLength}`, ...gateway(third) })),
      ...["fd00:1::/64", "fd00:2::/64"].slice(0, g.v6).map((prefix) => ({ prefix })),
    ].map((s) => ({ ...s, ...g.subnetIsolation }));
    const raw =
      g.raw === "encryption"
        ? [{ Type: "Encryption", Settings: {} }]
        : g.raw === "port-zero"
          ? [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 0, ExternalPort: 9090 } }]
          : g.raw === "no-external"
            ? [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80 } }]
            : [];
    const endpoints = Array.from({ length: g.endpoints }, (_, i) => ({
      name: `ep${i}`,
      ...(g.ports === "clash" || (g.ports === "one" && i === 0) ? { ports: [{ internalPort: 80, externalPort: 8080 }] } : {}),
      ...(i === 0 && raw.length ? { policies: raw } : {}),
    }));
    return {
      hosts: [
        {
          name: "h",
          hnsVersion: g.preset,
          networks: [
            {
              name: "n",
              type: g.type,
              ...(subnets.length ? { subnets } : {}),
              ...(g.networkVlan !== undefined ? { vlan: g.networkVlan } : {}),
              ...(endpoints.length ? { endpoints } : {}),
            },
          ],
        },
      ],
    } as TopologyInput;
  });

test(`planner, check and emulator agree on ${RUNS} generated networks, endpoints and raw policies`, async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(networkArb, async (topology) => {
      const emulator = await emulatorVerdict(topology, tmp.dir, ++n);
      const why = disagreement(plannerVerdict(topology), emulator);
      if (why) throw new Error(`${why}\n${JSON.stringify(topology)}`);
      // Plain resources judged by check get the same verdict as the topology judged by the planner.
      const byCheck = disagreement(await checkVerdict(topology), emulator);
      if (byCheck) throw new Error(`check: ${byCheck}\n${JSON.stringify(topology)}`);
    }),
    { numRuns: RUNS, seed: process.env.HNS_DIFF_SEED ? Number(process.env.HNS_DIFF_SEED) : undefined },
  );
  // Each case creates an emulator host on disk: allow about 50 ms a case on a loaded machine.
}, Math.max(600_000, RUNS * 50));
