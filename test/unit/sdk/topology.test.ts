/**
 * The Topology component under Pulumi's mocks: which resources it declares, with which
 * concrete inputs, and how it treats the lock file in preview and in up.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../../../sdk";
import { Topology } from "../../../sdk/topology";
import type { TopologyInput } from "../../../provider/planner";
import { tempDir } from "../../helpers/tmp";
import { until } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Declared = { type: string; name: string; inputs: Record<string, unknown> };
let declared: Declared[] = [];

function mock(preview: boolean) {
  declared = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        const outs = { ...args.inputs, networkId: `net-${args.name}`, endpointId: `ep-${args.name}` };
        return { id: `${args.name}-id`, state: outs };
      },
      call: () => ({}),
    },
    "proj",
    "dev",
    preview,
  );
}

const doc = (endpoints: string[]): TopologyInput => ({
  reservations: "flannel",
  domains: [{ name: "k8s", vipPool: "10.96.0.0/24" }],
  hosts: [
    {
      name: "node-1",
      domain: "k8s",
      networks: [
        {
          name: "cbr0",
          type: "l2bridge",
          subnets: [{ prefix: "10.244.1.0/24" }],
          outboundNat: { exceptions: ["10.96.0.0/12"] },
          endpoints: [{ name: "host-ep", attach: "host" }, ...endpoints.map((name) => ({ name }))],
          loadBalancers: [{ name: "svc", backends: endpoints.slice(0, 1), portMappings: [{ internalPort: 80, externalPort: 80 }] }],
        },
      ],
    },
  ],
});

/** Resolves once every child resource has been registered with the mocks. */
const settle = (t: Topology) =>
  new Promise<void>((resolve) => {
    pulumi.all([...Object.values(t.networks), ...Object.values(t.endpoints), ...Object.values(t.loadBalancers)].map((r) => r.urn)).apply(() => resolve());
  });

test("preview: concrete addresses and policies in the inputs, the lock file untouched", async () => {
  mock(true);
  const lockFile = path.join(tmp.dir, "preview.lock.json");
  const t = new Topology("t", { topology: doc(["a", "b"]), lockFile, emulator: true });
  await settle(t);
  expect(t.addresses).toEqual({ "node-1/cbr0/host-ep": "10.244.1.2", "node-1/cbr0/a": "10.244.1.3", "node-1/cbr0/b": "10.244.1.4" });
  const ep = declared.find((d) => d.name === "t-node-1-cbr0-a")!;
  expect(ep.type).toBe("pulumi-nodejs:dynamic/hns:Endpoint");
  expect(ep.inputs).toMatchObject({
    ipAddress: "10.244.1.3",
    prefixLength: 24,
    name: "a",
    host: { kind: "emulator", name: "node-1", hnsVersion: "15.4" },
    policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.1.0/24", "10.96.0.0/12"] } }],
  });
  expect(declared.find((d) => d.name === "t-node-1-cbr0-host-ep")!.inputs).toMatchObject({ ipAddress: "10.244.1.2", attach: "host" });
  expect(declared.find((d) => d.name === "t-node-1-cbr0-svc")!.inputs).toMatchObject({ kind: "loadBalancer", frontendVips: ["10.96.0.1"] });
  expect(declared.map((d) => d.type.split("/").pop()).sort()).toEqual(["hns:Endpoint", "hns:Endpoint", "hns:Endpoint", "hns:Network", "hns:Policy", "hns:index:Topology"]);
  expect(fs.existsSync(lockFile)).toBe(false);
});

test("up writes the lock; the next run keeps every address when endpoints come and go", async () => {
  const lockFile = path.join(tmp.dir, "up.lock.json");
  mock(false);
  await settle(new Topology("t", { topology: doc(["a", "b", "c"]), lockFile, emulator: true }));
  const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
  expect(lock.endpoints["node-1/cbr0/c"]).toEqual({ ipv4: "10.244.1.5" });

  mock(false);
  const t = new Topology("t", { topology: doc(["new", "c", "a"]), lockFile, emulator: true });
  await settle(t);
  expect(t.addresses).toMatchObject({ "node-1/cbr0/a": "10.244.1.3", "node-1/cbr0/c": "10.244.1.5", "node-1/cbr0/new": "10.244.1.4" });
});

