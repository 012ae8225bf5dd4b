/**
 * The policy pack without the engine: the stack as @pulumi/policy hands it over (type tokens of
 * both front doors, props behind its unknown-checking proxy, dependencies as resources) turned
 * into judgeProgram's input, and every cross-resource violation reported at once with the rule
 * id, the field and the fix, whatever order the engine lists the resources in.
 */
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import * as sdk from "../../../sdk";
import { NATIVE_RESOURCES, tokenOf } from "../../../provider/native/resources";
import { UNKNOWN } from "../../../provider/vocabulary/unknown";
import { dynamicTokenOf } from "../../../provider/kinds/registry";
import { hnsResourceOf, plainProps, programOf, violationsOf, type StackResource } from "../../../provider/policy-pack/program";

// @pulumi/policy's own proxy (internal to it, so required by path): what a stack policy's props are.
const { unknownCheckingProxy, unknownNumberValue } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(o: T) => T; unknownNumberValue: string };

const host = { kind: "emulator", name: "h1" };
const port = (external: unknown) => [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: external } }];

type Front = "ts" | "yaml";
const token = (front: Front, type: string) => (front === "ts" ? `pulumi-nodejs:dynamic/hns:${type}` : `hns:index:${type}`);

function resource(front: Front, type: string, name: string, props: Record<string, unknown>, links: { network?: StackResource } = {}): StackResource {
  return {
    type: token(front, type),
    urn: `urn:pulumi:dev::proj::${token(front, type)}::${name}`,
    name,
    props: unknownCheckingProxy({ host, __seed: `proj/dev/${type}/${name}`, ...props }),
    dependencies: links.network ? [links.network] : [],
    propertyDependencies: links.network ? { network: [links.network] } : {},
  };
}

/**
 * Issue 24's cross-resource mistakes as plain resources: two NAT networks with overlapping
 * prefixes, one host port on two endpoints, a network name given twice. Endpoints name their
 * network by an ID not known in the preview (the README's `web.networkId`, YAML's `${web.id}`).
 */
