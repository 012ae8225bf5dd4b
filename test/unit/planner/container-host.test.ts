/**
 * The rules of Microsoft's unsupported list that depend on where a host runs and on the
 * container an endpoint is for (rules/container-host.ts), plus `docker run --ip6` and
 * `--dns-option` on an endpoint (rules/unsupported.ts); and the Endpoint resource's check
 * refusing a hot-add the same way. Before these rules the topology refused platform, isolation,
 * hotAdd, ip6 and an endpoint's dns as unknown keys, and check let a hot-add through.
 */
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providers } from "../../../provider";
import { plan, type TopologyInput } from "../../../provider/planner";
import { checkResource } from "../../helpers/fixtures";

const NET = "4f2a0c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";

function topology(platform: string | undefined, type: string, endpoints: Record<string, unknown>[] = []): TopologyInput {
  return {
    hosts: [{ name: "node-1", ...(platform ? { platform } : {}), networks: [{ name: "ext", type, subnets: [{ prefix: "10.0.5.0/24" }], endpoints }] }],
  } as TopologyInput;
}
const rules = (t: TopologyInput) => plan(t).findings.map((f) => [f.rule, f.severity, f.path]);

describe("transparent networks and the host's platform", () => {
  test("an Azure VM refuses transparent (error), a VM warns about MAC spoofing, a physical or undeclared host says nothing", () => {
    expect(rules(topology("azure-vm", "transparent"))).toEqual([["transparent-azure-vm", "error", "hosts.0.networks.0.type"]]);
    expect(rules(topology("vm", "transparent"))).toEqual([["transparent-vm-mac-spoofing", "warning", "hosts.0.networks.0.type"]]);
    expect(rules(topology("physical", "transparent"))).toEqual([]);
    expect(rules(topology(undefined, "transparent"))).toEqual([]);
  });

  test("other network types on an Azure VM are fine", () => {
    for (const type of ["nat", "l2bridge", "l2tunnel"]) expect(rules(topology("azure-vm", type))).toEqual([]);
  });

  test("the message names the host and the fix offers the alternatives", () => {
    const [f] = plan(topology("azure-vm", "transparent")).findings;
    expect(f.message).toMatch(/node-1 is an Azure VM/);
    expect(f.fix).toMatch(/nat .*l2bridge/);
  });

  test("an unknown platform is a schema error naming the field", () => {
    const [f] = plan(topology("cloud", "transparent")).findings;
    expect(f).toMatchObject({ rule: "schema", path: "hosts.0.platform" });
  });
});

describe("endpoints of Hyper-V isolated containers", () => {
  test("a hot-add is refused only for a hyperv container", () => {
    expect(rules(topology(undefined, "l2bridge", [{ name: "web", isolation: "hyperv", hotAdd: true }]))).toEqual([["hyperv-hot-add", "error", "hosts.0.networks.0.endpoints.0.hotAdd"]]);
    expect(rules(topology(undefined, "l2bridge", [{ name: "web", isolation: "process", hotAdd: true }]))).toEqual([]);
    expect(rules(topology(undefined, "l2bridge", [{ name: "web", isolation: "hyperv", hotAdd: false }]))).toEqual([]);
  });
});

describe("docker run options on an endpoint", () => {
  test("ip6 is refused, while ipv6Address on a dual-stack l2bridge network is planned", () => {
    expect(rules(topology(undefined, "l2bridge", [{ name: "web", ip6: "fd00::5" }]))).toEqual([["docker-ip6", "error", "hosts.0.networks.0.endpoints.0.ip6"]]);
    const dual = {
      hosts: [{ name: "node-1", networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: "10.0.5.0/24" }, { prefix: "fd00::/64" }], endpoints: [{ name: "web", ipv6Address: "fd00::5" }] }] }],
    } as TopologyInput;
    const p = plan(dual);
    expect(p.findings).toEqual([]);
    expect(p.hosts[0].networks[0].endpoints[0].ipv6?.address).toBe("fd00::5");
  });

  test("an endpoint's own dns.options is refused by docker-dns-option, its servers and search are planned", () => {
    const t = topology(undefined, "l2bridge", [{ name: "web", dns: { servers: ["10.0.0.10"], options: ["ndots:2"] } }]);
    expect(rules(t)).toEqual([["docker-dns-option", "error", "hosts.0.networks.0.endpoints.0.dns.options"]]);
    const ok = plan(topology(undefined, "l2bridge", [{ name: "web", dns: { servers: ["10.0.0.10"], search: ["corp.local"] }, macAddress: "00-15-5D-00-00-05" }]));
    expect(ok.findings).toEqual([]);
    expect(ok.hosts[0].networks[0].endpoints[0]).toMatchObject({ dns: { servers: ["10.0.0.10"], search: ["corp.local"] }, macAddress: "00-15-5D-00-00-05" });
  });
});

describe("the Endpoint resource's check", () => {
  const host = { kind: "emulator", name: "h", stateDir: path.join(mkdtempSync(path.join(os.tmpdir(), "hot-add-")), "never-created") };
  const check = (extra: Record<string, unknown>) => checkResource(providers.endpoint, { host, network: NET, name: "e", ...extra });

  test("refuses a hot-add to a hyperv container on the hotAdd field, with the rule and its fix", async () => {
    const r = await check({ isolation: "hyperv", hotAdd: true });
    expect(r.failures).toEqual([{ property: "hotAdd", reason: expect.stringMatching(/hot-add.*rule hyperv-hot-add.*attach the endpoint before the container starts/) }]);
  });

  test("accepts the same endpoint attached before its container starts", async () => {
    expect((await check({ isolation: "hyperv" })).failures).toBeUndefined();
  });
});
