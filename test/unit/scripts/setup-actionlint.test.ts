// scripts/setup-actionlint.sh reuses an actionlint of the pinned version (on PATH or in the
// cache) and builds one only when there is none; Go is kept off PATH so a build that would
// start ends in "go is not installed" instead of a real build.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir("setup-actionlint-");
afterAll(tmp.cleanup);
const script = path.resolve(__dirname, "../../../scripts/setup-actionlint.sh");
const pinned = /^version=\$\{ACTIONLINT_VERSION:-(v[\d.]+)\}$/m.exec(readFileSync(script, "utf8"))![1];
let n = 0;

function fake(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "actionlint"), `#!/bin/sh\necho ${version}\necho installed by a test\n`);
  chmodSync(path.join(dir, "actionlint"), 0o755);
}

function run(opts: { onPath?: string; cached?: string }) {
  const root = path.join(tmp.dir, `r${++n}`);
  const cache = path.join(root, "cache");
  const bin = path.join(root, "bin");
  mkdirSync(bin, { recursive: true });
  if (opts.onPath) fake(bin, opts.onPath);
  if (opts.cached) fake(path.join(cache, `actionlint-${pinned}`, "bin"), opts.cached);
  const r = spawnSync("bash", [script], { encoding: "utf8", env: { PATH: [bin, "/usr/bin", "/bin"].join(":"), HOME: root, PULUMI_HNS_CACHE: cache } });
  return { ...r, out: r.stdout.trim().split("\n").pop() ?? "", bin, cache };
}

test("the cached build of the pinned version is reused", () => {
  const r = run({ cached: pinned });
  expect(r.status).toBe(0);
  expect(r.out).toBe(path.join(r.cache, `actionlint-${pinned}`, "bin", "actionlint"));
});

test("one on PATH at the pinned version is used (with or without the leading v)", () => {
  const r = run({ onPath: pinned.slice(1) });
  expect([r.status, r.out]).toEqual([0, path.join(r.bin, "actionlint")]);
});

test("another version, on PATH or cached, is not used: it builds (here: no go, so it says so)", () => {
  const r = run({ onPath: "v1.0.0", cached: "v1.0.0" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`go is not installed; cannot build actionlint ${pinned}`);
});
