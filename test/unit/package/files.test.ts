/**
 * What `npm publish` would ship, as `npm pack --dry-run` lists it: the compiled SDK and
 * provider, the PowerShell scripts the transport reads at run time, README and CHANGELOG; every
 * file package.json points at (main, types, exports, bin) among them; no tests, sources, source
 * maps or build tooling. Packs the dist/ that is there (npm test builds it first); the template
 * e2e test installs the real tarball.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");
const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));

let files: string[];

beforeAll(() => {
  if (!existsSync(path.join(REPO, "dist/sdk/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  // --ignore-scripts: the prepack script would delete dist/ under other tests using it now.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
});

/** Every file path package.json names for consumers: main, types, each export condition, each bin. */
function pointedAt(): string[] {
  const targets: string[] = [pkg.main, pkg.types, ...Object.values<string>(pkg.bin)];
  const walk = (v: unknown): void => {
    if (typeof v === "string") targets.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  return targets.map((t) => path.posix.normalize(t));
}

test("every file package.json points at is shipped", () => {
  expect(pointedAt().filter((t) => !files.includes(t))).toEqual([]);
});

test("the transport's PowerShell scripts, README and CHANGELOG ship", () => {
  expect(files).toEqual(expect.arrayContaining(["provider/hosts/powershell/agent.ps1", "provider/hosts/powershell/session.ps1", "README.md", "CHANGELOG.md", "LICENSE", "package.json"]));
});

test("no tests, TypeScript sources, source maps or build tooling ship", () => {
  const unwanted = files.filter(
    (f) => /(^|\/)test\//.test(f) || /\.test\.|\.map$/.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")) || /^(scripts|tools|examples|docs)\//.test(f),
  );
  expect(unwanted).toEqual([]);
  expect(files.every((f) => f.startsWith("dist/") || ["README.md", "CHANGELOG.md", "LICENSE", "package.json"].includes(f) || f.startsWith("provider/hosts/powershell/"))).toBe(true);
});

test("hns-plan is an executable node script", () => {
  const bin = path.join(REPO, pkg.bin["hns-plan"]);
  expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  // npm keeps the mode bits of a packed file; the build sets the exec bit.
  expect(statSync(bin).mode & 0o111).not.toBe(0);
});

test("the build runs when packing or publishing, from a clean dist/", () => {
  expect(pkg.scripts.prepare).toBe("npm run build");
  expect(pkg.scripts.prepack).toMatch(/rmSync\('dist'/);
  expect(pkg.engines.node).toBe(">=20");
});
