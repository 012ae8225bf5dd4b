/**
 * A fleet's stacks (one per host group, all planned from one topology and one lock file) as
 * manifests for the engines users already run at scale:
 *
 * - githubWorkflow: a GitHub Actions workflow with one matrix job per host group: preview on a
 *   pull request, `up --refresh` on a push to the branch or a manual run. `fail-fast: false`, so
 *   one failing group does not cancel the others, and one concurrency group per stack, so two
 *   runs never update one stack at once.
 * - operatorStacks: Pulumi Kubernetes Operator (v2) `Stack` objects, one per group, that refresh
 *   and update their stack every `resyncFrequencySeconds` even when the commit has not changed:
 *   the operator's periodic resync heals drift (a network lost with a reboot) without a person.
 *
 * Pure: nothing is read or written when they run (no file, network or environment). Every value goes into the output through the
 * `yaml` package as data (never spliced into YAML text or a shell line), and every value a user
 * gives is judged first, all problems in one error naming the field and the fix.
 */
import { z } from "zod";
import { Document, Scalar, parse, visit } from "yaml";
import { version as SDK_PULUMI_VERSION } from "@pulumi/pulumi/package.json";
import { HnsError } from "../vocabulary/errors";
import { zodFailures } from "../vocabulary/issues";
import { TopologyName, textSchema } from "../vocabulary/values";
import { STACK_NAME } from "../vocabulary/facts/stack-name";
import type { FleetGroup } from "./split";

/**
 * The Stack CRD's own rule (x-kubernetes-validations in pulumi.com_stacks.yaml, operator v2.9.0):
 * `size(self.metadata.name) <= 42`, "Stack name must be no more than 42 characters in length".
 */
export const OPERATOR_STACK_NAME_MAX = 42;
/**
 * The operator's floor for resyncFrequencySeconds: "values below 60 (including 0) are treated as
 * 60" (the field's description in the CRD). Refused here rather than silently raised.
 */
export const OPERATOR_RESYNC_MIN_SECONDS = 60;
/**
 * Every resync of every stack refreshes all its hosts and starts an update in a workspace pod;
 * five minutes bounds how long a lost network stays lost without that load every minute.
 */
export const DEFAULT_RESYNC_SECONDS = 300;
/** "A matrix can generate a maximum of 256 jobs per workflow run" (docs.github.com, "Running variations of jobs in a workflow"). */
export const GITHUB_MATRIX_MAX_JOBS = 256;
/**
 * The stack config through which each stack's program learns its group (docs/fleet-engines.md):
 * `new pulumi.Config("hnsFleet")`, `require("name")` for the fleet's name (the HNS ID seed,
 * sdk/topology.ts `fleet`) and `requireObject<string[]>("hosts")` for the group's hosts.
 */
export const FLEET_CONFIG = { name: "hnsFleet:name", hosts: "hnsFleet:hosts" } as const;
/** The variable that freezes the lock (sdk/topology.ts): parallel stacks must never write it. */
const FROZEN_LOCK_ENV = "PULUMI_HNS_FROZEN_LOCK";
/** The one container of an operator v2 workspace pod (the operator's examples/custom-workspace/workspace.yaml). */
const WORKSPACE_CONTAINER = "pulumi";
/** Where a file backend's PersistentVolumeClaim is mounted in the workspace pod. */
const STATE_MOUNT = "/var/lib/pulumi-hns/state";

/** GitHub evaluates `${{ ... }}` almost anywhere in a workflow file: no value of ours may carry one. */
const noExpression = (s: z.ZodString) => s.refine((v) => !v.includes("${{"), { message: "contains '${{', which GitHub Actions would evaluate as an expression: remove it" });

