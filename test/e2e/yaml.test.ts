/**
 * Pulumi YAML through the native plugin: examples/yaml-nat (a NAT network, a namespace, an
 * endpoint in it publishing a port, and a Policy adding an ACL to it; host from the provider
 * config) goes up on the emulator, previews with no changes, and is destroyed, all through the
 * real engine and the YAML language host. Every resource type of the plugin is in it.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { exampleProject, newYamlStack, type YamlStack } from "./yaml-stack";

jest.setTimeout(240_000);

let y: YamlStack;
beforeAll(async () => {
  y = await newYamlStack(exampleProject("yaml-nat"));
});
afterAll(async () => y?.cleanup());

test("examples/yaml-nat: up creates what it declares, preview is clean, destroy removes it all", async () => {
  const up = await y.stack.up();
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges).toMatchObject({ create: 5 });

  // The emulated host "dev" of the provider config holds what the YAML declares.
  const host = y.host("dev");
  const [net] = await host.list("network");
  expect(net).toMatchObject({ ID: up.outputs.networkId.value, Ipams: [{ Subnets: [expect.objectContaining({ IpAddressPrefix: "172.20.0.0/24" })] }] });
  expect(net.Name).toMatch(/^web-[0-9a-f]{7}$/); // the resource name plus a stack hash, as the SDK names networks
  const [ep] = await host.list("endpoint");
  expect(ep).toMatchObject({ HostComputeNetwork: net.ID, IpConfigurations: [expect.objectContaining({ IpAddress: "172.20.0.10" })] });
  expect(ep.Policies).toEqual([
    expect.objectContaining({ Type: "PortMapping", Settings: expect.objectContaining({ InternalPort: 80, ExternalPort: 8080 }) }),
    expect.objectContaining({ Type: "ACL", Settings: expect.objectContaining({ Action: "Allow", LocalPorts: "80" }) }),
  ]);
  expect(up.outputs.appNamespace.value).toBe(up.outputs.namespaceId.value);
  expect((await host.list("namespace")).map((n) => n.ID)).toContain(up.outputs.namespaceId.value);

  const preview = await y.stack.preview();
  expect(preview.changeSummary).toEqual({ same: 5 });

  const destroy = await y.stack.destroy();
  expect(destroy.summary.resourceChanges).toMatchObject({ delete: 5 });
  expect(await host.list("network")).toEqual([]);
  expect(await host.list("endpoint")).toEqual([]);
  expect((await host.list("namespace")).map((n) => n.ID)).not.toContain(up.outputs.namespaceId.value);
});

/**
 * The file backend's state files (stacks/, backups/, and history's checkpoints), as text. Not the
 * history's `*.history.json` update records: the engine copies the project's config into them as
 * written, and a credential written in plaintext in Pulumi.yaml is plaintext there as it is in
 * Pulumi.yaml itself (docs/front-doors.md says to use pulumi config set --secret instead).
 */
const stateFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".history.json"))
    .map((e) => path.join(e.parentPath, e.name));

test("host credentials of the provider config and of an explicit provider are secrets in the state, not plaintext", async () => {
  const [fromConfig, fromExplicit] = ["plain-config-KEY-7f3a", "plain-explicit-KEY-9c1b"];
  const s = await newYamlStack(
    [
      "name: hns-secrets",
      "runtime: yaml",
      "config:",
      "  hns:host:",
      "    value: { kind: emulator, name: cfg, accessKey: " + fromConfig + " }",
      "resources:",
      "  node1:",
      "    type: pulumi:providers:hns",
      "    properties:",
      "      host: { kind: emulator, name: explicit, accessKey: " + fromExplicit + " }",
      "  viaConfig:",
      "    type: hns:index:Network",
      "    properties: { type: nat }",
      "  viaExplicit:",
      "    type: hns:index:Network",
      "    properties: { type: nat }",
      "    options:",
      "      provider: ${node1}",
      "",
    ].join("\n"),
  );
  try {
    const up = await s.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    const exported = await s.cli("stack", "export");
    const backend = s.env.PULUMI_BACKEND_URL.replace(/^file:\/\//, "");
    const files = stateFiles(backend);
    expect(files.filter((f) => f.endsWith(".checkpoint.json")).length).toBeGreaterThan(0);
    for (const text of [exported, ...files.map((f) => readFileSync(f, "utf8"))]) {
      expect(text).not.toContain(fromConfig);
      expect(text).not.toContain(fromExplicit);
    }
    // Both providers hold the host, its accessKey as ciphertext (so the search above looked at them).
    const providers = JSON.parse(exported).deployment.resources.filter((r: { type: string }) => r.type === "pulumi:providers:hns");
    expect(providers).toHaveLength(2);
    for (const p of providers) expect(p.inputs.host).toMatchObject({ kind: "emulator", accessKey: { ciphertext: expect.any(String) } });
    // What CheckConfig returns is stable: the next preview changes nothing, providers included (the default one is not counted).
    expect((await s.stack.preview()).changeSummary).toEqual({ same: 4 });
    await s.stack.destroy();
  } finally {
    await s.cleanup();
  }
});
