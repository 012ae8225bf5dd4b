/**
 * Generated bad (and good) values, one field at a time (issue 21): a valid resource has one
 * field replaced by a value drawn from its value type's catalogue of hostile forms (wrong
 * type, unicode tricks, address and prefix edge forms, range edges, case-duplicate keys) or a
 * good one. The oracle is the written spec computed independently (./value-oracle.ts), not the
 * schema: `check` must refuse exactly when the oracle calls the value bad, naming that field
 * with a reason, and never throw. HNS_VALUES_RUNS sets the cases per field (npm run
 * test:values-long runs 1,000,000 in all).
 */
import fc from "fast-check";
import { providers } from "../../../provider";
import { plan } from "../../../provider/planner/plan";
import { oracleAddressGood, oracleMacGood, oracleNameGood, oraclePortGood, oraclePortListGood, oracleSubnetGood } from "./value-oracle";
import { checkResource } from "../../helpers/fixtures";

const FIELDS = 15;
const RUNS = Math.ceil(Number(process.env.HNS_VALUES_RUNS ?? 10_000) / FIELDS);
const SEED = process.env.HNS_VALUES_SEED ? Number(process.env.HNS_VALUES_SEED) : undefined;

const host = { kind: "emulator", name: "gen", stateDir: "/nonexistent/generated-check-never-writes" };
const NET = "4f2a6c1e-0b1d-4c3e-9f00-000000000001";
const EP = "4f2a6c1e-0b1d-4c3e-9f00-0000000000a1";

// ---- Catalogues of hostile forms
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
const specialV4 = fc.constantFrom("0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.0.9", "224.0.0.10", "239.255.255.250", "255.255.255.255", "240.0.0.1", "169.254.169.254", "169.254.0.1", "10.0.0.5", "192.168.1.1", "100.64.0.1");
const specialV6 = fc.constantFrom("::", "::1", "ff02::1", "ff05::1:3", "fe80::1", "febf::1", "fd00::5", "2001:db8::1", "FD00:0:0:0:0:0:0:5", "fec0::1");
const mangledIp = fc.oneof(
  ipv4.map((v) => v.replace(/(^|\.)(\d)(?=\.|$)/, "$10$2")), // a leading zero
  ipv4.map((v) => `${v}.1`),
  ipv4.map((v) => v.split(".").slice(0, 3).join(".")),
  ipv4.map((v) => `${v} `),
  ipv4.map((v) => `::ffff:${v}`),
  fc.ipV6().map((v) => `${v}%eth0`),
  fc.ipV6().map((v) => `[${v}]`),
  fc.constantFrom("....", ":::", "999.999.999.999", "1.2.3.4.5", "0x0a.0.0.1", "10.0.0.256", "", "localhost", "::ffff:a00:1", "1::2::3", "fe80::1%3", "10.0.0.1/32"),
);
const address = fc.oneof(ipv4, fc.ipV6(), specialV4, specialV6, mangledIp, fc.string({ maxLength: 12 }));

const HOSTILE_CHARS = ["\u3164", "\u115f", "\ufe0f", "\u034f", "\u2800", "\ufffc", "\u{E0100}", "\u202e", "\u202a", "\u2066", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u2028", "\u2029", "\u0085", "\u0000", "\t", "\n", "\u001b", "\u007f", "\ud800", "\udc00", "\u00a0", "\u3000", "\ue000", "\u0301"];
const nameChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcXYZ019-_. é日本Жß".split("")) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_CHARS) },
);
const name = fc.oneof(fc.array(nameChar, { minLength: 0, maxLength: 10 }).map((cs) => cs.join("")), fc.constantFrom("x".repeat(256), "x".repeat(257), "é".repeat(256), "re\u0301seau", "Default Switch"));

const hexByte = fc.integer({ min: 0, max: 255 }).map((b) => b.toString(16).padStart(2, "0"));
const macBytes = fc.array(hexByte, { minLength: 6, maxLength: 6 });
const mac = fc.oneof(
  macBytes.map((b) => b.join("-")),
  macBytes.map((b) => b.join("-").toUpperCase()),
  macBytes.map((b) => b.join(":")),
  macBytes.map((b) => b.join("")),
  fc.constantFrom("00-15-5D-00-00-01", "01-00-5E-00-00-01", "FF-FF-FF-FF-FF-FF", "00-00-00-00-00-00", "00-15-5D-00-00", "0G-15-5D-00-00-01", ""),
);

