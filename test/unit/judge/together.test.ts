// Plain resources judged together at check (issue 24, item 1): the second resource of a clash on
// one host is refused naming the first, with the planner's rule; other hosts, the resource
// itself checked again, and input without a seed are never clashes.
import fc from "fast-check";
import { providers } from "../../../provider";
import { networkId } from "../../../provider/kinds/network/mapping";
import { CROSS_RESOURCE_ENV, forgetProgram, judgeProgram, type ProgramResource } from "../../../provider/judge/program";
import { checkResource, checkedInputs, failuresOf } from "../../helpers/fixtures";

const host = (name = "node1") => ({ kind: "emulator", name, stateDir: "/nonexistent/together" });
const seed = (type: string, name: string) => `proj/dev/${type}/${name}`;
const NET_ID = "4f2a6c1e-0b1d-4c3e-9f00-000000000001";

const nat = (name: string, prefix: string, h = host()) => ({ host: h, name, type: "nat", subnets: [{ prefix }], __seed: seed("Network", name) });
const published = (name: string, port: number, h = host(), extra: Record<string, unknown> = {}) => ({
  host: h,
  network: NET_ID,
  name,
  policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: port } }],
  __seed: seed("Endpoint", name),
  ...extra,
});
const failures = async (kind: "network" | "endpoint", args: Record<string, unknown>) => await failuresOf(providers[kind], args);

beforeEach(() => forgetProgram());

test("two NAT networks with overlapping prefixes on one host: the second is refused naming the first, in either order", async () => {
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
  const second = await failures("network", nat("api", "172.20.0.0/16"));
  expect(second).toEqual([{ property: "subnets.0.prefix", reason: expect.stringMatching(/172\.20\.0\.0\/16.*overlaps.*172\.20\.0\.0\/24.*\(rule prefix-overlap-host\)/) }]);
  forgetProgram();
  expect(await failures("network", nat("api", "172.20.0.0/16"))).toEqual([]);
  expect((await failures("network", nat("web", "172.20.0.0/24"))).map((f) => f.property)).toEqual(["subnets.0.prefix"]);
});

test("the same host port on endpoints of two NAT networks: the second is refused naming the first", async () => {
  const on = (network: string) => ({ __network: { type: "nat", subnets: [{ prefix: network === "web" ? "172.20.0.0/24" : "172.21.0.0/24" }], name: network } });
  expect(await failures("endpoint", published("a", 8080, host(), on("web")))).toEqual([]);
  const second = await failures("endpoint", published("b", 8080, host(), on("api")));
  expect(second).toEqual([{ property: "policies.0", reason: expect.stringMatching(/tcp port 8080 .*already published by .*\/a .*\(rule host-port-conflict\)/) }]);
  // Control: another port is no clash.
  expect(await failures("endpoint", published("c", 8081, host(), on("web")))).toEqual([]);
});

test("endpoints that name their network only by ID are not judged together (the type decides whether ports are host-wide)", async () => {
  expect(await failures("endpoint", published("a", 8080))).toEqual([]);
  expect(await failures("endpoint", published("b", 8080))).toEqual([]);
});

test("the same static address twice on one network named by resource: address-duplicate; on another network it is none", async () => {
  const net = { type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }], name: "l2" };
  expect(await failures("network", { host: host(), name: "l2", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }], __seed: seed("Network", "l2") })).toEqual([]);
  const ep = (name: string, network: Record<string, unknown>) => ({ host: host(), network: NET_ID, name, ipAddress: "10.0.0.5", __network: network, __seed: seed("Endpoint", name) });
  expect(await failures("endpoint", ep("a", net))).toEqual([]);
  expect((await failures("endpoint", ep("b", net))).map((f) => f.reason).join(" ")).toMatch(/10\.0\.0\.5 is wanted by both .*\(rule address-duplicate\)/);
  forgetProgram();
  expect(await failures("endpoint", ep("a", net))).toEqual([]);
  expect(await failures("endpoint", ep("b", { ...net, name: "other" }))).toEqual([]);
});

