/**
 * hns-plan import-docker end to end: files (and stdin) in, a topology that `hns-plan validate`
 * accepts out, or a TypeScript program whose hns.Network arguments pass the provider's schema
 * and which type-checks against the SDK; refusals and usage errors exit with EXIT's codes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parse as parseYaml } from "yaml";
import { EXIT } from "../../../provider/cli/commands/command";
import { importDocker } from "../../../provider/cli/docker/import";
import { programNetworks, renderProgram } from "../../../provider/cli/docker/render-ts";
import { run } from "../../../provider/cli/run";
import type { Terminal } from "../../../provider/cli/terminal";
import { plan } from "../../../provider/planner";
import { NetworkArgs } from "../../../provider/resources/network/args";
import { tempDir } from "../../helpers/tmp";

const REPO = path.resolve(__dirname, "../../..");
const SHIM = "com.docker.network.windowsshim";

/** The commands of the Windows container networking docs, in the forms people paste them. */
const COMMANDS = `# Windows container networks, as created by hand
docker network create -d nat --subnet=172.30.0.0/24 --gateway=172.30.0.1 web

docker network create -d transparent \\
  --subnet 10.0.5.0/24 --gateway 10.0.5.1 \\
  -o ${SHIM}.vlanid=11 \\
  -o "${SHIM}.interface=Ethernet 2" \\
  -o ${SHIM}.networkname=vlan11 \\
  vlan11
docker network create -d l2bridge --subnet 10.244.1.0/24 --gateway 10.244.1.1 \`
  -o ${SHIM}.interface=Ethernet \`
  -o ${SHIM}.enable_outboundnat=true \`
  -o '${SHIM}.outboundnat_exceptions=10.244.0.0/16,10.96.0.0/12' \`
  -o ${SHIM}.dnsservers=10.96.0.10 -o ${SHIM}.dnssuffix=svc.cluster.local \`
  -o ${SHIM}.macpool=00-15-5D-44-00-00,00-15-5D-44-0F-FF \`
  -o ${SHIM}.disableicc=true \`
  pods
docker network create -d overlay --subnet 10.245.1.0/24 -o com.docker.network.driver.overlay.vxlanid_list=4097 --attachable ov
`;

function capture(): Terminal & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir("hns-import-docker-")));
afterAll(() => tmp.cleanup());

test("yaml: the imported topology passes hns-plan validate and keeps every mapped option", async () => {
  const input = path.join(tmp.dir, "networks.sh");
  const output = path.join(tmp.dir, "hns.topology.yaml");
  writeFileSync(input, COMMANDS);
  const term = capture();
  expect(await run(["import-docker", input, "--host", "win-1", "--hns-version", "ws2022", "-o", output], term)).toBe(EXIT.ok);
  expect(term.stdout).toEqual([`wrote ${output}: 4 networks`]);
  expect(term.stderr.join("\n")).toMatch(/networks\.sh:10: disableicc/);

  const text = readFileSync(output, "utf8");
  expect(text).toContain(`# ${input}:4: docker network create -d transparent`); // provenance comment
  const doc = parseYaml(text);
  expect(doc.hosts[0]).toMatchObject({ name: "win-1", hnsVersion: "ws2022" });
  expect(doc.hosts[0].networks).toEqual([
    { name: "web", type: "nat", subnets: [{ prefix: "172.30.0.0/24", gateway: "172.30.0.1" }] },
    { name: "vlan11", type: "transparent", adapterName: "Ethernet 2", subnets: [{ prefix: "10.0.5.0/24", gateway: "10.0.5.1", vlan: 11 }] },
    {
      name: "pods",
      type: "l2bridge",
      adapterName: "Ethernet",
      subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.1" }],
      dns: { servers: ["10.96.0.10"], domain: "svc.cluster.local" },
      outboundNat: { exceptions: ["10.244.0.0/16", "10.96.0.0/12"] },
      macPool: { start: "00-15-5D-44-00-00", end: "00-15-5D-44-0F-FF" },
    },
    { name: "ov", type: "overlay", subnets: [{ prefix: "10.245.1.0/24", vsid: 4097 }] },
  ]);

  const validate = capture();
  expect(await run(["validate", "-f", output], validate)).toBe(EXIT.ok);
  expect(validate.stdout.join("\n")).toMatch(/✓ valid: 1 hosts, 4 networks/);
});