const FleetName = z.string().regex(STACK_NAME, "is not a fleet name (it seeds HNS IDs as a stack name would): 1-100 letters, digits, '-', '_' or '.'");
const StackName = z.string().regex(STACK_NAME, "is not a Pulumi stack name (1-100 letters, digits, '-', '_' or '.'): rename the group");
const HostName = textSchema(TopologyName).pipe(noExpression(z.string()));
const Group = z.object({ stack: StackName, hosts: z.array(HostName).refine((h) => h.length > 0, { message: "has no hosts: give each group at least one host, or leave the group out" }) }).strict();

const Groups = z
  .array(Group)
  .refine((g) => g.length > 0, { message: "is empty: give at least one host group" })
  .superRefine((groups, ctx) => {
    const stacks = new Map<string, number>();
    const hosts = new Map<string, number>();
    groups.forEach((g, i) => {
      const first = stacks.get(g.stack);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "stack"], message: `"${g.stack}" is also the stack of group ${first}: give each group its own stack name` });
      else stacks.set(g.stack, i);
      g.hosts.forEach((h, j) => {
        const owner = hosts.get(h);
        if (owner !== undefined && owner !== i) ctx.addIssue({ code: "custom", path: [i, "hosts", j], message: `host "${h}" is also in group ${owner}: two stacks would both deploy it; keep each host in one group` });
        else hosts.set(h, i);
      });
    });
  });

const PulumiVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'is not a Pulumi CLI version: write major.minor.patch, e.g. "3.248.0"');
/** A path inside the repository, '/'-separated: no '..', nothing absolute, no blanks or quotes. */
const RepoPath = z.string().regex(/^(\.|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/, "is not a relative path of the repository: write directories of letters, digits, '-', '_' and '.' separated by '/'").refine((v) => !v.split("/").includes(".."), { message: "climbs out of the repository with '..': give the path from the repository root" });
const GitBranch = z.string().regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9_./-]{1,200}$/, "is not a branch name this generator takes: letters, digits, '-', '_', '.' and '/' (no '..')");

/**
 * A backend URL (https://www.pulumi.com/docs/iac/concepts/state-and-backends/): Pulumi Cloud or
 * a self-managed service (https://), or a DIY backend (file://, s3://, azblob://, gs://).
 * Credentials never go in it: they come from secrets (GitHub) or Kubernetes Secrets (operator).
 */
