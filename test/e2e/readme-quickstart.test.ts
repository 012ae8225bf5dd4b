/**
 * README's quickstart command, copied exactly, in a fresh clone of this repository (the
 * committed tree): `npm ci`, the Pulumi CLI (reused from the cache the e2e setup filled, as a
 * user's second run would), a file backend, `pulumi up`; then the README's command that shows
 * the emulated host, and `pulumi destroy` in the same shell, as the README says.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { theBlock } from "../helpers/doc-blocks";

jest.setTimeout(1_200_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");
const quickstart = theBlock("README.md", "The two commands", "sh", "pulumi up").text;
const lookAtHost = theBlock("README.md", "The two commands", "sh", "hns-plan host list").text;

let root: string;
beforeAll(() => {
  if (!existsSync(path.join(REPO, ".git"))) throw new Error("this test clones the repository: run it from a git checkout");
  root = mkdtempSync(path.join(os.tmpdir(), "hns-readme-"));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("the quickstart command from a fresh clone: up, the host as README shows it, destroy", async () => {
  const clone = path.join(root, "pulumi-hns");
  await run("git", ["clone", "--quiet", REPO, clone]);
  // A user's shell: no pulumi on PATH beyond what the command puts there, a Pulumi home of its own.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: process.env.PATH!.split(path.delimiter).filter((d) => d !== process.env.PULUMI_HNS_BIN).join(path.delimiter), PULUMI_HOME: path.join(root, "pulumi-home") };
  delete env.PULUMI_HNS_EMULATOR_DIR;
  delete env.PULUMI_BACKEND_URL;
  const marker = "=== after up ===";
  const script = `set -e\n${quickstart}\n${lookAtHost}\necho "${marker}"\npulumi destroy --yes --non-interactive\n${lookAtHost}`;
  const { stdout, stderr } = await run("bash", ["-c", script], { cwd: clone, env, maxBuffer: 64 << 20 });
  const [up, after] = stdout.split(marker);
  expect(up).toMatch(/\+ 9 created/);
  expect(up).toMatch(/networks \(2\)/);
  expect(up).toMatch(/endpoints \(4\)/);
  expect(up).toContain("172.20.0.2");
  expect(after).toMatch(/- 9 deleted/);
  // After destroy the host holds no network or endpoint (its state file may still list them; the journal says they are gone).
  expect(after.slice(after.lastIndexOf('emulator "win-node-1"'))).not.toMatch(/networks \(|endpoints \(/);
  expect(stderr).not.toMatch(/error:/i);
});
