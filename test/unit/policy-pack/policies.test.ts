/**
 * The pack's two policies, called as @pulumi/policy calls a stack validation: the mandatory one
 * reports every cross-resource violation when PULUMI_HNS_CROSS_RESOURCE=policy-pack leaves the
 * rules to it, and otherwise stands aside (check judges them, and the engine stops at check's
 * first refusal); the advisory one says so, and passes on a setting check would refuse.
 */
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { CROSS_RESOURCE_ENV } from "../../../provider/judge/program";
import { policiesFor } from "../../../provider/policy-pack/policies";
import type { StackResource } from "../../../provider/policy-pack/program";

const host = { kind: "emulator", name: "h1" };
const network = (name: string, prefix: string): StackResource => ({
  type: "hns:index:Network",
  urn: `urn:pulumi:dev::proj::hns:index:Network::${name}`,
  name,
  props: { host, name, type: "nat", subnets: [{ prefix }] },
  dependencies: [],
  propertyDependencies: {},
});
const overlapping = [network("web", "172.20.0.0/24"), network("api", "172.20.0.0/16")];
const stack: StackResource = { type: "pulumi:pulumi:Stack", urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", name: "proj-dev", props: {}, dependencies: [], propertyDependencies: {} };

class NotApplicable extends Error {}

/** Runs one policy as @pulumi/policy's server does: the reports, or why it does not apply. */
function run(policy: StackValidationPolicy, resources: StackResource[]): { reports: { message: string; urn?: string }[]; notApplicable?: string } {
  const reports: { message: string; urn?: string }[] = [];
  const args = {
    resources,
    stackTags: new Map(),
    getConfig: () => ({}),
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
  } as unknown as StackValidationArgs;
  try {
    void policy.validateStack(args, (message, urn) => reports.push({ message, urn }));
  } catch (e) {
    if (e instanceof NotApplicable) return { reports, notApplicable: e.message };
    throw e;
  }
  return { reports };
}

const byName = (env: NodeJS.ProcessEnv) => Object.fromEntries(policiesFor(env).map((p) => [p.name, p]));

test("with the rules left to the pack: every violation, mandatory, on the resource's URN; no advice", () => {
  const p = byName({ [CROSS_RESOURCE_ENV]: "policy-pack" });
  expect(p["hns-cross-resource"].enforcementLevel).toBe("mandatory");
  const r = run(p["hns-cross-resource"], [stack, ...overlapping]);
  expect(r.reports).toHaveLength(1);
  expect(r.reports[0].message).toMatch(/\(rule prefix-overlap-host\): give each network/);
  expect(overlapping.map((x) => x.urn)).toContain(r.reports[0].urn);
  expect(run(p["hns-cross-resource-setting"], overlapping)).toEqual({ reports: [] });
});

test.each([undefined, "", "check"])("with %p, check judges the rules: the pack stands aside and the advisory says how to get every clash at once", (value) => {
  const p = byName(value === undefined ? {} : { [CROSS_RESOURCE_ENV]: value });
  expect(run(p["hns-cross-resource"], overlapping)).toEqual({ reports: [], notApplicable: expect.stringContaining(CROSS_RESOURCE_ENV) });
  expect(p["hns-cross-resource-setting"].enforcementLevel).toBe("advisory");
  const advice = run(p["hns-cross-resource-setting"], overlapping).reports;
  expect(advice).toHaveLength(1);
  expect(advice[0].message).toContain(`set ${CROSS_RESOURCE_ENV}=policy-pack`);
  expect(advice[0].urn).toBeUndefined();
});

test("a setting check refuses is reported by the advisory in check's words", () => {
  const p = byName({ [CROSS_RESOURCE_ENV]: "pack" });
  expect(run(p["hns-cross-resource-setting"], overlapping).reports[0].message).toMatch(/PULUMI_HNS_CROSS_RESOURCE="pack" is not one of "check", "policy-pack"/);
});

test("a stack without hns resources: neither policy applies", () => {
  for (const env of [{}, { [CROSS_RESOURCE_ENV]: "policy-pack" }]) {
    for (const policy of policiesFor(env)) expect(run(policy, [stack]).notApplicable).toMatch(/no hns resources/);
  }
});
