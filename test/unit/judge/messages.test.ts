// check's refusals name the field as the user wrote it, say what was given and what is wanted.
// zod 4 leaves the offending value out of its issues, so without looking it up a present value
// of the wrong type read "is required" and union mismatches came out as zod's own wording.
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { PolicyProvider } from "../../../provider/resources/policy/controller";
import { checkResource, failureOf, failuresOf } from "../../helpers/fixtures";

const host = { kind: "emulator", name: "msg" };
const network = (extra: Record<string, unknown>) => ({ host, name: "n", type: "transparent", ...extra });


describe("check messages", () => {
  const net = new NetworkProvider();

  it("a present value of the wrong type says what it got and what it wants", async () => {
    expect(await failuresOf(net, network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 1.5 }] }))).toEqual([
      { property: "subnets.0.vlan", reason: "got 1.5, want a whole number" },
    ]);
    expect(await failuresOf(net, network({ persistent: "yes" }))).toEqual([{ property: "persistent", reason: 'got "yes", want true or false' }]);
  });

  it("a missing value says it is required and what to give", async () => {
    const f = await failuresOf(net, { host, name: "n" });
    expect(f).toContainEqual({ property: "type", reason: expect.stringMatching(/^is required: give one of "nat", /) });
  });

  it("an unknown enum value names the value and the choices", async () => {
    const [f] = await failuresOf(net, network({ type: "bridge" }));
    expect(f.property).toBe("type");
    expect(f.reason).toMatch(/^got "bridge", want one of "nat", "ics", "transparent"/);
  });

  it("an out-of-range number gives the bound", async () => {
    expect(await failuresOf(net, network({ name: "x".repeat(300) }))).toEqual([{ property: "name", reason: expect.stringMatching(/^is 300 characters long: use at most 256/) }]);
  });

  it("an HNS range is judged by the planner's rule, named in the reason", async () => {
    expect(await failuresOf(net, network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 5000 }] }))).toEqual([
      { property: "subnets.0.vlan", reason: "VLAN 5000 is outside 1-4094 (0 and 4095 are reserved by 802.1Q) (rule vlan-range): use a VLAN id from 1 to 4094" },
    ]);
  });

  it("a policy of an unknown Type lists the accepted types instead of zod's wording", async () => {
    const f = await failuresOf(net, network({ policies: [{ Type: "Bogus", Settings: {} }] }));
    expect(f).toHaveLength(1);
    expect(f[0].property).toBe("policies.0.Type");
    expect(f[0].reason).toMatch(/^got "Bogus", want one of /);
    expect(f[0].reason).not.toMatch(/Invalid discriminator/);
  });

  it("a policy kind that is missing says so", async () => {
    const f = await failuresOf(new PolicyProvider(), { host });
    expect(f[0]).toEqual({ property: "kind", reason: expect.stringMatching(/^is required: give one of /) });
  });
});

describe("a missing host gets one message in both front doors", () => {
  it("the dynamic provider's check and the native plugin's say the same, the plugin adding its provider default", async () => {
    const { NO_HOST } = await import("../../../provider/native/provider");
    const { HOST_REQUIRED } = await import("../../../provider/hosts/host");
    const { providers } = await import("../../../provider");
    const r = await checkResource(providers.network, { name: "n", type: "nat" });
    expect(r.failures).toEqual([{ property: "host", reason: HOST_REQUIRED }]);
    expect(NO_HOST.startsWith(HOST_REQUIRED)).toBe(true);
    expect(HOST_REQUIRED).toMatch(/kind: "emulator"/);
  });
});

describe("an unknown field names the known one it is closest to", () => {
  it("at the top, inside a list and inside a union member", async () => {
    const { providers } = await import("../../../provider");
    const host = { kind: "emulator", name: "x", stateDir: "/nonexistent/messages" };
    const top = await checkResource(providers.network, { host, name: "n", type: "nat", persistant: true });
    expect(top.failures).toEqual([{ property: "persistant", reason: expect.stringMatching(/did you mean "persistent"/) }]);
    const nested = await checkResource(providers.network, { host, name: "n", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24", gatway: "10.0.0.1" }] });
    expect(failureOf(nested)).toMatchObject({ property: "subnets.0.gatway", reason: expect.stringMatching(/did you mean "gateway"/) });
    const member = await checkResource(providers.policy, { kind: "loadBalancer", host, endpoints: ["4f2a6c1e-0b1d-4c3e-9f00-0000000000a1"], portMappings: [{ internalPrt: 80, internalPort: 80, externalPort: 80 }] });
    expect(member.failures?.map((f) => f.reason).join(" ")).toMatch(/did you mean "internalPort"/);
    // Control: a key far from every known one gets no guess.
    const far = await checkResource(providers.network, { host, name: "n", type: "nat", colour: "blue" });
    expect(failureOf(far).reason).not.toMatch(/did you mean/);
  });
});