test("two networks of one name on a host: duplicate-name", async () => {
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
  const again = { ...nat("web", "172.21.0.0/24"), __seed: seed("Network", "web2") };
  // The first is named as the program knows it, not by a topology path.
  expect((await failures("network", again)).map((f) => f.reason).join(" ")).toMatch(/"web" is declared twice \(first at network web\).*rule duplicate-name/);
});

test("no clash across hosts, with itself checked again, or without a seed", async () => {
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
  expect(await failures("network", nat("api", "172.20.0.0/16", host("node2")))).toEqual([]);
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
  const { __seed: _s, ...unseeded } = nat("api", "172.20.0.0/16");
  expect(await failures("network", unseeded)).toEqual([]);
});

test("generated valid programs, checked in shuffled orders, are never refused", async () => {
  // Valid by construction: each network its own prefix (or none: NAT left to HNS), NAT and
  // l2bridge mixed, endpoints with and without static addresses, by resource or by planned ID,
  // and host ports unique per host and protocol, though the same port may serve tcp and udp.
  const shape = fc.record({
    hosts: fc.integer({ min: 1, max: 3 }),
    networks: fc.array(fc.record({ type: fc.constantFrom("nat", "l2bridge"), subnetless: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    endpoints: fc.array(fc.record({ static: fc.boolean(), udp: fc.boolean(), byId: fc.boolean() }), { maxLength: 12 }),
  });
  const program = shape.chain(({ hosts, networks, endpoints }) => {
    const resources: ["network" | "endpoint", Record<string, unknown>][] = [];
    const declared = networks.map((n, i) => {
      const h = host(`node${i % hosts}`);
      const subnets = n.type === "nat" && n.subnetless ? undefined : [{ prefix: `10.${16 + i}.0.0/24` }];
      const args = { host: h, name: `net${i}`, type: n.type, ...(subnets ? { subnets } : {}), __seed: seed("Network", `net${i}`) };
      resources.push(["network", args]);
      return { h, subnets, args, type: n.type };
    });
    endpoints.forEach((e, i) => {
      const net = declared[i % declared.length];
      const protocol = e.udp ? 17 : 6;
      const context = { __network: { type: net.type, ...(net.subnets ? { subnets: net.subnets } : {}), name: `net${i % declared.length}` } };
      resources.push([
        "endpoint",
        {
          host: net.h,
          network: e.byId ? networkId(providersCheckedArgs(net.args)) : NET_ID,
          name: `ep${i}`,
          ...(e.static && net.subnets ? { ipAddress: `10.${16 + (i % declared.length)}.0.${10 + i}` } : {}),
          // The same external port on tcp and udp is two mappings; each protocol's ports are unique.
          policies: [{ Type: "PortMapping", Settings: { Protocol: protocol, InternalPort: 80, ExternalPort: 8000 + i } }],
          ...(e.byId ? {} : context),
          __seed: seed("Endpoint", `ep${i}`),
        },
      ]);
    });
    return fc.shuffledSubarray(resources, { minLength: resources.length, maxLength: resources.length });
  });
  await fc.assert(
    fc.asyncProperty(program, async (ordered) => {
      forgetProgram();
      for (const [kind, args] of ordered) {
        const f = await failures(kind, args);
        if (f.length) throw new Error(`${String(args.name)} refused: ${JSON.stringify(f)}`);
      }
    }),
    { numRuns: 200 },
  );
});

/** A network's inputs as check leaves them (defaults filled), for the ID its create will use. */
function providersCheckedArgs(args: Record<string, unknown>) {
  const { NetworkArgs } = require("../../../provider/kinds/network/args") as typeof import("../../../provider/kinds/network/args");
  return NetworkArgs.parse(args);
}

describe("against what an emulated host already holds", () => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  const { NetworkProvider } = require("../../../provider/resources/network/controller") as typeof import("../../../provider/resources/network/controller");
  const { connect } = require("../../../provider/hosts/connect") as typeof import("../../../provider/hosts/connect");

  test("Docker's nat network: a NAT network overlapping its prefix is refused naming it; another prefix is not; a missing state file is not made", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-host-"));
    const docker = { kind: "emulator", name: "node1", stateDir: dir, docker: true };
    const [nat] = await connect(docker as Parameters<typeof connect>[0]).list("network");
    const natPrefix = (nat.Ipams?.[0]?.Subnets?.[0]?.IpAddressPrefix ?? "") as string;
    expect(natPrefix).toMatch(/^172\./);
    forgetProgram();
    const clash = await failures("network", { ...nat0("web", natPrefix), host: docker });
    expect(clash).toEqual([{ property: "subnets.0.prefix", reason: expect.stringMatching(/overlaps node1\/nat .*\(rule prefix-overlap-host\)/) }]);
    // With the policy pack judging the program, check still judges against the host (the pack reads none).
    forgetProgram();
    process.env[CROSS_RESOURCE_ENV] = "policy-pack";
    try {
      expect((await failures("network", { ...nat0("web", natPrefix), host: docker })).map((f) => f.property)).toEqual(["subnets.0.prefix"]);
    } finally {
      delete process.env[CROSS_RESOURCE_ENV];
    }
    forgetProgram();
    expect(await failures("network", { ...nat0("web", "10.99.0.0/24"), host: docker })).toEqual([]);
    // A host without a state file: nothing read, nothing made.
    const empty = { kind: "emulator", name: "node2", stateDir: dir };
    expect(await failures("network", { ...nat0("web", natPrefix), host: empty })).toEqual([]);
    expect(require("node:fs").existsSync(path.join(dir, "node2.json"))).toBe(false);
  });

  test("an object the resource already manages under its name (imported: its old inputs carry the name) is its own", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-import-"));
    const h = { kind: "emulator", name: "node1", stateDir: dir };
    await connect(h as Parameters<typeof connect>[0]).create("network", { Name: "legacy", Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.31.0.0/24" }] }] });
    const args = { ...nat0("legacy", "172.31.0.0/24", h) };
    forgetProgram();
    expect((await new NetworkProvider().check({ ...args }, args)).failures).toBeUndefined();
    // Control: declared anew (no old inputs), the same network is a clash with the host's.
    forgetProgram();
    expect((await checkResource(new NetworkProvider(), args)).failures?.map((f) => f.property)).toContain("name");
  });

  test("the stack's own objects on the host are not clashes: a network made by this resource, checked again", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-own-"));
    const h = { kind: "emulator", name: "node1", stateDir: dir };
    const args = nat0("web", "172.30.0.0/24", h);
    forgetProgram();
    const checked = await checkResource(new NetworkProvider(), args);
    await new NetworkProvider().create(checked.inputs!);
    forgetProgram();
    expect(await failures("network", args)).toEqual([]);
    // Control: another stack's resource of the same prefix clashes with it.
    expect((await failures("network", { ...args, name: "other", __seed: "proj/prod/Network/other" })).map((f) => f.property)).toEqual(["subnets.0.prefix"]);
  });
});

function nat0(name: string, prefix: string, h: Record<string, unknown> = { kind: "emulator", name: "node1", stateDir: "/nonexistent/together" }) {
  return { host: h, name, type: "nat", subnets: [{ prefix }], __seed: `proj/dev/Network/${name}` };
}

describe("an endpoint that names its network by the ID that network's create will use", () => {
  const { NetworkProvider } = require("../../../provider/resources/network/controller") as typeof import("../../../provider/resources/network/controller");
  const web = nat0("web", "172.20.0.0/24");
  const endpoint = (ipAddress: string, network: string) => ({ host: web.host, network, name: "a", ipAddress, __seed: seed("Endpoint", "a") });

  test("learns that network's type and subnets: an address outside them is refused, one inside is not (the YAML preview of network: ${web.networkId})", async () => {
    const checked = await checkedInputs(new NetworkProvider(), web);
    const id = networkId(checked as Parameters<typeof networkId>[0]);
    expect((await failures("endpoint", endpoint("172.29.0.5", id.toUpperCase()))).map((f) => `${f.property}: ${f.reason}`).join(" ")).toMatch(/^ipAddress: .*172\.29\.0\.5.*\(rule address-outside-subnet\)/);
    expect(await failures("endpoint", endpoint("172.20.0.5", id))).toEqual([]);
    // Controls: an ID no network of this run will get, or a network that adopts (its ID is the host's), lends nothing.
    expect(await failures("endpoint", endpoint("172.29.0.5", NET_ID))).toEqual([]);
    forgetProgram();
    await checkResource(new NetworkProvider(), { ...web, adopt: true });
    expect(await failures("endpoint", endpoint("172.29.0.5", id))).toEqual([]);
  });
});

test("the same host port on endpoints of two NAT networks is refused on the endpoint checked second, whichever network comes first (the engine checks them concurrently)", async () => {
  const on = (network: string, prefix: string) => ({ __network: { type: "nat", subnets: [{ prefix }], name: network } });
  for (const order of [["a", "b"], ["b", "a"]]) {
    forgetProgram();
    expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
    expect(await failures("network", nat("api", "172.21.0.0/24"))).toEqual([]);
    const args = { a: published("a", 8080, host(), on("web", "172.20.0.0/24")), b: published("b", 8080, host(), on("api", "172.21.0.0/24")) } as Record<string, Record<string, unknown>>;
    expect(await failures("endpoint", args[order[0]])).toEqual([]);
    expect((await failures("endpoint", args[order[1]])).map((f) => f.property)).toEqual(["policies.0"]);
  }
});

test("a clash between two endpoints of one network is put on the second endpoint, never on the network checked again after them", async () => {
  const on = { __network: { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], name: "web" } };
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
  expect(await failures("endpoint", published("a", 8080, host(), on))).toEqual([]);
  expect((await failures("endpoint", published("b", 8080, host(), on))).map((f) => f.property)).toEqual(["policies.0"]);
  expect(await failures("network", nat("web", "172.20.0.0/24"))).toEqual([]);
});

