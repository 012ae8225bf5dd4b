// check's refusals name the field as the user wrote it, say what was given and what is wanted.
// zod 4 leaves the offending value out of its issues, so without looking it up a present value
// of the wrong type read "is required" and union mismatches came out as zod's own wording.
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { PolicyProvider } from "../../../provider/resources/policy/controller";

const host = { kind: "emulator", name: "msg" };
const network = (extra: Record<string, unknown>) => ({ host, name: "n", type: "transparent", ...extra });

async function failures(p: { check: (o: Record<string, unknown>, n: Record<string, unknown>) => Promise<{ failures?: { property: string; reason: string }[] }> }, news: Record<string, unknown>) {
  return (await p.check({}, news)).failures ?? [];
}

describe("check messages", () => {
  const net = new NetworkProvider();

  it("a present value of the wrong type says what it got and what it wants", async () => {
    expect(await failures(net, network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 1.5 }] }))).toEqual([
      { property: "subnets.0.vlan", reason: "got 1.5, want a whole number" },
    ]);
    expect(await failures(net, network({ persistent: "yes" }))).toEqual([{ property: "persistent", reason: 'got "yes", want true or false' }]);
  });

  it("a missing value says it is required and what to give", async () => {
    const f = await failures(net, { host, name: "n" });
    expect(f).toContainEqual({ property: "type", reason: expect.stringMatching(/^is required: give one of "nat", /) });
  });

  it("an unknown enum value names the value and the choices", async () => {
    const [f] = await failures(net, network({ type: "bridge" }));
    expect(f.property).toBe("type");
    expect(f.reason).toMatch(/^got "bridge", want one of "nat", "ics", "transparent"/);
  });

  it("an out-of-range number gives the bound", async () => {
    expect(await failures(net, network({ name: "x".repeat(300) }))).toEqual([{ property: "name", reason: expect.stringMatching(/^is 300 characters long: use at most 256/) }]);
  });

  it("an HNS range is judged by the planner's rule, named in the reason", async () => {
    expect(await failures(net, network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 5000 }] }))).toEqual([
      { property: "subnets.0.vlan", reason: "VLAN 5000 is outside 1-4094 (0 and 4095 are reserved by 802.1Q) (rule vlan-range): use a VLAN id from 1 to 4094" },
    ]);
  });

  it("a policy of an unknown Type lists the accepted types instead of zod's wording", async () => {
    const f = await failures(net, network({ policies: [{ Type: "Bogus", Settings: {} }] }));
    expect(f).toHaveLength(1);
    expect(f[0].property).toBe("policies.0.Type");
    expect(f[0].reason).toMatch(/^got "Bogus", want one of /);
    expect(f[0].reason).not.toMatch(/Invalid discriminator/);
  });

  it("a policy kind that is missing says so", async () => {
    const f = await failures(new PolicyProvider(), { host });
    expect(f[0]).toEqual({ property: "kind", reason: expect.stringMatching(/^is required: give one of /) });
  });
});
