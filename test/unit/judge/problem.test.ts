// One shape for every problem (provider/vocabulary/errors.ts Problem): a planner finding and an HNS error
// convert to it, and a check failure is rendered from it, so the three read alike.
import { HnsError, checkFailureOf } from "../../../provider/vocabulary/errors";
import { plan } from "../../../provider/planner";
import { problemOf } from "../../../provider/planner/rules/rule";

test("a check failure from a problem names the property, the reason, the rule and the fix", () => {
  expect(checkFailureOf({ code: "route-endpoint-duplicate", path: "endpoints.1", reason: "endpoint x is listed twice", fix: "list each endpoint once" })).toEqual({
    property: "endpoints.1",
    reason: "endpoint x is listed twice (rule route-endpoint-duplicate): list each endpoint once",
  });
  expect(checkFailureOf({ code: "InvalidInput", path: "", reason: "no host" })).toEqual({ property: "(inputs)", reason: "no host (rule InvalidInput)" });
});

test("a planner finding and an HNS error give the same four fields", () => {
  const { findings } = plan({ hosts: [{ name: "n", networks: [{ name: "a", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], vlan: 5 }] }] });
  const finding = findings.find((f) => f.rule === "policy-network-type")!;
  expect(problemOf(finding)).toEqual({ code: "policy-network-type", path: finding.path, reason: finding.message, fix: finding.fix });
  const e = new HnsError({ code: "HCN_E_PORT_ALREADY_EXISTS", path: "policies.0", fix: "pick another external port" });
  expect(e.problem()).toEqual({ code: "HCN_E_PORT_ALREADY_EXISTS", path: "policies.0", reason: "A port with the same configuration already exists.", fix: "pick another external port" });
  expect(new HnsError({ code: "Timeout" }).problem()).toEqual({ code: "Timeout", path: "", reason: "Timeout" });
});
