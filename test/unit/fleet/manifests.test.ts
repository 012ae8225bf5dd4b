/**
 * The fleet's manifests (provider/fleet/manifests.ts) against the schemas of the engines that
 * run them: the Pulumi Kubernetes Operator's published Stack CRD (test/fixtures/pko) through
 * ajv, and the GitHub workflow through actionlint and SchemaStore's workflow schema
 * (test/fixtures/github-workflow). Nothing here runs a GitHub runner or a Kubernetes API server.
 */
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import * as fc from "fast-check";
import { parse, parseAllDocuments } from "yaml";
import {
  DEFAULT_RESYNC_SECONDS,
  GITHUB_MATRIX_MAX_JOBS,
  OPERATOR_RESYNC_MIN_SECONDS,
  OPERATOR_STACK_NAME_MAX,
  FLEET_CONFIG,
  githubWorkflow,
  operatorStacks,
  operatorStacksYaml,
  type GithubWorkflowOptions,
  type OperatorStacksOptions,
} from "../../../provider/fleet/manifests";
import type { FleetGroup } from "../../../provider/fleet/split";
import { tempDir } from "../../helpers/tmp";

jest.setTimeout(600_000); // the first run builds actionlint from the Go module proxy

const REPO = path.resolve(__dirname, "../../..");
const FIXTURES = path.join(REPO, "test/fixtures");
const tmp = tempDir("hns-fleet-manifests-");
afterAll(tmp.cleanup);

type Json = Record<string, unknown>;
const GROUPS: FleetGroup[] = [
  { stack: "edge-a", hosts: ["win-1", "win-2"] },
  { stack: "edge-b", hosts: ["win-3"] },
  { stack: "build", hosts: ["build-1"] },
];
const OPERATOR: OperatorStacksOptions = { fleet: "edge", groups: GROUPS, namespace: "hns", serviceAccountName: "hns-fleet", projectRepo: "https://github.com/acme/networks.git" };

/** A fixture, after checking it is byte for byte the file its SOURCES.md names (by sha256). */
function fixture(dir: string, file: string): string {
  const text = readFileSync(path.join(FIXTURES, dir, file), "utf8");
  const sources = readFileSync(path.join(FIXTURES, dir, "SOURCES.md"), "utf8");
  expect(sources).toContain(createHash("sha256").update(text).digest("hex"));
  return text;
}

/** "Is `what` refused, with this field named in the message?" */
function refusal(run: () => unknown): { path?: string; message: string } {
  try {
    run();
  } catch (e) {
    return { path: (e as { path?: string }).path, message: (e as Error).message };
  }
  throw new Error("not refused");
}

// ---- The operator's Stack CRD ------------------------------------------------------------

const crd = JSON.parse(fixture("pko", "stacks.pulumi.com-v1.schema.json")) as Json;

/**
 * The CRD schema as the API server applies it to `kubectl apply` (field validation "Strict",
 * kubectl's default since Kubernetes 1.27, KEP-2885): a field the schema does not declare is an
 * error, unless the object preserves unknown fields. Kubernetes' own keywords (x-kubernetes-*)
 * are not JSON Schema, so ajv runs with strict off and ignores them; its CEL rule is checked
 * apart (celRule below).
 */
function strictFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictFields);
  if (!schema || typeof schema !== "object") return schema;
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as Json).map(([p, x]) => [p, strictFields(x)])) : strictFields(v)])) as Json;
  if (s.type === "object" && s.properties && s.additionalProperties === undefined && s["x-kubernetes-preserve-unknown-fields"] !== true) s.additionalProperties = false;
  return s;
}

function kubernetesAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // OpenAPI's integer formats bound the value; date-time is the only string format the CRD uses.
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("date-time", { type: "string", validate: (t: string) => !Number.isNaN(Date.parse(t)) });
  return ajv;
}
const validateStack: ValidateFunction = kubernetesAjv().compile(strictFields(crd) as Json);

/** The CRD's one CEL rule, read from the fixture: `size(self.metadata.name) <= N`. */
const celRule = (() => {
  const rules = crd["x-kubernetes-validations"] as Array<{ rule: string }>;
  expect(rules).toHaveLength(1);
  const m = /^size\(self\.metadata\.name\) <= (\d+)$/.exec(rules[0].rule);
  if (!m) throw new Error(`the CRD's rule changed: ${rules[0].rule}`);
  return Number(m[1]);
})();