const BackendUrl = z
  .string()
  .regex(/^(https|file|s3|azblob|gs):\/\/\S+$/, "is not a backend URL: write https://, file://, s3://, azblob:// or gs:// followed by the location")
  .refine((v) => !/^[a-z0-9]+:\/\/[^/?#]*@/.test(v), { message: "carries credentials before '@': remove them and pass them as a secret environment variable (secretEnv)" })
  .pipe(noExpression(z.string()));

/** GitHub's secret names: letters, digits and '_', not starting with a digit or GITHUB_ (docs.github.com, "Using secrets in GitHub Actions"). */
const SecretName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a secret name: use letters, digits and '_', not starting with a digit")
  .refine((v) => !/^GITHUB_/i.test(v), { message: "starts with GITHUB_, which GitHub reserves: rename the secret" });
const RunnerLabel = z.string().regex(/^[A-Za-z0-9_.-]+$/, "is not a runner label: use letters, digits, '-', '_' and '.'");
const RunsOn = z.union([RunnerLabel, z.array(RunnerLabel).min(1)]);
/** GitHub-hosted runners (ubuntu-*, windows-*, macos-*) are new for every job: nothing they write survives it. */
const hostedLabel = (runsOn: string | string[]) => [runsOn].flat().find((l) => /^(ubuntu|windows|macos)-/.test(l));

export const GithubWorkflowOptions = z
  .object({
    groups: Groups.refine((g) => g.length <= GITHUB_MATRIX_MAX_JOBS, { message: `has more groups than the ${GITHUB_MATRIX_MAX_JOBS} jobs a GitHub matrix runs: make fewer, larger groups` }),
    /** The Pulumi project's directory in the repository. Defaults to the root. */
    projectDir: RepoPath.default("."),
    /** The branch whose pushes deploy (and whose pull requests preview). Defaults to "main". */
    branch: GitBranch.default("main"),
    /** The backend's URL. Defaults to the repository variable PULUMI_BACKEND_URL (`${{ vars.PULUMI_BACKEND_URL }}`). */
    backendUrl: BackendUrl.optional(),
    /** Environment variables each Pulumi step gets from the secret of the same name. Defaults to PULUMI_CONFIG_PASSPHRASE. */
    secretEnv: z.array(SecretName).default(["PULUMI_CONFIG_PASSPHRASE"]),
    /** The fleet's name (hns-plan fleet --fleet): every group's program seeds HNS IDs with it. */
    fleet: FleetName,
    /** Runners for previews. Defaults to ubuntu-latest: a preview reaches no host. */
    previewRunsOn: RunsOn.default("ubuntu-latest"),
    /** Runners for updates: ones that reach the hosts. Defaults to [self-hosted, windows-network]. */
    upRunsOn: RunsOn.default(["self-hosted", "windows-network"]),
    /** At most this many groups at once. Defaults to GitHub's own limit. */
    maxParallel: z.number().int().min(1).optional(),
    /** The Pulumi CLI installed by pulumi/actions. Defaults to the @pulumi/pulumi version this package pins. */
    pulumiVersion: PulumiVersion.default(SDK_PULUMI_VERSION),
    nodeVersion: z.string().regex(/^\d+$/, 'is not a Node.js major version: write e.g. "20"').default("20"),
    name: z.string().regex(/^[A-Za-z0-9_. -]{1,100}$/, "is not a workflow name this generator takes: letters, digits, spaces, '-', '_' and '.'").default("hns-fleet"),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (!o.backendUrl?.startsWith("file://")) return;
    for (const field of ["previewRunsOn", "upRunsOn"] as const) {
      const hosted = hostedLabel(o[field]);
      if (hosted) ctx.addIssue({ code: "custom", path: [field], message: `runs on "${hosted}", a GitHub-hosted runner that loses a file:// backend's state with the job: use a self-hosted runner with a persistent directory, or an s3://, azblob://, gs:// or https:// backend` });
    }
  });
export type GithubWorkflowOptions = z.input<typeof GithubWorkflowOptions>;

const DnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "is not a Kubernetes name (DNS-1123 label): 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit");
const DnsSubdomain = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "is not a Kubernetes object name (DNS-1123 subdomain): lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
const LabelValue = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "is not a Kubernetes label value: 1-63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
/** A key of a Kubernetes Secret in the Stack's namespace: where the operator reads a secret value from. */
const SecretKeyRef = z.object({ name: DnsSubdomain, key: z.string().regex(/^[-._A-Za-z0-9]{1,253}$/, "is not a Secret key: letters, digits, '-', '_' and '.'") }).strict();
const GitUrl = z
  .string()
  .regex(/^(https:\/\/\S+|ssh:\/\/\S+|[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:\S+)$/, "is not a git URL: write https://host/org/repo.git or git@host:org/repo.git")
  .refine((v) => !/^https:\/\/[^/?#]*@/.test(v), { message: "carries credentials before '@': remove them and give a token Secret in gitAuthSecret" });

export const OperatorStacksOptions = z
  .object({
    groups: Groups,
    /** The namespace of the Stack objects (and of their service account and Secrets). */
    namespace: DnsLabel,
    /** The service account of each stack's workspace pod (operator v2: every Stack needs one). */
    serviceAccountName: DnsSubdomain,
    /** The git repository holding the Pulumi project, the topology and its lock. */
    projectRepo: GitUrl,
    branch: GitBranch.default("main"),
    /** The Pulumi project's directory in the repository. Defaults to the root. */
    repoDir: RepoPath.optional(),
    /** Pulumi Cloud organization: the operator's stack is then "<organization>/<stack>". */
    organization: z.string().regex(STACK_NAME, "is not a Pulumi organization name: letters, digits, '-', '_' and '.'").optional(),
    /** The backend's URL. Defaults to Pulumi Cloud (the operator's default). A file:// backend needs stateClaimName instead. */
    backendUrl: BackendUrl.optional(),
    /** A PersistentVolumeClaim (ReadWriteMany, shared by the stacks) holding a file backend's state. */
    stateClaimName: DnsSubdomain.optional(),
    /** Environment variables of the workspace, each from a key of a Secret (PULUMI_CONFIG_PASSPHRASE, PULUMI_ACCESS_TOKEN, ...). */
    secretEnv: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not an environment variable name: letters, digits and '_'"), SecretKeyRef).default({}),
    /** A Secret key holding a git access token, for a private repository. */
    gitAuthSecret: SecretKeyRef.optional(),
    resyncFrequencySeconds: z
      .number()
      .int()
      .refine((n) => n >= OPERATOR_RESYNC_MIN_SECONDS, `is below the operator's floor of ${OPERATOR_RESYNC_MIN_SECONDS} seconds (it would run every ${OPERATOR_RESYNC_MIN_SECONDS} s anyway): give ${OPERATOR_RESYNC_MIN_SECONDS} or more`)
      .default(DEFAULT_RESYNC_SECONDS),
    /** The workspace image's Pulumi CLI (pulumi/pulumi:<version>-nonroot). Defaults to the @pulumi/pulumi version this package pins. */
    pulumiVersion: PulumiVersion.default(SDK_PULUMI_VERSION),
    /** The fleet's name (hns-plan fleet --fleet): every group's program seeds HNS IDs with it; also the Stacks' app.kubernetes.io/part-of label. */
    fleet: FleetName.pipe(LabelValue),
  })
  .strict()
  .superRefine((o, ctx) => {
    o.groups.forEach((g, i) => {
      if (!DnsSubdomain.safeParse(g.stack).success || g.stack.length > OPERATOR_STACK_NAME_MAX) {
        ctx.addIssue({
          code: "custom",
          path: ["groups", i, "stack"],
          message: `"${g.stack}" names the Stack object too, which must be at most ${OPERATOR_STACK_NAME_MAX} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit: rename the group`,
        });
      }
    });
    if (o.stateClaimName && o.backendUrl) ctx.addIssue({ code: "custom", path: ["backendUrl"], message: `is set with stateClaimName, which makes the backend file://${STATE_MOUNT}: give one of them` });
    if (o.backendUrl?.startsWith("file://")) ctx.addIssue({ code: "custom", path: ["backendUrl"], message: "is a file backend inside the workspace pod, lost with the pod: give stateClaimName (a PersistentVolumeClaim) instead, or an s3://, azblob://, gs:// or https:// backend" });
  });
export type OperatorStacksOptions = z.input<typeof OperatorStacksOptions>;

/** Every problem of the options in one error: each field, why, and what to write. */
function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  // The messages quote what was given: a URL's credentials are masked first, never repeated.
  const failures = zodFailures(r.error, withoutCredentials(input), schema);
  throw new HnsError({ code: "InvalidInput", path: failures[0].property, message: `${what}: ${failures.map((f) => `${f.property} ${f.reason}`).join("\n")}` });
}

/** A copy of plain data with "scheme://user:password@" in any string masked to "scheme://***@". */
function withoutCredentials(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1***@");
  if (Array.isArray(v)) return v.map(withoutCredentials);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutCredentials(x)]));
  return v;
}