function mistakes(front: Front): StackResource[] {
  const web = resource(front, "Network", "web", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
  const api = resource(front, "Network", "api", { name: "api", type: "nat", subnets: [{ prefix: "172.20.0.0/16" }] });
  const again = resource(front, "Network", "again", { name: "api", type: "transparent" });
  const a = resource(front, "Endpoint", "a", { name: "a", network: UNKNOWN, policies: port(8080) }, { network: web });
  const b = resource(front, "Endpoint", "b", { name: "b", network: UNKNOWN, policies: port(8080) }, { network: api });
  return [web, api, again, a, b];
}

describe("the stack's resources", () => {
  it("are recognized by the type token of either front door, and nothing else is", () => {
    for (const r of NATIVE_RESOURCES) {
      expect(hnsResourceOf(tokenOf(r))).toBe(r);
      expect(hnsResourceOf(dynamicTokenOf(r))).toBe(r);
    }
    expect(hnsResourceOf("pulumi:pulumi:Stack")).toBeUndefined();
    expect(hnsResourceOf("pulumi-nodejs:dynamic/other:Network")).toBeUndefined();
  });

  it("the dynamic tokens are the ones the TypeScript SDK registers", async () => {
    const seen: string[] = [];
    pulumi.runtime.setMocks({ newResource: (a) => (seen.push(a.type), { id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "proj", "dev", true);
    const h = { kind: "emulator" as const, name: "h" };
    const net = new sdk.Network("n", { host: h, type: "nat" });
    const ep = new sdk.Endpoint("e", { host: h, network: net });
    const ns = new sdk.Namespace("ns", { host: h });
    const lb = new sdk.Policy("p", { host: h, kind: "endpointPolicies", endpoint: ep.endpointId, policies: [] });
    // Each URN resolves once the mock has registered its resource.
    await Promise.all([net, ep, ns, lb].map((r) => new Promise((done) => r.urn.apply(done))));
    expect(seen.sort()).toEqual(NATIVE_RESOURCES.map(dynamicTokenOf).sort());
  });

  it("props behind @pulumi/policy's proxy are read whole, unknown values of any type as the one placeholder check knows", () => {
    const props = unknownCheckingProxy({ a: UNKNOWN, n: [{ x: unknownNumberValue }], s: "kept" });
    expect(() => (props as Record<string, unknown>).a).toThrow(/can't be known during preview/);
    expect(plainProps(props)).toEqual({ a: UNKNOWN, n: [{ x: UNKNOWN }], s: "kept" });
    expect(plainProps({ plain: 1 })).toEqual({ plain: 1 });
  });

  it.each<Front>(["ts", "yaml"])("an endpoint (%s) learns its network from the Network resource its network input came from", (front) => {
    const program = programOf(mistakes(front));
    const a = program.find((r) => r.key.endsWith("::a"))!;
    expect(a.kind).toBe("endpoint");
    expect(a.args.__network).toEqual({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], name: "web" });
  });

  it("an endpoint's own __network (the TypeScript SDK's, given the Network resource) is kept", () => {
    const net = resource("ts", "Network", "web", { name: "web", type: "nat" });
    const own = { type: "transparent", name: "other" };
    const ep = resource("ts", "Endpoint", "e", { network: UNKNOWN, __network: own }, { network: net });
    expect(programOf([net, ep]).find((r) => r.kind === "endpoint")!.args.__network).toEqual(own);
  });

  it("an endpoint given a known network ID finds the Network resource it depends on with that ID", () => {
    const net = resource("yaml", "Network", "web", { name: "web", type: "nat", networkId: "1234" });
    const ep = { ...resource("yaml", "Endpoint", "e", { network: "1234" }), dependencies: [net] };
    expect(programOf([net, ep]).find((r) => r.kind === "endpoint")!.args.__network).toEqual({ type: "nat", name: "web" });
  });
});

describe("violations", () => {
  it.each<Front>(["ts", "yaml"])("every cross-resource mistake of a %s program at once, each with the resource, the field, the rule id and the fix", (front) => {
    const v = violationsOf(mistakes(front));
    expect(v.map((x) => x.rule).sort()).toEqual(["duplicate-name", "host-port-conflict", "prefix-overlap-host"]);
    const of = (rule: string) => v.find((x) => x.rule === rule)!;
    expect(of("prefix-overlap-host").message).toMatch(/^Network resource '(web|api)': property subnets\.0\.prefix: .*overlaps.*\(rule prefix-overlap-host\): give each network/);
    expect(of("host-port-conflict").message).toMatch(/^Endpoint resource '(a|b)': property policies\.0: tcp port 8080 .*\(rule host-port-conflict\): pick another external port/);
    expect(of("duplicate-name").message).toMatch(/^Network resource '(api|again)': property name: .*\(rule duplicate-name\): rename one/);
    for (const x of v) expect(x.urn).toMatch(new RegExp(`^urn:pulumi:dev::proj::${front === "ts" ? "pulumi-nodejs:dynamic/hns" : "hns:index"}:`));
  });

  it("a clean program has none; resources of other packages and unknown values are left out", () => {
    const web = resource("ts", "Network", "web", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
    const api = resource("ts", "Network", "api", { name: "api", type: "nat", subnets: [{ prefix: "172.21.0.0/24" }] });
    const a = resource("ts", "Endpoint", "a", { network: UNKNOWN, policies: port(8080) }, { network: web });
    const b = resource("ts", "Endpoint", "b", { network: UNKNOWN, policies: port(8081) }, { network: api });
    // Two ports not known yet are not the same port.
    const c = resource("ts", "Endpoint", "c", { network: UNKNOWN, policies: port(unknownNumberValue) }, { network: web });
    const d = resource("ts", "Endpoint", "d", { network: UNKNOWN, policies: port(unknownNumberValue) }, { network: api });
    const other = { ...resource("ts", "Network", "x", { name: "web", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }), type: "aws:ec2/vpc:Vpc" };
    expect(violationsOf([web, api, a, b, c, d, other])).toEqual([]);
    // Control: the same ports, known, clash.
    const e = resource("ts", "Endpoint", "e", { network: UNKNOWN, policies: port(8080) }, { network: api });
    expect(violationsOf([web, api, a, e]).map((x) => x.rule)).toEqual(["host-port-conflict"]);
  });

  it("are the same whatever order the engine lists the resources in", () => {
    const all = mistakes("ts");
    const expected = violationsOf(all);
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => expect(violationsOf(order)).toEqual(expected)), { numRuns: 50 });
  });
});