describe(`${CROSS_RESOURCE_ENV}=policy-pack: check leaves the clashes to the policy pack, which sees them all at once`, () => {
  afterEach(() => delete process.env[CROSS_RESOURCE_ENV]);
  const on = (network: string, prefix: string) => ({ __network: { type: "nat", subnets: [{ prefix }], name: network } });
  const program: ProgramResource[] = [
    { key: "urn:web", kind: "network", args: nat("web", "172.20.0.0/24") },
    { key: "urn:api", kind: "network", args: nat("api", "172.20.0.0/16") },
    { key: "urn:a", kind: "endpoint", args: published("a", 8080, host(), on("web", "172.20.0.0/24")) },
    { key: "urn:b", kind: "endpoint", args: published("b", 8080, host(), on("api", "172.20.0.0/16")) },
    { key: "urn:c", kind: "endpoint", args: published("c", 9090, host("node2"), on("web", "172.20.0.0/24")) },
  ];

  test("check refuses none of them; the same resources checked with the variable unset refuse the second of each clash", async () => {
    process.env[CROSS_RESOURCE_ENV] = "policy-pack";
    for (const r of program) expect(await failures(r.kind as "network" | "endpoint", r.args)).toEqual([]);
    delete process.env[CROSS_RESOURCE_ENV];
    forgetProgram();
    const refused: string[] = [];
    for (const r of program) if ((await failures(r.kind as "network" | "endpoint", r.args)).length) refused.push(r.key);
    expect(refused).toEqual(["urn:api", "urn:b"]);
  });

  test("judgeProgram reports every clash of the whole program, each on the later resource with its field, rule and fix; another host's are apart", () => {
    const found = judgeProgram(program);
    expect(found.map((f) => [f.key, f.property, f.rule])).toEqual([
      ["urn:api", "subnets.0.prefix", "prefix-overlap-host"],
      ["urn:b", "policies.0", "host-port-conflict"],
    ]);
    for (const f of found) expect(f.reason).toMatch(/\(rule [a-z-]+\): \S/);
    expect(judgeProgram(program.filter((r) => r.key !== "urn:api" && r.key !== "urn:b"))).toEqual([]);
  });

  test("judgeProgram reads the engine's inputs as they are: a value not valid or not known yet is left out, and the rest is still judged", () => {
    const raw: ProgramResource[] = [
      ...program,
      // What a stack may hold before its own check refuses it, or while a preview has no value yet.
      { key: "urn:bad-prefix", kind: "network", args: { ...nat("bad", "172.20.0.0/24"), subnets: [{ prefix: "not-a-prefix" }] } },
      { key: "urn:bad-type", kind: "network", args: { ...nat("odd", "172.20.0.0/24"), type: "bridge" } },
      { key: "urn:bad-address", kind: "endpoint", args: { ...published("d", 7070, host(), on("web", "172.20.0.0/24")), ipAddress: "172.20.0.999" } },
      { key: "urn:bad-policy", kind: "endpoint", args: { ...published("e", 6060, host(), on("web", "172.20.0.0/24")), policies: [{ Type: "PortMapping", Settings: { ExternalPort: "8080" } }] } },
      { key: "urn:bad-context", kind: "endpoint", args: published("f", 5050, host(), { __network: { type: "nat", subnets: [{ prefix: 42 }], name: "web" } }) },
    ];
    expect(judgeProgram(raw).map((f) => [f.key, f.property, f.rule])).toEqual([
      ["urn:api", "subnets.0.prefix", "prefix-overlap-host"],
      ["urn:b", "policies.0", "host-port-conflict"],
    ]);
  });

  test("a value other than check or policy-pack is an error naming the variable and the fix", async () => {
    process.env[CROSS_RESOURCE_ENV] = "pack";
    await expect(failures("network", nat("web", "172.20.0.0/24"))).rejects.toThrow(/PULUMI_HNS_CROSS_RESOURCE="pack" is not one of "check", "policy-pack": unset it/);
  });
});