/**
 * YAML text of plain data: no line folding (expressions and long host lists stay on their
 * lines), an object used twice written twice (no anchor and alias), and a string quoted
 * whenever a YAML 1.1 or 1.2 reader would take it plain as something else: `yes`, `on`,
 * `12:30` and `2024-01-01` are a boolean, a number and a date to a 1.1 reader (PyYAML, go-yaml
 * v2), `0o17` a number to a 1.2 one; both agree on what a quoted string is.
 */
function yamlText(value: unknown, header?: string): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string" && !node.value.includes("\n") && !plainToEveryReader(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  if (header) doc.commentBefore = header;
  return doc.toString({ lineWidth: 0 });
}

function plainToEveryReader(text: string): boolean {
  try {
    return parse(text, { version: "1.1" }) === text && parse(text, { version: "1.2" }) === text;
  } catch {
    return false;
  }
}

/** A GitHub Actions expression, written the one way GitHub reads it. */
const expr = (e: string) => `\${{ ${e} }}`;

/**
 * A group job's steps: check out, install the packages and the Pulumi CLI, select the group's
 * stack and give it its group, then `command`. The Pulumi steps run in the project directory
 * with the stack, hosts and fleet in the environment, and the secrets, which `npm ci` (it runs
 * package scripts) never gets.
 */
