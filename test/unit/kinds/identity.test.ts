/**
 * Seed, default name, stack tag and deterministic ID, pinned to the values the three copies
 * computed before they became one (provider/kinds/identity.ts): a change here renames HNS
 * objects and re-numbers IDs in stacks already deployed.
 */
import * as pulumi from "@pulumi/pulumi";
import { defaultName, deterministicId, seedOf, stackTag } from "../../../provider/kinds/identity";
import { defaultNameOf, parseUrn, seedOfUrn } from "../../../provider/native/urn";
import { NATIVE_RESOURCES } from "../../../provider/native/resources";
import { autoName, seedOf as sdkSeedOf } from "../../../sdk/inputs";

const shop = { project: "shop", stack: "dev" };
const eu = { project: "my-proj", stack: "prod/eu" };

describe("resource identity", () => {
  it("seeds as <project>/<stack>/<type>/<name>", () => {
    expect(seedOf(shop, "Network", "web")).toBe("shop/dev/Network/web");
    expect(seedOf(eu, "Endpoint", "api ü")).toBe("my-proj/prod/eu/Endpoint/api ü");
  });

  it("names by rule: the resource name, or it plus 7 hex digits of project and stack", () => {
    expect(defaultName("stack-unique", shop, "web")).toBe("web-d8aee9c");
    expect(defaultName("stack-unique", eu, "api ü")).toBe("api ü-e4d7fef");
    expect(defaultName("resource", eu, "api ü")).toBe("api ü");
    expect(defaultName(undefined, shop, "web")).toBeUndefined();
    // Negative control: another stack gets another name.
    expect(defaultName("stack-unique", { project: "shop", stack: "prod" }, "web")).not.toBe("web-d8aee9c");
  });

  it("tags a stack with 8 hex digits of its first two seed segments", () => {
    expect(stackTag("shop/dev/Network/web")).toBe("d8aee9c6");
    expect(stackTag("shop/dev")).toBe("d8aee9c6");
    expect(stackTag("my-proj/prod")).toBe("a9d1d450");
    expect(stackTag("shop")).toBeUndefined();
  });

  it("derives the same IDs as before", () => {
    expect(deterministicId("shop/dev/Network/web", "a", "b")).toBe("d8aee9c6-1433-59a7-be5a-4c4c99949434");
    expect(deterministicId(undefined, "a")).toBe("83e22e91-f537-5a64-81f0-70c6042b5e38");
    expect(deterministicId("x", "y")).toBe("6c5c2915-a424-50ba-b1a2-3032fc5f37f2");
    expect(deterministicId("", "z")).toBe("48e4b7d8-bd84-53b2-bc32-1fc0a44d5ea2");
  });

  it("gives the native plugin's URN the same seed and name", () => {
    const byType = (t: string) => NATIVE_RESOURCES.find((r) => r.type === t)!;
    const u = parseUrn("urn:pulumi:dev::shop::hns:index:Network::web");
    expect(seedOfUrn(u, byType("Network"))).toBe("shop/dev/Network/web");
    expect(defaultNameOf(u, byType("Network"))).toBe("web-d8aee9c");
    expect(defaultNameOf(u, byType("Endpoint"))).toBe("web");
    expect(defaultNameOf(u, byType("Namespace"))).toBe("web");
    expect(defaultNameOf(u, byType("Policy"))).toBeUndefined();
    const v = parseUrn("urn:pulumi:prod/eu::my-proj::hns:index:Endpoint::api ü");
    expect(seedOfUrn(v, byType("Namespace"))).toBe("my-proj/prod/eu/Namespace/api ü");
    expect(defaultNameOf(v, byType("Network"))).toBe("api ü-e4d7fef");
  });

  describe("in a program", () => {
    beforeAll(() => pulumi.runtime.setMocks({ newResource: () => ({ id: "x", state: {} }), call: () => ({}) }, "shop", "dev"));
    it("gives the SDK the same seed and name", () => {
      expect(sdkSeedOf("Network", "web")).toBe("shop/dev/Network/web");
      expect(autoName("web")).toBe("web-d8aee9c");
    });
  });
});
