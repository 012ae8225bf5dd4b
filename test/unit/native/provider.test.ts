/**
 * The native provider's mapping onto the dynamic providers, against the real resource code and
 * the emulator: what it derives from the URN (ID seed, default names), where the host comes
 * from (the resource, else the provider config), what check reports, the diff's shape, secrets
 * on the wire, and what read returns for `pulumi import`.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parseConfig } from "../../../provider/native/config";
import { NativeProvider, NO_HOST } from "../../../provider/native/provider";
import { secret } from "../../../provider/native/secrets";
import { defaultNameOf, parseUrn, seedOfUrn } from "../../../provider/native/urn";
import { NATIVE_RESOURCES } from "../../../provider/native/resources";
import { autoName, seedOf } from "../../../sdk/inputs";
import { tempDir } from "../../helpers/tmp";

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
    expect(props).toEqual(expect.arrayContaining(["type", "subnets.0.prefix"]));
    expect(r.failures!.find((f) => f.property === "subnets.0.prefix")!.reason).toMatch(/host bits/);
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

  test("no host configured is allowed (resources then name theirs)", () => {
    expect(parseConfig(undefined, {})).toEqual({});
  });
});
