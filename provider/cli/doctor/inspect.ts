/**
 * Compares a stack's state with its hosts: the objects on each host that carry the stack's
 * tag but that the state does not hold (orphans, e.g. made by a create the engine never saw
 * finish), and the state entries whose objects are gone (what `pulumi refresh` would drop).
 *
 * The export is data, not instructions (docs/security.md, "hns-plan doctor"): its host blocks
 * are shown; an emulator host (a file) is read; a local, ssh or winrm host is contacted only
 * with the user's --connect, and never through the `executable` the export names (doctor
 * runs `pwsh`, or the --pwsh the user gave). What belongs to the stack is decided by the tag of
 * the stack the user named; an entry whose URN or seed names another stack is only reported.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { providers } from "../../index";
import { connect } from "../../hosts/connect";
import { emulatorStateFile, HOST_CREDENTIALS, hostLocation, type Host } from "../../hosts/host";
import type { PolicyState } from "../../kinds/policy/args";
import type { PendingCreate } from "../../resources/define";
import { deploymentProcesses, type LeftOver } from "./processes";
import type { StackState, StateEntry } from "./state";
import { HNS_KINDS, type HnsKind } from "../../hosts/client";


export interface Orphan {
  /** The host's name, and its identity (an emulator's state file, a remote host's address). */
  host: string;
  hostKey: string;
  kind: HnsKind;
  id: string;
  name?: string;
  /** The resource whose pending create made it, when the state recorded one. */
  urn?: string;
  /** A create with the same arguments finds this object (same deterministic ID, and the checks createOrFind makes). */
  adoptable: boolean;
}

export interface Gone {
  host: string;
  urn: string;
  id: string;
}

export interface HostReport {
  name: string;
  key: string;
  kind: Host["kind"];
  /** The host block as the export has it, credentials left out. */
  block: Record<string, unknown>;
  /** Objects on the host carrying the stack's tag. */
  tagged: number;
  /** Why the host was not contacted (a PowerShell host without --connect). */
  skipped?: string;
  /** Why the host could not be inspected. */
  error?: string;
}

export interface Suspicious {
  urn: string;
  id?: string;
  reason: string;
}

export interface Diagnosis {
  /** The stack the user named, the fleet it is a group of (if it is), and its tag. */
  stack: string;
  fleet?: string;
  tag: string;
  /** Deployment processes still running in the project directory (undefined: this system has no /proc to look in). */
  processes?: LeftOver[];
  hosts: HostReport[];
  orphans: Orphan[];
  gone: Gone[];
  pending: { urn: string; type: string }[];
  suspicious: Suspicious[];
}

/** What the user allowed doctor to reach. */
export interface Reach {
  /** Contact the local, ssh and winrm hosts the export names. */
  connect: boolean;
  /** The PowerShell to run for them (default: pwsh on PATH); an export's `executable` is never used. */
  pwsh?: string;
}

export interface InspectedHost {
  /** The block doctor uses: emulator stateDir resolved, a PowerShell host's executable replaced. */
  host: Host;
  /** The block as the export has it. */
  declared: Host;
  /** Why doctor does not contact it, if it does not. */
  skipped?: string;
}

/** One host block per host of the stack's own entries, emulator state directories resolved against the project directory. */
export function hostsOf(state: StackState, projectDir: string, reach: Reach): Map<string, InspectedHost> {
  const hosts = new Map<string, InspectedHost>();
  for (const e of [...state.resources, ...state.pending].filter((e) => !e.suspicious)) {
    const key = hostLocation(e.host, projectDir);
    if (!hosts.has(key)) hosts.set(key, inspected(e.host, projectDir, reach));
  }
  return hosts;
}

function inspected(declared: Host, projectDir: string, reach: Reach): InspectedHost {
  if (declared.kind === "emulator") return { declared, host: { ...declared, stateDir: path.dirname(emulatorStateFile(declared, projectDir)) } };
  const { executable: _never, ...rest } = declared;
  const host = { ...rest, ...(reach.pwsh ? { executable: reach.pwsh } : {}) } as Host;
  const where = declared.kind === "local" ? "this machine" : `${declared.address}`;
  const skipped = reach.connect ? undefined : `not contacted: the export names a ${declared.kind} host (${where}); doctor reaches it only with --connect`;
  return { declared, host, ...(skipped ? { skipped } : {}) };
}

/** A host block fit to show: every credential replaced by a mark. */
export function shownBlock(host: Host): Record<string, unknown> {
  const credential = (HOST_CREDENTIALS as Record<string, string>)[host.kind];
  return Object.fromEntries(Object.entries(host).map(([k, v]) => [k, k === credential ? "(secret)" : v]));
}

/** What a pending create was making: its controller says (define.ts PendingCreate), from the inputs it was given. */
async function expectedObject(e: StateEntry): Promise<PendingCreate | undefined> {
  const provider = providers[e.kind];
  const checked = await provider.check({}, e.inputs);
  return checked.inputs ? provider.pendingCreate(checked.inputs) : undefined;
}

/**
 * What the state claims: every ID an entry holds (`held`), and what each pending create was
 * making (`expected`, by ID). Every ID any entry holds, suspicious ones included, is kept off
 * the orphan list: reading more into the export can only make doctor delete less. A load
 * balancer made anew (no ModifyLoadBalancer) lives under its hnsId output, not the resource ID.
 * A pending create's entry may carry the ID it was going to get: its object is what an orphan
 * is (adoptable), so it holds nothing.
 */
