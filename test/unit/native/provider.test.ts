/**
 * The native provider's mapping onto the dynamic providers, against the real resource code and
 * the emulator: what it derives from the URN (ID seed, default names), where the host comes
 * from (the resource, else the provider config), what check reports, the diff's shape, secrets
 * on the wire, and what read returns for `pulumi import`.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parseConfig } from "../../../provider/native/config";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { NativeProvider, NO_HOST, propertyPath } from "../../../provider/native/provider";
import { secret } from "../../../provider/native/secrets";
import { defaultNameOf, parseUrn, seedOfUrn } from "../../../provider/native/urn";
import { NATIVE_RESOURCES } from "../../../provider/native/resources";
import { autoName, seedOf } from "../../../sdk/inputs";
import { tempDir } from "../../helpers/tmp";
import { expectFix } from "../../helpers/fixtures";

const tmp = tempDir("hns-native-");
const host = { kind: "emulator", name: "n1", stateDir: tmp.dir };
const urn = (type: string, name: string, parent = "") => `urn:pulumi:dev::proj::${parent}hns:index:${type}::${name}`;
const network = (name = "web") => urn("Network", name);
const endpoint = (name = "app") => urn("Endpoint", name);
afterAll(() => tmp.cleanup());

function configured(h: unknown = host): NativeProvider {
  const p = new NativeProvider("{}", "0.1.0");
  p.configure(parseConfig({ host: h }, {}));
  return p;
}

describe("the URN stands in for what the SDK reads from the program", () => {
  beforeAll(() => pulumi.runtime.setMocks({ newResource: () => ({ id: "x", state: {} }), call: () => ({}) }, "proj", "dev"));

  test("seed and default names are the SDK's for the same project, stack and name", () => {
    const u = parseUrn(network("web"));
    const [net, ep] = [NATIVE_RESOURCES.find((r) => r.type === "Network")!, NATIVE_RESOURCES.find((r) => r.type === "Endpoint")!];
    expect(seedOfUrn(u, net)).toBe(seedOf("Network", "web"));
    expect(defaultNameOf(u, net)).toBe(autoName("web"));
    expect(defaultNameOf(parseUrn(endpoint("app")), ep)).toBe("app");
  });

  test("a child resource's URN (parent types before $) names the resource's own type", () => {
    expect(parseUrn(urn("Network", "web", "pulumi:pulumi:Stack$my:big:Component$"))).toEqual({ stack: "dev", project: "proj", type: "hns:index:Network", name: "web" });
  });
});

describe("check", () => {
  test("no host and no provider config: one failure on host that says how to set either", async () => {
    const r = await new NativeProvider("{}", "0.1.0").check(network(), {}, { type: "nat" });
    expect(r.failures).toEqual([{ property: "host", reason: NO_HOST }]);
  });

  test("the provider config's host, the seed and the default name are filled in", async () => {
    const r = await configured().check(network("web"), {}, { type: "nat" });
    expect(r.failures ?? []).toEqual([]);
    expect(r.inputs).toMatchObject({ host, type: "nat", __seed: "proj/dev/Network/web", name: expect.stringMatching(/^web-[0-9a-f]{7}$/) });
  });

  test("a resource's own host wins over the config; a given name is kept", async () => {
    const own = { kind: "emulator", name: "other", stateDir: tmp.dir };
    const r = await configured().check(network(), {}, { type: "nat", host: own, name: "mine" });
    expect(r.inputs).toMatchObject({ host: own, name: "mine" });
  });

  test("bad input fails with the field and the fix, from the same check as the dynamic path", async () => {
    const r = await configured().check(network(), {}, { type: "bogus", subnets: [{ prefix: "10.0.0.7/24" }] });
    const props = r.failures!.map((f) => f.property);
    // Pulumi property paths (subnets[0].prefix), which the engine resolves against the inputs, not zod's dotted paths.
    expect(props).toEqual(expect.arrayContaining(["type", "subnets[0].prefix"]));
    expect(r.failures!.find((f) => f.property === "subnets[0].prefix")!.reason).toMatch(/host bits/);
    for (const f of r.failures!) expectFix(f);
  });

  test("property paths: indexes in brackets, keys that are no identifier quoted", () => {
    expect(propertyPath("subnets.0.prefix")).toBe("subnets[0].prefix");
    expect(propertyPath("policies.1.Settings.Exceptions.0")).toBe("policies[1].Settings.Exceptions[0]");
    expect(propertyPath("host")).toBe("host");
    expect(propertyPath("tags.a-b")).toBe('tags["a-b"]');
  });

  test("an unknown resource type is refused by name", async () => {
    await expect(configured().check(urn("Widget", "w"), {}, {})).rejects.toThrow(/no resource type hns:index:Widget/);
  });

  test("credentials come back secret, whether the program marked them or not", async () => {
    const keyed = { ...host, name: "keyed", accessKey: "plain-key" };
    const r = await configured().check(network(), {}, { type: "nat", host: keyed });
    expect(r.inputs.host.accessKey).toEqual({ [specialSigKey]: specialSecretSig, value: "plain-key" });
    const wrapped = await configured().check(network(), {}, { type: "nat", host: { ...keyed, accessKey: secret("s3cret") } });
    expect(wrapped.inputs.host.accessKey.value).toBe("s3cret");
  });
});

describe("diff, create, read", () => {
  const p = configured();
  let state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let id: string;

  beforeAll(async () => {
    const { inputs } = await p.check(network("lab"), {}, { type: "nat", subnets: [{ prefix: "172.30.0.0/24" }] });
    const made = await p.create(network("lab"), inputs);
    [state, id] = [made.outs, made.id];
  });

  test("create returns the ID and the outputs the host resolved", () => {
    expect(state).toMatchObject({ networkId: id, appliedSubnets: [{ prefix: "172.30.0.0/24", gateway: "172.30.0.1" }] });
  });

  test("diff: same inputs no change; a new prefix replaces, deleting first", async () => {
    const same = await p.check(network("lab"), state, { type: "nat", subnets: [{ prefix: "172.30.0.0/24" }] });
    expect(await p.diff(id, network("lab"), state, same.inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    const moved = await p.check(network("lab"), state, { type: "nat", subnets: [{ prefix: "172.31.0.0/24" }] });
    expect(await p.diff(id, network("lab"), state, moved.inputs)).toMatchObject({ changes: true, replaces: ["subnets"], deleteBeforeReplace: true });
  });

  test("read by ID alone (import) finds it on the configured host; inputs leave out the config's host and the seed", async () => {
    // `pulumi import` is an engine run of its own, which configures the provider first: the
    // resources checked above are not in it.
    p.configure({ host });
    const r = await p.read(id, network("imported"), {});
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ host, networkId: id, type: "nat" });
    expect(r.inputs).not.toHaveProperty("host");
    expect(r.inputs).not.toHaveProperty("__seed");
    // What import writes into the program checks and diffs clean against what it read.
    const again = await p.check(network("imported"), r.inputs, r.inputs);
    expect((await p.diff(id, network("imported"), r.props, again.inputs)).changes).toBe(false);
  });

  test("a namespace imports the same way (its state-only name label is the resource's default); a Policy is refused, saying why", async () => {
    const { inputs } = await p.check(urn("Namespace", "ns"), {}, {});
    const made = await p.create(urn("Namespace", "ns"), inputs);
    const r = await p.read(made.id, urn("Namespace", "ns2"), {});
    expect(r).toMatchObject({ id: made.id, props: { namespaceId: made.id, host } });
    const again = await p.check(urn("Namespace", "ns2"), r.inputs, r.inputs);
    expect((await p.diff(made.id, urn("Namespace", "ns2"), r.props, again.inputs)).changes).toBe(false);
    await expect(p.read(made.id, urn("Policy", "lb"), {})).rejects.toThrow(/^importing Policy .*: an ID alone does not say which kind of Policy/);
  });

  test("import of an ID the host does not have fails saying so (not the engine's 'does not support importing')", async () => {
    const missing = (id: string, kind = "network", type = "Network", name = "n1") =>
      `importing ${type} ${id}: no ${kind} with this ID on host emulator "${name}"; check the ID and hns:host`;
    const guid = "4640d5b1-4527-462d-9437-04342d059c86";
    await expect(p.read(guid, network("x"), {})).rejects.toThrow(missing(guid));
    await expect(p.read("not-a-guid", network("x"), {})).rejects.toThrow(missing("not-a-guid"));
    await expect(p.read(guid, endpoint("x"), {})).rejects.toThrow(missing(guid, "endpoint", "Endpoint"));
    // A host name with no emulator state file: the same error, and no empty state file left behind.
    const wrong = configured({ ...host, name: "typo" });
    await expect(wrong.read(id, network("x"), {})).rejects.toThrow(missing(id, "network", "Network", "typo"));
    expect(existsSync(path.join(tmp.dir, "typo.json"))).toBe(false);
  });

  test("refresh right after import: the stored inputs have no host (it is the config's), diff takes the config's", async () => {
    const imported = await p.read(id, network("imported"), {});
    expect(imported.inputs).not.toHaveProperty("host");
    // What a refresh diffs: the imported inputs against those the read reports again.
    const again = await p.read(id, network("imported"), imported.props);
    expect(await p.diff(id, network("imported"), imported.inputs!, again.inputs!)).toMatchObject({ changes: false });
  });

  test("read without a host and without config says how to give one", async () => {
    await expect(new NativeProvider("{}", "0.1.0").read(id, network(), {})).rejects.toThrow(/pulumi config set --path hns:host.kind/);
  });

  test("read of an object gone from the host returns no ID (refresh drops it)", async () => {
    await p.delete(id, network("lab"), state);
    expect(await p.read(id, network("lab"), state)).toEqual({ id: "" });
  });
});

describe("provider config", () => {
  test("a host given as JSON text (pulumi config set hns:host '{...}') is parsed", () => {
    expect(parseConfig(undefined, { "hns:config:host": JSON.stringify(host) }).host).toEqual(host);
  });

  test("a host holding a secret arrives as a secret around JSON text: parsed, and its credential stays secret in check's inputs", async () => {
    const keyed = { ...host, name: "sec", accessKey: "k3y" };
    const config = parseConfig({ host: secret(JSON.stringify(keyed)) }, {});
    expect(config.host).toEqual(keyed);
    const p = new NativeProvider("{}", "0.1.0");
    p.configure(config);
    const r = await p.check(network(), {}, { type: "nat" });
    expect(r.inputs.host).toEqual({ ...keyed, accessKey: secret("k3y") });
  });

  test("a bad host block names the field", () => {
    expect(() => parseConfig({ host: { kind: "emulator", name: "a b" } }, {})).toThrow(/^hns:host\.name: /);
    expect(() => parseConfig({ host: "not json" }, {})).toThrow(/want a host block/);
    expect(() => parseConfig({ host: ["a"] }, {})).toThrow(/^hns:host: /);
  });

  test("a host field left out says which kind needs it, not zod's 'expected string, received undefined'", () => {
    expect(() => parseConfig({ host: { kind: "winrm", name: "w", user: "admin", password: "p" } }, {})).toThrow(/^hns:host\.address is required for kind winrm \(/);
    expect(() => parseConfig({ host: { kind: "emulator" } }, {})).toThrow(/^hns:host\.name is required for kind emulator \(/);
  });

  test("no host configured is allowed (resources then name theirs)", () => {
    expect(parseConfig(undefined, {})).toEqual({});
  });
});

describe("checkConfig: what the engine stores as the provider's inputs", () => {
  const keyed = { ...host, name: "cfg", accessKey: "plain-key" };

  test("an explicit provider's host (an object): its credential comes back secret, the rest as given", async () => {
    const r = await new NativeProvider("{}", "0.1.0").checkConfig({ host: keyed, version: "0.1.0" });
    expect(r.failures ?? []).toEqual([]);
    expect(r.inputs).toEqual({ host: { ...keyed, accessKey: secret("plain-key") }, version: "0.1.0" });
  });

  test("a config block (the engine sends JSON text): the object it holds, its credential secret", async () => {
    const winrm = { kind: "winrm", name: "w", address: "10.0.0.2", user: "admin", password: "pw" };
    const r = await new NativeProvider("{}", "0.1.0").checkConfig({ host: JSON.stringify(winrm) });
    expect(r.inputs).toEqual({ host: { ...winrm, password: secret("pw") } });
  });

  test("no host: the inputs as given; a bad host: a failure on host naming the field", async () => {
    const p = new NativeProvider("{}", "0.1.0");
    expect(await p.checkConfig({ version: "0.1.0" })).toEqual({ inputs: { version: "0.1.0" } });
    const r = await p.checkConfig({ host: { kind: "ssh", name: "s" } });
    expect(r.failures).toEqual([{ property: "host", reason: expect.stringMatching(/^hns:host\.address is required for kind ssh/) }]);
  });
});
