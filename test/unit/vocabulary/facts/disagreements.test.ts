/**
 * The disagreements issue 10 names, each judged by the planner and executed by the emulator on
 * the same HNS version; every case here failed before provider/vocabulary/facts (the planner and the
 * emulator each kept their own copy of the facts).
 */
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { defaultNatPrefix, NAT_DEFAULT_PREFIX } from "../../../../provider/vocabulary/facts";
import { parseCidr } from "../../../../provider/vocabulary/net/cidr";
import { plan } from "../../../../provider/planner";
import type { TopologyInput } from "../../../../provider/planner/topology";
import { tempDir } from "../../../helpers/tmp";
import { disagreement, emulatorVerdict, plannerVerdict } from "./verdicts";

const tmp = tempDir("hns-facts-");
afterAll(() => tmp.cleanup());
let n = 0;

const one = (hnsVersion: string, network: Record<string, unknown>): TopologyInput =>
  ({ hosts: [{ name: "h", hnsVersion, networks: [{ name: "n", ...network }] }] }) as TopologyInput;

async function judge(t: TopologyInput) {
  const planner = plannerVerdict(t);
  const emulator = await emulatorVerdict(t, tmp.dir, ++n);
  expect(disagreement(planner, emulator)).toBeUndefined();
  return { planner, emulator };
}

test("several subnets on transparent: refused by both at HNS 9.2 (the emulator used to allow it)", async () => {
  const { planner, emulator } = await judge(one("ws2019", { type: "transparent", subnets: [{ prefix: "10.1.0.0/24" }, { prefix: "10.2.0.0/24" }] }));
  expect(planner.rules).toEqual(["multiple-subnets"]);
  expect(emulator.code).toBe("HCN_E_INVALID_SUBNET");
});

test("several subnets on l2bridge: refused before HNS 13.0, accepted on ws2022", async () => {
  const net = { type: "l2bridge", subnets: [{ prefix: "10.1.0.0/24" }, { prefix: "10.2.0.0/24" }] };
  expect((await judge(one("win10-2004", net))).emulator.code).toBe("HCN_E_REQUEST_UNSUPPORTED");
  expect((await judge(one("ws2022", net))).planner.ok).toBe(true);
});

test("IPv6 on l2bridge: the win10-2004 preset (HNS 11.10, IPv6DualStack) is accepted by both; ws2019 refused by both", async () => {
  const net = { type: "l2bridge", subnets: [{ prefix: "10.1.0.0/24" }, { prefix: "fd00:1::/64" }], endpoints: [{ name: "a" }] };
  const modern = await judge(one("win10-2004", net));
  expect(modern.planner).toEqual({ ok: true, rules: [] });
  expect(modern.emulator.ok).toBe(true);
  const old = await judge(one("ws2019", net));
  expect(old.planner.rules).toEqual(["feature-unsupported"]);
  expect(old.emulator.code).toBe("HCN_E_REQUEST_UNSUPPORTED");
});

test("IPv6 on transparent is self-assigned only: refused by both (the emulator used to take the prefix)", async () => {
  const { planner, emulator } = await judge(one("ws2025", { type: "transparent", subnets: [{ prefix: "fd00:1::/64" }] }));
  expect(planner.rules).toEqual(["ipv6-network-type"]);
  expect(emulator.code).toBe("HCN_E_INVALID_PREFIX");
});

test("a VLAN on a nat subnet: refused by both (the emulator used to take it)", async () => {
  const { emulator } = await judge(one("ws2025", { type: "nat", subnets: [{ prefix: "172.20.0.0/24", vlan: 5 }] }));
  expect(emulator.code).toBe("HCN_E_INVALID_POLICY");
});

test("ws2016 is a preset, refused by both with the reason: no HCN v2", async () => {
  const { planner, emulator } = await judge(one("ws2016", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }));
  expect(planner.rules).toEqual(["hcn-v2-required"]);
  expect(emulator.code).toBe("HCN_E_REQUEST_UNSUPPORTED");
  expect(plan(one("ws2016", { type: "nat" })).findings[0].message).toMatch(/HNS 1\.1, which has no HCN v2 API/);
});

