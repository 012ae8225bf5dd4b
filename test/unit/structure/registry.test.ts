/**
 * provider/kinds/registry.ts is the one list of resource kinds: the SDK's classes, the native
 * plugin's resources, provider/index.ts's controllers, schema/schema.json's resources and the
 * reference docs' pages are all the same list. A fake kind added to the registry in memory
 * shows every derived list picking it up (and the schema and docs generators asking for the
 * kind's own folder), which is what makes adding a kind one registry line plus its folders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { providers, type ResourceKind } from "../../../provider";
import { HNS_TYPES } from "../../../provider/cli/doctor/state";
import { dynamicTokenOf, KINDS, REGISTRY, type KindSpec } from "../../../provider/kinds/registry";
import { hnsResourceOf } from "../../../provider/policy-pack/program";
import { CREDENTIAL_FIELDS } from "../../../provider/kinds/secrets";
import { NATIVE_RESOURCES, tokenOf } from "../../../provider/native/resources";
import * as sdk from "../../../sdk";
import { HnsResource } from "../../../sdk/shim";

const REPO = path.resolve(__dirname, "../../..");
const REGISTRY_FILE = path.join(REPO, "provider", "kinds", "registry.ts");
const schema = JSON.parse(fs.readFileSync(path.join(REPO, "schema", "schema.json"), "utf8"));

const types = KINDS.map((k) => k.type);

describe("the registry of resource kinds", () => {
  it("is keyed by kind", () => {
    for (const [key, k] of Object.entries(REGISTRY)) expect(k.kind).toBe(key);
    expect(new Set(types).size).toBe(types.length);
  });

  it("has a controller per kind in provider/index.ts, and no other", () => {
    expect(Object.keys(providers)).toEqual(Object.keys(REGISTRY));
    // A kind the controllers lack does not compile (checked by tsc over this file).
    // @ts-expect-error "sample" has no controller
    const _complete: { [K in ResourceKind | "sample"]: unknown } = providers;
    void _complete;
  });

  it("is the SDK's resource classes: one HnsResource subclass per kind, named by its type", () => {
    const classes = Object.entries(sdk).filter(([, v]) => typeof v === "function" && v.prototype instanceof HnsResource).map(([name]) => name);
    expect(classes.sort()).toEqual([...types].sort());
    for (const k of KINDS) expect(fs.existsSync(path.join(REPO, "sdk", `${k.kind}.ts`))).toBe(true);
  });

  it("is the native plugin's resources, in the same order", () => {
    expect(NATIVE_RESOURCES.map((r) => [r.kind, r.type, r.defaultName, r.notImportable, r.outputs])).toEqual(KINDS.map((k) => [k.kind, k.type, k.defaultName, k.notImportable, k.outputs]));
  });

  it("is schema/schema.json's resources, in the same order", () => {
    expect(Object.keys(schema.resources)).toEqual(KINDS.map(tokenOf));
  });

  it("is what hns-plan doctor and the policy pack find in a state, by the SDK's type token", () => {
    expect(Object.entries(HNS_TYPES)).toEqual(KINDS.map((k) => [dynamicTokenOf(k), k.kind]));
    for (const k of KINDS) expect(hnsResourceOf(dynamicTokenOf(k))?.kind).toBe(k.kind);
  });

  it("keeps each kind's schemas in its own folder", () => {
    for (const k of KINDS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(REPO, "provider", "kinds", k.kind, "args.ts")) as Record<string, unknown>;
      expect([mod[`${k.type}Args`], mod[`${k.type}Outputs`]]).toEqual([k.args, k.outputs]);
    }
  });

  it("marks the same credential fields secret as the schema does", () => {
    const secretInSchema = new Set<string>();
    for (const t of Object.values(schema.types) as { properties?: Record<string, { secret?: boolean }> }[]) {
      for (const [name, p] of Object.entries(t.properties ?? {})) if (p.secret) secretInSchema.add(name);
    }
    expect([...secretInSchema].sort()).toEqual([...CREDENTIAL_FIELDS].sort());
    for (const k of KINDS) expect(k.secrets).toEqual({ at: "host", fields: CREDENTIAL_FIELDS });
  });
});

describe("a kind added to the registry", () => {
  const sample = { ...REGISTRY.namespace, kind: "sample", type: "Sample", defaultName: "resource", notImportable: "a test kind" } satisfies KindSpec;
  const withSample = { ...REGISTRY, sample };

  /** The modules below loaded afresh, against a registry holding one more line. */
  function load<T>(file: string): T {
    let mod: T | undefined;
    jest.isolateModules(() => {
      jest.doMock(REGISTRY_FILE, () => ({ ...jest.requireActual(REGISTRY_FILE), REGISTRY: withSample, KINDS: Object.values(withSample), typeNameOf: (k: keyof typeof withSample) => withSample[k].type }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(path.join(REPO, file)) as T;
    });
    return mod!;
  }

  it("is served by the native plugin, named the way the SDK names it", () => {
    const native = load<typeof import("../../../provider/native/resources")>("provider/native/resources.ts");
    const r = native.resourceOfToken("hns:index:Sample");
    expect(r).toMatchObject({ kind: "sample", type: "Sample", defaultName: "resource", notImportable: "a test kind" });
    expect(native.NATIVE_RESOURCES.map((x) => x.type)).toEqual([...types, "Sample"]);
    const urn = load<typeof import("../../../provider/native/urn")>("provider/native/urn.ts");
    const { resource, parsed } = urn.resourceOfUrn("urn:pulumi:dev::shop::hns:index:Sample::edge");
    expect([urn.seedOfUrn(parsed, resource), urn.defaultNameOf(parsed, resource)]).toEqual(["shop/dev/Sample/edge", "edge"]);
    // Negative control: the registry as it is has no such type.
    expect(NATIVE_RESOURCES.map((x): string => x.type)).not.toContain("Sample");
  });

  it("gets a reference page whose sources are its own folders", () => {
    const pages = load<typeof import("../../../scripts/docs/pages")>("scripts/docs/pages.ts");
    expect(pages.resourceSpecs().find((s) => s.title === "Sample")).toEqual({
      title: "Sample",
      file: "sample.md",
      args: { file: "provider/kinds/sample/args.ts", schema: "SampleArgs" },
      sdk: "sdk/sample.ts",
      className: "Sample",
      outputs: "SampleOutputs",
    });
  });

  it("is asked of the schema generator, which looks for its arguments in its folder", () => {
    const gen = load<typeof import("../../../scripts/gen-schema")>("scripts/gen-schema.ts");
    expect(() => gen.generateSchema()).toThrow("provider/kinds/sample/args.ts: no const SampleArgs");
  });

  describe("in a program", () => {
    const seen: string[] = [];
    beforeAll(() => pulumi.runtime.setMocks({ newResource: (a) => (seen.push(a.type), { id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "shop", "dev", true));

    it("registers under its type token, the way the SDK's classes do", async () => {
      const shim = load<typeof import("../../../sdk/shim")>("sdk/shim.ts");
      class Sample extends shim.HnsResource {
        constructor(name: string) {
          super("sample" as ResourceKind, name, {});
        }
      }
      const g = new Sample("edge");
      await new Promise<void>((done) => g.urn.apply(() => done()));
      expect(seen).toContain("pulumi-nodejs:dynamic/hns:Sample");
      expect(shim.providerText("sample" as ResourceKind)).toContain(".providers.sample;");
    });
  });
});
