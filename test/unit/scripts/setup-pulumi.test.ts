// scripts/setup-pulumi.sh reuses a Pulumi CLI already on PATH when it is at or above the SDK's
// version, and builds only when there is none. Fake CLIs stand in for real ones: the script
// only asks them `version`. Go is kept off PATH so a refused CLI ends in "go is not installed"
// instead of a real build.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFakeGo } from "../../helpers/fake-go";

const script = path.resolve(__dirname, "../../../scripts/setup-pulumi.sh");
const sdkVersion: string = require("@pulumi/pulumi/package.json").version;

function run(cliVersion: string, { yamlHost = true } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "setup-pulumi-"));
  writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho v${cliVersion}\n`);
  const hosts = ["pulumi-language-nodejs", ...(yamlHost ? ["pulumi-language-yaml"] : [])];
  for (const h of hosts) writeFileSync(path.join(dir, h), "#!/bin/sh\n");
  for (const f of ["pulumi", ...hosts]) chmodSync(path.join(dir, f), 0o755);
  const PATH = [dir, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
  const r = spawnSync("bash", [script], { encoding: "utf8", env: { PATH, HOME: dir, PULUMI_HNS_CACHE: path.join(dir, "cache") } });
  return { ...r, dir, out: r.stdout.trim().split("\n").pop() ?? "" };
}

function bump(v: string, minorBy: number): string {
  const [maj, min, patch] = v.split(".").map(Number);
  return `${maj}.${min + minorBy}.${patch}`;
}

describe("setup-pulumi.sh", () => {
  it.each([sdkVersion, bump(sdkVersion, 2)])("reuses a CLI v%s on PATH, with the dynamic-provider plugin beside it", (v) => {
    const r = run(v);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`using v${v} already on PATH`);
    expect(readlinkSync(path.join(r.out, "pulumi"))).toBe(path.join(r.dir, "pulumi"));
    expect(statSync(path.join(r.out, "pulumi-resource-pulumi-nodejs")).mode & 0o111).not.toBe(0);
  });

  it("builds the YAML language host when the CLI on PATH has none (here go is missing, so it says so)", () => {
    const r = run(sdkVersion, { yamlHost: false });
    expect(r.stderr).toContain("already on PATH");
    expect(r.stderr).toContain("cannot build pulumi-language-yaml");
    expect(r.status).toBe(2);
  });

  it.each([bump(sdkVersion, -100), "4.0.0", "3.x-dev"])("refuses a CLI v%s and goes on to build one", (v) => {
    const r = run(v);
    expect(r.stderr).not.toContain("already on PATH");
    expect(r.stderr).toContain("go is not installed");
    expect(r.status).toBe(2);
  });
});

/**
 * A build with a stand-in `go` that records what it was asked and makes stand-in binaries. Its
 * `go build` of the CLI waits until the test has seen the script's progress line on stderr, so
 * the line is printed while the build runs (not after), whatever the machine's speed.
 */
function build(args: string[]): Promise<{ status: number | null; stderr: string; out: string; calls: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "setup-pulumi-build-"));
  const release = path.join(dir, "release");
  const calls = path.join(dir, "calls.log");
  writeFakeGo(path.join(dir, "go"), { calls, version: sdkVersion, hold: { build: "cli", until: release } });
  const PATH = [dir, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
  const child = spawn("bash", [script, ...args], { env: { PATH, HOME: dir, PULUMI_HNS_CACHE: path.join(dir, "cache"), PULUMI_HNS_PROGRESS_EVERY: "1" } });
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    if (/still compiling pulumi v/.test(stderr)) writeFileSync(release, "");
  });
  return new Promise((resolve) =>
    child.on("close", (status) =>
      resolve({ status, stderr, out: stdout.trim().split("\n").pop() ?? "", calls: readFileSync(calls, "utf8").trim().split("\n") }),
    ),
  );
}

describe("setup-pulumi.sh building from the Go module proxy", () => {
  it("says it is still compiling while the CLI build runs, and --nodejs-only leaves the YAML host out", async () => {
    const r = await build(["--nodejs-only"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/building it from the Go module proxy/);
    expect(r.stderr).toMatch(/still compiling pulumi v[\d.]+: \d+s so far/);
    expect(statSync(path.join(r.out, "pulumi")).mode & 0o111).not.toBe(0);
    expect(r.calls.some((c) => c.includes("cmd/pulumi"))).toBe(true);
    expect(r.calls.filter((c) => c.includes("pulumi-language-yaml"))).toEqual([]);
  });

  it("without --nodejs-only it also builds the YAML language host (what the test suite needs)", async () => {
    const r = await build([]);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("go install") && c.includes("pulumi-language-yaml@"))).toHaveLength(1);
  });

  it("refuses an unknown argument", () => {
    const r = spawnSync("bash", [script, "--yaml-only"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown argument --yaml-only (known: --nodejs-only)");
  });
});
