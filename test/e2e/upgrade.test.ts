/**
 * Upgrade: state written by an earlier build of the package must still refresh, preview clean
 * and destroy with this build. The fixture is a stack export and the matching emulator state
 * written by pulumi-hns 0.1.0 (regenerate for a new baseline with UPDATE_UPGRADE_FIXTURE=1).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as hns from "../../sdk";
import { capture, newHarness, type Harness } from "./harness";

jest.setTimeout(300_000);

const FIXTURES = path.join(__dirname, "fixtures", "upgrade-0.1.0");
const program = async () => {
  const host = { kind: "emulator" as const, name: "h1" };
  const net = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] });
  const a = new hns.Endpoint("pod-a", { host, network: net.networkId, ipAddress: "10.244.1.10" });
  new hns.Policy("svc", { kind: "loadBalancer", host, endpoints: [a.endpointId], portMappings: [{ internalPort: 8080, externalPort: 80 }] });
};

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

test("a stack written by 0.1.0 refreshes, previews without changes (no ~__provider), takes the short provider text on up, and destroys", async () => {
  h = await newHarness(program, "hns-upgrade");
  const hostFile = path.join(h.dir, "hns", "h1.json");
  if (process.env.UPDATE_UPGRADE_FIXTURE) {
    await h.stack.up(capture(h));
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(path.join(FIXTURES, "stack.json"), JSON.stringify(await h.stack.exportStack(), null, 1));
    writeFileSync(path.join(FIXTURES, "host.json"), readFileSync(hostFile));
    await h.stack.destroy();
    return;
  }
  expect(existsSync(path.join(FIXTURES, "stack.json"))).toBe(true);
  mkdirSync(path.dirname(hostFile), { recursive: true });
  writeFileSync(hostFile, readFileSync(path.join(FIXTURES, "host.json")));
  await h.stack.importStack(JSON.parse(readFileSync(path.join(FIXTURES, "stack.json"), "utf8")));

  const refreshed = await h.stack.refresh(capture(h));
  expect(refreshed.summary.result).toBe("succeeded");
  expect(refreshed.summary.resourceChanges).not.toHaveProperty("delete");
  const pre = await h.stack.preview({ diff: true });
  expect(pre.changeSummary).toEqual({ same: 4 });
  expect(pre.stdout).not.toContain("__provider");
  // The next up changes nothing on the host but stores this release's one-line provider text
  // in the inputs (outputs keep the old text until the resource next updates; both load the same code).
  const up = await h.stack.up(capture(h));
  expect(up.summary.resourceChanges).toEqual({ same: 4 });
  const hnsResources = ((await h.stack.exportStack()).deployment.resources as { type: string; inputs: { __provider?: string } }[]).filter((r) => r.type.includes("dynamic/hns"));
  expect(hnsResources).toHaveLength(3);
  for (const r of hnsResources) expect(r.inputs.__provider!.length).toBeLessThan(200);
  const destroyed = await h.stack.destroy(capture(h));
  expect(destroyed.summary.result).toBe("succeeded");
  const host = h.host();
  expect([...(await host.list("network")), ...(await host.list("endpoint")), ...(await host.list("loadBalancer"))]).toEqual([]);
});