describe("previewReadsHost: a real host is read at check only when its block asks for it", () => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  const { HnsEmulator } = require("../../../provider/hosts/emulator") as typeof import("../../../provider/hosts/emulator");
  const { disconnectAll } = require("../../../provider/hosts/connect") as typeof import("../../../provider/hosts/connect");
  const { doubleFor } = require("../../doubles/hosts") as typeof import("../../doubles/hosts");
  afterAll(() => disconnectAll());

  test("through the PowerShell double: with previewReadsHost the host's own NAT network is judged against, without it nothing is read; an unreachable host judges nothing and the check goes on", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-reads-"));
    const hns = new HnsEmulator(path.join(dir, "node1.json"));
    await hns.create("network", { Name: "theirs", Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.28.0.0/16" }] }] });
    const local = { kind: "local", name: "node1", executable: doubleFor(dir).executable };
    forgetProgram();
    expect((await failures("network", { ...nat0("web", "172.28.1.0/24"), host: { ...local, previewReadsHost: true } })).map((f) => f.reason).join(" ")).toMatch(/overlaps node1\/theirs .*\(rule prefix-overlap-host\)/);
    forgetProgram();
    expect(await failures("network", { ...nat0("web", "172.28.1.0/24"), host: local })).toEqual([]);
    forgetProgram();
    const unreachable = { kind: "local", name: "node9", executable: path.join(dir, "no-such-pwsh"), previewReadsHost: true };
    expect(await failures("network", { ...nat0("web", "172.28.1.0/24"), host: unreachable })).toEqual([]);
  });
});

