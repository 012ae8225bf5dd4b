/**
 * `hns-plan fleet <preview|up|refresh|destroy|reconcile>`: one topology deployed as one Pulumi
 * stack per host group (provider/fleet), run in parallel through the Automation API, with live
 * engine output per stack, a summary and an exit status that says how the fleet went.
 * `hns-plan fleet manifests`: the same split as GitHub Actions or operator manifests (docs/fleets.md).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { hasErrors, plan as planTopology, type Plan } from "../../planner/plan";
import { lockChanged } from "../../planner/lock";
import { Topology as TopologySchema } from "../../planner/topology";
import { findTopology, InputError, lockPathFor, readLock, readTopology, writeLock } from "../../topology-files";
import { ENGINES, engineManifest, engineOf, readEngineOptions, type Engine } from "../../fleet/engines";
import { fleetOperation } from "../../fleet/operation";
import { reconcile, type Cycle } from "../../fleet/reconcile";
import { FLEET_EXIT, fleetExitCode, summaryLines, totals } from "../../fleet/report";
import { FLEET_OPERATIONS, type FleetRunOptions, type StackOutcome } from "../../fleet/run";
import { checkFleetName, splitFleet, splitOf, GROUP_FIELDS, type FleetGroup } from "../../fleet/split";
import { fleetStacks, type FleetSpec } from "../../fleet/stacks";
import { findingLines } from "../render/table";
import type { Terminal } from "../terminal";
import { EXIT, type Command, type Values } from "./command";
import { lockCommand } from "./load";

/** Defaults, each stated once: in the usage text and in what the command does. */
const MAX_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const DEFAULTS = { fleet: "fleet", project: "hns-fleet", name: "fleet", concurrency: 4, intervalSeconds: 300 } as const;
const ACTIONS = [...FLEET_OPERATIONS, "reconcile", "manifests"] as const;
type Action = (typeof ACTIONS)[number];

/** Options only one action reads: given with another, they would be ignored without a word. */
const ACTION_ONLY: Readonly<Record<string, Action>> = { interval: "reconcile", once: "reconcile", engine: "manifests", options: "manifests", out: "manifests" };

