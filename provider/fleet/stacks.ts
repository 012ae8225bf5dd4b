/**
 * One Pulumi stack per host group, through the Automation API: an inline program that declares
 * the fleet's Topology restricted to the group's hosts, in a workspace of its own.
 *
 * Every group's program plans the whole topology with the one lock, and seeds HNS IDs by the
 * fleet's name: the groups together make exactly the objects one stack of that name would.
 * The program runs in this process (the SDK keeps each run's state apart in AsyncLocalStorage);
 * the provider runs in the engine's own process per stack, and loads pulumi-hns from the
 * working directory (the project's `main`, which the Automation API sets to process.cwd()).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { Topology } from "../../sdk/topology";
import type { TopologyInput } from "../planner/topology";
import { InputError } from "../topology-files";
import { heldHosts, type Holdings } from "./moves";
import { forEachAtMost } from "./run";
import type { FleetGroup } from "./split";

export interface FleetSpec {
  /** The Pulumi project of every stack. */
  project: string;
  /** The fleet's name: every stack's name starts with it, and it seeds the HNS IDs. */
  fleet: string;
  /** The Topology component's name, the prefix of every resource name. */
  name: string;
  /** The topology document and its lock file (absolute): the one plan of the fleet. */
  topology: TopologyInput;
  lockFile: string;
  /** Hosts without a connection run on the embedded emulator (sdk/topology.ts `emulator`). */
  emulator: boolean;
  /**
   * Fail a program whose plan would change the lock. True for every operation that deploys: the
   * fleet brings the lock up to date once, before any stack runs, so parallel stacks never write it.
   */
  frozenLock: boolean;
}

/** What the stacks run with: the Pulumi CLI and environment (the caller's, unless given). */
export interface FleetEngine {
  pulumiCommand?: PulumiCommand;
  envVars?: Record<string, string>;
}

/** The stack outputs a group's program exports: which fleet the stack belongs to and its hosts. */
export interface GroupOutputs {
  fleet: string;
  hosts: string[];
}

export function groupProgram(spec: FleetSpec, group: FleetGroup): PulumiFn {
  return async (): Promise<GroupOutputs> => {
    new Topology(spec.name, { topology: spec.topology, lockFile: spec.lockFile, frozenLock: spec.frozenLock, hosts: group.hosts, fleet: spec.fleet, emulator: spec.emulator });
    return { fleet: spec.fleet, hosts: group.hosts };
  };
}

/**
 * The engine's provider process loads pulumi-hns and Pulumi's dynamic-provider host from this
 * directory (sdk/shim.ts): without them every stack would fail with the engine's "could not read
 * plugin ... EOF", the cause buried in its log. Refused before any stack runs.
 */
function requireProviderHere(): void {
  const here = createRequire(path.join(process.cwd(), "noop.js"));
  for (const module of ["pulumi-hns/provider", "@pulumi/pulumi/cmd/dynamic-provider"]) {
    try {
      here.resolve(module);
    } catch {
      throw new InputError(`${module} cannot be loaded from ${process.cwd()}, and each stack's provider loads it from there`, "run hns-plan fleet in the Pulumi project directory where pulumi-hns is installed (npm install pulumi-hns)");
    }
  }
}

/**
 * Opens the groups' stacks (creating the new ones), each in its own working directory under one
 * temporary root that `close` removes. Nothing of a stack lives there: its state is in the
 * backend, and the passphrase provider's salt with it, so a later run in a fresh directory
 * reads the same stack.
 */
export function fleetStacks(spec: FleetSpec, engine: FleetEngine) {
  requireProviderHere();
  const root = mkdtempSync(path.join(os.tmpdir(), "hns-fleet-"));
  const options = (name: string) => ({
    workDir: mkdtempSync(path.join(root, `${name}-`)),
    ...(engine.pulumiCommand ? { pulumiCommand: engine.pulumiCommand } : {}),
    ...(engine.envVars ? { envVars: engine.envVars } : {}),
  });
  const open = (group: FleetGroup): Promise<Stack> =>
    LocalWorkspace.createOrSelectStack({ projectName: spec.project, stackName: group.stack, program: groupProgram(spec, group) }, options(group.stack));
  const names = async () => {
    const ws = await LocalWorkspace.create({ ...options("list"), projectSettings: { name: spec.project, runtime: "nodejs" } });
    return (await ws.listStacks()).map((s) => s.name.split("/").pop()!);
  };
  return {
    open,
    async holdings(groups: FleetGroup[], concurrency: number): Promise<Holdings> {
      try {
        return await readHoldings(spec.fleet, groups, concurrency, await names(), open);
      } catch (e) {
        // The first thing a fleet asks the backend: where a missing login or passphrase shows.
        const said = /^error: (.*)$/m.exec((e as Error).message)?.[1] ?? (e as Error).message.split("\n")[0];
        throw new InputError(
          `the Pulumi CLI could not read the stacks of project ${spec.project}: ${said}`,
          "set PULUMI_BACKEND_URL (e.g. file://<directory> or s3://<bucket>) or run pulumi login, and PULUMI_CONFIG_PASSPHRASE for passphrase-encrypted stacks",
        );
      }
    },
    close(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * What each stack of the fleet holds now: the stacks of the split, and the project's other
 * stacks named `<fleet>-...` whose outputs say they are of this fleet (a stack of fleet
 * "prod-eu" is named "prod-eu-1", which starts with "prod-" too). Read K at a time.
 */
async function readHoldings(fleet: string, groups: FleetGroup[], concurrency: number, names: string[], open: (g: FleetGroup) => Promise<Stack>): Promise<Holdings> {
  const inSplit = new Set(groups.map((g) => g.stack));
  const candidates = names.filter((n) => inSplit.has(n) || n.startsWith(`${fleet}-`));
  const held: Holdings = new Map();
  await forEachAtMost(candidates, concurrency, async (name) => {
    const hosts = heldHosts(await (await open({ stack: name, hosts: [] })).outputs(), fleet);
    if (hosts) held.set(name, hosts);
  });
  // In the order of the project's stack list, whatever order the reads finished in.
  return new Map(candidates.filter((n) => held.has(n)).map((n) => [n, held.get(n)!]));
}