test("a frozen lock that would change fails the program, naming the lock file", () => {
  mock(true);
  const lockFile = path.join(tmp.dir, "frozen.lock.json");
  expect(() => new Topology("t", { topology: doc(["a"]), lockFile, frozenLock: true })).toThrow(/frozen.lock.json is out of date \(3 added.*run "pulumi up" once without the freeze \(unset PULUMI_HNS_FROZEN_LOCK/);
});

test("an invalid topology fails the program with every finding, before any resource", () => {
  mock(true);
  const bad = doc(["a"]) as { hosts: { networks: { subnets: { prefix: string; vlan?: number }[] }[] }[] };
  bad.hosts[0].networks[0].subnets[0].vlan = 5000;
  expect(() => new Topology("t", { topology: bad as TopologyInput, lockFile: path.join(tmp.dir, "x.json") })).toThrow(/error vlan-range at node-1\/cbr0 \(hosts.0.networks.0.subnets.0.vlan\): VLAN 5000/);
  expect(declared.filter((d) => d.type !== "hns:index:Topology")).toEqual([]);
});

test("a topology file is read relative to the working directory, its lock sits next to it", async () => {
  mock(true);
  const file = path.join(tmp.dir, "hns.topology.yaml");
  fs.writeFileSync(file, "hosts:\n  - name: dev\n    networks:\n      - { name: web, type: nat, subnets: [{ prefix: 172.20.0.0/24 }], endpoints: [{ name: app }] }\n");
  const t = new Topology("f", { topology: path.relative(process.cwd(), file), connections: { dev: { kind: "emulator", name: "elsewhere" } } });
  await settle(t);
  expect(t.addresses).toEqual({ "dev/web/app": "172.20.0.2" });
  expect(declared.find((d) => d.name === "f-dev-web")!.inputs).toMatchObject({ host: { kind: "emulator", name: "elsewhere" } });
});

test("hosts: deploy a subset while planning all, so peers agree; an unknown host is an error", async () => {
  mock(true);
  const two: TopologyInput = {
    hosts: ["a", "b"].map((name, i) => ({
      name,
      domain: "ov",
      providerAddress: `192.168.0.${i + 1}`,
      networks: [{ name: "vx", type: "overlay" as const, subnets: [{ prefix: `10.0.${i}.0/24`, vsid: 4096 }], endpoints: [{ name: "e" }] }],
    })),
  };
  const t = new Topology("s", { topology: two, lockFile: path.join(tmp.dir, "subset.json"), hosts: ["b"], emulator: true });
  await settle(t);
  expect(Object.keys(t.networks)).toEqual(["b/vx"]);
  expect(declared.find((d) => d.name === "s-b-vx")!.inputs.policies).toContainEqual({
    Type: "RemoteSubnetRoute",
    Settings: { DestinationPrefix: "10.0.0.0/24", IsolationId: 4096, ProviderAddress: "192.168.0.1" },
  });
  expect(() => new Topology("s2", { topology: two, lockFile: path.join(tmp.dir, "subset.json"), hosts: ["c"] })).toThrow('topology "s2" has no host "c" (hosts: a, b)');
});

describe("hosts without a connection", () => {
  const pair = (connection?: object): TopologyInput => ({
    hosts: ["win-a", "win-b"].map((name, i) => ({
      name,
      ...(name === "win-b" && connection ? { connection } : {}),
      networks: [{ name: "web", type: "nat" as const, subnets: [{ prefix: `172.2${i}.0.0/24` }], endpoints: [{ name: "app" }] }],
    })) as TopologyInput["hosts"],
  });
  const winrm = { kind: "winrm" as const, name: "win-a", address: "10.0.0.11", user: "admin", password: "pw" };

  test("are refused, naming the host and the fixes, before any resource is declared", () => {
    mock(true);
    expect(() => new Topology("c", { topology: pair(), lockFile: path.join(tmp.dir, "conn.json"), connections: { "win-a": winrm } })).toThrow(
      new pulumi.RunError(
        'topology "c": no connection for host "win-b": add it to connections (e.g. connections: { "win-b": hns.winrmHost(...) }) or a `connection` in the topology document, or set emulator: true to run it on the embedded HNS emulator',
      ),
    );
    expect(() => new Topology("c2", { topology: pair(), lockFile: path.join(tmp.dir, "conn.json") })).toThrow(/no connection for host "win-a", "win-b": add them to connections/);
    expect(declared.filter((d) => d.type !== "hns:index:Topology")).toEqual([]);
  });

  test("a connection in the document counts; a host not deployed needs none", async () => {
    mock(true);
    const t = new Topology("d", { topology: pair({ kind: "emulator", name: "b-emu" }), lockFile: path.join(tmp.dir, "conn.json"), hosts: ["win-b"] });
    await settle(t);
    expect(declared.find((d) => d.name === "d-win-b-web")!.inputs).toMatchObject({ host: { kind: "emulator", name: "b-emu" } });
  });

  test("emulator: true runs the unconnected hosts on the emulator and leaves the connected ones alone", async () => {
    mock(true);
    const t = new Topology("e", { topology: pair(), lockFile: path.join(tmp.dir, "conn.json"), connections: { "win-a": winrm }, emulator: true });
    await settle(t);
    // (a host block with a credential may reach the engine wrapped as a secret)
    expect(JSON.stringify(declared.find((d) => d.name === "e-win-a-web")!.inputs.host)).toContain('"address":"10.0.0.11","kind":"winrm"');
    expect(declared.find((d) => d.name === "e-win-b-web")!.inputs.host).toEqual({ kind: "emulator", name: "win-b", hnsVersion: "15.4" });
  });
});

describe("examples/gitops", () => {
  /** Runs the example program under the mocks with this stack config (project "proj"). */
  function gitops(config: Record<string, string>) {
    mock(true);
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`proj:${k}`, v])), ["proj:winrmPassword"]);
    // A fresh copy of the program, sharing this file's @pulumi/pulumi (and its mocks) and SDK.
    jest.isolateModules(() => {
      jest.doMock("@pulumi/pulumi", () => pulumi);
      jest.doMock("pulumi-hns", () => sdk);
      require("../../../examples/gitops/index");
    });
  }
  const hosts = (names: string[]) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, { address: `192.0.2.${11 + i}`, user: "deploy" }])));
  afterEach(() => pulumi.runtime.setAllConfig({}));

  test('target "hosts": a host left out of the hosts config fails the program instead of landing on the emulator', () => {
    expect(() => gitops({ target: "hosts", hosts: hosts(["win-node-1", "win-node-2"]), winrmPassword: "pw" })).toThrow(/no connection for host "dev-box": add it to connections/);
    expect(declared.filter((d) => d.type !== "hns:index:Topology")).toEqual([]);
  });

  test('target "hosts" with every host: WinRM everywhere; the default target: the emulator everywhere', async () => {
    const networks = () => declared.filter((d) => d.type.endsWith("hns:Network"));
    // The program keeps no handle on its resources: wait for the mocks to have seen its three networks.
    gitops({ target: "hosts", hosts: hosts(["win-node-1", "win-node-2", "dev-box"]), winrmPassword: "pw" });
    await until(() => networks().length >= 3);
    expect(networks().map((d) => JSON.stringify(d.inputs.host)).every((h) => h.includes('"kind":"winrm"'))).toBe(true);
    expect(networks()).toHaveLength(3);
    gitops({});
    await until(() => networks().length >= 3);
    expect(networks().map((d) => (d.inputs.host as { kind: string }).kind)).toEqual(["emulator", "emulator", "emulator"]);
  });
});

test("a connection for a host the topology does not have is refused, even on the emulator (a misspelled host name)", () => {
  mock(true);
  const lockFile = path.join(tmp.dir, "stray.lock.json");
  expect(
    () => new Topology("t", { topology: doc(["a"]), lockFile, emulator: true, connections: { "node-01": sdk.winrmHost("node-01", "10.0.0.11", { user: "admin", password: pulumi.secret("pw") }) } }),
  ).toThrow(/connections name "node-01", which the topology does not have \(hosts: node-1\)/);
});
