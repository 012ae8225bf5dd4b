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
import { NetworkArgs } from "../../../provider/kinds/network/args";
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

test("a line every rule refuses exits 1 and, with nothing left, writes nothing", async () => {
  const input = path.join(tmp.dir, "refused.sh");
  const output = path.join(tmp.dir, "refused.yaml");
  writeFileSync(input, "docker network create -d nat --subnet 172.31.0.0/24 --internal --ip-range 172.31.0.128/25 n\n");
  const term = capture();
  expect(await run(["import-docker", input, "-o", output], term)).toBe(EXIT.invalid);
  const err = term.stderr.join("\n");
  expect(err).toMatch(/refused .*refused\.sh:1: docker network create -d nat/);
  expect(err).toMatch(/  docker-internal: /);
  expect(err).toMatch(/  docker-ip-range: /);
  expect(err).toMatch(/nothing was written: every network line was refused/);
  expect(() => readFileSync(output)).toThrow(/ENOENT/);
});

test("refused lines are reported and the rest is written: exit 1 for a rule, 2 for a line that cannot be mapped", async () => {
  const input = path.join(tmp.dir, "mixed.sh");
  const output = path.join(tmp.dir, "mixed.yaml");
  writeFileSync(input, "docker network create -d nat --subnet 172.31.0.0/24 --internal bad\ndocker network create -d nat --subnet 172.30.0.0/24 good\ndocker run --network bad --name c1 nginx\ndocker run --network good --name c2 nginx\n");
  const term = capture();
  expect(await run(["import-docker", input, "-o", output], term)).toBe(EXIT.invalid);
  expect(term.stdout).toEqual([`wrote ${output}: 1 network; 2 lines refused (above)`]);
  const err = term.stderr.join("\n");
  expect(err).toMatch(/refused .*mixed\.sh:1: .*\n  docker-internal: /);
  expect(err).toMatch(/refused .*mixed\.sh:3: docker run --network bad --name c1 nginx\n  docker run uses network "bad", whose line \(.*mixed\.sh:1\) was refused/);
  const written = readFileSync(output, "utf8");
  expect(written).toContain("# Not imported (hns-plan import-docker printed why):\n# " + input + ":1: docker network create -d nat --subnet 172.31.0.0/24 --internal bad\n");
  expect(written).toContain(`# ${input}:3: docker run --network bad --name c1 nginx`);

  // The TypeScript program lists them too, as line comments.
  const ts = path.join(tmp.dir, "mixed.ts");
  expect(await run(["import-docker", input, "--format", "ts", "-o", ts], capture())).toBe(EXIT.invalid);
  expect(readFileSync(ts, "utf8")).toContain(`// Not imported (hns-plan import-docker printed why):\n//   ${input}:1: docker network create -d nat --subnet 172.31.0.0/24 --internal bad\n`);
  const doc = parseYaml(written);
  expect(doc.hosts[0].networks).toEqual([{ name: "good", type: "nat", subnets: [{ prefix: "172.30.0.0/24" }], endpoints: [{ name: "c2" }] }]);

  writeFileSync(input, `docker network create -d nat -o ${SHIM}.wat=1 n\ndocker network create -d nat --subnet 172.30.0.0/24 good\n`);
  const t2 = capture();
  expect(await run(["import-docker", input, "-o", output], t2)).toBe(EXIT.usage);
  expect(parseYaml(readFileSync(output, "utf8")).hosts[0].networks.map((n: { name: string }) => n.name)).toEqual(["good"]);
});

test("Microsoft's plain overlay command imports: the VXLAN id is assigned as Docker does, from 4096 up, and written into the topology", async () => {
  // learn.microsoft.com/virtualization/windowscontainers/container-networking/network-drivers-topologies (overlay)
  const commands = ["docker network create -d overlay --subnet=10.244.0.0/24 myoverlay", "docker network create -d overlay --subnet=10.245.0.0/24 -o com.docker.network.driver.overlay.vxlanid_list=4097 pinned", "docker network create -d overlay --subnet=10.246.0.0/24 second"];
  const term = capture();
  const output = path.join(tmp.dir, "overlay.yaml");
  expect(await run(["import-docker", ...commands, "-o", output], term)).toBe(EXIT.ok);
  const networks = parseYaml(readFileSync(output, "utf8")).hosts[0].networks;
  // 4096 for the first, 4097 is taken by the pinned one, so 4098 for the third.
  expect(networks.map((n: { name: string; subnets: { vsid: number }[] }) => [n.name, n.subnets[0].vsid])).toEqual([["myoverlay", 4096], ["pinned", 4097], ["second", 4098]]);
  expect(term.stderr.join("\n")).toContain("argument 1:1: subnet 10.244.0.0/24: VXLAN id 4096, the first free one from 4096 up, as Docker's overlay driver assigns it (-o com.docker.network.driver.overlay.vxlanid_list=4096 pins it in the command)");
  const validate = capture();
  expect(await run(["validate", "-f", output], validate)).toBe(EXIT.ok);
});

test("a refused VXLAN id names the Docker option that supplies a good one", async () => {
  const term = capture();
  expect(await run(["import-docker", "docker network create -d overlay --subnet=10.244.0.0/24 -o com.docker.network.driver.overlay.vxlanid_list=100 o"], term)).toBe(EXIT.invalid);
  expect(term.stderr.join("\n")).toMatch(/isolation-id-range: VSID 100 is outside .*\n    docker: -o com\.docker\.network\.driver\.overlay\.vxlanid_list=4096/);
});

test("--json: counts, refused lines with their rule and Docker option, notes, and the text", async () => {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((t) => (out.push(String(t)), true));
  try {
    const code = await run(["import-docker", "--json", "docker network create -d nat --subnet 172.30.0.0/24 web", "docker network create -d nat --subnet 172.31.0.0/24 -o com.docker.network.windowsshim.vlanid=5000 v"], capture());
    expect(code).toBe(EXIT.invalid);
  } finally {
    write.mockRestore();
  }
  const report = JSON.parse(out.join(""));
  expect(report.imported).toEqual({ networks: 1, endpoints: 0 });
  expect(report.written).toBe(true);
  expect(parseYaml(report.text).hosts[0].networks.map((n: { name: string }) => n.name)).toEqual(["web"]);
  expect(report.refused).toEqual([expect.objectContaining({ origin: "argument 2:1", problems: expect.arrayContaining([expect.objectContaining({ rule: expect.any(String) })]) })]);
  expect(report.notes[0]).toEqual({ origin: "argument 1:1", note: expect.stringContaining('HNS name "web"') });
});

test.each([
  [["import-docker", "--format", "json", "x"], /--format must be yaml or ts/],
  [["import-docker", "/nonexistent/commands.sh"], /cannot read \/nonexistent\/commands.sh: ENOENT \(give a file of docker commands, a docker command in quotes, or pipe them on stdin\)/],
  [["import-docker", "docker"], /cannot read docker: ENOENT/],
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
  expect(term.stderr.join("\n")).toMatch(new RegExp(`unknown\\.sh:1: docker network create -d nat -o ${SHIM.replace(/\./g, "\\.")}\\.wat=1 n\\n  unknown Windows driver option "-o ${SHIM.replace(/\./g, "\\.")}\\.wat"`));
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
