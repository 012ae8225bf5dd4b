// nearestName: the known name a mistyped or outdated one most likely means (provider/vocabulary/values/json.ts).
// A misspelling within a few edits; else the one known name that begins with the given one or its
// singular (an outdated shorter key); else nothing, rather than a guess.
import { nearestName } from "../../../../provider/vocabulary/values/json";
import { plan } from "../../../../provider/planner";

const LB = ["name", "vip", "sourceVip", "backends", "portMappings", "dsr", "ilb"];
const PORT = ["protocol", "internalPort", "externalPort"];

test.each([
  ["intrenalPort", PORT, "internalPort"],
  ["InternalPort", PORT, "internalPort"],
  ["protcol", PORT, "protocol"],
  ["internal", PORT, "internalPort"],
  ["external", PORT, "externalPort"],
  ["ports", LB, "portMappings"],
  ["backend", LB, "backends"],
  ["source", LB, "sourceVip"],
])("%s among %p means %s", (given, known, meant) => {
  expect(nearestName(given, known)).toBe(meant);
});

test.each([
  ["port", PORT], // no known key begins with it, and it is far from each
  ["int", PORT], // too short to be a shortening
  ["vlan", LB],
  ["policy", ["policyName", "policyType"]], // it begins two: no guess
  ["routes", ["routeTable", "routeType"]], // its singular begins two: no guess
])("%s among %p means nothing", (given, known) => {
  expect(nearestName(given, known)).toBeUndefined();
});

test("hns-plan validate names the new key for each field of the old port vocabulary", () => {
  const topology = {
    hosts: [
      {
        name: "n1",
        networks: [
          {
            name: "pods",
            type: "l2bridge",
            subnets: [{ prefix: "10.244.1.0/24" }],
            endpoints: [{ name: "a", ports: [{ internal: 80, external: 8080 }] }],
            loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], ports: [{ internalPort: 80, externalPort: 80 }] }],
          },
        ],
      },
    ],
  };
  const fixes = Object.fromEntries(plan(topology).findings.map((f) => [f.path, f.fix]));
  expect(fixes["hosts.0.networks.0.endpoints.0.ports.0.internal"]).toMatch(/did you mean "internalPort"\?/);
  expect(fixes["hosts.0.networks.0.endpoints.0.ports.0.external"]).toMatch(/did you mean "externalPort"\?/);
  expect(fixes["hosts.0.networks.0.loadBalancers.0.ports"]).toMatch(/did you mean "portMappings"\?/);
});
