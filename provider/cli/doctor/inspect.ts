/**
 * Compares a stack's state with its hosts: the objects on each host that carry the stack's
 * tag but that the state does not hold (orphans, e.g. made by a create the engine never saw
 * finish), and the state entries whose objects are gone (what `pulumi refresh` would drop).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { providers } from "../../index";
import { connect } from "../../hosts/connect";
import { sameGuid } from "../../hosts/client";
import { emulatorStateFile, hostLocation, type Host } from "../../hosts/host";
import { endpointId } from "../../resources/endpoint/controller";
import { networkId } from "../../resources/network/controller";
import { policyId } from "../../resources/policy/controller";
import type { EndpointArgs } from "../../resources/endpoint/args";
import type { NetworkArgs } from "../../resources/network/args";
import type { PolicyArgs, PolicyState } from "../../resources/policy/args";
import type { StackState, StateEntry } from "./state";

/** The HNS objects pulumi-hns creates (policy sets add to existing objects and make none). */
export const OBJECT_KINDS = ["network", "endpoint", "loadBalancer", "route"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export interface Orphan {
  /** The host's name, and its identity (an emulator's state file, a remote host's address). */
  host: string;
  hostKey: string;
  kind: ObjectKind;
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
  /** Objects on the host carrying the stack's tag. */
  tagged: number;
  /** Why the host could not be inspected. */
  error?: string;
}

export interface Diagnosis {
  tags: string[];
  hosts: HostReport[];
  orphans: Orphan[];
  gone: Gone[];
  pending: { urn: string; type: string }[];
}

/** One host block per host, emulator state directories resolved against the project directory. */
export function hostsOf(state: StackState, projectDir: string): Map<string, Host> {
  const hosts = new Map<string, Host>();
  for (const e of [...state.resources, ...state.pending]) {
    const key = hostLocation(e.host, projectDir);
    if (!hosts.has(key)) hosts.set(key, located(e.host, projectDir));
  }
  return hosts;
}

function located(host: Host, projectDir: string): Host {
  return host.kind === "emulator" ? { ...host, stateDir: path.dirname(emulatorStateFile(host, projectDir)) } : host;
}

/** What a pending create was making: the object's kind and ID, and how createOrFind recognises it. */
interface Expected {
  kind: ObjectKind;
  id: string;
  recognises(doc: { Name?: string; HostComputeNetwork?: string }): boolean;
}

async function expectedObject(e: StateEntry): Promise<Expected | undefined> {
  const checked = await providers[e.kind].check({}, e.inputs);
  if (!checked.inputs) return undefined;
  switch (e.kind) {
    case "network": {
      const args = checked.inputs as NetworkArgs;
      return { kind: "network", id: networkId(args), recognises: (d) => d.Name === args.name };
    }
    case "endpoint": {
      const args = checked.inputs as EndpointArgs;
      return { kind: "endpoint", id: endpointId(args), recognises: (d) => d.Name === args.name && sameGuid(d.HostComputeNetwork, args.network) };
    }
    case "policy": {
      const args = checked.inputs as PolicyArgs;
      if (args.kind !== "loadBalancer" && args.kind !== "route") return undefined;
      return { kind: args.kind, id: policyId(args), recognises: () => true };
    }
  }
}

export async function diagnose(state: StackState, projectDir: string): Promise<Diagnosis> {
  const hosts = hostsOf(state, projectDir);
  // A load balancer made anew (no ModifyLoadBalancer) lives under its hnsId output, not the resource ID.
  const held = new Set(state.resources.flatMap((r) => [r.id, r.outputs.hnsId].filter((x): x is string => typeof x === "string" && x !== "").map((x) => x.toLowerCase())));
  const expected = new Map<string, { urn: string; object: Expected }>();
  for (const p of state.pending.filter((p) => p.pending === "creating")) {
    const object = await expectedObject(p);
    if (object) expected.set(object.id.toLowerCase(), { urn: p.urn, object });
  }

  const report: Diagnosis = { tags: state.tags, hosts: [], orphans: [], gone: [], pending: state.pending.map((p) => ({ urn: p.urn, type: p.pending! })) };
  for (const [key, host] of hosts) {
    const entry: HostReport = { name: host.name, key, kind: host.kind, tagged: 0 };
    report.hosts.push(entry);
    try {
      // Connecting would create an empty emulator host: a missing file means doctor looks in the wrong place.
      if (host.kind === "emulator" && !fs.existsSync(emulatorStateFile(host))) {
        throw new Error(`no emulator state at ${emulatorStateFile(host)}: pass the project directory with -C, and the PULUMI_HNS_EMULATOR_DIR the deployment used`);
      }
      const client = connect(host);
      for (const kind of OBJECT_KINDS) {
        for (const doc of await client.list(kind)) {
          const id = doc.ID!.toLowerCase();
          if (!state.tags.some((t) => id.startsWith(t))) continue;
          entry.tagged++;
          if (held.has(id)) continue;
          const claim = expected.get(id);
          const adoptable = !!claim && claim.object.kind === kind && claim.object.recognises(doc as { Name?: string });
          report.orphans.push({ host: host.name, hostKey: key, kind, id: doc.ID!, name: (doc as { Name?: string }).Name, urn: claim?.urn, adoptable });
        }
      }
      // Gone is what refresh would conclude: the provider's own read says so.
      for (const r of state.resources.filter((r) => r.id && hostLocation(r.host, projectDir) === key)) {
        const read: dynamic.ReadResult = await providers[r.kind].read(r.id!, { ...r.outputs, host } as never);
        if (!read.id) report.gone.push({ host: host.name, urn: r.urn, id: r.id! });
      }
    } catch (e) {
      entry.error = (e as Error).message;
    }
  }
  return report;
}

/** Deletion order: what references an object goes first (load balancers and routes → endpoints → networks). */
const DELETE_ORDER: ObjectKind[] = ["loadBalancer", "route", "endpoint", "network"];

export interface Deletion {
  deleted: Orphan[];
  failed: { orphan: Orphan; error: string }[];
}

/**
 * Deletes orphans through the providers' own delete (an endpoint is detached from its namespace
 * first, as the Endpoint resource does), each host in dependency order.
 */
export async function deleteOrphans(orphans: Orphan[], state: StackState, projectDir: string): Promise<Deletion> {
  const hosts = hostsOf(state, projectDir);
  const result: Deletion = { deleted: [], failed: [] };
  const sorted = [...orphans].sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind));
  for (const o of sorted) {
    const host = hosts.get(o.hostKey)!;
    try {
      if (o.kind === "network") await providers.network.delete(o.id, { host, name: o.name });
      else if (o.kind === "endpoint") await providers.endpoint.delete(o.id, { host, name: o.name });
      // A load balancer or a route is removed by its ID alone: the rest of its state is not needed.
      else await providers.policy.delete(o.id, { host, kind: o.kind } as PolicyState);
      result.deleted.push(o);
    } catch (e) {
      result.failed.push({ orphan: o, error: (e as Error).message });
    }
  }
  return result;
}
