// The Windows runner workflow cannot run here; what can be checked here is that it is triggered
// by every change that can change the suite's outcome, and that it waits for HNS to answer
// before the suite starts (hosted Windows runners may boot with the container stack not up:
// actions/runner-images#13729).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parse } from "yaml";
import { powershellParser } from "./ps51";

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOW = ".github/workflows/windows-contract.yml";

interface Step {
  name?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push?: { branches?: string[]; paths?: string[] } };
  jobs: Record<string, { steps: Step[] }>;
}

const workflow = (text = readFileSync(path.join(ROOT, WORKFLOW), "utf8")) => parse(text) as Workflow;

/** The files a TypeScript file imports, transitively, repository-relative (node_modules left out). */
function importGraph(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const resolve = (from: string, spec: string): string | undefined => {
    const base = spec === "pulumi-hns" ? path.join(ROOT, "sdk") : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : undefined;
    if (!base) return undefined; // a package from node_modules: package-lock.json covers it
    return [base, `${base}.ts`, path.join(base, "index.ts")].find((f) => existsSync(f) && statSync(f).isFile());
  };
  const visit = (file: string) => {
    const rel = path.relative(ROOT, file);
    if (seen.has(rel)) return;
    seen.add(rel);
    if (!file.endsWith(".ts")) return;
    for (const { fileName } of ts.preProcessFile(readFileSync(file, "utf8")).importedFiles) {
      const target = resolve(file, fileName);
      if (target) visit(target);
    }
  };
  for (const e of entries) visit(path.join(ROOT, e));
  return seen;
}

/** GitHub's filter patterns: `*` within one path segment, `**` across segments (negations refused). */
function matchesFilter(pattern: string, file: string): boolean {
  if (pattern.startsWith("!")) throw new Error(`${WORKFLOW}: negated path filter ${pattern} is not handled by this check`);
  const re = pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*\*/g, "\0").replace(/\*/g, "[^/]*").replace(/\0/g, ".*");
  return new RegExp(`^${re}$`).test(file);
}

/** What the suite's outcome depends on: its own files, all they import, what they read from disk, and how it is run. */
function suiteInputs(): string[] {
  const contract = readdirSync(path.join(ROOT, "test/contract")).map((f) => `test/contract/${f}`);
  const graph = importGraph(contract.filter((f) => f.endsWith(".ts")));
  const read = [
    ...readdirSync(path.join(ROOT, "provider/hosts/powershell")).filter((f) => f.endsWith(".ps1")).map((f) => `provider/hosts/powershell/${f}`),
    ...readdirSync(path.join(ROOT, "test/native-hcn")).map((f) => `test/native-hcn/${f}`),
  ];
  return [...new Set([...contract, ...graph, ...read, "package.json", "package-lock.json", "jest.config.js", "tsconfig.json", WORKFLOW])].sort();
}

/** The files among `inputs` whose change would not start the workflow on a push. */
function untriggered(wf: Workflow, inputs: string[]): string[] {
  const paths = wf.on.push?.paths;
  if (!wf.on.push) return inputs;
  if (!paths) return [];
  return inputs.filter((f) => !paths.some((p) => matchesFilter(p, f)));
}

describe(WORKFLOW, () => {
  test("a push to main touching anything the suite loads (imports, scripts, package and jest config) starts it", () => {
    const inputs = suiteInputs();
    // The import graph reaches well beyond the transport: errors, features, HCN schemas, the emulator, the doubles.
    expect(inputs).toEqual(expect.arrayContaining(["provider/vocabulary/errors.ts", "provider/vocabulary/features.ts", "provider/hosts/powershell/client.ts", "test/doubles/double.ts", "provider/hosts/powershell/agent.ps1"]));
    expect(inputs.some((f) => f.startsWith("provider/hcn/"))).toBe(true);
    expect(untriggered(workflow(), inputs)).toEqual([]);
  });

  test("negative control: the earlier filter (provider/hosts/**, test/contract/**, the workflow) misses what the suite depends on", () => {
    const narrow = workflow();
    narrow.on.push = { branches: ["main"], paths: ["provider/hosts/**", "test/contract/**", WORKFLOW] };
    expect(untriggered(narrow, suiteInputs())).toEqual(expect.arrayContaining(["package.json", "jest.config.js", "provider/vocabulary/errors.ts", "provider/vocabulary/features.ts", "test/native-hcn/computenetwork.c"]));
  });

  test("before the suite, a PowerShell step waits (a bounded loop with a pause) until hnsdiag answers, and fails if it never does", async () => {
    const steps = Object.values(workflow().jobs).flatMap((j) => j.steps);
    const suite = steps.findIndex((s) => s.env?.HNS_TARGET === "local");
    const wait = steps.findIndex((s) => s.run !== undefined && /hnsdiag list networks/.test(s.run) && /Start-Sleep/.test(s.run));
    expect(suite).toBeGreaterThan(0);
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThan(suite);
    const run = steps[wait].run!;
    expect(steps[wait].shell).toBe("pwsh");
    // The step's script is PowerShell the grammar parses without error, and its loop is bounded.
    const tree = (await powershellParser()).parse(run.replace(/\$\{\{[^}]*\}\}/g, "pwsh"))!;
    expect(tree.rootNode.hasError).toBe(false);
    expect(tree.rootNode.descendantsOfType("for_statement")).toHaveLength(1);
    expect(run).toMatch(/\$LASTEXITCODE -eq 0/);
    expect(run).toMatch(/throw 'HNS did not answer/);
  });
});
