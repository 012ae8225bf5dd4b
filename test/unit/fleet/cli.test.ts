/**
 * hns-plan fleet's input handling, none of which starts an engine: bad flags, an invalid
 * topology and a stale lock are refused before any stack runs, with the flag and the fix; and
 * `fleet manifests` writes the split as a GitHub Actions workflow or operator Stacks.
 */
import { writeFileSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { runCli } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const hosts = ["edge-1", "edge-2", "core-1"].map((name, i) => ({
  name,
  domain: name.split("-")[0],
  networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: `10.244.${i}.0/24` }], endpoints: [{ name: "a" }] }],
}));

function topologyFile(name: string, doc: unknown): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

test("bad flags are refused naming the flag and the fix", async () => {
  const f = topologyFile("flags.json", { hosts });
  const cases: [string[], RegExp][] = [
    [["fleet", "deploy", "-f", f, "--by", "domain"], /"deploy" is not a fleet action: give one of preview, up, refresh, destroy, reconcile, manifests/],
    [["fleet", "up", "-f", f], /give exactly one of --by <field> and --hosts-per-stack <N>/],
    [["fleet", "up", "-f", f, "--by", "domain", "--concurrency", "0"], /--concurrency "0" is not a whole number of 1 or more: e\.g\. --concurrency 4/],
    [["fleet", "reconcile", "-f", f, "--by", "domain", "--interval", "5m"], /--interval "5m" is not a whole number of 1 or more: e\.g\. --interval 60/],
    [["fleet", "up", "-f", f, "--topology", f, "--by", "domain"], /--file and --topology name the same thing/],
    [["fleet", "up", "-f", f, "--by", "domain", "--fleet", "a/b"], /--fleet "a\/b" is not a fleet name/],
    [["fleet", "up", "-f", f, "--by", "domain", "--once"], /--once is an option of "fleet reconcile", and this is "fleet up": remove it, or run hns-plan fleet reconcile/],
    [["fleet", "preview", "-f", f, "--by", "domain", "--interval", "60"], /--interval is an option of "fleet reconcile", and this is "fleet preview"/],
    [["fleet", "reconcile", "-f", f, "--by", "domain", "--out", "x.yaml"], /--out is an option of "fleet manifests", and this is "fleet reconcile"/],
    [["fleet", "destroy", "-f", f, "--by", "domain", "--engine", "github"], /--engine is an option of "fleet manifests"/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.err).toMatch(message);
  }
});

test("an invalid topology exits 1 with its findings; a stale lock stops reconcile with 3; both before any stack", async () => {
  const bad = topologyFile("bad.json", { hosts: [{ ...hosts[0], domain: "d" }, { ...hosts[1], domain: "d", networks: hosts[0].networks }] });
  const invalid = await runCli(["fleet", "up", "-f", bad, "--by", "domain"]);
  expect(invalid.code).toBe(1);
  expect(invalid.err).toMatch(/prefix-overlap-domain/);
  const fresh = topologyFile("fresh.json", { hosts });
  const stale = await runCli(["fleet", "reconcile", "--once", "-f", fresh, "--by", "domain"]);
  expect(stale.code).toBe(3);
  expect(stale.err).toMatch(/is out of date \(3 added, 0 moved, 0 released\): reconcile heals toward the lock as it is/);
  const frozen = await runCli(["fleet", "up", "-f", fresh, "--by", "domain", "--frozen-lock"]);
  expect(frozen.code).toBe(3);
});

test("manifests: the split as a GitHub Actions matrix, one job per stack", async () => {
  const f = topologyFile("gh.json", { hosts });
  const r = await runCli(["fleet", "manifests", "--engine", "github", "-f", f, "--by", "domain", "--fleet", "prod"]);
  expect(r.code).toBe(0);
  const workflow = parse(r.out);
  expect(workflow.jobs.up.strategy.matrix.include).toEqual([
    { stack: "prod-core", hosts: ["core-1"] },
    { stack: "prod-edge", hosts: ["edge-1", "edge-2"] },
  ]);
  // The generated stacks run with the lock frozen: a stale one is worth a warning.
  expect(r.err).toMatch(/warning: .* is out of date, and the generated stacks run with the lock frozen/);
});

test("manifests: operator Stacks with an options file; the generator's refusals and split-owned keys are input errors", async () => {
  const f = topologyFile("op.json", { hosts });
  const options = path.join(tmp.dir, "operator.yaml");
  writeFileSync(options, "namespace: hns\nserviceAccountName: hns-fleet\nprojectRepo: https://github.com/acme/networks.git\n");
  const out = path.join(tmp.dir, "stacks.yaml");
  const r = await runCli(["fleet", "manifests", "--engine", "operator", "--options", options, "--out", out, "-f", f, "--hosts-per-stack", "2", "--fleet", "prod"]);
  expect(r.code).toBe(0);
  const stacks = readFileSync(out, "utf8").split(/^---$/m).map((d) => parse(d)).filter(Boolean);
  expect(stacks.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual(["prod-1", "prod-2"]);

  const missing = await runCli(["fleet", "manifests", "--engine", "operator", "-f", f, "--by", "domain"]);
  expect(missing.code).toBe(2);
  expect(missing.err).toMatch(/without --options: operatorStacks: namespace is required/);
  writeFileSync(options, "groups: []\n");
  const owned = await runCli(["fleet", "manifests", "--engine", "operator", "--options", options, "-f", f, "--by", "domain"]);
  expect(owned.err).toMatch(/groups comes from the split, not the options file: remove it/);
  const engine = await runCli(["fleet", "manifests", "--engine", "argo", "-f", f, "--by", "domain"]);
  expect(engine.err).toMatch(/--engine "argo" is not an engine fleet manifests writes for: give --engine github or --engine operator/);
});