export const fleet: Command = {
  name: "fleet",
  summary: "deploy a topology as one Pulumi stack per host group, in parallel (Automation API), and heal drift",
  usage: `hns-plan fleet <${ACTIONS.join("|")}> (--by <field> | --hosts-per-stack <N>) [options]
  -f, --file, --topology <path>  topology (YAML or JSON); default hns.topology.yaml|yml|json here
  --lock <path>           lock file, the one address plan of the whole fleet; default hns.lock.json next to the topology
  --by <field>            one stack per value of a host field: ${GROUP_FIELDS.join(", ")}
  --hosts-per-stack <N>   N hosts per stack, in document order
  --fleet <name>          the fleet: stacks are <name>-<group>, HNS IDs are those of one stack <name>; default ${DEFAULTS.fleet}
  --project <name>        the Pulumi project of the stacks; default ${DEFAULTS.project}
  --name <name>           the Topology component's name, the prefix of resource names; default ${DEFAULTS.name}
  --concurrency <K>       stacks run at once; default ${DEFAULTS.concurrency}
  --emulator              hosts without a connection run on the embedded HNS emulator
  --frozen-lock           fail (exit 3) when the plan would change the lock file (up writes it otherwise)
  --interval <seconds>    reconcile: seconds between cycles; default ${DEFAULTS.intervalSeconds}
  --once                  reconcile: one cycle (refresh all, up the drifted), then exit
  --json                  the summary as JSON on stdout (engine output goes to stderr)
  --engine <${ENGINES.join("|")}>  manifests: a GitHub Actions matrix workflow, or Pulumi Kubernetes Operator Stacks (docs/fleet-engines.md)
  --options <path>        manifests: the generator's other options (YAML or JSON)
  --out <path>            manifests: write there instead of stdout
the Pulumi CLI comes from PATH, the backend and secrets from the environment (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ...)
exit: 0 every stack succeeded · ${FLEET_EXIT.someFailed} some stacks failed or were skipped (named in the summary) · ${FLEET_EXIT.allFailed} no stack succeeded · 1/2/3 as the other commands, before any stack runs`,
  options: {
    file: { type: "string", short: "f" },
    topology: { type: "string" },
    lock: { type: "string" },
    by: { type: "string" },
    "hosts-per-stack": { type: "string" },
    fleet: { type: "string" },
    project: { type: "string" },
    name: { type: "string" },
    concurrency: { type: "string" },
    emulator: { type: "boolean" },
    "frozen-lock": { type: "boolean" },
    interval: { type: "string" },
    once: { type: "boolean" },
    json: { type: "boolean" },
    engine: { type: "string" },
    options: { type: "string" },
    out: { type: "string" },
  },
  async run(values, positionals, term) {
    const action = actionOf(positionals);
    for (const [flag, only] of Object.entries(ACTION_ONLY)) {
      if (values[flag] !== undefined && action !== only) throw new InputError(`--${flag} is an option of "fleet ${only}", and this is "fleet ${action}"`, `remove it, or run hns-plan fleet ${only}`);
    }
    const count = (flag: string, fallback: number) => wholeNumber(values[flag] as string | undefined, flag, fallback);
    const concurrency = count("concurrency", DEFAULTS.concurrency);
    const intervalSeconds = count("interval", DEFAULTS.intervalSeconds);
    // Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer wait fires at once.
    if (intervalSeconds > MAX_INTERVAL_SECONDS) throw new InputError(`--interval ${intervalSeconds} is more than ${MAX_INTERVAL_SECONDS} seconds (about 24 days), the longest wait a timer holds`, `give ${MAX_INTERVAL_SECONDS} or less, or run reconcile --once from a scheduler`);
    if (action === "manifests") {
      const engine = engineOf(values.engine as string | undefined);
      const loaded = load(values);
      return hasErrors(loaded.plan) ? invalid(loaded.plan, term) : manifests(engine, loaded, values, term);
    }
    const loaded = load(values);
    if (hasErrors(loaded.plan)) return invalid(loaded.plan, term);
    const refused = lockStep(action, values, loaded, term);
    if (refused !== undefined) return refused;
    const spec: FleetSpec = { ...loaded.spec, frozenLock: action !== "preview" };
    const stacks = fleetStacks(spec, { pulumiCommand: await pulumiCli() });
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
    const say = (line: string) => (values.json ? term.err(line) : term.out(line));
    const options: Omit<FleetRunOptions, "skip"> = { concurrency, signal: stop.signal, onLine: (stack, line) => say(`[${stack}] ${line}`) };
    try {
      if (action === "reconcile") return await reconcileAction(loaded.groups, stacks, { ...options, intervalSeconds, once: Boolean(values.once) }, values, term);
      const done = await fleetOperation(loaded.groups, action, stacks, options);
      return report(`fleet ${spec.fleet} ${action}`, done.stacks, values, term, { action, retiring: done.retiring });
    } finally {
      process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
      stacks.close();
    }
  },
};

function invalid(plan: Plan, term: Terminal): number {
  for (const line of findingLines(plan.findings, term)) term.err(line);
  return EXIT.invalid;
}

/** The split as an engine's manifests: nothing runs, no host is touched. */
function manifests(engine: Engine, loaded: Loaded, values: Values, term: Terminal): number {
  const optionsFile = values.options as string | undefined;
  const text = engineManifest(engine, loaded.groups, loaded.spec.fleet, readEngineOptions(optionsFile), optionsFile ?? "without --options");
  // The generated stacks run with the lock frozen: a stale lock would fail every one of them.
  if (lockChanged(loaded.plan.lockChanges)) term.err(`warning: ${loaded.lockFile} is out of date, and the generated stacks run with the lock frozen: run "${lockCommand(values)}" and commit the lock file`);
  if (values.out === undefined) term.out(text.replace(/\n$/, ""));
  else {
    writeFileSync(values.out as string, text);
    term.err(`wrote ${values.out} (${loaded.groups.length} stacks)`);
  }
  return EXIT.ok;
}

function actionOf(positionals: string[]): Action {
  const [action, ...extra] = positionals;
  if (!action || !(ACTIONS as readonly string[]).includes(action) || extra.length) {
    throw new InputError(action ? `"${[action, ...extra].join(" ")}" is not a fleet action` : "no fleet action given", `give one of ${ACTIONS.join(", ")}: e.g. hns-plan fleet preview --by domain`);
  }
  return action as Action;
}

function wholeNumber(given: string | undefined, flag: string, fallback: number): number {
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(n) || n < 1) throw new InputError(`--${flag} ${JSON.stringify(given)} is not a whole number of 1 or more`, `e.g. --${flag} ${flag === "interval" ? 60 : 4}`);
  return n;
}

interface Loaded {
  plan: Plan;
  lockFile: string;
  groups: FleetGroup[];
  spec: Omit<FleetSpec, "frozenLock">;
}

/**
 * Reads and plans the topology with its lock, and splits it: every input problem is found here,
 * before any stack runs. A plan with errors comes back without groups (the caller prints it).
 */
