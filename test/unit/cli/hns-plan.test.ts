/** hns-plan end to end in-process: exit codes, output modes, the lock file, the diagrams. */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { run } from "../../../provider/cli/run";
import { terminal } from "../../../provider/cli/terminal";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const gitops = path.resolve(__dirname, "../../../examples/gitops/hns.topology.yaml");

/** Runs hns-plan with captured streams; `tty` makes both look like a terminal. */
async function cli(args: string[], opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stream = () => Object.assign(new PassThrough(), { isTTY: opts.tty ?? false }) as unknown as NodeJS.WriteStream & PassThrough;
  const stdout = stream();
  const stderr = stream();
  const chunks = { out: "", err: "" };
  stdout.on("data", (d) => (chunks.out += d));
  stderr.on("data", (d) => (chunks.err += d));
  const writeSpy = jest.spyOn(process.stdout, "write").mockImplementation((d) => ((chunks.out += String(d)), true));
  try {
    const code = await run(args, terminal({ stdout, stderr, env: opts.env ?? {}, color: args.includes("--no-color") ? false : undefined }));
    return { code, ...chunks };
  } finally {
    writeSpy.mockRestore();
  }
}

function workspace(name: string, topology: string): string {
  const dir = path.join(tmp.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "hns.topology.yaml"), topology);
  return dir;
}

const NAT = "hosts:\n  - name: dev\n    networks:\n      - name: web\n        type: nat\n        subnets: [{ prefix: 172.20.0.0/24 }]\n        endpoints: [{ name: app }, { name: db }]\n";

test("validate: exit 0 on the GitOps example, whose committed lock is current", async () => {
  const r = await cli(["validate", "-f", gitops, "--frozen-lock"]);
  expect(r).toMatchObject({ code: 0, err: "" });
  expect(r.out).toBe("✓ valid: 3 hosts, 3 networks, 6 endpoints\n");
});

test("validate: exit 1 listing every failure with rule, place, path and fix; --json for machines", async () => {
  const dir = workspace("bad", "hosts:\n  - name: n\n    networks:\n      - { name: a, type: transparent, subnets: [{ prefix: 10.0.0.0/24, vlan: 4095 }], endpoints: [{ name: e, ipAddress: 10.0.0.0, ports: [{ internalPort: 80, externalPort: 80 }] }] }\n");
  const r = await cli(["validate", "-f", path.join(dir, "hns.topology.yaml")]);
  expect(r.code).toBe(1);
  expect(r.out).toContain("error address-reserved at n/a/e (hosts.0.networks.0.endpoints.0.ipAddress)\n  10.0.0.0 is reserved in 10.0.0.0/24");
  expect(r.out).toContain("error policy-network-type at n/a (hosts.0.networks.0.endpoints.0.ports)");
  expect(r.out).toContain("error vlan-range at n/a (hosts.0.networks.0.subnets.0.vlan)");
  expect(r.out).toMatch(/✗ 3 errors in .*hns.topology.yaml\n$/);
  const j = await cli(["validate", "-f", path.join(dir, "hns.topology.yaml"), "--json"]);
  expect(j.code).toBe(1);
  expect(JSON.parse(j.out).findings.map((f: { rule: string }) => f.rule)).toEqual(["address-reserved", "policy-network-type", "vlan-range"]);
});

test("exit 2 for usage and input errors, with the place of a YAML syntax error", async () => {
  expect((await cli(["frobnicate"])).code).toBe(2);
  expect((await cli([])).code).toBe(2);
  const flag = await cli(["plan", "--colour"]);
  expect([flag.code, flag.err]).toEqual([2, expect.stringContaining("Unknown option '--colour'")]);
  const missing = await cli(["validate", "-f", path.join(tmp.dir, "nope.yaml")]);
  expect([missing.code, missing.err]).toEqual([2, expect.stringContaining("cannot read")]);
  const dir = workspace("syntax", "hosts:\n  - name: n\n   networks: [\n");
  const syntax = await cli(["validate", "-f", path.join(dir, "hns.topology.yaml")]);
  expect(syntax.code).toBe(2);
  expect(syntax.err).toMatch(/hns.topology.yaml:3:\d+: /);
});

