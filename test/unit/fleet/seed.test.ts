/**
 * A fleet's stacks declare, between them, exactly what one stack of the whole topology declares:
 * the same resources with the same inputs (addresses, VIPs, overlay peer routes) and the same ID
 * seed, `<project>/<fleet>/...`, from which the provider derives the HNS IDs and their stack tag.
 * Under Pulumi's mocks; test/e2e/fleet.test.ts compares the deployed objects through the engine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Topology } from "../../../sdk/topology";
import { splitFleet } from "../../../provider/fleet/split";
import { Topology as TopologySchema, type TopologyInput } from "../../../provider/planner/topology";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Declared = { type: string; name: string; inputs: Record<string, unknown> };

/** Runs `program` as stack `stack` of project "proj" under the mocks; what it declared, by name. */
async function declare(stack: string, program: () => Topology): Promise<Map<string, Declared>> {
  const declared = new Map<string, Declared>();
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.set(args.name, { type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, networkId: `net-${args.name}`, endpointId: `ep-${args.name}` } };
      },
      call: () => ({}),
    },
    "proj",
    stack,
    true,
  );
  const t = program();
  await new Promise<void>((resolve) => pulumi.all([...Object.values(t.networks), ...Object.values(t.endpoints), ...Object.values(t.loadBalancers)].map((r) => r.urn)).apply(() => resolve()));
  return declared;
}

/** Six hosts in two overlay domains (peer routes cross hosts) with allocated addresses and VIPs. */
const fleet: TopologyInput = {
  domains: [
    { name: "east", vipPool: "10.96.0.0/24" },
    { name: "west", vipPool: "10.97.0.0/24" },
  ],
  hosts: Array.from({ length: 6 }, (_, i) => ({
    name: `node-${i}`,
    domain: i < 3 ? "east" : "west",
    providerAddress: `192.168.0.${i + 1}`,
    networks: [
      {
        name: "vx",
        type: "overlay" as const,
        subnets: [{ prefix: `10.244.${i}.0/24`, vsid: 4096 }],
        endpoints: [{ name: "a" }, { name: "b" }],
        loadBalancers: [{ name: "svc", backends: ["a", "b"], portMappings: [{ internalPort: 80, externalPort: 80 }] }],
      },
    ],
  })),
};

test("three stacks of fleet prod declare what one stack prod declares, seeds included, from the one lock", async () => {
  const lockFile = path.join(tmp.dir, "hns.lock.json");
  // An allocation only the lock knows (a fresh plan would give .2): every group must read it.
  fs.writeFileSync(lockFile, JSON.stringify({ lockfileVersion: 1, endpoints: { "node-4/vx/a": { ipv4: "10.244.4.9" } }, vips: {} }));
  const single = await declare("prod", () => new Topology("net", { topology: fleet, lockFile, emulator: true }));
  const groups = splitFleet(TopologySchema.parse(fleet), { hostsPerStack: 2 }, "prod");
  expect(groups.map((g) => g.stack)).toEqual(["prod-1", "prod-2", "prod-3"]);
  const split = new Map<string, Declared>();
  for (const g of groups) {
    const got = await declare(g.stack, () => new Topology("net", { topology: fleet, lockFile, emulator: true, hosts: g.hosts, fleet: "prod" }));
    for (const [name, d] of got) if (d.type !== "hns:index:Topology") split.set(name, d);
  }
  const resources = [...single.values()].filter((d) => d.type !== "hns:index:Topology");
  expect(resources).toHaveLength(6 * 4); // network, 2 endpoints, a load balancer per host
  expect(Object.fromEntries(split)).toEqual(Object.fromEntries(resources.map((d) => [d.name, d])));
  expect(resources.find((d) => d.name === "net-node-4-vx-a")!.inputs.__seed).toBe("proj/prod/Endpoint/net-node-4-vx-a");
  expect(resources.find((d) => d.name === "net-node-4-vx-a")!.inputs.ipAddress).toBe("10.244.4.9");
  expect(resources.find((d) => d.name === "net-node-4-vx-svc")!.inputs.frontendVips).toEqual(["10.97.0.2"]);
});

test("negative control: without fleet, a group's stack seeds its own IDs", async () => {
  const lockFile = path.join(tmp.dir, "hns.lock.json");
  const got = await declare("prod-2", () => new Topology("net", { topology: fleet, lockFile, emulator: true, hosts: ["node-2", "node-3"] }));
  expect(got.get("net-node-2-vx")!.inputs.__seed).toBe("proj/prod-2/Network/net-node-2-vx");
});

test("a fleet name that cannot seed an ID is refused before any resource", async () => {
  pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "proj", "prod-1", true);
  expect(() => new Topology("net", { topology: fleet, lockFile: path.join(tmp.dir, "x.json"), emulator: true, fleet: "a/b" })).toThrow(
    /fleet "a\/b" is not a fleet name: it seeds the HNS IDs as a stack name would/,
  );
});

test("the groups of one process plan the topology once; another document or lock is planned anew", async () => {
  const lockFile = path.join(tmp.dir, "once.lock.json");
  const plans: Topology["plan"][] = [];
  for (const hosts of [["node-0"], ["node-1"]]) {
    await declare("prod-x", () => {
      const t = new Topology("net", { topology: structuredClone(fleet), lockFile, emulator: true, hosts, fleet: "prod" });
      plans.push(t.plan);
      return t;
    });
  }
  expect(plans[1]).toBe(plans[0]);
  const other = structuredClone(fleet);
  other.hosts[0].name = "renamed";
  await declare("prod-x", () => {
    const t = new Topology("net", { topology: other, lockFile, emulator: true, hosts: ["node-1"], fleet: "prod" });
    plans.push(t.plan);
    return t;
  });
  expect(plans[2]).not.toBe(plans[0]);
  fs.writeFileSync(lockFile, JSON.stringify({ lockfileVersion: 1, endpoints: { "node-1/vx/a": { ipv4: "10.244.1.9" } }, vips: {} }));
  await declare("prod-x", () => {
    const t = new Topology("net", { topology: fleet, lockFile, emulator: true, hosts: ["node-1"], fleet: "prod" });
    plans.push(t.plan);
    return t;
  });
  expect(plans[3]).not.toBe(plans[0]);
  expect(plans[3].hosts[1].networks[0].endpoints[0].ipv4?.address).toBe("10.244.1.9");
});