describe("the NAT default prefix", () => {
  test("172.16.0.0/16 when free, else the next free /16 of 172.16.0.0/12, else none", () => {
    expect(defaultNatPrefix([])).toBe(NAT_DEFAULT_PREFIX);
    expect(defaultNatPrefix([parseCidr("172.16.5.0/24")!, parseCidr("172.17.0.0/16")!])).toBe("172.18.0.0/16");
    expect(defaultNatPrefix([parseCidr("172.16.0.0/12")!])).toBeUndefined();
  });

  test("the planner fills it in (concrete in a preview), avoiding the host's declared prefixes; the emulator picks the same", async () => {
    const t = {
      hosts: [{ name: "h", networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: "172.16.0.0/24" }] }, { name: "nat", type: "nat", endpoints: [{ name: "web" }] }] }],
    } as TopologyInput;
    const p = plan(t);
    expect(p.findings).toEqual([]);
    const nat = p.hosts[0].networks[1];
    expect(nat.subnets).toEqual([{ prefix: "172.17.0.0/16", gateway: "172.17.0.1" }]);
    expect(nat.endpoints[0].ipv4?.address).toBe("172.17.0.2");

    const hns = new HnsEmulator(path.join(tmp.dir, "nat-default.json"), { hostName: "nat" });
    await hns.create("network", { Name: "pods", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.16.0.0/24", Routes: [{ NextHop: "172.16.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }] });
    const made = await hns.create("network", { Name: "nat" });
    expect(made.Ipams![0].Subnets![0].IpAddressPrefix).toBe("172.17.0.0/16");
  });
});

test("a transparent network's VLAN without a subnet isolates each endpoint, and both accept it", async () => {
  expect(plan(one("ws2019", { type: "transparent", vlan: 11 })).findings).toEqual([]);
  // An endpoint on DHCP has no address the planner can show (subnet-required, the planner's
  // own rule), but it carries the network's VLAN, which HNS takes.
  const t = one("ws2019", { type: "transparent", vlan: 11, endpoints: [{ name: "a" }] });
  const p = plan(t);
  expect(p.findings.map((f) => f.rule)).toEqual(["subnet-required"]);
  expect(p.hosts[0].networks[0].endpoints[0].policies).toContainEqual({ Type: "VLAN", Settings: { IsolationId: 11 } });
  expect((await judge(t)).emulator.ok).toBe(true);
  const bad = await judge(one("ws2019", { type: "transparent", vlan: 4095, endpoints: [{ name: "a" }] }));
  expect(bad.emulator.code).toBe("HCN_E_INVALID_POLICY");
});

test("l2bridge without a subnet: refused by both even with no endpoints (the planner used to accept it)", async () => {
  const { planner, emulator } = await judge(one("ws2025", { type: "l2bridge" }));
  expect(planner.rules).toEqual(["subnet-required"]);
  expect(emulator.code).toBe("HCN_E_INVALID_SUBNET");
});

describe("raw HCN policies do not bypass the rules", () => {
  test("a second host port 8080 given as a raw PortMapping is a host-port conflict, as on HNS", async () => {
    const raw = { Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } };
    const { planner, emulator } = await judge(
      one("ws2025", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internalPort: 80, externalPort: 8080 }] }, { name: "b", policies: [raw] }] }),
    );
    expect(planner.rules).toEqual(["host-port-conflict"]);
    expect(plan(one("ws2025", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internalPort: 80, externalPort: 8080 }] }, { name: "b", policies: [raw] }] })).findings[0].path).toBe(
      "hosts.0.networks.0.endpoints.1.policies.0",
    );
    expect(emulator.code).toBe("HCN_E_PORT_ALREADY_EXISTS");
  });

  test.each([
    ["TierAcl on an endpoint", { endpoints: [{ name: "a", policies: [{ Type: "TierAcl", Settings: { Name: "t", Direction: "In", Order: 1, TierAclRules: [] } }] }] }],
    ["NetworkACL on the network", { policies: [{ Type: "NetworkACL", Settings: { Action: "Block", Direction: "In", Priority: 100 } }] }],
  ])("%s on an HNS 9.2 host is refused by both", async (_what, extra) => {
    const { planner, emulator } = await judge(one("ws2019", { type: "l2bridge", subnets: [{ prefix: "10.1.0.0/24" }], ...extra }));
    expect(planner.rules).toEqual(["feature-unsupported"]);
    expect(emulator.code).toBe("HCN_E_REQUEST_UNSUPPORTED");
  });
});

test("a VIP pool overlapping a pod subnet hands out neither the gateway nor an endpoint's address", () => {
  const p = plan({
    hosts: [
      {
        name: "h",
        vipPool: "10.244.1.0/29",
        networks: [
          {
            name: "pods",
            type: "l2bridge",
            subnets: [{ prefix: "10.244.1.0/24" }],
            endpoints: [{ name: "a" }, { name: "b" }],
            loadBalancers: [{ name: "svc", backends: ["a", "b"], portMappings: [{ internalPort: 80, externalPort: 80 }] }],
          },
        ],
      },
    ],
  });
  const used = ["10.244.1.1", ...p.hosts[0].networks[0].endpoints.map((e) => e.ipv4!.address)];
  expect(used).toEqual(["10.244.1.1", "10.244.1.2", "10.244.1.3"]);
  expect(p.hosts[0].networks[0].loadBalancers[0].frontendVips).toEqual(["10.244.1.4"]);
});
