import { disconnectAll } from "../../../provider/hosts/connect";
import { EndpointProvider } from "../../../provider/resources/endpoint/controller";
import { NamespaceProvider, namespaceId } from "../../../provider/resources/namespace/controller";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { stackTag } from "../../../provider/kinds/identity";
import { tempDir } from "../../helpers/tmp";
import { testHost } from "../../doubles/hosts";
import { checkResource, checkedInputs, expectFix, namespaceArgs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
let n = 0;
function setup(options: { hnsVersion?: string } = {}) {
  const { host, hns } = testHost(tmp.dir, `ns${++n}`, options);
  return { host, hns, p: new NamespaceProvider() };
}
const SEED = "proj/dev/Namespace/pod";
const base = (host: object) => namespaceArgs(host);
/** diff receives what check returned; these cases write that form out as literals. */
const engineArgs = (args: object) => args as Parameters<NamespaceProvider["diff"]>[2];

async function created(p: NamespaceProvider, inputs: Record<string, unknown>) {
  const { inputs: args, failures } = await checkResource(p, inputs);
  expect(failures).toBeUndefined();
  return { args: args!, made: await p.create(args) };
}

/** A NAT network and an endpoint on it attached to `namespace`, through their own providers. */
async function attachedEndpoint(host: object, namespace: string) {
  const nets = new NetworkProvider();
  const eps = new EndpointProvider();
  const net = await nets.create(await checkedInputs(nets, { host, name: "web", type: "nat", subnets: [{ prefix: "172.30.0.0/24" }], __seed: "proj/dev/Network/web" }));
  const epArgs = await checkedInputs(eps, { host, network: net.id, name: "app", attach: { namespace }, __seed: "proj/dev/Endpoint/app" });
  const ep = await eps.create(epArgs);
  return { net, ep, eps };
}

describe("check", () => {
  test("name and type are optional; every failure names the field and the fix", async () => {
    const { host, p } = setup();
    expect((await checkResource(p, { host })).failures).toBeUndefined();
    const r = await checkResource(p, { host, type: "hostdefault", adopt: true, colour: "blue" });
    const byField = Object.fromEntries((r.failures ?? []).map((f) => [f.property, f.reason]));
    expect(byField["type"]).toMatch(/want one of "host", "guest"/);
    expect(byField["colour"]).toMatch(/is not a field here: remove it/);
    const adopt = await checkResource(p, { host, adopt: true });
    expect(adopt.failures).toEqual([{ property: "adopt", reason: expect.stringMatching(/no name on the host.*adopt: \{ id:/) }]);
    for (const f of [...(r.failures ?? []), ...(adopt.failures ?? [])]) expectFix(f);
  });
});

describe("diff", () => {
  const olds = (host: object) => ({ ...base(host), namespaceId: "x", endpoints: [] });
  test.each([
    ["no change", {}, { changes: false, replaces: [] }],
    ["writing the default type out is no change", { type: "host" }, { changes: false, replaces: [] }],
    ["guest replaces", { type: "guest" }, { changes: true, replaces: ["type"] }],
    ["the name (a state label) updates in place", { name: "pod-2" }, { changes: true, replaces: [] }],
  ])("%s", async (_label, change, want) => {
    const { host, p } = setup();
    expect(await p.diff("x", olds(host), engineArgs({ ...base(host), ...change }))).toEqual(want);
  });

  test("another host replaces", async () => {
    const { host, p } = setup();
    expect(await p.diff("x", olds(host), engineArgs(base({ ...host, name: "elsewhere" })))).toMatchObject({ replaces: ["host"] });
  });
});

describe("lifecycle against the emulator", () => {
  test("create under the stack-tagged deterministic ID, read without drift, rename in the state only, delete", async () => {
    const { host, hns, p } = setup();
    const { args, made } = await created(p, base(host));
    expect(made.id.toLowerCase()).toBe(namespaceId(args)); // HNS prints the ID upper case
    expect(made.id.replace(/-/g, "").slice(0, 8).toLowerCase()).toBe(stackTag(SEED));
    expect(made.outs).toMatchObject({ namespaceId: made.id, compartmentId: expect.any(Number), endpoints: [] });
    expect(await hns.get("namespace", made.id)).toMatchObject({ ID: made.id, Type: "Host" });
    expect(JSON.parse(JSON.stringify(made))).toEqual(made);

    const read = await p.read(made.id, made.outs);
    expect(read.id).toBe(made.id);
    expect(JSON.parse(JSON.stringify(read))).toEqual(read);
    expect(await p.diff(made.id, read.props, args)).toMatchObject({ changes: false });

    const before = await hns.snapshot();
    const updated = await p.update(made.id, made.outs, { ...args, name: "pod-2" });
    expect(updated.outs).toMatchObject({ name: "pod-2", namespaceId: made.id });
    expect((await hns.snapshot()).objects.namespace).toEqual(before.objects.namespace);

    await p.delete(made.id, updated.outs);
    expect(await hns.get("namespace", made.id)).toBeUndefined();
    await p.delete(made.id, updated.outs); // already gone: converges
  });

  test.each([
    ["13.3", undefined],
    ["15.2", true],
  ])("on HNS %s the create asks for ReadyOnCreate: %s (hcsshim's NewNamespace gate)", async (version, want) => {
    const { host, hns, p } = setup({ hnsVersion: version });
    const { made } = await created(p, base(host));
    expect((await hns.get("namespace", made.id))!.ReadyOnCreate).toBe(want);
  });

  test("a guest namespace is created with Type Guest", async () => {
    const { host, hns, p } = setup();
    const { made } = await created(p, { ...base(host), type: "guest" });
    expect(await hns.get("namespace", made.id)).toMatchObject({ Type: "Guest" });
  });

  test("a lost reply on create is retried into the same namespace, not a second one", async () => {
    const { host, hns, p } = setup();
    const count = async () => (await hns.list("namespace")).length;
    const start = await count();
    await hns.injectFault({ mode: "lose-reply", op: "create", kind: "namespace" });
    const { args, made } = await created(p, base(host));
    expect(await count()).toBe(start + 1);
    const again = await p.create(args);
    expect(again.id).toBe(made.id);
    expect(await count()).toBe(start + 1);
  });

  test("an Endpoint attached through attach: { namespace } shows in its endpoints; the namespace never moves it", async () => {
    const { host, hns, p } = setup();
    const { args, made } = await created(p, base(host));
    const { ep, eps } = await attachedEndpoint(host, made.id);
    expect(ep.outs).toMatchObject({ namespaceId: made.id });

    const read = await p.read(made.id, made.outs);
    expect(read.props).toMatchObject({ endpoints: [ep.id] });
    // an update (a rename) neither detaches nor re-attaches
    const updated = await p.update(made.id, read.props, { ...args, name: "renamed" });
    expect(updated.outs).toMatchObject({ endpoints: [ep.id] });
    expect(await hns.get("endpoint", ep.id)).toMatchObject({ HostComputeNamespace: made.id });

    // Pulumi deletes the dependent Endpoint first: it detaches itself, then the namespace goes.
    await eps.delete(ep.id, ep.outs);
    expect((await p.read(made.id, updated.outs)).props).toMatchObject({ endpoints: [] });
    await p.delete(made.id, updated.outs);
    expect(await hns.get("namespace", made.id)).toBeUndefined();
  });

  test("delete takes out endpoints still attached first (hcsshim's order), leaving the endpoint itself", async () => {
    const { host, hns, p } = setup();
    const { made } = await created(p, base(host));
    const { ep } = await attachedEndpoint(host, made.id);
    // The endpoint is taken out before the delete is sent: when that fails, the namespace stays.
    await hns.injectFault({ mode: "fail", op: "modify", kind: "namespace" });
    await expect(p.delete(made.id, made.outs)).rejects.toThrow(/deleting namespace "pod"/);
    expect(await hns.get("namespace", made.id)).toBeDefined();
    await p.delete(made.id, made.outs);
    expect(await hns.get("namespace", made.id)).toBeUndefined();
    const left = await hns.get("endpoint", ep.id);
    expect(left).toBeDefined();
    expect(left!.HostComputeNamespace).toBeUndefined();
  });

  test("a reboot loses the namespace: read reports it gone, the next create makes it again", async () => {
    const { host, hns, p } = setup();
    const { args, made } = await created(p, base(host));
    await attachedEndpoint(host, made.id);
    await hns.reboot();
    expect(await p.read(made.id, made.outs)).toEqual({ id: "" });
    // the host's own compartment survives
    expect((await hns.list("namespace")).map((ns) => ns.Type)).toEqual(["HostDefault"]);
    const again = await p.create(args);
    expect(again.id).toBe(made.id);
    expect(again.outs).toMatchObject({ endpoints: [] });
    expect(await hns.get("namespace", made.id)).toBeDefined();
  });

  test("adopt takes over a namespace by ID; a type mismatch and a missing ID are refused with the fix", async () => {
    const { host, hns, p } = setup();
    const existing = await hns.create("namespace", { Type: "Guest", SchemaVersion: { Major: 2, Minor: 0 } });
    const { made } = await created(p, { ...base(host), type: "guest", adopt: { id: existing.ID } });
    expect(made.id).toBe(existing.ID);
    const wrong = await checkedInputs(p, { ...base(host), adopt: { id: existing.ID } });
    await expect(p.create(wrong)).rejects.toThrow(/differs from the arguments in type .*set type: "guest"/);
    const missing = await checkedInputs(p, { ...base(host), adopt: { id: "11111111-2222-4333-8444-555555555555" } });
    await expect(p.create(missing)).rejects.toThrow(/no namespace with ID 11111111-.* to adopt.*remove adopt/);
  });

  test("get by ID reads a namespace from the host block alone", async () => {
    const { host, hns, p } = setup();
    const existing = await hns.create("namespace", { Type: "Host", SchemaVersion: { Major: 2, Minor: 0 } });
    const r = await p.read(existing.ID!, { host });
    expect(r.props).toMatchObject({ type: "host", namespaceId: existing.ID, endpoints: [] });
  });
});