async function claimsOf(state: StackState): Promise<{ held: Set<string>; expected: Map<string, { urn: string; object: PendingCreate }> }> {
  const held = new Set(
    [...state.resources, ...state.pending.filter((p) => p.pending !== "creating")].flatMap((r) =>
      [r.id, r.outputs.hnsId].filter((x): x is string => typeof x === "string" && x !== "").map((x) => x.toLowerCase()),
    ),
  );
  const expected = new Map<string, { urn: string; object: PendingCreate }>();
  for (const p of state.pending.filter((p) => p.pending === "creating" && !p.suspicious)) {
    const object = await expectedObject(p);
    if (object) expected.set(object.id.toLowerCase(), { urn: p.urn, object });
  }
  return { held, expected };
}

export async function diagnose(state: StackState, projectDir: string, reach: Reach, processDirs: string[] = [projectDir]): Promise<Diagnosis> {
  const hosts = hostsOf(state, projectDir, reach);
  const { held, expected } = await claimsOf(state);
  const report: Diagnosis = {
    stack: `${state.owner.project}/${state.owner.stack}`,
    ...(state.owner.fleet ? { fleet: state.owner.fleet } : {}),
    tag: state.tag,
    processes: deploymentProcesses(processDirs),
    hosts: [],
    orphans: [],
    gone: [],
    pending: state.pending.filter((p) => !p.suspicious).map((p) => ({ urn: p.urn, type: p.pending! })),
    suspicious: [...state.resources, ...state.pending].filter((e) => e.suspicious).map((e) => ({ urn: e.urn, ...(e.id ? { id: e.id } : {}), reason: e.suspicious! })),
  };
  for (const [key, { host, declared, skipped }] of hosts) {
    const entry: HostReport = { name: host.name, key, kind: host.kind, block: shownBlock(declared), tagged: 0, ...(skipped ? { skipped } : {}) };
    report.hosts.push(entry);
    if (skipped) continue;
    try {
      // Connecting would create an empty emulator host: a missing file means doctor looks in the wrong place.
      if (host.kind === "emulator" && !fs.existsSync(emulatorStateFile(host))) {
        throw new Error(`no emulator state at ${emulatorStateFile(host)}: pass the project directory with -C, and the PULUMI_HNS_EMULATOR_DIR the deployment used`);
      }
      const client = connect(host);
      // Every kind of object pulumi-hns creates (a policy set adds to an object and makes none).
      for (const kind of HNS_KINDS) {
        for (const doc of await client.list(kind)) {
          const id = doc.ID!.toLowerCase();
          if (!id.startsWith(state.tag)) continue;
          entry.tagged++;
          if (held.has(id)) continue;
          const claim = expected.get(id);
          const adoptable = !!claim && claim.object.kind === kind && claim.object.recognises(doc as { Name?: string });
          report.orphans.push({ host: host.name, hostKey: key, kind, id: doc.ID!, name: (doc as { Name?: string }).Name, urn: claim?.urn, adoptable });
        }
      }
      // Gone is what refresh would conclude: the provider's own read says so.
      for (const r of state.resources.filter((r) => r.id && !r.suspicious && hostLocation(r.host, projectDir) === key)) {
        const read: dynamic.ReadResult = await providers[r.kind].read(r.id!, { ...r.outputs, host } as never);
        if (!read.id) report.gone.push({ host: host.name, urn: r.urn, id: r.id! });
      }
    } catch (e) {
      entry.error = (e as Error).message;
    }
  }
  return report;
}

/** Deletion order: what references an object goes first (load balancers and routes → endpoints → namespaces → networks). */
const DELETE_RANK: Record<HnsKind, number> = { loadBalancer: 0, route: 1, endpoint: 2, namespace: 3, network: 4 };

export interface Deletion {
  deleted: Orphan[];
  failed: { orphan: Orphan; error: string }[];
}

/**
 * Deletes orphans through the providers' own delete (an endpoint is detached from its namespace
 * first, as the Endpoint resource does), each host in dependency order.
 */
export async function deleteOrphans(orphans: Orphan[], state: StackState, projectDir: string, reach: Reach): Promise<Deletion> {
  const hosts = hostsOf(state, projectDir, reach);
  const result: Deletion = { deleted: [], failed: [] };
  const sorted = [...orphans].sort((a, b) => DELETE_RANK[a.kind] - DELETE_RANK[b.kind]);
  for (const o of sorted) {
    const target = hosts.get(o.hostKey);
    // Only what diagnose found on a contacted host, with the stack's own tag, is ever deleted.
    if (!target || target.skipped || !o.id.toLowerCase().startsWith(state.tag)) continue;
    const host = target.host;
    try {
      if (o.kind === "network") await providers.network.delete(o.id, { host, name: o.name });
      else if (o.kind === "endpoint") await providers.endpoint.delete(o.id, { host, name: o.name });
      else if (o.kind === "namespace") await providers.namespace.delete(o.id, { host, name: o.name });
      // A load balancer or a route is removed by its ID alone: the rest of its state is not needed.
      else if (o.kind === "loadBalancer" || o.kind === "route") await providers.policy.delete(o.id, { host, kind: o.kind } as PolicyState);
      else {
        // An HNS kind the client gains is a compile error here until doctor knows how to delete it.
        const unknownKind: never = o.kind;
        throw new Error(`doctor does not know how to delete a ${String(unknownKind)}`);
      }
      result.deleted.push(o);
    } catch (e) {
      result.failed.push({ orphan: o, error: (e as Error).message });
    }
  }
  return result;
}
