/**
 * README's Install and Example sections, run exactly as printed (the shell blocks through
 * bash, the TypeScript block as the program), from a clone: `scripts/install-local.sh` packs
 * the package and installs the tarball into a new project, which then compiles (its own
 * TypeScript, not Pulumi's bundled 3.8) and deploys to the emulator through the real engine.
 * Likewise the README's `pulumi new` line for a template. The clone is the repository itself,
 * linked as `pulumi-hns` beside the new projects, where the README puts it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { theBlock } from "../helpers/doc-blocks";

jest.setTimeout(900_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");

const install = theBlock("README.md", "Install", "sh", "mkdir my-hns").text;
const template = theBlock("README.md", "Install", "sh", "pulumi new").text;
const program = theBlock("README.md", "An example", "ts").text;
const deploy = theBlock("README.md", "An example", "sh", "pulumi up").text;
const templatesPage = theBlock("docs/templates.md", "Templates, Docker import and reference docs", "sh", "pulumi new").text;

let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const bin = process.env.PULUMI_HNS_BIN;
  if (!bin) throw new Error("PULUMI_HNS_BIN is not set: the e2e global setup did not run");
  root = mkdtempSync(path.join(os.tmpdir(), "hns-install-"));
  symlinkSync(REPO, path.join(root, "pulumi-hns"));
  // A user's shell: pulumi on PATH (as the quickstart command leaves it), their own npm cache;
  // a Pulumi home of the test's own, and no plugin downloads. No PULUMI_HNS_EMULATOR_DIR: the
  // emulator keeps its state where a user's would, in the project.
  env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, PULUMI_HOME: path.join(root, "pulumi-home"), PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
  delete env.PULUMI_HNS_EMULATOR_DIR;
  delete env.PULUMI_BACKEND_URL;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const sh = (script: string, cwd: string) => run("bash", ["-e", "-c", script], { cwd, env, maxBuffer: 64 << 20 });
const pulumi = (args: string[], cwd: string) =>
  run("pulumi", args, { cwd, env: { ...env, PULUMI_BACKEND_URL: `file://${cwd}/.pulumi-state`, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_SKIP_UPDATE_CHECK: "true" } });

test("README: Install into a new project, then the Example compiles and deploys to the emulator", async () => {
  await sh(install, root);
  const project = path.join(root, "my-hns");
  const pkg = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8"));
  expect(pkg.dependencies).toEqual({ "@pulumi/pulumi": "3.248.0", "pulumi-hns": "file:pulumi-hns-0.1.0.tgz" });
  expect(Object.keys(pkg.devDependencies).sort()).toEqual(["@types/node", "typescript"]);
  expect(existsSync(path.join(project, "pulumi-hns-0.1.0.tgz"))).toBe(true);

  writeFileSync(path.join(project, "index.ts"), program);
  await sh(deploy, project);
  const { stdout } = await pulumi(["stack", "output", "address"], project);
  expect(stdout.trim()).toBe("172.20.0.2");
  const host = new HnsEmulator(path.join(project, ".hns-emulator", "win-node-1.json"));
  expect((await host.list("endpoint")).flatMap((e) => e.IpConfigurations?.map((c) => c.IpAddress) ?? [])).toEqual(["172.20.0.2"]);

  await pulumi(["destroy", "--yes", "--non-interactive"], project);
  expect(await host.list("network")).toEqual([]);
});

test("README: a template from the clone (pulumi new --generate-only inside the project, install from the clone), then deployed", async () => {
  await sh(template, root);
  const project = path.join(root, "my-dev-host");
  expect(JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")).dependencies["pulumi-hns"]).toBe("file:pulumi-hns-0.1.0.tgz");
  await sh(deploy, project);
  const { stdout } = await pulumi(["stack", "output", "--json"], project);
  const out = JSON.parse(stdout);
  expect(out.gateway).toBe("172.28.16.1");
  expect(out.webAddress).toMatch(/^172\.28\.16\.\d+$/);
  await pulumi(["destroy", "--yes", "--non-interactive"], project);
});

test("docs/templates.md: its template command line, as printed, creates, installs and deploys k8s-l2bridge-node", async () => {
  await sh(templatesPage, root);
  const project = path.join(root, "my-node");
  const { stdout } = await pulumi(["stack", "output", "--json"], project);
  expect(JSON.parse(stdout).hostEndpointAddress).toBe("10.244.1.2");
  await pulumi(["destroy", "--yes", "--non-interactive"], project);
});
