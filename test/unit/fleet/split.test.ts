/**
 * The split of a topology into host groups: by a host field or N hosts per stack, every host in
 * exactly one group, the same groups in the same order every time, and bad flags or documents
 * refused before anything runs, naming the flag or field and the fix.
 */
import fc from "fast-check";
import { splitFleet, splitOf, type FleetSplit } from "../../../provider/fleet/split";
import type { Topology, TopologyHost } from "../../../provider/planner/topology";
import { InputError } from "../../../provider/topology-files";

const host = (name: string, extra: Partial<TopologyHost> = {}): TopologyHost => ({ name, ...extra });
const fleetOf = (hosts: TopologyHost[]): Topology => ({ hosts });

test("by a field: one stack per value, values sorted, hosts in document order", () => {
  const t = fleetOf([host("w1", { domain: "west" }), host("e1", { domain: "east" }), host("w2", { domain: "west" }), host("e2", { domain: "east" })]);
  expect(splitFleet(t, { by: "domain" }, "prod")).toEqual([
    { stack: "prod-east", hosts: ["e1", "e2"] },
    { stack: "prod-west", hosts: ["w1", "w2"] },
  ]);
  const byVersion = splitFleet(fleetOf([host("a", { hnsVersion: "ws2022" }), host("b", { hnsVersion: "13.3" })]), { by: "hnsVersion" }, "f");
  expect(byVersion.map((g) => g.stack)).toEqual(["f-13.3", "f-ws2022"]);
});

test("by count: groups of N in document order, stacks numbered from 1 without padding", () => {
  const t = fleetOf(Array.from({ length: 11 }, (_, i) => host(`h${i}`)));
  const groups = splitFleet(t, { hostsPerStack: 5 }, "fleet");
  expect(groups).toEqual([
    { stack: "fleet-1", hosts: ["h0", "h1", "h2", "h3", "h4"] },
    { stack: "fleet-2", hosts: ["h5", "h6", "h7", "h8", "h9"] },
    { stack: "fleet-3", hosts: ["h10"] },
  ]);
  // A tenth group does not rename the first nine (fleet-1, not fleet-01).
  expect(splitFleet(fleetOf(Array.from({ length: 10 }, (_, i) => host(`h${i}`))), { hostsPerStack: 1 }, "f").map((g) => g.stack)).toContain("f-1");
});

test("property: every host is in exactly one group, order is deterministic, groups are non-empty", () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 1, maxLength: 40 });
  const domains = fc.constantFrom("a", "b", "c", "x.y", "z_1");
  fc.assert(
    fc.property(names, fc.array(domains, { minLength: 40, maxLength: 40 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), (hs, ds, n, byField) => {
      const t = fleetOf(hs.map((name, i) => host(name, { domain: ds[i] })));
      const split: FleetSplit = byField ? { by: "domain" } : { hostsPerStack: n };
      const groups = splitFleet(t, split, "f");
      expect(groups.flatMap((g) => g.hosts).sort()).toEqual([...hs].sort());
      expect(groups.every((g) => g.hosts.length > 0)).toBe(true);
      expect(new Set(groups.map((g) => g.stack)).size).toBe(groups.length);
      expect(splitFleet(structuredClone(t), split, "f")).toEqual(groups);
      if (!byField) expect(groups.every((g) => g.hosts.length <= n)).toBe(true);
      else for (const g of groups) expect(new Set(g.hosts.map((h) => t.hosts.find((x) => x.name === h)!.domain)).size).toBe(1);
    }),
  );
});

function refusal(fn: () => unknown): { reason: string; fix?: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problem();
  }
  throw new Error("not refused");
}

test("hosts without the field are refused, naming the flag, the hosts and the fix", () => {
  const p = refusal(() => splitFleet(fleetOf([host("a", { domain: "d" }), host("b"), host("c")]), { by: "domain" }, "f"));
  expect(p.reason).toBe('--by domain: 2 hosts "b", "c" have no domain, so no group');
  expect(p.fix).toBe("give every host a domain in the topology, or split with --hosts-per-stack <N>");
  // Negative control: the same hosts, every one with a domain, split.
  expect(splitFleet(fleetOf([host("a", { domain: "d" }), host("b", { domain: "d" })]), { by: "domain" }, "f")).toHaveLength(1);
});

test("a value that cannot be in a stack name is refused with the field and the fix", () => {
  const p = refusal(() => splitFleet(fleetOf([host("a", { domain: "eu:west" })]), { by: "domain" }, "f"));
  expect(p.reason).toMatch(/^--by domain: "f-eu:west" is not a stack name/);
  expect(p.fix).toMatch(/in domain values .* or split with --hosts-per-stack <N>/);
});

test("a bad fleet name is refused before any split", () => {
  const p = refusal(() => splitFleet(fleetOf([host("a")]), { hostsPerStack: 1 }, "my fleet"));
  expect(p.reason).toMatch(/^--fleet "my fleet" is not a fleet name/);
  expect(p.fix).toMatch(/e\.g\. --fleet prod/);
});

test("the flags: exactly one of --by and --hosts-per-stack, a known field, a whole number", () => {
  expect(splitOf("domain", undefined)).toEqual({ by: "domain" });
  expect(splitOf(undefined, "10")).toEqual({ hostsPerStack: 10 });
  expect(refusal(() => splitOf(undefined, undefined)).reason).toBe("give exactly one of --by <field> and --hosts-per-stack <N>");
  expect(refusal(() => splitOf("domain", "3")).reason).toBe("give exactly one of --by <field> and --hosts-per-stack <N>");
  const field = refusal(() => splitOf("site", undefined));
  expect(field.reason).toBe('--by "site" is not a host field a fleet can be split by');
  expect(field.fix).toBe("use one of domain, platform, hnsVersion, or --hosts-per-stack <N>");
  for (const n of ["0", "-1", "2.5", "ten", ""]) expect(refusal(() => splitOf(undefined, n)).reason).toBe(`--hosts-per-stack ${JSON.stringify(n)} is not a number of hosts`);
});
