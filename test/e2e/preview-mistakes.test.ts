/**
 * Issue 24's five mistakes (and a load balancer's frontend twice), each written as plain resources in a TypeScript program the way the
 * README writes them (network: web.networkId): `pulumi preview` through the real engine refuses
 * each before any host is touched, naming the resource, the field and a fix. Controls: the same
 * program without the mistake previews clean.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { capture, newHarness, type Harness } from "./harness";

jest.setTimeout(300_000);

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

type Mistake = "type-typo" | "overlapping-nat" | "address-outside" | "missing-host" | "host-port-twice" | "lb-frontend-twice" | "none";

/** Two NAT networks and three endpoints; `mistake` slips one error in. */
function program(mistake: Mistake): pulumi.automation.PulumiFn {
  return async () => {
    const host = hns.emulatorHost("h1");
    const web = new hns.Network("web", { host, type: (mistake === "type-typo" ? "natt" : "nat") as "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
    const api = new hns.Network("api", { host, type: "nat", subnets: [{ prefix: mistake === "overlapping-nat" ? "172.20.0.0/16" : "172.21.0.0/24" }] });
    const port = (external: number) => [{ Type: "PortMapping" as const, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: external } }];
    const a = new hns.Endpoint("a", { host, network: web.networkId, ipAddress: mistake === "address-outside" ? "172.29.0.5" : "172.20.0.5", policies: port(8080) });
    const b = new hns.Endpoint("b", { host: (mistake === "missing-host" ? undefined : host) as typeof host, network: api.networkId, policies: port(mistake === "host-port-twice" ? 8080 : 8081) });
    // Two load balancers: one frontend twice is what HNS refuses (HCN_E_POLICY_ALREADY_EXISTS).
    const frontend = (externalPort: number) => ({ frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 8080, externalPort }] });
    new hns.Policy("lb-a", { host, kind: "loadBalancer", endpoints: [a.endpointId], ...frontend(80) });
    new hns.Policy("lb-b", { host, kind: "loadBalancer", endpoints: [b.endpointId], ...frontend(mistake === "lb-frontend-twice" ? 80 : 81) });
  };
}

async function preview(mistake: Mistake): Promise<{ ok: boolean; log: string }> {
  h = await newHarness(program(mistake), "hns-mistakes");
  try {
    await h.stack.preview({ ...capture(h) });
    return { ok: true, log: h.log.join("") };
  } catch (e) {
    return { ok: false, log: `${h.log.join("")}\n${String((e as Error).message)}` };
  }
}

// The second of two clashing resources is refused, naming the first; which is second is the
// engine's order, so both orders are accepted.
test.each([
  ["type-typo", /Network resource 'web': property type .*got "natt", want one of "nat"/],
  ["overlapping-nat", /Network resource '(web|api)': property subnets\.0\.prefix .*overlaps .*\(rule prefix-overlap-host\): give each network/],
  ["address-outside", /Endpoint resource 'a': property ipAddress .*172\.29\.0\.5.*\(rule address-outside-subnet\)/],
  ["missing-host", /Endpoint resource 'b': property host .*is required: give a host block/],
  ["host-port-twice", /Endpoint resource '(a|b)': property policies\.0 .*tcp port 8080 .*already published by h1\/[a-z]+-[0-9a-f]+\/(a|b) \(rule host-port-conflict\): pick another external port/],
  ["lb-frontend-twice", /Policy resource 'lb-(a|b)': property frontendVips .*load balancer lb-(a|b) already has frontend 10\.96\.0\.10 .*\(rule lb-frontend-duplicate\): give one of them another frontend VIP or port/],
] as const)("%s: refused by pulumi preview, naming the resource, the field and a fix, with no host touched", async (mistake, expected) => {
  const r = await preview(mistake);
  expect(r.ok).toBe(false);
  expect(r.log).toMatch(expected);
  expect(existsSync(path.join(h.dir, "hns"))).toBe(false);
});

test("control: the program without a mistake previews clean", async () => {
  const r = await preview("none");
  expect(r).toMatchObject({ ok: true });
  expect(r.log).not.toMatch(/error/i);
});