describe("what a fresh-clone review found (issue 24)", () => {
  const { mkdtempSync, existsSync } = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");

  test("a network that declares no subnets (NAT left to HNS, adopted as it is) lends no prefix: its endpoint's address is not judged against the planner's default, and no overlap is claimed", async () => {
    const subnetless = { type: "nat", name: "web" };
    const ep = (ip: string) => ({ host: host(), network: NET_ID, name: "e", ipAddress: ip, __network: subnetless, __seed: seed("Endpoint", "e") });
    expect(await failures("endpoint", ep("10.9.9.9"))).toEqual([]);
    expect(await failures("endpoint", ep("172.17.0.5"))).toEqual([]);
    forgetProgram();
    expect(await failures("network", { host: host(), name: "web", type: "nat", __seed: seed("Network", "web") })).toEqual([]);
    expect(await failures("network", nat("api", "172.16.0.0/24"))).toEqual([]);
    // Control: with subnets declared, an address outside them is refused.
    expect((await failures("endpoint", { ...ep("10.9.9.9"), __network: { ...subnetless, subnets: [{ prefix: "172.20.0.0/24" }] } })).map((f) => f.property)).toEqual(["ipAddress"]);
  });

  test("a Docker host whose state file does not exist yet is judged against the nat network Docker will make, and nothing is written", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-docker-"));
    const docker = { kind: "emulator", name: "node1", stateDir: dir, docker: true };
    const named = await failures("network", { ...nat0("nat", "10.99.0.0/24"), host: docker });
    expect(named.map((f) => f.reason).join(" ")).toMatch(/"nat" already exists on host node1.*adopt: true/);
    forgetProgram();
    const overlapping = await failures("network", { ...nat0("web", "172.16.0.0/12"), host: docker });
    expect(overlapping.map((f) => f.reason).join(" ")).toMatch(/overlaps node1\/nat .*\(rule prefix-overlap-host\)/);
    expect(existsSync(path.join(dir, "node1.json"))).toBe(false);
  });

  test("network names on a host are one name whatever their case, as HNS (the emulator) holds them", async () => {
    expect(await failures("network", nat("Dup", "172.20.0.0/24"))).toEqual([]);
    expect((await failures("network", { ...nat("dup", "172.21.0.0/24") })).map((f) => f.reason).join(" ")).toMatch(/"dup" is declared twice .*rule duplicate-name/);
  });

  test("a field another host kind takes is named as such, not 'did you mean' itself", async () => {
    const f = await failures("network", { ...nat("web", "172.20.0.0/24"), host: { ...host(), previewReadsHost: true } });
    expect(f).toEqual([{ property: "host.previewReadsHost", reason: "is not a field of this kind: remove it (other kinds of this block take it)" }]);
  });
});

