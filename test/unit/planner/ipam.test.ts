/** The IPAM properties, stated over generated topologies (fast-check). */
import fc from "fast-check";
import { broadcastOffset, offsetOf, parseCidr } from "../../../provider/vocabulary/net/cidr";
import { emptyLock, formatLock, plan, type Lock, type Plan, type TopologyInput } from "../../../provider/planner";

const PREFIX = "10.244.1.0/24";
const conventions = fc.constantFrom("hns" as const, "flannel" as const, "calico" as const);
const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), { minLength: 1, maxLength: 60 });

function topology(endpoints: string[], reservations: "hns" | "flannel" | "calico" = "hns", hostEndpoint = false): TopologyInput {
  return {
    reservations,
    hosts: [
      {
        name: "node-1",
        networks: [
          {
            name: "cbr0",
            type: "l2bridge",
            subnets: [{ prefix: PREFIX }],
            endpoints: [...(hostEndpoint ? [{ name: "host-ep", attach: "host" as const }] : []), ...endpoints.map((name) => ({ name }))],
          },
        ],
      },
    ],
  };
}

function addresses(p: Plan): Map<string, string> {
  const m = new Map<string, string>();
  for (const h of p.hosts) for (const n of h.networks) for (const e of n.endpoints) if (e.ipv4) m.set(e.key, e.ipv4.address);
  return m;
}

describe("IPAM properties", () => {
  test("every endpoint gets a concrete address, with no host reachable", () => {
    fc.assert(
      fc.property(names, conventions, (list, conv) => {
        const p = plan(topology(list, conv));
        expect(p.findings).toEqual([]);
        expect(addresses(p).size).toBe(list.length);
      }),
    );
  });

  test("adding or removing endpoints never moves another endpoint's address", () => {
    fc.assert(
      fc.property(names, names, fc.array(fc.boolean(), { maxLength: 60 }), conventions, (before, added, keep, conv) => {
        const first = plan(topology(before, conv));
        const kept = before.filter((_, i) => keep[i] ?? true);
        const fresh = added.filter((n) => !before.includes(n));
        // New endpoints interleaved with the old ones, in a different order.
        const after = [...fresh.slice(0, fresh.length / 2), ...kept.reverse(), ...fresh.slice(fresh.length / 2)];
        const second = plan(topology(after, conv), first.lock);
        const a = addresses(first);
        const b = addresses(second);
        for (const name of kept) expect(b.get(`node-1/cbr0/${name}`)).toBe(a.get(`node-1/cbr0/${name}`));
        // The lock holds exactly the endpoints still declared.
        expect(Object.keys(second.lock.endpoints).sort()).toEqual(after.map((n) => `node-1/cbr0/${n}`).sort());
      }),
    );
  });

  test("no duplicates, and reserved addresses are never handed out", () => {
    const cidr = parseCidr(PREFIX)!;
    const reservedBy = {
      hns: [0n, 1n, broadcastOffset(cidr)!],
      flannel: [0n, 1n, 2n, broadcastOffset(cidr)!],
      calico: [0n, 1n, 2n, cidr.size - 1n],
    };
    fc.assert(
      fc.property(names, conventions, (list, conv) => {
        const got = [...addresses(plan(topology(list, conv))).values()];
        expect(new Set(got).size).toBe(got.length);
        for (const ip of got) expect(reservedBy[conv]).not.toContain(offsetOf(cidr, ip));
      }),
    );
  });

  test("the host endpoint gets the convention's host slot (.2 for flannel), and no one else does", () => {
    fc.assert(
      fc.property(names, (list) => {
        const p = plan(topology(list, "flannel", true));
        const a = addresses(p);
        expect(a.get("node-1/cbr0/host-ep")).toBe("10.244.1.2");
        expect([...a.entries()].filter(([k, v]) => v === "10.244.1.2" && k !== "node-1/cbr0/host-ep")).toEqual([]);
      }),
    );
  });

  test("pool exhaustion is a clear error naming the endpoint and the pool", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (extra) => {
        // A /27 under the calico convention has 32 - 4 = 28 free addresses.
        const list = Array.from({ length: 28 + extra }, (_, i) => `ep${i}`);
        const t = topology(list, "calico") as { hosts: { networks: { subnets: { prefix: string }[] }[] }[] };
        t.hosts[0].networks[0].subnets = [{ prefix: "10.244.1.0/27" }];
        const p = plan(t);
        const errors = p.findings.filter((f) => f.rule === "pool-exhausted");
        expect(errors).toHaveLength(extra);
        expect(errors[0].message).toBe("no free address left in 10.244.1.0/27 for node-1/cbr0/ep28");
        expect(addresses(p).size).toBe(28);
      }),
    );
  });

  test("same topology and lock give the same plan and the same lock bytes", () => {
    fc.assert(
      fc.property(names, names, conventions, (a, b, conv) => {
        const lock = plan(topology(a, conv)).lock;
        const once = plan(topology(b, conv), structuredClone(lock));
        const again = plan(structuredClone(topology(b, conv)), JSON.parse(formatLock(lock)) as Lock);
        expect(again).toEqual(once);
        expect(formatLock(again.lock)).toBe(formatLock(once.lock));
      }),
    );
  });
});

