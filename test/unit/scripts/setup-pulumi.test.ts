// scripts/setup-pulumi.sh reuses a Pulumi CLI already on PATH when it is at or above the SDK's
// version, and builds only when there is none. Fake CLIs stand in for real ones: the script
// only asks them `version`. Go is kept off PATH so a refused CLI ends in "go is not installed"
// instead of a real build.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

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
