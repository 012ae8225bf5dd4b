/**
 * The pack directory the package ships (dist/policy-pack, laid out by `npm run build`): what the
 * engine loads (PulumiPolicy.yaml of runtime nodejs), what @pulumi/policy reads (package.json with
 * the package's version, in the directory the pack runs in), what node runs (main) and what it
 * needs from the package's node_modules, all in what `npm pack` ships.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { assemble } from "../../../provider/policy-pack/assemble";
import { PACK_DIR } from "../../../provider/policy-pack/name";

const REPO = path.resolve(__dirname, "../../..");
const pack = path.join(REPO, PACK_DIR);

beforeAll(() => {
  if (!existsSync(path.join(pack, "package.json"))) throw new Error(`${PACK_DIR} is missing: run \`npm run build\` first`);
});

test("assemble writes the pack's package.json with the package's version and a nodejs PulumiPolicy.yaml", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
  try {
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "pulumi-hns", version: "9.8.7" }));
    const dir = assemble(root);
    expect(dir).toBe(path.join(root, PACK_DIR));
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).version).toBe("9.8.7");
    expect(parse(readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")).runtime).toBe("nodejs");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the built pack: its main is the compiled entry point, and it finds @pulumi/policy and the runner the language host starts", () => {
  const pkg = JSON.parse(readFileSync(path.join(pack, "package.json"), "utf8"));
  expect(pkg.version).toBe(require(path.join(REPO, "package.json")).version);
  expect(existsSync(path.resolve(pack, pkg.main))).toBe(true);
  expect(path.resolve(pack, pkg.main)).toBe(path.join(REPO, "dist/provider/policy-pack/index.js"));
  // Resolved from the pack directory, as node does when the pack runs there.
  for (const m of ["@pulumi/policy", "@pulumi/pulumi/cmd/run-policy-pack"]) expect(require.resolve(m, { paths: [pack] })).toContain(path.join(REPO, "node_modules"));
});

test("npm pack ships the pack directory and its entry point, not the build step that lays it out", () => {
  // --ignore-scripts: the prepack script would delete dist/ under other tests using it now.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining([`${PACK_DIR}/PulumiPolicy.yaml`, `${PACK_DIR}/package.json`, "dist/provider/policy-pack/index.js", "dist/provider/policy-pack/policies.js", "dist/provider/policy-pack/program.js"]));
  expect(files.filter((f) => f.includes("policy-pack/assemble"))).toEqual([]);
});