function load(values: Values): Loaded {
  if (values.file !== undefined && values.topology !== undefined) throw new InputError("--file and --topology name the same thing", "give one of them");
  const split = splitOf(values.by as string | undefined, values["hosts-per-stack"] as string | undefined);
  const fleetName = (values.fleet as string | undefined) ?? DEFAULTS.fleet;
  checkFleetName(fleetName);
  const file = findTopology((values.file ?? values.topology) as string | undefined);
  const lockFile = path.resolve(lockPathFor(file, values.lock as string | undefined));
  const document = readTopology(file);
  const plan = planTopology(document, readLock(lockFile));
  const topology = hasErrors(plan) ? { hosts: [] } : TopologySchema.parse(document);
  return {
    plan,
    lockFile,
    groups: hasErrors(plan) ? [] : splitFleet(topology, split, fleetName),
    spec: {
      project: (values.project as string | undefined) ?? DEFAULTS.project,
      fleet: fleetName,
      name: (values.name as string | undefined) ?? DEFAULTS.name,
      topology,
      lockFile,
      emulator: Boolean(values.emulator),
    },
  };
}

/**
 * The lock is written once, here, before any stack runs (parallel stacks never write it): by up,
 * unless frozen. Reconcile heals toward the lock as it is, so a stale lock is refused.
 */
function lockStep(action: Exclude<Action, "manifests">, values: Values, loaded: Loaded, term: Terminal): number | undefined {
  const c = loaded.plan.lockChanges;
  if (!lockChanged(c) || action === "preview" || action === "refresh" || action === "destroy") return undefined;
  const summary = `${c.added.length} added, ${c.moved.length} moved, ${c.released.length} released`;
  if (values["frozen-lock"] || action === "reconcile") {
    term.err(`${loaded.lockFile} is out of date (${summary})${action === "reconcile" ? ": reconcile heals toward the lock as it is" : " and --frozen-lock is given"}`);
    term.err(`  run "${lockCommand(values)}" (or hns-plan fleet up without --frozen-lock) and commit the lock file`);
    return EXIT.lockOutdated;
  }
  writeLock(loaded.lockFile, loaded.plan.lock);
  term.err(`wrote ${path.relative(process.cwd(), loaded.lockFile) || loaded.lockFile}: ${summary}`);
  return undefined;
}

async function pulumiCli(): Promise<PulumiCommand> {
  try {
    return await PulumiCommand.get();
  } catch (e) {
    throw new InputError(`no usable Pulumi CLI on PATH (${(e as Error).message.split("\n")[0]})`, "install it (https://www.pulumi.com/docs/iac/download-install/) and put it on PATH");
  }
}

async function reconcileAction(groups: FleetGroup[], stacks: ReturnType<typeof fleetStacks>, options: Parameters<typeof reconcile>[2], values: Values, term: Terminal): Promise<number> {
  let code = 0;
  const last = await reconcile(groups, stacks, {
    ...options,
    onCycle: (c: Cycle) => {
      const drifted = c.refreshed.filter((o) => o.result === "succeeded" && o.changed > 0).map((o) => o.stack);
      const title = `reconcile cycle ${c.cycle}: ${drifted.length ? `drift in ${drifted.join(", ")}` : "no drift"}`;
      // Each stack once, in split order: a drifted stack by its up, the others by their refresh.
      const healed = new Map(c.healed.map((o) => [o.stack, o]));
      code = report(title, c.refreshed.map((o) => healed.get(o.stack) ?? o), values, term, { action: "reconcile", cycle: c.cycle, drifted });
    },
  });
  return last ? code : EXIT.ok;
}

/** Prints the summary (or the JSON report) and returns the exit status. */
function report(title: string, outcomes: StackOutcome[], values: Values, term: Terminal, extra: Record<string, unknown>): number {
  // Reconcile reports every cycle: one line each (JSON Lines), so a reader can follow the stream.
  if (values.json) term.out(JSON.stringify({ ...extra, totals: totals(outcomes), exitCode: fleetExitCode(outcomes), stacks: outcomes }, null, extra.action === "reconcile" ? undefined : 2));
  else {
    for (const line of summaryLines(title, outcomes)) term.out(line);
    const retiring = (extra.retiring as string[] | undefined) ?? [];
    if (retiring.length) term.out(`in no group any more: ${retiring.join(", ")} (${extra.action === "up" ? "destroyed and removed" : "hns-plan fleet up destroys and removes them"})`);
  }
  return fleetExitCode(outcomes);
}