describe("IPAM cases", () => {
  test("a locked address survives a reorder and a lock from another prefix is reallocated", () => {
    const first = plan(topology(["a", "b", "c"]));
    expect([...addresses(first).values()]).toEqual(["10.244.1.2", "10.244.1.3", "10.244.1.4"]);
    const stale: Lock = { ...emptyLock(), endpoints: { "node-1/cbr0/a": { ipv4: "10.9.0.5" }, "node-1/cbr0/b": { ipv4: "10.244.1.40" } } };
    const p = plan(topology(["c", "b", "a"]), stale);
    expect(addresses(p).get("node-1/cbr0/b")).toBe("10.244.1.40");
    expect(addresses(p).get("node-1/cbr0/a")).toBe("10.244.1.3");
    expect(p.lockChanges).toEqual({ added: ["node-1/cbr0/c"], released: [], moved: ["node-1/cbr0/a"] });
  });

  test("a static address that takes a locked one is an error naming both endpoints, not a silent move", () => {
    const first = plan(topology(["a"]));
    const t = topology(["a", "b"]) as { hosts: { networks: { endpoints: { name: string; ipAddress?: string }[] }[] }[] };
    t.hosts[0].networks[0].endpoints[1].ipAddress = "10.244.1.2";
    const p = plan(t, first.lock);
    expect(p.findings.map((f) => [f.rule, f.message])).toEqual([["address-duplicate", "10.244.1.2 is wanted by both node-1/cbr0/b and node-1/cbr0/a"]]);
  });

  test("dual stack: an l2bridge network with an IPv6 subnet gives each endpoint both families", () => {
    const p = plan({
      hosts: [{ name: "n", hnsVersion: "ws2022", networks: [{ name: "br", type: "l2bridge", subnets: [{ prefix: "10.1.0.0/24" }, { prefix: "fd00:1::/64" }], endpoints: [{ name: "a" }] }] }],
    });
    expect(p.findings).toEqual([]);
    const ep = p.hosts[0].networks[0].endpoints[0];
    expect([ep.ipv4?.address, ep.ipv6?.address, ep.ipv6?.prefixLength]).toEqual(["10.1.0.2", "fd00:1::2", 64]);
    expect(p.lock.endpoints["n/br/a"]).toEqual({ ipv4: "10.1.0.2", ipv6: "fd00:1::2" });
  });

  test("VIPs come from the domain's pool, shared by its hosts, and source VIPs from the network", () => {
    const lb = (name: string) => ({ name, backends: ["a"], sourceVip: "auto" as const, portMappings: [{ internalPort: 80, externalPort: 80 }] });
    const p = plan({
      domains: [{ name: "k8s", vipPool: "10.96.0.0/24" }],
      hosts: [1, 2].map((i) => ({
        name: `node-${i}`,
        domain: "k8s",
        networks: [{ name: "cbr0", type: "l2bridge" as const, subnets: [{ prefix: `10.244.${i}.0/24` }], endpoints: [{ name: "a" }], loadBalancers: [lb("svc"), { ...lb("api"), vip: "10.96.0.1" }] }],
      })),
    });
    expect(p.findings).toEqual([]);
    const lbs = p.hosts.flatMap((h) => h.networks[0].loadBalancers.map((l) => [l.key, l.frontendVips[0], l.sourceVip]));
    expect(lbs).toEqual([
      ["node-1/cbr0/svc", "10.96.0.2", "10.244.1.3"],
      ["node-1/cbr0/api", "10.96.0.1", "10.244.1.4"],
      ["node-2/cbr0/svc", "10.96.0.3", "10.244.2.3"],
      ["node-2/cbr0/api", "10.96.0.1", "10.244.2.4"],
    ]);
    expect(addresses(p).get("node-1/cbr0/a")).toBe("10.244.1.2");
  });

  test("overlapping prefixes name both offenders, within a host and across a domain", () => {
    const p = plan({
      hosts: [
        { name: "n1", domain: "k8s", networks: [{ name: "a", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/16" }] }, { name: "b", type: "nat", subnets: [{ prefix: "10.0.3.0/24" }] }] },
        { name: "n2", domain: "k8s", networks: [{ name: "a", type: "l2bridge", subnets: [{ prefix: "10.0.128.0/17" }] }] },
        { name: "n3", networks: [{ name: "a", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/16" }] }] },
      ],
    });
    // n3 is in no domain: its copy of 10.0.0.0/16 is on another L2 segment and is fine.
    expect(p.findings.map((f) => `${f.rule}: ${f.message}`)).toEqual([
      "prefix-overlap-host: n1/b (10.0.3.0/24) overlaps n1/a (10.0.0.0/16) on the same host: routing between them is ambiguous",
      "prefix-overlap-domain: n2/a (10.0.128.0/17) overlaps n1/a (10.0.0.0/16) in domain k8s: both hosts would claim the same addresses on one L2 segment",
    ]);
  });
});