test("refused options exit 1 with the planner's rule and write nothing", async () => {
  const input = path.join(tmp.dir, "refused.sh");
  const output = path.join(tmp.dir, "refused.yaml");
  writeFileSync(input, "docker network create -d nat --subnet 172.31.0.0/24 --internal --ip-range 172.31.0.128/25 n\n");
  const term = capture();
  expect(await run(["import-docker", input, "-o", output], term)).toBe(EXIT.invalid);
  const err = term.stderr.join("\n");
  expect(err).toMatch(/error docker-internal .*refused\.sh:1/);
  expect(err).toMatch(/error docker-ip-range/);
  expect(() => readFileSync(output)).toThrow(/ENOENT/);
});

test.each([
  [["import-docker", "--format", "json", "x"], /--format must be yaml or ts/],
  [["import-docker", "/nonexistent/commands.sh"], /cannot read \/nonexistent\/commands.sh: ENOENT/],
  [["import-docker", "--bogus"], /Unknown option '--bogus'/],
])("usage errors exit 2: %j", async (argv, message) => {
  const term = capture();
  expect(await run(argv, term)).toBe(EXIT.usage);
  expect(term.stderr.join("\n")).toMatch(message);
});

test("an unknown option in the input exits 2 and names the option and its place", async () => {
  const input = path.join(tmp.dir, "unknown.sh");
  writeFileSync(input, `docker network create -d nat \\\n  -o ${SHIM}.wat=1 n\n`);
  const term = capture();
  expect(await run(["import-docker", input], term)).toBe(EXIT.usage);
  expect(term.stderr.join("\n")).toContain(`unknown.sh:1: unknown Windows driver option "-o ${SHIM}.wat"`);
});

test("stdin: the real executable reads piped commands and prints YAML on stdout", () => {
  const r = spawnSync(process.execPath, ["-r", "ts-node/register", path.join(REPO, "provider/cli/hns-plan.ts"), "import-docker"], {
    input: "docker network create -d nat --subnet 172.30.0.0/24 web\n",
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", NO_COLOR: "1" },
    encoding: "utf8",
  });
  expect(r.status).toBe(EXIT.ok);
  expect(parseYaml(r.stdout).hosts[0].networks).toEqual([{ name: "web", type: "nat", subnets: [{ prefix: "172.30.0.0/24" }] }]);
  expect(r.stderr).toMatch(/note stdin:1/);
});

describe("--format ts", () => {
  const result = importDocker([{ name: "networks.sh", text: COMMANDS }], { host: "win-1" });

  test("every hns.Network argument object passes the provider's NetworkArgs schema", () => {
    expect(plan(result.topology).findings).toEqual([]);
    const networks = programNetworks(result);
    expect(networks.map((n) => n.variable)).toEqual(["web", "vlan11", "pods", "ov"]);
    for (const n of networks) {
      const parsed = NetworkArgs.safeParse({ host: { kind: "emulator", name: "win-1" }, ...n.args });
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
    // Endpoint-level Docker settings travel as defaults, built by the planner's policy code.
    expect(networks[2].endpointDefaults).toEqual({
      disableIcc: true,
      policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.1.0/24", "10.244.0.0/16", "10.96.0.0/12"] } }],
    });
    expect(networks[0].endpointDefaults).toBeUndefined();
  });

  // Parsing only (fast); the type check and a real deployment of an imported program are in
  // test/e2e/templates.test.ts.
  test("the program is syntactically valid TypeScript, with one Network per command", () => {
    const text = renderProgram(result, "win-1");
    const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    expect(text.match(/new hns\.Network\(/g)).toHaveLength(4);
    expect(text).toContain('const host = hns.emulatorHost("win-1");');
    expect(text).toContain("export const podsEndpointDefaults = {");
  });
});