function groupSteps(o: z.output<typeof GithubWorkflowOptions>, name: string, command: string): object[] {
  const inProject = o.projectDir === "." ? {} : { "working-directory": o.projectDir };
  const env: Record<string, string> = {
    STACK: expr("matrix.stack"),
    HOSTS: expr("toJSON(matrix.hosts)"),
    FLEET: o.fleet,
    [FROZEN_LOCK_ENV]: "1",
    PULUMI_BACKEND_URL: o.backendUrl ?? expr("vars.PULUMI_BACKEND_URL"),
    ...Object.fromEntries(o.secretEnv.map((s) => [s, expr(`secrets.${s}`)])),
  };
  const select = [
    'pulumi stack select --create --non-interactive "$STACK"',
    `pulumi config set --stack "$STACK" -- ${FLEET_CONFIG.name} "$FLEET"`,
    `pulumi config set --stack "$STACK" -- ${FLEET_CONFIG.hosts} "$HOSTS"`,
  ];
  return [
    { uses: "actions/checkout@v4" },
    { uses: "actions/setup-node@v4", with: { "node-version": o.nodeVersion } },
    { run: "npm ci", ...inProject },
    // With no `command` input, pulumi/actions only installs the CLI (https://github.com/pulumi/actions).
    { uses: "pulumi/actions@v6", with: { "pulumi-version": o.pulumiVersion } },
    { name: "Select the group's stack and give it its hosts", ...inProject, env, run: select.join("\n") },
    { name, ...inProject, env, run: command },
  ];
}

/**
 * A GitHub Actions workflow for the fleet's stacks. Each job gets its stack and hosts through
 * environment variables from the matrix, never through the run script's text (GitHub's security
 * hardening guide: an expression in `run` is pasted into the script before the shell reads it).
 */
export function githubWorkflow(options: GithubWorkflowOptions): string {
  const o = parseOptions(GithubWorkflowOptions, options, "githubWorkflow");
  const strategy = {
    // One group's failure must not cancel the others' runs (GitHub cancels them by default).
    "fail-fast": false,
    ...(o.maxParallel ? { "max-parallel": o.maxParallel } : {}),
    matrix: { include: o.groups.map((g): FleetGroup => ({ stack: g.stack, hosts: g.hosts })) },
  };
  const workflow = {
    name: o.name,
    on: {
      pull_request: { branches: [o.branch] },
      push: { branches: [o.branch] },
      workflow_dispatch: {},
    },
    permissions: { contents: "read" },
    jobs: {
      preview: {
        name: `preview ${expr("matrix.stack")}`,
        if: "github.event_name == 'pull_request'",
        "runs-on": o.previewRunsOn,
        // A newer commit of the same pull request supersedes a preview still running.
        concurrency: { group: `${expr("github.workflow")}-preview-${expr("github.ref")}-${expr("matrix.stack")}`, "cancel-in-progress": true },
        strategy,
        steps: groupSteps(o, "pulumi preview", 'pulumi preview --stack "$STACK" --non-interactive --diff'),
      },
      up: {
        name: `up ${expr("matrix.stack")}`,
        if: `(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/${o.branch}'`,
        "runs-on": o.upRunsOn,
        // One update of a stack at a time, never cancelled half way: a killed `pulumi up` leaves
        // the stack locked and objects on hosts that its state does not hold.
        concurrency: { group: `${expr("github.workflow")}-up-${expr("matrix.stack")}`, "cancel-in-progress": false },
        strategy,
        // No `hns-plan doctor` step: a fleet's stacks share one ID tag (the fleet's seed), which
        // doctor, looking for one stack's tag, does not know yet.
        steps: groupSteps(o, "pulumi up", 'pulumi up --stack "$STACK" --refresh --yes --non-interactive'),
      },
    },
  };
  return yamlText(workflow, " Generated by hns-plan from the fleet's host groups: one job per group (stack).\n Regenerate it instead of editing it.");
}

