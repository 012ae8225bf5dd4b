/**
 * The shipped policy pack through the real engine (issue 24, item 4): `pulumi preview
 * --policy-pack dist/policy-pack` with PULUMI_HNS_CROSS_RESOURCE=policy-pack reports every
 * cross-resource mistake of a program of plain resources in ONE preview, each on its resource
 * with the rule id, the field and the fix; a clean program previews clean with the pack; and a
 * Pulumi YAML program (native plugin) gets its clash reported by the same pack. The pack runs
 * through this repository's Node.js language host (RunPlugin), so `npm run build` first.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as hns from "../../sdk";
import { CROSS_RESOURCE_ENV } from "../../provider/judge/program";
import { PACK_DIR } from "../../provider/policy-pack/name";
import { capture, newHarness, type Harness } from "./harness";
import { newYamlStack } from "./yaml-stack";

jest.setTimeout(300_000);

const PACK = path.resolve(__dirname, "../..", PACK_DIR);

beforeAll(() => {
  if (!existsSync(path.join(PACK, "PulumiPolicy.yaml"))) throw new Error(`${PACK} is missing: run npm run build before the e2e tests`);
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const port = (external: number) => [{ Type: "PortMapping" as const, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: external } }];

/**
 * Plain resources the README's way (endpoints name their network by `web.networkId`). With
 * `mistakes`: overlapping NAT prefixes on one host, one host port on two endpoints, and one
 * network name given twice; without, the same program clean.
 */
function program(mistakes: boolean): pulumi.automation.PulumiFn {
  return async () => {
    const host = hns.emulatorHost("h1");
    const web = new hns.Network("web", { host, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
    const api = new hns.Network("api", { host, type: "nat", subnets: [{ prefix: mistakes ? "172.20.0.0/16" : "172.21.0.0/24" }] });
    new hns.Network("lan1", { host, type: "l2bridge", name: "lan", subnets: [{ prefix: "10.1.0.0/24" }] });
    new hns.Network("lan2", { host, type: "l2bridge", name: mistakes ? "lan" : "lan-b", subnets: [{ prefix: "10.2.0.0/24" }] });
    new hns.Endpoint("a", { host, network: web.networkId, policies: port(8080) });
    new hns.Endpoint("b", { host, network: api.networkId, policies: port(mistakes ? 8080 : 8081) });
  };
}

/** Runs a preview: whether it passed, and what the CLI printed (once: the error repeats it). */
async function previewWithPack(run: () => Promise<unknown>, log: string[]): Promise<{ ok: boolean; log: string }> {
  try {
    await run();
    return { ok: true, log: log.join("") };
  } catch {
    return { ok: false, log: log.join("") };
  }
}

async function previewTs(mistakes: boolean) {
  h = await newHarness(program(mistakes), "hns-policy-pack");
  (h.stack.workspace as LocalWorkspace).envVars[CROSS_RESOURCE_ENV] = "policy-pack";
  return previewWithPack(() => h!.stack.preview({ policyPacks: [PACK], ...capture(h!) }), h.log);
}

/** The violations the CLI printed under the pack, one message line each (the resource's name is in it). */
const violationLines = (log: string) => log.split("\n").filter((l) => /^\s*(Network|Endpoint) resource '/.test(l));

test("one preview reports every cross-resource mistake of a TypeScript program, each with its resource, field, rule id and fix; no host is touched", async () => {
  const r = await previewTs(true);
  expect(r.ok).toBe(false);
  expect(r.log).toMatch(/\[mandatory\]\s+hns-cross-resource/);
  const lines = violationLines(r.log);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/Network resource '(web|api)': property subnets\.0\.prefix: .*overlaps .*\(rule prefix-overlap-host\): give each network of the host its own prefix/),
      expect.stringMatching(/Endpoint resource '(a|b)': property policies\.0: tcp port 8080 on h1 is already published by .*\(rule host-port-conflict\): pick another external port/),
      expect.stringMatching(/Network resource 'lan(1|2)': property name: "lan" is declared twice .*\(rule duplicate-name\): rename one of them/),
    ]),
  );
  expect(lines).toHaveLength(3);
  // check left the clashes to the pack: no resource was refused at check.
  expect(r.log).not.toMatch(/has a problem/);
  expect(existsSync(path.join(h!.dir, "hns"))).toBe(false);
});

test("control: the same program without the mistakes previews clean with the pack", async () => {
  const r = await previewTs(false);
  expect(r.ok).toBe(true);
  expect(violationLines(r.log)).toEqual([]);
  expect(r.log).not.toMatch(/mandatory|advisory|error/i);
});

test("a Pulumi YAML program (native plugin): the pack reports its endpoints' host port clash, their network given as ${web.networkId}", async () => {
  const y = await newYamlStack(
    [
      "name: hns-policy-pack-yaml",
      "runtime: yaml",
      "config:",
      "  hns:host:",
      "    value: { kind: emulator, name: dev }",
      "resources:",
      "  web:",
      "    type: hns:index:Network",
      "    properties: { type: nat, subnets: [{ prefix: 172.20.0.0/24 }] }",
      ...["a", "b"].flatMap((name) => [
        `  ${name}:`,
        "    type: hns:index:Endpoint",
        "    properties:",
        "      network: ${web.networkId}",
        "      policies: [{ Type: PortMapping, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }]",
      ]),
      "",
    ].join("\n"),
  );
  try {
    (y.stack.workspace as LocalWorkspace).envVars[CROSS_RESOURCE_ENV] = "policy-pack";
    const log: string[] = [];
    const r = await previewWithPack(() => y.stack.preview({ policyPacks: [PACK], onOutput: (s) => void log.push(s) }), log);
    expect(r.ok).toBe(false);
    expect(violationLines(r.log)).toEqual([expect.stringMatching(/Endpoint resource '(a|b)': property policies\.0: tcp port 8080 on dev is already published by .*\(rule host-port-conflict\): pick another external port/)]);
    expect(r.log).not.toMatch(/has a problem/);
  } finally {
    await y.cleanup();
  }
});
