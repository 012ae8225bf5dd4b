/**
 * The split of one topology into host groups, one Pulumi stack each. Pure: the same document
 * and options give the same groups, in the same order, on any machine. Only hosts are split:
 * every group's stack plans the whole topology with the one lock, so addresses, VIPs and
 * overlay peer routes are those of a single stack (sdk/topology.ts `hosts`, `fleet`).
 */
import { InputError } from "../topology-files";
import { STACK_NAME } from "../vocabulary/facts/stack-name";
import type { Topology, TopologyHost } from "../planner/topology";

/** One stack of the fleet and the hosts it deploys. */
export interface FleetGroup {
  stack: string;
  hosts: string[];
}

/**
 * Host fields a fleet can be split by: the ones that name a group of hosts (a cluster, a kind of
 * machine, a Windows release) rather than one host.
 */
export const GROUP_FIELDS = ["domain", "platform", "hnsVersion"] as const satisfies readonly (keyof TopologyHost)[];
export type GroupField = (typeof GROUP_FIELDS)[number];

/** How to split: by a host field, or N hosts per stack in document order. */
export type FleetSplit = { by: GroupField } | { hostsPerStack: number };

/** A fleet name is the first part of every stack name, and the ID seed's stack (sdk/topology.ts). */
export function checkFleetName(fleet: string): void {
  if (!STACK_NAME.test(fleet) || fleet.length > 90) {
    throw new InputError(`--fleet ${JSON.stringify(fleet)} is not a fleet name: stack names are made of it`, "use letters, digits, \".\", \"-\" and \"_\", at most 90 characters (e.g. --fleet prod)");
  }
}

/**
 * The host groups of a fleet, in a deterministic order: by field, one group per value, values in
 * sorted order and `<fleet>-<value>` stacks; by count, groups of N hosts in document order and
 * `<fleet>-<n>` stacks from 1 (not zero-padded: a growing fleet keeps its stack names). Within a
 * group, hosts keep their document order. Every host is in exactly one group.
 */
export function splitFleet(topology: Pick<Topology, "hosts">, split: FleetSplit, fleet: string): FleetGroup[] {
  checkFleetName(fleet);
  const hosts = topology.hosts;
  if ("hostsPerStack" in split) {
    const groups: FleetGroup[] = [];
    for (let i = 0; i < hosts.length; i += split.hostsPerStack) {
      groups.push({ stack: `${fleet}-${groups.length + 1}`, hosts: hosts.slice(i, i + split.hostsPerStack).map((h) => h.name) });
    }
    return groups;
  }
  const field = split.by;
  const missing = hosts.filter((h) => h[field] === undefined).map((h) => h.name);
  if (missing.length) {
    throw new InputError(
      `--by ${field}: ${plural(missing.length, "host")} ${quoted(missing)} ${missing.length === 1 ? "has" : "have"} no ${field}, so no group`,
      `give every host a ${field} in the topology, or split with --hosts-per-stack <N>`,
    );
  }
  const byValue = new Map<string, string[]>();
  for (const h of hosts) {
    const value = String(h[field]);
    byValue.set(value, [...(byValue.get(value) ?? []), h.name]);
  }
  const groups = [...byValue.keys()].sort().map((value) => ({ stack: `${fleet}-${value}`, hosts: byValue.get(value)! }));
  const bad = groups.filter((g) => !STACK_NAME.test(g.stack));
  if (bad.length) {
    throw new InputError(
      `--by ${field}: ${quoted(bad.map((g) => g.stack))} ${bad.length === 1 ? "is not a stack name" : "are not stack names"} (the fleet name, "-", then the host's ${field})`,
      `use letters, digits, ".", "-" and "_" in ${field} values and at most 100 characters in all, or split with --hosts-per-stack <N>`,
    );
  }
  return groups;
}

/** The flags as a split: exactly one of --by and --hosts-per-stack, each checked, before anything runs. */
export function splitOf(by: string | undefined, hostsPerStack: string | undefined): FleetSplit {
  if ((by === undefined) === (hostsPerStack === undefined)) {
    throw new InputError("give exactly one of --by <field> and --hosts-per-stack <N>", `e.g. --by domain (one stack per domain), or --hosts-per-stack 10`);
  }
  if (by !== undefined) {
    if (!(GROUP_FIELDS as readonly string[]).includes(by)) {
      throw new InputError(`--by ${JSON.stringify(by)} is not a host field a fleet can be split by`, `use one of ${GROUP_FIELDS.join(", ")}, or --hosts-per-stack <N>`);
    }
    return { by: by as GroupField };
  }
  const n = Number(hostsPerStack);
  if (!/^\d+$/.test(hostsPerStack!) || !Number.isSafeInteger(n) || n < 1) {
    throw new InputError(`--hosts-per-stack ${JSON.stringify(hostsPerStack)} is not a number of hosts`, "give a whole number of 1 or more, e.g. --hosts-per-stack 10");
  }
  return { hostsPerStack: n };
}

function quoted(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => `"${n}"`).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

function plural(n: number, word: string): string {
  return `${n === 1 ? "" : `${n} `}${word}${n === 1 ? "" : "s"}`;
}