const port = fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom(0, -0, 1, 65535, 65536, 1.5, Number.NaN, 80));
const portItem = fc.oneof(fc.integer({ min: 0, max: 70_000 }).map(String), fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 70_000 })).map(([a, b]) => `${a}-${b}`), fc.constantFrom("http", "080", " 80", "", "1-2-3", "-5"));
const portList = fc.oneof(fc.array(portItem, { minLength: 1, maxLength: 4 }).map((xs) => xs.join(",")), fc.constantFrom("80, 443", "80,,443", ""));

const prefixLen = fc.oneof(fc.integer({ min: 0, max: 130 }).map(String), fc.constantFrom("024", "", "-1", "8 "));
const prefix = fc.oneof(
  fc.tuple(fc.oneof(ipv4, specialV4, specialV6, fc.ipV6()), prefixLen).map(([a, l]) => `${a}/${l}`),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 30 })).map(([a, l]) => `${a}.0.0.0/${l}`),
  fc.constantFrom("10.0.0.0/24", "10.0.0.7/24", "fd00::/64", "fe80::%eth0/64", "224.0.0.0/24", "0.0.0.0/0", "127.0.0.0/8", "10.0.0.0", "128.0.0.0/1"),
);

// ---- Fields: where a value goes, and what the oracle says of it there
interface Field<T> {
  name: string;
  values: fc.Arbitrary<T>;
  /** A resource kind, judged by its check; or "topology", judged by the planner (hns-plan validate). */
  kind: keyof typeof providers | "topology";
  args: (v: T) => Record<string, unknown>;
  property: (v: T) => string;
  good: (v: T) => boolean;
}

const field = <T,>(f: Field<T>) => f as Field<unknown>;
const cases: Field<unknown>[] = [
  field({ name: "network name", values: name, kind: "network", args: (v) => ({ host, name: v, type: "nat" }), property: () => "name", good: oracleNameGood }),
  field({ name: "namespace name", values: name, kind: "namespace", args: (v) => ({ host, name: v }), property: () => "name", good: oracleNameGood }),
  field({ name: "DNS server", values: address, kind: "network", args: (v) => ({ host, name: "n", type: "nat", dns: { servers: [v] } }), property: () => "dns.servers.0", good: (v) => oracleAddressGood(v, "dnsServer") }),
  field({ name: "endpoint address", values: address, kind: "endpoint", args: (v) => ({ host, network: NET, name: "e", ipAddress: v }), property: () => "ipAddress", good: (v) => oracleAddressGood(v, "host") }),
  field({
    name: "frontend VIP (IPv4 load balancer)",
    values: address,
    kind: "policy",
    args: (v) => ({ kind: "loadBalancer", host, endpoints: [EP], frontendVips: [v], portMappings: [{ internalPort: 80, externalPort: 80 }] }),
    property: () => "frontendVips.0",
    // Without ipv6 set, an IPv6 VIP is of the wrong family (rule lb-vip-family).
    good: (v) => oracleAddressGood(v, "vip") && !v.includes(":"),
  }),
  field({
    name: "SDN route next hop",
    values: address,
    kind: "policy",
    args: (v) => ({ kind: "route", host, endpoints: [EP], routes: [{ destinationPrefix: v.includes(":") ? "fd00:1::/64" : "10.1.0.0/16", nextHop: v }] }),
    property: () => "routes.0.nextHop",
    good: (v) => oracleAddressGood(v, "nextHop"),
  }),
  field({ name: "MAC address", values: mac, kind: "endpoint", args: (v) => ({ host, network: NET, name: "e", macAddress: v }), property: () => "macAddress", good: oracleMacGood }),
  field({
    name: "load balancer port",
    values: port,
    kind: "policy",
    args: (v) => ({ kind: "loadBalancer", host, endpoints: [EP], portMappings: [{ internalPort: v, externalPort: 80 }] }),
    property: () => "portMappings.0.internalPort",
    good: oraclePortGood,
  }),
  field({
    name: "ACL port list",
    values: portList,
    kind: "endpoint",
    args: (v) => ({ host, network: NET, name: "e", policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100, Protocols: "6", LocalPorts: v } }] }),
    property: () => "policies.0.Settings.LocalPorts",
    good: oraclePortListGood,
  }),
  field({ name: "l2bridge subnet prefix", values: prefix, kind: "network", args: (v) => ({ host, name: "n", type: "l2bridge", subnets: [{ prefix: v }] }), property: () => "subnets.0.prefix", good: oracleSubnetGood }),
  // The topology document, judged by the planner as `hns-plan validate` and hns.Topology do.
  field({ name: "topology network name", values: name, kind: "topology", args: (v) => topology({ name: v }), property: () => "hosts.0.networks.0.name", good: (v) => oracleNameGood(v) && !/[/ ]/.test(v) }),
  field({ name: "topology DNS server", values: address, kind: "topology", args: (v) => topology({ dns: { servers: [v] } }), property: () => "hosts.0.networks.0.dns.servers.0", good: (v) => oracleAddressGood(v, "dnsServer") }),
  field({ name: "topology endpoint MAC", values: mac, kind: "topology", args: (v) => topology({ endpoints: [{ name: "e", macAddress: v }] }), property: () => "hosts.0.networks.0.endpoints.0.macAddress", good: oracleMacGood }),
  field({
    name: "topology published port",
    values: port,
    kind: "topology",
    args: (v) => topology({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "e", ports: [{ internalPort: v, externalPort: 8080 }] }] }),
    property: () => "hosts.0.networks.0.endpoints.0.ports.0.internalPort",
    good: oraclePortGood,
  }),
  field({ name: "topology subnet prefix", values: prefix, kind: "topology", args: (v) => topology({ subnets: [{ prefix: v }] }), property: () => "hosts.0.networks.0.subnets.0.prefix", good: oracleSubnetGood }),
];