describe("load balancers of one host judged together: HNS takes one per frontend (VIPs and port mappings)", () => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  const { HnsEmulator } = require("../../../provider/hosts/emulator") as typeof import("../../../provider/hosts/emulator");
  const EP = "4f2a6c1e-0b1d-4c3e-9f00-0000000000e1";
  type Mapping = { protocol?: "tcp" | "udp" | number; internalPort: number; externalPort: number };
  const lb = (name: string, over: { vips?: unknown; ports?: Mapping[]; host?: Record<string, unknown> } = {}) => ({
    kind: "loadBalancer",
    host: over.host ?? host(),
    endpoints: [EP],
    frontendVips: over.vips ?? ["10.96.0.10"],
    portMappings: over.ports ?? [{ internalPort: 8080, externalPort: 80 }],
    __seed: seed("Policy", name),
  });
  const lbFailures = async (args: Record<string, unknown>) => await failuresOf(providers.policy, args);

  test("the second Policy of one frontend is refused at frontendVips, naming the first; the first checked again is not", async () => {
    expect(await lbFailures(lb("a"))).toEqual([]);
    expect(await lbFailures(lb("b"))).toEqual([
      { property: "frontendVips", reason: expect.stringMatching(/^load balancer a already has frontend 10\.96\.0\.10 with the same port mappings on host node1: HNS refuses .*HCN_E_POLICY_ALREADY_EXISTS\) \(rule lb-frontend-duplicate\): give one of them another frontend VIP or port/) },
    ]);
  });

  test.each<[string, { vips?: unknown; ports?: Mapping[]; host?: Record<string, unknown> }, boolean]>([
    ["the protocol by number (6 is tcp)", { ports: [{ protocol: 6, internalPort: 8080, externalPort: 80 }] }, true],
    ["the protocol by name", { ports: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }] }, true],
    ["another external port", { ports: [{ internalPort: 8080, externalPort: 81 }] }, false],
    ["udp", { ports: [{ protocol: "udp", internalPort: 8080, externalPort: 80 }] }, false],
    ["another backend port (HNS keys the whole mapping)", { ports: [{ internalPort: 9090, externalPort: 80 }] }, false],
    ["another VIP", { vips: ["10.96.0.11"] }, false],
    ["the same VIP and another too", { vips: ["10.96.0.10", "10.96.0.11"] }, false],
    ["another host", { host: host("node2") }, false],
    ["no frontend VIP (the backends' host address)", { vips: [] }, false],
  ])("against a first one on 10.96.0.10 tcp 80→8080, %s: a clash is %p", async (_what, over, clash) => {
    expect(await lbFailures(lb("a"))).toEqual([]);
    expect((await lbFailures(lb("b", over))).map((f) => f.reason.match(/\(rule ([a-z-]+)\)/)?.[1])).toEqual(clash ? ["lb-frontend-duplicate"] : []);
  });

  test("a frontend not known yet in a preview is not judged", async () => {
    const { UNKNOWN } = require("../../../provider/vocabulary/unknown") as typeof import("../../../provider/vocabulary/unknown");
    expect(await lbFailures(lb("a"))).toEqual([]);
    expect(await lbFailures(lb("b", { vips: [UNKNOWN] }))).toEqual([]);
  });

  test("what the host holds that the stack did not make counts, and the pair check refuses is the pair HNS (the emulator) refuses at create", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "together-lb-"));
    const emulated = { kind: "emulator", name: "node1", stateDir: dir };
    const hns = new HnsEmulator(path.join(dir, "node1.json"));
    const net = await hns.create("network", { Name: "l2", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.0.0.0/24" }] }] });
    const ep = await hns.create("endpoint", { Name: "e", HostComputeNetwork: net.ID });
    const theirs = await hns.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.0.10"], PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] });
    const mine = { ...lb("mine", { host: emulated }), endpoints: [ep.ID!] };
    const refused = await lbFailures(mine);
    expect(refused.map((f) => f.reason).join(" ")).toContain(`load balancer ${theirs.ID} already has frontend 10.96.0.10`);
    // Past the check (the engine would stop here): HNS refuses the same pair at create.
    const past = await providers.policy.check({}, { ...mine, __seed: "proj/elsewhere/Policy/mine" });
    expect(past.failures?.length).toBe(1);
    forgetProgram();
    const { PolicyArgs } = require("../../../provider/kinds/policy/args") as typeof import("../../../provider/kinds/policy/args");
    await expect(providers.policy.create(PolicyArgs.parse(mine))).rejects.toThrow(/A load balancer with the same frontend and ports exists .*\(0x803B0012\)/);
    // Control: another backend port is another frontend to both.
    forgetProgram();
    const other = { ...mine, portMappings: [{ internalPort: 9090, externalPort: 80 }] };
    expect(await lbFailures(other)).toEqual([]);
    const made = await providers.policy.create(await checkedInputs(providers.policy, other));
    expect(made.id).toBeTruthy();
  });

  test("judgeProgram (the policy pack) reports the second of a frontend too", () => {
    const found = judgeProgram([
      { key: "urn:a", kind: "policy", args: lb("a") },
      { key: "urn:b", kind: "policy", args: lb("b") },
      { key: "urn:c", kind: "policy", args: lb("c", { vips: ["10.96.0.11"] }) },
    ]);
    expect(found.map((f) => [f.key, f.property, f.rule])).toEqual([["urn:b", "frontendVips", "lb-frontend-duplicate"]]);
  });
});