/** A Pulumi Kubernetes Operator v2 Stack object (apiVersion pulumi.com/v1). */
export interface OperatorStack {
  apiVersion: "pulumi.com/v1";
  kind: "Stack";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown> & { stack: string; resyncFrequencySeconds: number };
}

/**
 * One operator Stack per host group. `refresh` and `continueResyncOnCommitMatch` with
 * `resyncFrequencySeconds` make the operator refresh and update each stack on that period even
 * when the commit is unchanged: a host that lost a network (a reboot) gets it back in one period.
 */
export function operatorStacks(options: OperatorStacksOptions): OperatorStack[] {
  const o = parseOptions(OperatorStacksOptions, options, "operatorStacks");
  const secretRef = (r: { name: string; key: string }) => ({ type: "Secret", secret: { name: r.name, key: r.key } });
  const podTemplate = o.stateClaimName
    ? {
        spec: {
          containers: [{ name: WORKSPACE_CONTAINER, volumeMounts: [{ name: "hns-state", mountPath: STATE_MOUNT }] }],
          volumes: [{ name: "hns-state", persistentVolumeClaim: { claimName: o.stateClaimName } }],
        },
      }
    : undefined;
  const backend = o.stateClaimName ? `file://${STATE_MOUNT}` : o.backendUrl;
  return o.groups.map((g) => ({
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: {
      name: g.stack,
      namespace: o.namespace,
      labels: { "app.kubernetes.io/part-of": o.fleet, "app.kubernetes.io/managed-by": "hns-plan" },
    },
    spec: {
      stack: o.organization ? `${o.organization}/${g.stack}` : g.stack,
      serviceAccountName: o.serviceAccountName,
      projectRepo: o.projectRepo,
      branch: o.branch,
      ...(o.repoDir && o.repoDir !== "." ? { repoDir: o.repoDir } : {}),
      shallow: true,
      ...(o.gitAuthSecret ? { gitAuth: { accessToken: secretRef(o.gitAuthSecret) } } : {}),
      ...(backend ? { backend } : {}),
      envRefs: { [FROZEN_LOCK_ENV]: { type: "Literal", literal: { value: "1" } }, ...Object.fromEntries(Object.entries(o.secretEnv).map(([k, r]) => [k, secretRef(r)])) },
      config: { [FLEET_CONFIG.name]: o.fleet, [FLEET_CONFIG.hosts]: g.hosts },
      refresh: true,
      continueResyncOnCommitMatch: true,
      resyncFrequencySeconds: o.resyncFrequencySeconds,
      workspaceTemplate: { spec: { image: `pulumi/pulumi:${o.pulumiVersion}-nonroot`, ...(podTemplate ? { podTemplate } : {}) } },
    },
  }));
}

/** The Stack objects as one multi-document YAML text, for `kubectl apply -f`. */
export function operatorStacksYaml(options: OperatorStacksOptions): string {
  return operatorStacks(options)
    .map((s) => yamlText(s))
    .join("---\n");
}
