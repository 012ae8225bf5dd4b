// scripts/setup.sh installs what the native tests need (mcs, mono, cc, nm) with apt-get, which
// needs root; .ci/run is the README's test command, which starts with it. Run here on copies of
// both scripts with a PATH of stand-ins (id, sudo, apt-get, npm that only record what they were
// asked), so nothing is installed and the repository is untouched.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { oneLine, theBlock } from "../../helpers/doc-blocks";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir("hns-ci-run-");
afterAll(tmp.cleanup);
const REPO = path.join(__dirname, "..", "..", "..");
const ALL_MISSING = "mono-mcs mono-runtime gcc libc6-dev binutils";
let n = 0;

interface Machine {
  uid: number;
  /** Whether `sudo -n` works (passwordless sudo). */
  sudo: boolean;
  /** Tools already installed. */
  present?: string[];
}

/** Runs a copy of .ci/run (and so scripts/setup.sh) on a PATH of stand-ins; returns its exit code, stderr and every stand-in call. */
function runCi(m: Machine): { status: number | null; stderr: string; calls: string[] } {
  const root = path.join(tmp.dir, `m${++n}`);
  const bin = path.join(root, "bin");
  const log = path.join(root, "calls.log");
  mkdirSync(path.join(root, "repo", ".ci"), { recursive: true });
  mkdirSync(path.join(root, "repo", "scripts"), { recursive: true });
  mkdirSync(bin);
  for (const f of [".ci/run", "scripts/setup.sh"]) copyFileSync(path.join(REPO, f), path.join(root, "repo", f));
  for (const tool of ["dirname", "env", "true", "node", "bash"]) symlinkSync(tool === "node" ? process.execPath : tool === "bash" ? "/bin/bash" : `/usr/bin/${tool}`, path.join(bin, tool));
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  const record = `echo "\${0##*/} $*" >> ${JSON.stringify(log)}`;
  stub("id", `[ "$1" = -u ] && echo ${m.uid}`);
  stub("sudo", m.sudo ? `${record}\n[ "$1" = -n ] && shift\nexec "$@"` : `${record}\necho "sudo: a password is required" >&2\nexit 1`);
  stub("apt-get", record);
  stub("npm", `[ "$1" = --version ] && { echo 10.0.0; exit 0; }\n${record}`);
  for (const tool of m.present ?? []) stub(tool, "exit 0");
  const r = spawnSync("/bin/bash", [path.join(root, "repo", ".ci", "run")], { env: { PATH: bin, HOME: root }, encoding: "utf8" });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  return { status: r.status, stderr: r.stderr, calls };
}

test(".ci/run runs exactly the README's test command, and nothing before it", () => {
  const readme = oneLine(theBlock("README.md", "The two commands", "sh", "npm test").text);
  expect(readme).toMatch(/^bash scripts\/setup\.sh && /);
  const lines = readFileSync(path.join(REPO, ".ci/run"), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  expect(lines).toEqual(["set -euo pipefail", 'cd "$(dirname "$0")/.."', readme]);
});

test("not root and no passwordless sudo: prints the exact apt-get line to run as root and stops before anything else", () => {
  const r = runCi({ uid: 1000, sudo: false });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`apt-get update && apt-get install -y --no-install-recommends ${ALL_MISSING}`);
  expect(r.stderr).toMatch(/needs root/);
  // Neither apt-get (which would fail on its lock file) nor npm ci/npm test ran.
  expect(r.calls.filter((c) => !c.startsWith("sudo -n true"))).toEqual([]);
});

test("the line names only what is missing", () => {
  const r = runCi({ uid: 1000, sudo: false, present: ["cc", "nm"] });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("apt-get update && apt-get install -y --no-install-recommends mono-mcs mono-runtime\n");
});

test("not root with passwordless sudo: apt-get runs through sudo, then the tests", () => {
  const r = runCi({ uid: 1000, sudo: true });
  expect(r.status).toBe(0);
  expect(r.calls).toEqual(["sudo -n true", "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq", "apt-get update -qq", `sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${ALL_MISSING}`, `apt-get install -y -qq --no-install-recommends ${ALL_MISSING}`, "npm ci", "npm test"]);
});

test("root: apt-get runs directly; with everything present nothing is installed", () => {
  expect(runCi({ uid: 0, sudo: false }).calls).toEqual(["apt-get update -qq", `apt-get install -y -qq --no-install-recommends ${ALL_MISSING}`, "npm ci", "npm test"]);
  expect(runCi({ uid: 1000, sudo: false, present: ["mcs", "mono", "cc", "nm"] }).calls).toEqual(["npm ci", "npm test"]);
});
