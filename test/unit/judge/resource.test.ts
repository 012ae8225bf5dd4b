// Check judges one resource with the planner's own rules over model nodes placed at the
// resource's fields (provider/judge/resource.ts). Spec: a resource's check names the same rule
// as `hns-plan validate` of the topology that declares the same object, at the field the user
// wrote (its topology path without the host and network prefix); what the resource does not
// declare (the network an endpoint is on, a load balancer's backends) is never reported on it;
// and a field a Policy spells otherwise (frontendVips.0, endpoints) is named as the Policy does.
import { judgeEndpoint, judgeLoadBalancer, judgeNetwork, judgeNetworkPolicies } from "../../../provider/judge/resource";
import { plan } from "../../../provider/planner";
import { at, fieldName } from "../../../provider/planner/model";

type Failure = { property: string; reason: string };
const ruleOf = (f: Failure) => /\(rule ([a-z0-9-]+)\)/.exec(f.reason)?.[1];
const verdict = (failures: Failure[]) => failures.map((f) => [ruleOf(f), f.property]);

const host = (hnsVersion?: string) => ({ kind: "emulator" as const, name: "h", ...(hnsVersion ? { hnsVersion } : {}) });
type Any = Record<string, unknown>;
// The cases are plain data; the judges take parsed arguments of these shapes.
type NetworkIn = Parameters<typeof judgeNetwork>[0];
type EndpointIn = Parameters<typeof judgeEndpoint>[0];
type ContextIn = Parameters<typeof judgeEndpoint>[1];
type LoadBalancerIn = Parameters<typeof judgeLoadBalancer>[0];
type NetworkPoliciesIn = Parameters<typeof judgeNetworkPolicies>[1];

/** The topology that declares the same network (and endpoint), and where its findings are. */
function twin(network: Any, endpoint?: Any, hnsVersion?: string): { doc: unknown; prefix: string } {
  const net = { name: "n", ...network, ...(endpoint ? { endpoints: [{ name: "e", ...endpoint }] } : {}) };
  return { doc: { hosts: [{ name: "h", ...(hnsVersion ? { hnsVersion } : {}), networks: [net] }] }, prefix: endpoint ? "hosts.0.networks.0.endpoints.0" : "hosts.0.networks.0" };
}

/**
 * The rules about what the planner can allocate offline: a topology needs a subnet for every
 * address it plans; a resource leaves its address to HNS, so check does not ask (resource.ts PLANNING_RULES).
 */
const PLANNING = new Set(["subnet-required", "pool-exhausted"]);

/** The topology's findings as [rule, field]: a path under the object's prefix, or the host's. */
function topologyVerdict(doc: unknown, prefix: string): (string | undefined)[][] {
  return plan(doc)
    .findings.filter((f) => f.severity === "error" && !PLANNING.has(f.rule))
    .flatMap((f) => (f.path.startsWith(`${prefix}.`) ? [[f.rule, f.path.slice(prefix.length + 1)]] : f.path.startsWith("hosts.0.hnsVersion") ? [[f.rule, "host.hnsVersion"]] : []));
}

interface NetworkCase {
  name: string;
  args: Any;
  hnsVersion?: string;
  expect: [string, string][];
}

const networkCases: NetworkCase[] = [
  { name: "VLAN 4095 on transparent", args: { type: "transparent", subnets: [{ prefix: "10.0.5.0/24", vlan: 4095 }] }, expect: [["vlan-range", "subnets.0.vlan"]] },
  { name: "a VLAN on nat", args: { type: "nat", subnets: [{ prefix: "172.20.0.0/24", vlan: 11 }] }, expect: [["policy-network-type", "subnets.0.vlan"]] },
  { name: "an overlay subnet without a VSID", args: { type: "overlay", subnets: [{ prefix: "10.244.1.0/24" }] }, expect: [["overlay-vsid-required", "subnets.0.vsid"]] },
  { name: "VSID 4000", args: { type: "overlay", subnets: [{ prefix: "10.244.1.0/24", vsid: 4000 }] }, expect: [["isolation-id-range", "subnets.0.vsid"]] },
  { name: "a gateway outside its prefix", args: { type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.2.1" }] }, expect: [["gateway-outside-subnet", "subnets.0.gateway"]] },
  {
    name: "two IPv4 subnets on nat",
    args: { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "172.21.0.0/24" }] },
    expect: [["multiple-subnets", "subnets.1.prefix"]],
  },
  {
    name: "two overlapping subnets of one network",
    args: { type: "l2bridge", subnets: [{ prefix: "10.244.0.0/16" }, { prefix: "10.244.1.0/24" }] },
    hnsVersion: "ws2022",
    expect: [["prefix-overlap-host", "subnets.1.prefix"]],
  },
  { name: "a Windows Server 2016 host", args: { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, hnsVersion: "ws2016", expect: [["hcn-v2-required", "host.hnsVersion"]] },
  {
    name: "dual stack before HNS 11.10",
    args: { type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }, { prefix: "fd00:244:1::/64" }] },
    hnsVersion: "10.1",
    expect: [["feature-unsupported", "subnets.1.prefix"]],
  },
  { name: "IPv6 on nat", args: { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "fd00:20::/64" }] }, expect: [["ipv6-network-type", "subnets.1.prefix"]] },
  { name: "a clean l2bridge", args: { type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] }, expect: [] },
];

