/**
 * `pulumi import` through the native plugin into a Pulumi YAML stack: the engine reads each
 * object by ID on the provider config's host, writes the program code, and the stack then
 * previews with no changes. Once for objects made outside Pulumi, once as the way a stack moves
 * from the dynamic provider (TypeScript SDK) to the native plugin: `pulumi state delete`, then
 * `pulumi import` under the native types, with the objects on the host untouched.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as hns from "../../sdk";
import { newHarness, type Harness } from "./harness";
import { newYamlStack, type YamlStack } from "./yaml-stack";

jest.setTimeout(300_000);

/** A YAML project whose resources come from the code import generates; the host is the provider config's. */
const project = (name: string, hostName: string, resources = "resources: {}\n") =>
  `name: ${name}\nruntime: yaml\nconfig:\n  hns:host:\n    value:\n      kind: emulator\n      name: ${hostName}\n${resources}`;

let y: YamlStack | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await y?.cleanup();
  await h?.cleanup();
  y = h = undefined;
});

test("a network and an endpoint made outside Pulumi: import writes their code, the stack previews clean", async () => {
  // This one finds the plugin in the plugin cache (pulumi plugin install), the other on PATH.
  y = await newYamlStack(project("hns-import", "legacy"), { plugin: "install" });
  const host = y.host("legacy");
  const net = await host.create("network", {
    Name: "legacy",
    Type: "NAT",
    Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.21.0.0/24", Routes: [{ NextHop: "172.21.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }],
    SchemaVersion: { Major: 2, Minor: 0 },
  });
  const ep = await host.create("endpoint", { Name: "legacy-app", HostComputeNetwork: net.ID, IpConfigurations: [{ IpAddress: "172.21.0.5" }], SchemaVersion: { Major: 2, Minor: 0 } });

  const imported = await y.stack.import({
    resources: [
      { type: "hns:index:Network", name: "legacy", id: net.ID! },
      { type: "hns:index:Endpoint", name: "legacyApp", id: ep.ID! },
    ],
    generateCode: true,
    protect: false,
  });
  expect(imported.summary.resourceChanges).toMatchObject({ import: 2 });
  // The code names what HNS has: the network by its name, the endpoint's network by reference.
  expect(imported.generatedCode).toMatch(/name: legacy\n/);
  expect(imported.generatedCode).toMatch(/name: legacy-app\n/);
  expect(imported.generatedCode).toContain("network: ${legacy.id}");

  // A refresh before the first up diffs the imported inputs, which hold no host (it is the config's).
  const refresh = await y.stack.refresh();
  expect(refresh.summary.result).toBe("succeeded");
  expect(refresh.summary.resourceChanges).toEqual({ same: 3 });

  // An ID the host does not have: the plugin's reason, not "provider does not support importing".
  const missing = y.stack.import({ resources: [{ type: "hns:index:Network", name: "ghost", id: "not-a-guid" }], protect: false });
  await expect(missing).rejects.toThrow('importing Network not-a-guid: no network with this ID on host emulator "legacy"; check the ID and hns:host');

  y.writeProject(project("hns-import", "legacy", imported.generatedCode));
  const preview = await y.stack.preview();
  expect(preview.changeSummary).toEqual({ same: 3 });
});

test("moving a stack from the dynamic provider to the native plugin: state delete, import, clean preview, same objects", async () => {
  const hostBlock = { kind: "emulator" as const, name: "h1" };
  h = await newHarness(async () => {
    const web = new hns.Network("web", { host: hostBlock, type: "nat", subnets: [{ prefix: "172.22.0.0/24" }] });
    const app = new hns.Endpoint("app", { host: hostBlock, network: web.networkId, ipAddress: "172.22.0.9" });
    return { netId: web.networkId, epId: app.endpointId };
  });
  const up = await h.stack.up();
  const ids = { net: up.outputs.netId.value as string, ep: up.outputs.epId.value as string };
  const resources: { urn: string; type: string; id?: string }[] = (await h.stack.exportStack()).deployment.resources;
  const urnOf = (id: string) => resources.find((r) => r.id === id)!.urn;
  // The endpoint first (it depends on the network), then the dynamic provider, which nothing uses then.
  const dropped = [urnOf(ids.ep), urnOf(ids.net), ...resources.filter((r) => r.type === "pulumi:providers:pulumi-nodejs").map((r) => r.urn)];
  expect(dropped).toHaveLength(3);

  // The same project, stack and backend, now a YAML program for the native plugin.
  y = await newYamlStack(project("hns-e2e", "h1"), { dir: h.dir });
  for (const urn of dropped) await y.cli("state", "delete", urn, "--yes");
  const imported = await y.stack.import({
    resources: [
      { type: "hns:index:Network", name: "web", id: ids.net },
      { type: "hns:index:Endpoint", name: "app", id: ids.ep },
    ],
    generateCode: true,
    protect: false,
  });
  expect(imported.summary.resourceChanges).toMatchObject({ import: 2 });
  y.writeProject(project("hns-e2e", "h1", imported.generatedCode));

  const preview = await y.stack.preview();
  expect(preview.changeSummary).toEqual({ same: 3 });
  const host = y.host("h1");
  expect((await host.list("network")).map((n) => n.ID)).toEqual([ids.net]);
  expect((await host.list("endpoint")).map((e) => e.ID)).toEqual([ids.ep]);
});

test("docs/front-doors.md: import --file, the code added, preview with no changes, one up, then destroy deletes the endpoint before its network", async () => {
  y = await newYamlStack(project("hns-import-destroy", "legacy"));
  const host = y.host("legacy");
  const net = await host.create("network", {
    Name: "legacy",
    Type: "NAT",
    Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.23.0.0/24", Routes: [{ NextHop: "172.23.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }],
    SchemaVersion: { Major: 2, Minor: 0 },
  });
  const ep = await host.create("endpoint", { Name: "legacy-app", HostComputeNetwork: net.ID, SchemaVersion: { Major: 2, Minor: 0 } });

  // The steps as the page gives them: a resources.json, pulumi import --file ... --out.
  writeFileSync(
    path.join(y.project, "resources.json"),
    JSON.stringify({ resources: [{ type: "hns:index:Network", name: "legacy", id: net.ID }, { type: "hns:index:Endpoint", name: "legacyApp", id: ep.ID }] }),
  );
  await y.cli("import", "--file", "resources.json", "--protect=false", "--yes", "--out", "imported.yaml");
  const code = readFileSync(path.join(y.project, "imported.yaml"), "utf8");
  expect(code).toContain("network: ${legacy.id}");
  y.writeProject(project("hns-import-destroy", "legacy", code));

  const preview = await y.stack.preview({ expectNoChanges: true });
  expect(preview.changeSummary).toEqual({ same: 3 });
  // One up records what the code says, the endpoint's dependency on the network, in the state.
  const up = await y.stack.up();
  expect(up.summary.resourceChanges).toEqual({ same: 3 });
  const state: { resources: { type: string; dependencies?: string[]; urn: string }[] } = (await y.stack.exportStack()).deployment;
  const endpoint = state.resources.find((r) => r.type === "hns:index:Endpoint")!;
  expect(endpoint.dependencies).toEqual([state.resources.find((r) => r.type === "hns:index:Network")!.urn]);

  const destroyed = await y.stack.destroy();
  expect(destroyed.summary.result).toBe("succeeded");
  expect([...(await host.list("network")), ...(await host.list("endpoint"))]).toEqual([]);
});