function topology(network: Record<string, unknown>): Record<string, unknown> {
  return { hosts: [{ name: "h", networks: [{ name: "n", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }], ...network }] }] };
}

/** Plan findings in check's shape: what `hns-plan validate` reports, by path. */
async function validate(topologyInput: Record<string, unknown>) {
  const failures = plan(topologyInput).findings.filter((f) => f.severity === "error").map((f) => ({ property: f.path, reason: `${f.message}: ${f.fix}` }));
  return failures.length ? { failures } : {};
}

const judge = (c: Field<unknown>) => (args: Record<string, unknown>) => (c.kind === "topology" ? validate(args) : checkResource(providers[c.kind], args));

/** The property for one field against a check; exported to the negative control below. */
function property(c: Field<unknown>, check: (args: Record<string, unknown>) => Promise<{ failures?: { property: string; reason: string }[] }>) {
  return fc.asyncProperty(c.values, async (v) => {
    const r = await check(c.args(v));
    const failures = r.failures ?? [];
    const at = failures.filter((f) => f.property === c.property(v));
    if (c.good(v)) {
      if (failures.length) throw new Error(`refused a good value ${JSON.stringify(v)}: ${JSON.stringify(failures)}`);
    } else {
      if (!at.length) throw new Error(`accepted a bad value ${JSON.stringify(v)} (failures elsewhere: ${JSON.stringify(failures)})`);
      for (const f of at) if (f.reason.length < 12) throw new Error(`no reason: ${JSON.stringify(f)}`);
    }
  });
}

describe("check refuses exactly what the value types' specs call bad", () => {
  test(`${FIELDS} fields are generated`, () => expect(cases).toHaveLength(FIELDS));

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_n, c) => {
    await fc.assert(property(c, judge(c)), { numRuns: RUNS, seed: SEED });
  });

  // Negative controls: the generators do produce values the oracle calls bad and good, so a
  // check that accepts everything, or refuses everything, fails every field's property.
  test.each(cases.map((c) => [c.name, c] as const))("%s: an all-accepting and an all-refusing check both fail", async (_n, c) => {
    const acceptAll = await fc.check(property(c, async () => ({})), { numRuns: 500, seed: 1 });
    expect(acceptAll.failed && String(acceptAll.errorInstance)).toMatch(/accepted a bad value/);
    const refuseAll = async () => ({ failures: [{ property: c.property(null), reason: "refused whatever it was given" }] });
    const refusing = await fc.check(property(c, refuseAll), { numRuns: 500, seed: 1 });
    expect(refusing.failed && String(refusing.errorInstance)).toMatch(/refused a good value/);
  });
});