describe.each(networkCases)("network: $name", (c) => {
  test("check names the rule at the field", () => {
    expect(verdict(judgeNetwork({ host: host(c.hnsVersion), name: "n", ...c.args } as NetworkIn))).toEqual(c.expect);
  });
  test("hns-plan validate of the same network says the same", () => {
    const t = twin(c.args, undefined, c.hnsVersion);
    expect(topologyVerdict(t.doc, t.prefix)).toEqual(c.expect);
  });
});

interface EndpointCase {
  name: string;
  network: Any;
  args: Any;
  expect: [string, string][];
}

const nat = { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] };
const acl = (priority: number) => ({ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: priority, Protocols: "6", LocalPorts: "80" } });

const endpointCases: EndpointCase[] = [
  { name: "an address outside the subnet", network: nat, args: { ipAddress: "10.9.9.9" }, expect: [["address-outside-subnet", "ipAddress"]] },
  { name: "the gateway's address", network: nat, args: { ipAddress: "172.20.0.1" }, expect: [["address-reserved", "ipAddress"]] },
  {
    name: "a PortMapping on transparent",
    network: { type: "transparent", subnets: [{ prefix: "10.0.5.0/24" }] },
    args: { policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }] },
    expect: [["hcn-port-mapping", "policies.0"]],
  },
  { name: "two inbound ACLs at one priority", network: nat, args: { policies: [acl(100), acl(100)] }, expect: [["hcn-acl-priority-clash", "policies.1.Settings.Priority"]] },
  { name: "hot-add with Hyper-V isolation", network: nat, args: { isolation: "hyperv", hotAdd: true }, expect: [["hyperv-hot-add", "hotAdd"]] },
  { name: "an IPv6 address on nat", network: nat, args: { ipAddress: "172.20.0.9", ipv6Address: "fd00::9" }, expect: [["ipv6-network-type", "ipv6Address"]] },
  { name: "an IPv6 address as the only one, on nat", network: { type: "nat" }, args: { ipAddress: "fd00::9" }, expect: [["ipv6-network-type", "ipAddress"]] },
  // The network's own problem (two IPv4 subnets on nat) is the Network's to report, not the endpoint's.
  { name: "on a network that has a problem of its own", network: { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "172.21.0.0/24" }] }, args: { ipAddress: "172.20.0.9" }, expect: [] },
  { name: "a clean static address", network: nat, args: { ipAddress: "172.20.0.9" }, expect: [] },
];

describe.each(endpointCases)("endpoint: $name", (c) => {
  test("check names the rule at the field", () => {
    expect(verdict(judgeEndpoint({ host: host(), name: "e", ...c.args } as EndpointIn, c.network as ContextIn))).toEqual(c.expect);
  });
  test("hns-plan validate of the same endpoint says the same", () => {
    const t = twin(c.network, c.args);
    expect(topologyVerdict(t.doc, t.prefix)).toEqual(c.expect);
  });
});

test("an endpoint whose network is not known is judged on no subnet: its address is HNS's to judge", () => {
  expect(judgeEndpoint({ host: host(), name: "e", ipAddress: "10.9.9.9" }, undefined)).toEqual([]);
});

