/**
 * Pulumi YAML through the native plugin: examples/yaml-nat (a NAT network, a namespace, an
 * endpoint in it publishing a port, and a Policy adding an ACL to it; host from the provider
 * config) goes up on the emulator, previews with no changes, and is destroyed, all through the
 * real engine and the YAML language host. Every resource type of the plugin is in it.
 */
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