/** What the API server would say of a Stack: the CRD schema, the CEL rule and ObjectMeta's name rule (DNS-1123 subdomain). */
function stackProblems(obj: unknown): string[] {
  const problems = validateStack(obj) ? [] : validateStack.errors!.map((e) => `${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
  const name = (obj as { metadata?: { name?: unknown } }).metadata?.name;
  if (typeof name !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) problems.push("/metadata/name is not a DNS-1123 subdomain");
  else if (name.length > celRule) problems.push(`/metadata/name is longer than ${celRule} (the CRD's CEL rule)`);
  return problems;
}

const spec = (crd.properties as Json).spec as { properties: Record<string, { description?: string }>; required: string[] };

describe("operatorStacks", () => {
  const variants: Record<string, OperatorStacksOptions> = {
    minimal: OPERATOR,
    "file backend on a claim, passphrase and git token from Secrets, organization, project directory": {
      ...OPERATOR,
      stateClaimName: "hns-state",
      secretEnv: { PULUMI_CONFIG_PASSPHRASE: { name: "hns-fleet", key: "passphrase" } },
      gitAuthSecret: { name: "git-token", key: "accessToken" },
      organization: "acme",
      repoDir: "fleet/prod",
      branch: "release/2026",
      resyncFrequencySeconds: 60,
    },
    "s3 backend, Pulumi Cloud token": { ...OPERATOR, backendUrl: "s3://acme-pulumi-state?region=eu-west-1", secretEnv: { PULUMI_ACCESS_TOKEN: { name: "pulumi", key: "token" } } },
  };

  test.each(Object.entries(variants))("%s: every Stack validates against the operator's CRD (v2.9.0)", (_, options) => {
    const stacks = operatorStacks(options);
    expect(stacks).toHaveLength(GROUPS.length);
    for (const s of stacks) expect(stackProblems(s)).toEqual([]);
    // The YAML form is the same objects.
    expect(parseAllDocuments(operatorStacksYaml(options)).map((d) => d.toJS())).toEqual(stacks);
  });

  test("the limits the module states are the CRD's: the name length of its CEL rule and the resync floor of its description", () => {
    expect(OPERATOR_STACK_NAME_MAX).toBe(celRule);
    expect(spec.properties.resyncFrequencySeconds.description).toContain(`The minimum value is ${OPERATOR_RESYNC_MIN_SECONDS} seconds`);
    expect(DEFAULT_RESYNC_SECONDS).toBeGreaterThanOrEqual(OPERATOR_RESYNC_MIN_SECONDS);
  });

  test("one Stack per group, carrying the group's hosts, refreshed and updated every resync even on an unchanged commit", () => {
    const stacks = operatorStacks({ ...OPERATOR, resyncFrequencySeconds: 120 });
    // The program reads the fleet's name (the HNS ID seed) and the group's hosts from these keys.
    expect(stacks.map((s) => [s.metadata.name, s.spec.stack, s.spec.config])).toEqual(GROUPS.map((g) => [g.stack, g.stack, { [FLEET_CONFIG.name]: "edge", [FLEET_CONFIG.hosts]: g.hosts }]));
    for (const s of stacks) {
      expect(s.spec).toMatchObject({ refresh: true, continueResyncOnCommitMatch: true, resyncFrequencySeconds: 120, serviceAccountName: "hns-fleet" });
      expect(s.metadata.namespace).toBe("hns");
      // destroyOnFinalize stays off: deleting a Stack object must not take networks off the hosts.
      expect(s.spec.destroyOnFinalize).toBeUndefined();
    }
    // The drift healing rests on these three fields: the CRD describes them so.
    expect(spec.properties.continueResyncOnCommitMatch.description).toMatch(/continue trying\s+to update stacks even if the revision of the source matches/);
    expect(spec.properties.refresh.description).toMatch(/refresh the stack before it is updated/);
  });

  test("secrets reach the workspace only as references to Kubernetes Secrets, never as values", () => {
    const [s] = operatorStacks(variants["file backend on a claim, passphrase and git token from Secrets, organization, project directory"]);
    expect(s.spec.envRefs).toEqual({
      PULUMI_CONFIG_PASSPHRASE: { type: "Secret", secret: { name: "hns-fleet", key: "passphrase" } },
      // The one literal: the lock is frozen (a stack must never rewrite the fleet's one lock).
      PULUMI_HNS_FROZEN_LOCK: { type: "Literal", literal: { value: "1" } },
    });
    expect(s.spec.gitAuth).toEqual({ accessToken: { type: "Secret", secret: { name: "git-token", key: "accessToken" } } });
    expect(JSON.stringify(s).match(/"Literal"/g)).toHaveLength(1);
    expect(s.spec.backend).toBe("file:///var/lib/pulumi-hns/state");
    expect(s.spec.stack).toBe("acme/edge-a");
  });

  describe("negative controls: the validation refuses what the API server would", () => {
    const good = () => JSON.parse(JSON.stringify(operatorStacks(OPERATOR)[0])) as { metadata: Json; spec: Json };
    test.each<[string, (s: { metadata: Json; spec: Json }) => void, RegExp]>([
      ["a Stack without its required spec.stack", (s) => delete s.spec.stack, /\/spec must have required property 'stack'/],
      ["resyncFrequencySeconds as text", (s) => (s.spec.resyncFrequencySeconds = "300"), /\/spec\/resyncFrequencySeconds must be integer/],
      ["a misspelled field (resyncFrequency)", (s) => (s.spec.resyncFrequency = 300), /\/spec must NOT have additional properties \(resyncFrequency\)/],
      ["an envRefs entry without its type", (s) => (s.spec.envRefs = { PULUMI_CONFIG_PASSPHRASE: { secret: { name: "a", key: "b" } } }), /\/spec\/envRefs\/PULUMI_CONFIG_PASSPHRASE must have required property 'type'/],
      ["a workspace reclaim policy the CRD does not list", (s) => (s.spec.workspaceReclaimPolicy = "Keep"), /\/spec\/workspaceReclaimPolicy must be equal to one of the allowed values/],
      ["a name longer than the CEL rule allows", (s) => (s.metadata.name = "a".repeat(43)), /longer than 42/],
      ["a name with an uppercase letter", (s) => (s.metadata.name = "Edge-A"), /not a DNS-1123 subdomain/],
    ])("%s", (_, spoil, problem) => {
      const s = good();
      expect(stackProblems(s)).toEqual([]);
      spoil(s);
      expect(stackProblems(s).join("\n")).toMatch(problem);
    });
  });

  describe("options it refuses, naming the field and the fix", () => {
    test.each<[string, Partial<OperatorStacksOptions>, string, RegExp]>([
      ["a resync below the operator's floor", { resyncFrequencySeconds: 30 }, "resyncFrequencySeconds", /floor of 60 seconds.*give 60 or more/],
      ["a stack name that cannot name a Kubernetes object", { groups: [{ stack: "Edge_A", hosts: ["h"] }] }, "groups.0.stack", /names the Stack object too.*rename the group/],
      ["a stack name past the CEL rule's 42 characters", { groups: [{ stack: "a".repeat(43), hosts: ["h"] }] }, "groups.0.stack", /at most 42/],
      ["a file backend in the pod", { backendUrl: "file:///state" }, "backendUrl", /lost with the pod: give stateClaimName/],
      ["a namespace with capitals", { namespace: "Hns" }, "namespace", /DNS-1123 label/],
      ["a git URL with a token in it", { projectRepo: "https://x-access-token:ghp_SECRET@github.com/acme/n.git" }, "projectRepo", /credentials before '@'.*gitAuthSecret/],
      ["a fleet name too long for a label", { fleet: "f".repeat(64) }, "fleet", /label value/],
      ["a misspelled option", { resyncFrequencySecond: 60 } as Partial<OperatorStacksOptions>, "resyncFrequencySecond", /not a field here.*resyncFrequencySeconds/],
    ])("%s", (_, change, field, fix) => {
      const r = refusal(() => operatorStacks({ ...OPERATOR, ...change }));
      expect(r.path).toBe(field);
      expect(r.message).toContain(`${field} `);
      expect(r.message).toMatch(fix);
      // A credential given by mistake is not repeated in the error.
      expect(r.message).not.toContain("ghp_SECRET");
    });
  });
});

// ---- The GitHub workflow -----------------------------------------------------------------

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  if: string;
  "runs-on": string | string[];
  concurrency: { group: string; "cancel-in-progress": boolean };
  strategy: { "fail-fast": boolean; matrix: { include: FleetGroup[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: { preview: Job; up: Job };
}

const validateWorkflow: ValidateFunction = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fixture("github-workflow", "github-workflow.json")));

let actionlint: string;
beforeAll(() => {
  const out = execFileSync("bash", [path.join(REPO, "scripts/setup-actionlint.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  actionlint = out.trim().split("\n").pop()!;
});
/** actionlint on a workflow text, with the repository's config (it names the self-hosted runner label). */
function lint(text: string, name = "fleet.yml"): { status: number | null; out: string } {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, text);
  const r = spawnSync(actionlint, ["-no-color", "-config-file", path.join(REPO, ".github/actionlint.yaml"), file], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}
const schemaProblems = (doc: unknown) => (validateWorkflow(doc) ? [] : validateWorkflow.errors!.map((e) => `${e.instancePath} ${e.message}`));

describe("githubWorkflow", () => {
  const variants: Record<string, GithubWorkflowOptions> = {
    defaults: { fleet: "edge", groups: GROUPS },
    "a project directory, an s3 backend, two secrets, max-parallel, other runners": {
      fleet: "edge",
      groups: GROUPS,
      projectDir: "fleet/prod",
      backendUrl: "s3://acme-pulumi-state",
      secretEnv: ["PULUMI_CONFIG_PASSPHRASE", "AWS_SECRET_ACCESS_KEY"],
      maxParallel: 4,
      previewRunsOn: "ubuntu-24.04",
      upRunsOn: ["self-hosted", "windows-network"],
      branch: "release/2026",
    },
    "YAML-special stack and host names": {
      fleet: "yes",
      groups: [
        { stack: "yes", hosts: ["on", "12:30", "0o17", "node:1", "#x", "*a", "&b", "null", "[x]", "{y}", "!t", "%x", "a#b", "'q'", '"q"', "-x", "?", "|"] },
        { stack: ".inf", hosts: ["1e3"] },
        { stack: "-", hosts: ["~"] },
      ],
    },
  };

  test.each(Object.entries(variants))("%s: passes actionlint and SchemaStore's workflow schema", (name, options) => {
    const text = githubWorkflow(options);
    const r = lint(text, `${name.replace(/\W+/g, "-")}.yml`);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
    expect(schemaProblems(parse(text))).toEqual([]);
  });

  test("YAML-special names come back as the same strings, read as YAML 1.2 and as YAML 1.1", () => {
    const options = variants["YAML-special stack and host names"];
    const text = githubWorkflow(options);
    for (const version of ["1.1", "1.2"] as const) {
      const wf = parse(text, { version }) as Workflow;
      expect(wf.jobs.preview.strategy.matrix.include).toEqual(options.groups);
      expect(wf.jobs.up.strategy.matrix.include).toEqual(options.groups);
    }
  });

  test("any valid names round-trip: the matrix is exactly the groups (property)", () => {
    const stack = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
    const host = fc.stringMatching(/^[!-.0-~]{1,12}$/).filter((h) => !h.includes("${{"));
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ stack, hosts: fc.uniqueArray(host, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 4, selector: (g) => g.stack }), (groups) => {
        // Hosts must be in one group only: keep each host's first group.
        const seen = new Set<string>();
        const disjoint = groups.map((g) => ({ stack: g.stack, hosts: g.hosts.filter((h) => !seen.has(h) && seen.add(h)) })).filter((g) => g.hosts.length > 0);
        if (disjoint.length === 0) return;
        for (const version of ["1.1", "1.2"] as const) expect((parse(githubWorkflow({ fleet: "edge", groups: disjoint }), { version }) as Workflow).jobs.up.strategy.matrix.include).toEqual(disjoint);
      }),
      { numRuns: 100 },
    );
  });

  test("one matrix entry per group, fail-fast off, one concurrency group per stack, never cancelling an up", () => {
    const wf = parse(githubWorkflow({ fleet: "edge", groups: GROUPS })) as Workflow;
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push", "workflow_dispatch"]);
    for (const job of [wf.jobs.preview, wf.jobs.up]) {
      expect(job.strategy.matrix.include).toEqual(GROUPS);
      expect(job.strategy["fail-fast"]).toBe(false);
      expect(job.concurrency.group).toContain("${{ matrix.stack }}");
    }
    expect(wf.jobs.preview.if).toBe("github.event_name == 'pull_request'");
    expect(wf.jobs.up.if).toMatch(/github\.event_name == 'push' \|\| github\.event_name == 'workflow_dispatch'/);
    expect(wf.jobs.up.concurrency["cancel-in-progress"]).toBe(false);
    const commands = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
    expect(commands(wf.jobs.preview)).toMatch(/pulumi preview --stack "\$STACK"/);
    expect(commands(wf.jobs.preview)).not.toMatch(/pulumi up/);
    expect(commands(wf.jobs.up)).toMatch(/pulumi up --stack "\$STACK" --refresh --yes/);
    // Each job tells its stack's program the fleet's name and the group's hosts, with the lock frozen.
    for (const job of [wf.jobs.preview, wf.jobs.up]) {
      const select = job.steps.find((st) => st.run?.includes("pulumi stack select"))!;
      expect(select.run).toContain(`-- ${FLEET_CONFIG.name} "$FLEET"`);
      expect(select.run).toContain(`-- ${FLEET_CONFIG.hosts} "$HOSTS"`);
      expect(select.env).toMatchObject({ FLEET: "edge", HOSTS: "${{ toJSON(matrix.hosts) }}", STACK: "${{ matrix.stack }}", PULUMI_HNS_FROZEN_LOCK: "1" });
    }
  });

  test("no user value reaches a run script: the scripts are the same whatever the groups, and they hold no expression", () => {
    const scripts = (o: GithubWorkflowOptions) => {
      const wf = parse(githubWorkflow(o)) as Workflow;
      return [wf.jobs.preview, wf.jobs.up].flatMap((j) => j.steps.map((s) => s.run).filter((r) => r !== undefined));
    };
    const a = scripts({ fleet: "edge", groups: GROUPS });
    expect(a.join("\n")).not.toContain("${{");
    expect(scripts(variants["YAML-special stack and host names"])).toEqual(a);
  });

  test("secrets appear only as ${{ secrets.NAME }}, and no secret value is in the text", () => {
    const sentinel = "passphrase-value-that-must-not-appear";
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    process.env.PULUMI_CONFIG_PASSPHRASE = sentinel;
    try {
      const text = githubWorkflow(variants["a project directory, an s3 backend, two secrets, max-parallel, other runners"]);
      expect(text).not.toContain(sentinel);
      const wf = parse(text) as Workflow;
      const envs = [wf.jobs.preview, wf.jobs.up].flatMap((j) => j.steps.flatMap((s) => Object.entries(s.env ?? {})));
      const secretRefs = envs.filter(([, v]) => v.includes("secrets."));
      expect(new Set(secretRefs.map(([k, v]) => `${k}=${v}`))).toEqual(new Set(["PULUMI_CONFIG_PASSPHRASE=${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", "AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}"]));
      // Secrets are given to the Pulumi steps only, not to the whole workflow (npm ci runs package scripts).
      expect((wf as unknown as { env?: unknown }).env).toBeUndefined();
      for (const j of [wf.jobs.preview, wf.jobs.up]) expect(j.steps.find((s) => s.run === "npm ci")!.env).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
    }
  });

  describe("negative controls: a broken workflow is caught", () => {
    const good = () => parse(githubWorkflow({ fleet: "edge", groups: GROUPS })) as Workflow & { jobs: Record<string, Json> };
    test("a job without runs-on: actionlint and the schema both refuse it", () => {
      const wf = good();
      delete (wf.jobs.up as Partial<Job>)["runs-on"];
      const r = lint(JSON.stringify(wf), "no-runs-on.yml");
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/"runs-on" section is missing in job "up"/);
      expect(schemaProblems(wf).length).toBeGreaterThan(0);
    });
    test("a misspelled concurrency key: the schema and actionlint both refuse it", () => {
      const wf = good();
      wf.jobs.up.concurrency = { group: wf.jobs.up.concurrency.group, "cancel-in-progres": false } as unknown as Job["concurrency"];
      expect(schemaProblems(wf)).toContain("/jobs/up/concurrency must NOT have additional properties");
      const r = lint(JSON.stringify(wf), "concurrency-typo.yml");
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/unexpected key "cancel-in-progres" for "concurrency" section/);
    });
    test("an unknown context in an expression: actionlint refuses it", () => {
      const r = lint(githubWorkflow({ fleet: "edge", groups: GROUPS }).replace("${{ matrix.stack }}-preview", "${{ matrx.stack }}-preview").replace("-preview-${{ github.ref }}-${{ matrix.stack }}", "-preview-${{ github.ref }}-${{ matrx.stack }}"), "bad-context.yml");
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/undefined variable "matrx"/);
    });
    test("names spliced into YAML text by hand would break it; the generator's output stays one document with the same names", () => {
      const hostile = "x\n  evil: true";
      const spliced = `jobs:\n  up:\n    strategy:\n      matrix:\n        include:\n          - stack: a\n            hosts: [${hostile}]\n`;
      expect(() => parse(spliced)).toThrow();
      // The generator takes no such name (a topology host name has no line break), and says so.
      expect(refusal(() => githubWorkflow({ fleet: "edge", groups: [{ stack: "a", hosts: [hostile] }] })).path).toBe("groups.0.hosts.0");
    });
  });

  describe("options it refuses, naming the field and the fix", () => {
    test.each<[string, Partial<GithubWorkflowOptions>, string, RegExp]>([
      ["a stack name with a space", { groups: [{ stack: "edge a", hosts: ["h"] }] }, "groups.0.stack", /not a Pulumi stack name.*rename the group/],
      ["a stack name with YAML syntax", { groups: [{ stack: "a: b", hosts: ["h"] }] }, "groups.0.stack", /not a Pulumi stack name/],
      ["a stack name with shell syntax", { groups: [{ stack: "$(id)", hosts: ["h"] }] }, "groups.0.stack", /not a Pulumi stack name/],
      ["a stack name over 100 characters", { groups: [{ stack: "a".repeat(101), hosts: ["h"] }] }, "groups.0.stack", /1-100/],
      ["an empty stack name", { groups: [{ stack: "", hosts: ["h"] }] }, "groups.0.stack", /not a Pulumi stack name/],
      ["a host name carrying an expression", { groups: [{ stack: "a", hosts: ["x${{github.token}}"] }] }, "groups.0.hosts.0", /evaluate as an expression: remove it/],
      ["two groups of one stack", { groups: [{ stack: "a", hosts: ["h1"] }, { stack: "a", hosts: ["h2"] }] }, "groups.1.stack", /give each group its own stack name/],
      ["one host in two groups", { groups: [{ stack: "a", hosts: ["h1"] }, { stack: "b", hosts: ["h1"] }] }, "groups.1.hosts.0", /keep each host in one group/],
      ["a fleet name with a slash", { fleet: "a/b" }, "fleet", /not a fleet name/],
      ["no groups", { groups: [] }, "groups", /is empty: give at least one host group/],
      ["a group without hosts", { groups: [{ stack: "a", hosts: [] }] }, "groups.0.hosts", /has no hosts: give each group at least one host/],
      ["more groups than a matrix runs", { groups: Array.from({ length: GITHUB_MATRIX_MAX_JOBS + 1 }, (_, i) => ({ stack: `g${i}`, hosts: [`h${i}`] })) }, "groups", /fewer, larger groups/],
      ["a file backend on GitHub-hosted runners", { backendUrl: "file:///srv/pulumi" }, "previewRunsOn", /loses a file:\/\/ backend's state.*self-hosted runner/],
      ["a backend URL with credentials", { backendUrl: "https://user:tok3n@pulumi.acme.example" }, "backendUrl", /credentials before '@'.*secretEnv/],
      ["a secret name GitHub reserves", { secretEnv: ["GITHUB_TOKEN"] }, "secretEnv.0", /reserves: rename/],
      ["a project directory outside the repository", { projectDir: "../other" }, "projectDir", /'\.\.'/],
      ["a misspelled option", { maxParalel: 2 } as Partial<GithubWorkflowOptions>, "maxParalel", /not a field here.*maxParallel/],
    ])("%s", (_, change, field, fix) => {
      const r = refusal(() => githubWorkflow({ fleet: "edge", groups: GROUPS, ...change }));
      expect(r.path).toBe(field);
      expect(r.message).toMatch(fix);
      expect(r.message).not.toContain("tok3n");
    });
  });
});
