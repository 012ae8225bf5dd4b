/**
 * Topology: runs the offline planner at program time over everything declared for one or
 * many hosts, then declares the Network / Endpoint / Policy resources with concrete inputs.
 * Addresses, VIPs and policy lists are therefore known in `pulumi preview` with no host
 * reachable: the planner reads only the topology and the lock file, never a host.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Host } from "../provider/hosts/host";
import { STACK_NAME } from "../provider/vocabulary/facts/stack-name";
import { formatLock, lockChanged, type Lock } from "../provider/planner/lock";
import { hasErrors, plan as planTopology, type Plan, type PlannedHost, type PlannedNetwork } from "../provider/planner/plan";
import { endpointInputs, loadBalancerInputs, networkInputs } from "../provider/planner/inputs";
import type { TopologyInput } from "../provider/planner/topology";
import { DEFAULT_LOCK_FILE, InputError, lockPathFor, readLock, readTopology, writeLock } from "../provider/topology-files";
import { Endpoint } from "./endpoint";
import type { HostArgs } from "./host";
import { seededAs } from "./inputs";
import { Network } from "./network";
import { Policy } from "./policy";

const FROZEN_LOCK_ENV = "PULUMI_HNS_FROZEN_LOCK";

export interface TopologyArgs {
  /** A YAML or JSON topology file (relative to the program's working directory), or the document itself (the schema `hns-plan` reads). */
  topology: string | TopologyInput;
  /** The lock file. Defaults to hns.lock.json next to the topology file (or in the working directory for an inline document). */
  lockFile?: string;
  /** Fail instead of changing the lock file, as CI should. Defaults to true when $PULUMI_HNS_FROZEN_LOCK is "1". */
  frozenLock?: boolean;
  /**
   * How to reach each host, by host name; overrides the document's `connection` (use this to pass secrets).
   * A deployed host with neither is an error, unless `emulator` is true.
   */
  connections?: Record<string, HostArgs>;
  /**
   * Run every host that has no connection (here or in the document) on the embedded HNS emulator:
   * a host of the same name, reporting the HNS version the plan was checked against. Defaults to
   * false, so a host left out of `connections` fails the program instead of "deploying" to a local file.
   */
  emulator?: boolean;
  /**
   * Deploy only these hosts. Every host is still planned, so addresses, VIPs and overlay peer
   * routes agree across per-host stacks of one topology. Defaults to every host.
   */
  hosts?: string[];
  /**
   * The fleet this stack deploys one host group of (`hns-plan fleet`, docs/fleets.md). HNS object
   * IDs are seeded by `<project>/<fleet>` instead of `<project>/<stack>`, so every group's stack
   * makes the objects a single stack named `<fleet>` would make of the whole topology: the same
   * IDs, carrying the same stack tag. Defaults to this stack.
   */
  fleet?: string;
}

function lockLocation(args: TopologyArgs): string {
  if (typeof args.topology === "string") return lockPathFor(path.resolve(args.topology), args.lockFile);
  return path.resolve(args.lockFile ?? DEFAULT_LOCK_FILE);
}

/** File problems become a plain program error (no stack trace): they are the user's to fix. */
function fromFiles<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw e instanceof InputError ? new pulumi.RunError(e.message) : e;
  }
}

/**
 * The last plans made in this process, by the text of the document and the lock. plan() is pure,
 * so the same two give the same plan; a fleet's group stacks (`hns-plan fleet`, one inline
 * program each in one process) plan one topology once instead of once per stack (1.6 s for
 * 1,000 hosts x 50 endpoints on the development machine). Kept small: a program with several
 * topologies re-plans at worst. The plan is shared: read it, do not change it.
 */
const plans = new Map<string, Plan>();
const PLANS_KEPT = 4;

function planOnce(document: unknown, previous: Lock): Plan {
  const key = createHash("sha256").update(JSON.stringify(document) ?? "").update("\u0000").update(formatLock(previous)).digest("hex");
  const hit = plans.get(key);
  if (hit) return hit;
  const made = planTopology(document, previous);
  plans.set(key, made);
  if (plans.size > PLANS_KEPT) plans.delete(plans.keys().next().value!);
  return made;
}

function describeFindings(p: Plan): string {
  return p.findings.map((f) => `  ${f.severity} ${f.rule} at ${f.where} (${f.path}): ${f.message}\n    fix: ${f.fix}`).join("\n");
}

export class Topology extends pulumi.ComponentResource {
  /** The plan: every host's networks, endpoints with their addresses, policy lists and load balancers. */
  readonly plan: Plan;
  /** Networks by "host/network". */
  readonly networks: Record<string, Network> = {};
  /** Endpoints by "host/network/endpoint". */
  readonly endpoints: Record<string, Endpoint> = {};
  /** Load balancers by "host/network/lb". */
  readonly loadBalancers: Record<string, Policy> = {};
  /** Planned IPv4 (else IPv6) address of each endpoint, by "host/network/endpoint": plain values, concrete in preview. */
  readonly addresses: Record<string, string> = {};

