/**
 * Every GitHub Actions workflow the project ships (.github/workflows) or gives users to copy
 * (examples/**\/*.github-actions.yml) passes actionlint (built from the Go module proxy and
 * cached by scripts/setup-actionlint.sh), and every job that runs the Pulumi CLI installs it
 * first. Negative controls: a workflow that is not valid YAML, and a job that runs `pulumi`
 * without installing it, fail.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { tempDir } from "../../helpers/tmp";

jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../../..");
const CONFIG = path.join(REPO, ".github/actionlint.yaml");
const PIPELINE = "examples/gitops/pipeline.github-actions.yml";
const tmp = tempDir("hns-actionlint-");
afterAll(tmp.cleanup);

function workflows(): string[] {
  const shipped = readdirSync(path.join(REPO, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`);
  const documented: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
      if (e.name === "node_modules") continue;
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.github-actions\.ya?ml$/.test(e.name)) documented.push(p);
    }
  };
  walk("examples");
  return [...shipped, ...documented];
}

let actionlint: string;
beforeAll(() => {
  const out = execFileSync("bash", [path.join(REPO, "scripts/setup-actionlint.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  actionlint = out.trim().split("\n").pop()!;
});

const lint = (file: string) => spawnSync(actionlint, ["-no-color", "-config-file", CONFIG, file], { cwd: REPO, encoding: "utf8" });

/** Jobs that run a Pulumi CLI command in a step before (or without) a step that installs the CLI. */
function jobsRunningPulumiUninstalled(text: string): string[] {
  const doc = parse(text) as { jobs: Record<string, { steps: Array<{ uses?: string; run?: string }> }> };
  const bad: string[] = [];
  for (const [name, job] of Object.entries(doc.jobs)) {
    let installed = false;
    for (const step of job.steps ?? []) {
      if (step.uses?.startsWith("pulumi/actions@")) installed = true;
      if (step.run && /(^|[\s;&|(])pulumi\s+(preview|up|destroy|refresh|import|stack|login|cancel)\b/m.test(step.run) && !installed) bad.push(name);
    }
  }
  return bad;
}

test("the workflows checked include the shipped ones and the GitOps pipeline", () => {
  expect(workflows()).toEqual(expect.arrayContaining([".github/workflows/windows-contract.yml", PIPELINE]));
});

test.each(workflows())("%s passes actionlint", (file) => {
  const r = lint(file);
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test.each(workflows())("%s installs the Pulumi CLI in every job that runs it", (file) => {
  expect(jobsRunningPulumiUninstalled(readFileSync(path.join(REPO, file), "utf8"))).toEqual([]);
});

test("negative control: a step name with an unquoted ': ' is not YAML, and actionlint says where", () => {
  const broken = readFileSync(path.join(REPO, PIPELINE), "utf8").replace('- name: "pulumi preview (offline: no host is contacted)"', "- name: pulumi preview (offline: no host is contacted)");
  const file = path.join(tmp.dir, "broken.yml");
  writeFileSync(file, broken);
  const r = lint(file);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/broken\.yml:\d+:\d+: could not parse as YAML: mapping values are not allowed in this context/);
});

test("negative control: a job that runs pulumi without installing it is found", () => {
  const without = readFileSync(path.join(REPO, PIPELINE), "utf8").replace(/^\s+- uses: pulumi\/actions@v\d+\n\s+with: \{[^}]*\}\n/gm, "");
  expect(without).not.toMatch(/uses: pulumi\/actions/);
  expect(jobsRunningPulumiUninstalled(without).sort()).toEqual(["deploy", "plan"]);
});
