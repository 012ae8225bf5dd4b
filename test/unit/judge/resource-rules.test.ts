// Every rule id a check failure names can be looked up: the planner's catalog or the rules of a
// resource's own check (provider/judge/rules.ts), never both, and both are in the reference.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { RULES } from "../../../provider/planner";
import { RESOURCE_RULES } from "../../../provider/judge/rules";
import { judgeRoute } from "../../../provider/judge/route";

const ids = Object.keys(RESOURCE_RULES);

test("resource rule ids are apart from the planner's and listed in docs/reference/rules.md", () => {
  const planner = new Set(RULES.map((r) => r.id));
  expect(ids.filter((id) => planner.has(id))).toEqual([]);
  const doc = readFileSync(path.join(__dirname, "../../../docs/reference/rules.md"), "utf8");
  expect(ids.filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
});

test("a route check failure names its rule and that rule's fix", () => {
  const failures = judgeRoute({ endpoints: ["a", "A"], routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "fd00::1" }] });
  expect(failures.map((f) => f.reason)).toEqual([
    `endpoint A is listed twice (also endpoints.0) (rule route-endpoint-duplicate): ${RESOURCE_RULES["route-endpoint-duplicate"].fix}`,
    `next hop fd00::1 is ipv6 but 10.0.0.0/8 is ipv4 (rule route-family-mismatch): ${RESOURCE_RULES["route-family-mismatch"].fix}`,
  ]);
});