  constructor(name: string, args: TopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hns:index:Topology", name, {}, opts);
    const topology = args.topology;
    const document = typeof topology === "string" ? fromFiles(() => readTopology(path.resolve(topology))) : topology;
    const lockFile = lockLocation(args);
    const previous = fromFiles(() => readLock(lockFile));
    this.plan = planOnce(document, previous);
    if (hasErrors(this.plan)) throw new pulumi.RunError(`topology "${name}" is not valid:\n${describeFindings(this.plan)}`);
    for (const f of this.plan.findings) pulumi.log.warn(`${f.rule} at ${f.where}: ${f.message} (fix: ${f.fix})`, this);
    this.syncLock(lockFile, args.frozenLock ?? process.env[FROZEN_LOCK_ENV] === "1");

    const unknown = (args.hosts ?? []).filter((h) => !this.plan.hosts.some((p) => p.name === h));
    if (unknown.length) throw new pulumi.RunError(`topology "${name}" has no host ${unknown.map((h) => `"${h}"`).join(", ")} (hosts: ${this.plan.hosts.map((h) => h.name).join(", ")})`);
    // A connection for a host the topology does not have is a misspelling: with emulator: true the
    // real host would otherwise "deploy" to a local file without a word.
    const stray = Object.keys(args.connections ?? {}).filter((h) => !this.plan.hosts.some((p) => p.name === h));
    if (stray.length) {
      throw new pulumi.RunError(`topology "${name}": connections name ${stray.map((h) => `"${h}"`).join(", ")}, which the topology does not have (hosts: ${this.plan.hosts.map((h) => h.name).join(", ")}): fix the name`);
    }
    if (args.fleet !== undefined && !STACK_NAME.test(args.fleet)) {
      throw new pulumi.RunError(`topology "${name}": fleet ${JSON.stringify(args.fleet)} is not a fleet name: it seeds the HNS IDs as a stack name would, so use what a stack name takes: letters, digits, ".", "-" and "_"`);
    }
    const deployed = args.hosts ? this.plan.hosts.filter((h) => args.hosts!.includes(h.name)) : this.plan.hosts;
    const unconnected = deployed.filter((h) => !args.connections?.[h.name] && !h.connection);
    if (unconnected.length && !args.emulator) {
      const names = unconnected.map((h) => `"${h.name}"`).join(", ");
      throw new pulumi.RunError(
        `topology "${name}": no connection for host ${names}: add ${unconnected.length === 1 ? "it" : "them"} to connections ` +
          `(e.g. connections: { ${JSON.stringify(unconnected[0].name)}: hns.winrmHost(...) }) or a \`connection\` in the topology document, ` +
          `or set emulator: true to run ${unconnected.length === 1 ? "it" : "them"} on the embedded HNS emulator`,
      );
    }
    // A fleet's group stacks seed IDs as the fleet (`<project>/<fleet>/<type>/<name>`).
    seededAs(args.fleet, () => {
      for (const host of deployed) {
        const connection = args.connections?.[host.name] ?? host.connection ?? emulatorConnection(host);
        for (const net of host.networks) this.declareNetwork(name, host, net, connection as HostArgs);
      }
    });
    this.registerOutputs({ addresses: this.addresses });
  }

  /** Preview reports a lock change; `up` writes it (before any resource, so an interrupted up keeps the same addresses). */
  private syncLock(lockFile: string, frozen: boolean): void {
    const changes = this.plan.lockChanges;
    if (!lockChanged(changes)) return;
    const summary = `${changes.added.length} added, ${changes.moved.length} moved, ${changes.released.length} released`;
    if (frozen) {
      // The topology lives in the program, so the lock is brought up to date by one unfrozen run.
      throw new pulumi.RunError(
        `${lockFile} is out of date (${summary}) and the lock is frozen: run "pulumi up" once without the freeze (unset ${FROZEN_LOCK_ENV}, or frozenLock: false), or "npx hns-plan lock -f <topology file>" for a topology file, and commit the lock file`,
      );
    }
    if (pulumi.runtime.isDryRun()) {
      pulumi.log.info(`${path.basename(lockFile)} will change on up: ${summary}`, this);
      return;
    }
    writeLock(lockFile, this.plan.lock);
    pulumi.log.info(`wrote ${path.basename(lockFile)}: ${summary}`, this);
  }

  private declareNetwork(prefix: string, host: PlannedHost, net: PlannedNetwork, connection: HostArgs): void {
    const parent = { parent: this };
    const network = new Network(`${prefix}-${host.name}-${net.name}`, { host: connection, ...networkInputs(net) }, parent);
    this.networks[net.key] = network;
    for (const ep of net.endpoints) {
      const inputs = endpointInputs(ep);
      this.endpoints[ep.key] = new Endpoint(`${prefix}-${host.name}-${net.name}-${ep.name}`, { host: connection, network: network.networkId, ...inputs }, parent);
      if (inputs.ipAddress) this.addresses[ep.key] = inputs.ipAddress;
    }
    for (const lb of net.loadBalancers) {
      this.loadBalancers[lb.key] = new Policy(
        `${prefix}-${host.name}-${net.name}-${lb.name}`,
        { host: connection, endpoints: lb.backends.map((b) => this.endpoints[b].endpointId), ...loadBalancerInputs(lb) },
        parent,
      );
    }
  }
}

/** The embedded emulator (with `emulator: true`), reporting the HNS version the plan was checked against. */
function emulatorConnection(host: PlannedHost): Host {
  return { kind: "emulator", name: host.name, hnsVersion: host.hnsVersion };
}
