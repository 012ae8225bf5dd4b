/**
 * Issue 24's five mistakes in a Pulumi YAML program of plain resources, through the real engine,
 * the YAML language host and the native plugin: `pulumi preview` refuses each before any host is
 * touched (no emulator file is made), naming the resource, the field and a fix. With the
 * endpoints naming their network by ID (`network: ${web.networkId}`, or `${web.id}` as `pulumi
 * import` writes it: known in a preview because the plugin plans a network's ID) and by the
 * resource itself (`network: ${web}`). Control: the program without a mistake previews clean
 * each way, and goes up.
 */
import { existsSync } from "node:fs";
import { newYamlStack, type YamlStack } from "./yaml-stack";

jest.setTimeout(600_000);

type Mistake = "type-typo" | "overlapping-nat" | "address-outside" | "missing-host" | "host-port-twice" | "none";
/** How an endpoint names its network: its ID output, its resource ID (as `pulumi import` writes it), or the resource. */
type Style = "networkId" | "id" | "resource";

/**
 * Two NAT networks and two endpoints publishing a port, each resource with its own host (no
 * hns:host config, so a resource without one has none); `mistake` slips one error in.
 */
function program(mistake: Mistake, style: Style): string {
  const ref = (net: string) => (style === "resource" ? `\${${net}}` : `\${${net}.${style}}`);
  const host = "host: ${host}";
  return `name: hns-mistakes-yaml
runtime: yaml
variables:
  host: { kind: emulator, name: h1 }
resources:
  web:
    type: hns:index:Network
    properties:
      ${host}
      type: ${mistake === "type-typo" ? "natt" : "nat"}
      subnets: [{ prefix: 172.20.0.0/24 }]
  api:
    type: hns:index:Network
    properties:
      ${host}
      type: nat
      subnets: [{ prefix: ${mistake === "overlapping-nat" ? "172.20.0.0/16" : "172.21.0.0/24"} }]
  a:
    type: hns:index:Endpoint
    properties:
      ${host}
      network: ${ref("web")}
      ipAddress: ${mistake === "address-outside" ? "172.29.0.5" : "172.20.0.5"}
      policies:
        - { Type: PortMapping, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }
  b:
    type: hns:index:Endpoint
    properties:
      ${mistake === "missing-host" ? "" : host}
      network: ${ref("api")}
      policies:
        - { Type: PortMapping, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: ${mistake === "host-port-twice" ? 8080 : 8081} } }
outputs:
  webId: \${web.networkId}
  aNetwork: \${a.network}
  bNetwork: \${b.network}
`;
}

async function preview(y: YamlStack, mistake: Mistake, style: Style): Promise<{ ok: boolean; log: string }> {
  y.writeProject(program(mistake, style));
  try {
    const r = await y.stack.preview();
    return { ok: true, log: `${r.stdout}\n${r.stderr}` };
  } catch (e) {
    return { ok: false, log: String((e as Error).message) };
  }
}

// The second of two clashing resources is refused, naming the first; which is second is the
// engine's order, so both orders are accepted. The same verdicts as the TypeScript program's
// (preview-mistakes.test.ts).
const MISTAKES: [Exclude<Mistake, "none">, RegExp][] = [
  ["type-typo", /Network resource 'web': property type .*got "natt", want one of "nat"/],
  ["overlapping-nat", /Network resource '(web|api)': property subnets\[0\]\.prefix .*overlaps .*\(rule prefix-overlap-host\): give each network/],
  ["address-outside", /Endpoint resource 'a': property ipAddress .*172\.29\.0\.5 is not in 172\.20\.0\.0\/24.*\(rule address-outside-subnet\): use an address inside/],
  ["missing-host", /Endpoint resource 'b': property host .*is required: give a host block.*or set the provider's default with pulumi config set --path hns:host/],
  ["host-port-twice", /Endpoint resource '(a|b)': property policies\[0\] .*tcp port 8080 .*already published by h1\/[a-z]+-[0-9a-f]+\/(a|b) \(rule host-port-conflict\): pick another external port/],
];

describe.each<Style>(["networkId", "id", "resource"])("network: %s", (style) => {
  let y: YamlStack;
  beforeAll(async () => {
    y = await newYamlStack(program("none", style));
  });
  afterAll(async () => y?.cleanup());

  test("each of the five mistakes is refused by pulumi preview, naming the resource, the field and a fix, with no host touched", async () => {
    const seen: Record<string, { ok: boolean; matched: boolean; log?: string }> = {};
    for (const [mistake, expected] of MISTAKES) {
      const r = await preview(y, mistake, style);
      const matched = expected.test(r.log);
      seen[mistake] = { ok: r.ok, matched, ...(matched ? {} : { log: r.log }) };
    }
    // Every verdict at once, each with the output when it did not match.
    expect(seen).toEqual(Object.fromEntries(MISTAKES.map(([m]) => [m, { ok: false, matched: true }])));
    expect(existsSync(y.env.PULUMI_HNS_EMULATOR_DIR)).toBe(false);
  });
});

test("control: without a mistake every style previews clean, one goes up, and the others then preview with no changes", async () => {
  const y = await newYamlStack(program("none", "resource"));
  try {
    for (const style of ["networkId", "id", "resource"] as const) {
      const r = await preview(y, "none", style);
      expect(r).toMatchObject({ ok: true });
      expect(r.log).not.toMatch(/error/i);
      // The network's ID is known in the preview (planned), so an endpoint named by it is judged.
      expect(r.log).toMatch(/webId\s*:\s*"[0-9A-F]{8}-[0-9A-F]{4}-/);
    }
    expect(existsSync(y.env.PULUMI_HNS_EMULATOR_DIR)).toBe(false);

    y.writeProject(program("none", "resource"));
    const up = await y.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 5 });
    const host = y.host("h1");
    const networks = await host.list("network");
    const web = networks.find((n) => n.Name?.startsWith("web-"))!;
    // The ID a preview planned is the one the host gave; the endpoint holds it, not a reference.
    expect(up.outputs.webId.value).toBe(web.ID);
    expect(up.outputs.aNetwork.value).toBe(web.ID);
    expect((await host.list("endpoint")).map((e) => e.HostComputeNetwork).sort()).toEqual(networks.map((n) => n.ID).sort());

    // Every style stores the same inputs: switching is no change.
    for (const style of ["networkId", "id"] as const) {
      y.writeProject(program("none", style));
      expect((await y.stack.preview()).changeSummary).toEqual({ same: 5 });
    }
    await y.stack.destroy();
  } finally {
    await y.cleanup();
  }
});