describe("load balancer (Policy): the fields as the Policy spells them", () => {
  const ids = ["3f1c9f3e-0000-4000-8000-000000000001", "3f1c9f3e-0000-4000-8000-000000000002"];
  const lb = (over: Any) => judgeLoadBalancer({ host: host(), endpoints: ids, frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 80, externalPort: 80 }], ...over } as LoadBalancerIn);
  const twice = (a: unknown, b: unknown) => [
    { ...(a === undefined ? {} : { protocol: a }), internalPort: 80, externalPort: 80 },
    { ...(b === undefined ? {} : { protocol: b }), internalPort: 8080, externalPort: 80 },
  ];

  test.each([
    [6, "tcp"],
    ["udp", 17],
    [undefined, 6],
    [17, 17],
  ])("protocol %p and %p on one port are one frontend port", (a, b) => {
    expect(verdict(lb({ portMappings: twice(a, b) }))).toEqual([["lb-port-duplicate", "portMappings.1"]]);
  });

  test.each([
    [17, "tcp"],
    ["udp", 6],
    [undefined, 17],
  ])("protocol %p and %p on one port are two", (a, b) => {
    expect(lb({ portMappings: twice(a, b) })).toEqual([]);
  });

  test("a backend listed twice, in another case, is named by its ID at endpoints.N", () => {
    const [failure] = lb({ endpoints: [ids[0], ids[0].toUpperCase()] });
    expect(failure.property).toBe("endpoints.1");
    expect(failure.reason).toMatch(new RegExp(`backend ${ids[0]} is listed twice \\(also endpoints\\.0\\) \\(rule lb-backend-duplicate\\)`));
  });

  test("direct server return before HNS 10.2 is refused at dsr", () => {
    expect(verdict(judgeLoadBalancer({ host: host("10.1"), endpoints: ids, frontendVips: ["10.96.0.10"], dsr: true, portMappings: [{ internalPort: 80, externalPort: 80 }] } as LoadBalancerIn))).toEqual([["feature-unsupported", "dsr"]]);
  });

  test("session affinity before HNS 12.0 is refused at its mapping", () => {
    expect(verdict(judgeLoadBalancer({ host: host("11.10"), endpoints: ids, portMappings: [{ internalPort: 80, externalPort: 80, distribution: "sourceIp" }] } as LoadBalancerIn))).toEqual([
      ["feature-unsupported", "portMappings.0.distribution"],
    ]);
  });

  test("two backends not known yet (a preview) are two, not one listed twice", () => {
    expect(lb({ endpoints: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"] })).toEqual([]);
  });
});

test("network policies of a Policy are judged at policies.N, and nothing of the stand-in network of unknown type", () => {
  const policies = [{ Type: "HostRoute", Settings: {} }, { Type: "VxlanPort", Settings: { Port: 4790 } }];
  // Both gated by version (HostRoute from HNS 9.2, VxlanPort from 10.3: vocabulary/features.ts); neither judged by type, which is unknown.
  expect(verdict(judgeNetworkPolicies(host("9.2"), policies as NetworkPoliciesIn))).toEqual([["feature-unsupported", "policies.1"]]);
  expect(judgeNetworkPolicies(host(), policies as NetworkPoliciesIn)).toEqual([]);
});

describe("at(): a field's path under a node's place", () => {
  test.each([
    [{ path: "hosts.0.networks.1" }, "subnets.0.prefix", "hosts.0.networks.1.subnets.0.prefix"],
    [{ path: "" }, "ipAddress", "ipAddress"],
    [{ path: "" }, "policies.2.Settings.Priority", "policies.2.Settings.Priority"],
    [{ path: "host" }, "hnsVersion", "host.hnsVersion"],
    [{ path: "", fields: { vip: "frontendVips.0" } }, "vip", "frontendVips.0"],
    [{ path: "", fields: { backends: "endpoints" } }, "backends.3", "endpoints.3"],
    [{ path: "@2", fields: { backends: "endpoints" } }, "portMappings.1.externalPort", "@2.portMappings.1.externalPort"],
    [{ path: "", fields: { vip: "frontendVips.0" } }, "vipPool", "vipPool"],
  ])("%p + %p = %p", (place, rest, want) => {
    expect(at(place, rest)).toBe(want);
  });

  test("fieldName names a field as the node's source spells it", () => {
    expect(fieldName({ path: "", fields: { backends: "endpoints" } }, "backends")).toBe("endpoints");
    expect(fieldName({ path: "hosts.0" }, "backends")).toBe("backends");
  });
});
