/**
 * Lays out the policy pack directory the engine loads, dist/policy-pack, after tsc has compiled
 * this folder (run by `npm run build`):
 * - PulumiPolicy.yaml: `runtime: nodejs`, which makes `pulumi preview --policy-pack <dir>` run the
 *   directory through the Node.js language host (its RunPlugin);
 * - package.json: `main` points at the compiled ./index.js; its version is the package's own,
 *   which @pulumi/policy reads from the pack directory's package.json and the CLI prints.
 * @pulumi/policy and @pulumi/pulumi resolve from the package's node_modules (node looks upward).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PACK_DIR, PACK_NAME } from "./name";

export function assemble(root: string): string {
  const dir = path.join(root, PACK_DIR);
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; license?: string };
  mkdirSync(dir, { recursive: true });
  const main = path.relative(dir, path.join(__dirname, "index.js")).split(path.sep).join("/");
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `${PACK_NAME}-policy-pack`, version: pkg.version, private: true, description: "Pulumi CrossGuard policy pack of pulumi-hns", license: pkg.license, main }, null, 2)}\n`,
  );
  writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: The planner's cross-resource rules over every hns resource of a stack, all violations in one preview (pulumi-hns)\n");
  return dir;
}

if (require.main === module) assemble(path.resolve(__dirname, "../../.."));