test("lock writes the lock, reports changes, is idempotent, and --check / --frozen-lock exit 3 when stale", async () => {
  const dir = workspace("lock", NAT);
  const file = path.join(dir, "hns.topology.yaml");
  const lockFile = path.join(dir, "hns.lock.json");
  expect((await cli(["plan", "-f", file, "--frozen-lock"])).code).toBe(3);
  const first = await cli(["lock", "-f", file]);
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/wrote .*hns.lock.json: 2 added, 0 moved, 0 released/);
  expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).endpoints).toEqual({ "dev/web/app": { ipv4: "172.20.0.2" }, "dev/web/db": { ipv4: "172.20.0.3" } });
  expect((await cli(["lock", "-f", file])).out).toMatch(/hns.lock.json is up to date/);
  // Removing "app" and adding "cache": db keeps .3, cache takes the freed lowest address.
  fs.writeFileSync(file, NAT.replace("{ name: app }, { name: db }", "{ name: db }, { name: cache }"));
  const check = await cli(["lock", "-f", file, "--check"]);
  expect([check.code, check.err]).toEqual([3, expect.stringContaining("added dev/web/cache")]);
  expect(check.err).toContain("released dev/web/app");
  expect((await cli(["lock", "-f", file])).code).toBe(0);
  expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).endpoints).toEqual({ "dev/web/db": { ipv4: "172.20.0.3" }, "dev/web/cache": { ipv4: "172.20.0.2" } });
});

test("plan: one table per host in pipes, the whole plan with --json; colour only on a terminal", async () => {
  const plain = await cli(["plan", "-f", gitops]);
  expect(plain.code).toBe(0);
  expect(plain.out).toContain("win-node-1  HNS 13.3, domain k8s\n  cbr0 (l2bridge)  10.244.1.0/24 gw 10.244.1.1\n");
  expect(plain.out).toMatch(/web-1\s+10\.244\.1\.3\s+locked\s+outbound NAT \(3 exceptions\); tcp 8080→80/);
  expect(plain.out).not.toContain("\x1b[");
  const json = JSON.parse((await cli(["plan", "-f", gitops, "--json"])).out);
  expect(json.hosts[0].networks[0].loadBalancers[0]).toMatchObject({ key: "win-node-1/cbr0/web", frontendVips: ["10.96.0.1"] });
  expect((await cli(["plan", "-f", gitops], { tty: true })).out).toContain("\x1b[");
  expect((await cli(["plan", "-f", gitops, "--no-color"], { tty: true })).out).not.toContain("\x1b[");
  expect((await cli(["plan", "-f", gitops], { tty: true, env: { NO_COLOR: "1" } })).out).not.toContain("\x1b[");
  expect((await cli(["plan", "-f", gitops], { env: { FORCE_COLOR: "1" } })).out).toContain("\x1b[");
});

test("diagram: Mermaid with escaped labels, and a well-formed SVG file naming every endpoint", async () => {
  const dir = workspace("draw", NAT.replace("{ name: app }", '{ name: "a<b>&\\"c#" }'));
  const file = path.join(dir, "hns.topology.yaml");
  const m = await cli(["diagram", "-f", file]);
  expect(m.code).toBe(0);
  expect(m.out).toContain('h0n0e0["a#lt;b#gt;#amp;#quot;c#35; · 172.20.0.2"]');
  const out = path.join(dir, "topology.svg");
  expect((await cli(["diagram", "-f", file, "-o", out])).code).toBe(0);
  const svg = fs.readFileSync(out, "utf8");
  expect(svg).toContain("a&lt;b&gt;&amp;&quot;c# 172.20.0.2");
  expect(svg).toContain("db 172.20.0.3");
  // Well-formed: every element opened is closed, in order.
  const stack: string[] = [];
  for (const [, close, name, selfClose] of svg.replace(/<\?xml[^>]*>/, "").matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(stack).toEqual([]);
  expect((await cli(["diagram", "-f", file, "--format", "png"])).code).toBe(2);
});
