import { disconnectAll } from "../../../provider/hosts/connect";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { networkId } from "../../../provider/kinds/network/mapping";
import { UNKNOWN } from "../../../provider/vocabulary/unknown";
import { NetworkArgs } from "../../../provider/kinds/network/args";
import { tempDir } from "../../helpers/tmp";
import { currentTransport, testHost } from "../../doubles/hosts";
import { checkResource, checkedInputs, expectFix, failureOf, networkArgs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
let n = 0;
function setup() {
  const { host, hns } = testHost(tmp.dir, `host${++n}`);
  return { host, hns, p: new NetworkProvider() };
}
/** A NAT network "web" on 172.20.0.0/24, seeded as proj/dev. */
const base = (host: object) => networkArgs(host);
/** diff receives what check returned; these cases write that form out as literals. */
const engineArgs = (args: object) => args as Parameters<NetworkProvider["diff"]>[2];

describe("check", () => {
  test("valid inputs come back with the schema's canonical form", async () => {
    const { host, p } = setup();
    const r = await checkResource(p, base(host));
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toMatchObject({ name: "web", type: "nat" });
  });

  test("every failure names the field and the fix", async () => {
    const { host, p } = setup();
    const r = await checkResource(p, {
      host,
      name: "",
      type: "natt",
      subnets: [{ prefix: "10.0.0.7/24", gateway: "10.9.9.9", vlan: 5, vsid: 5000 }],
      vxlanPort: 4789,
      adapterName: "Ethernet",
      colour: "blue",
    });
    const byField = Object.fromEntries((r.failures ?? []).map((f) => [f.property, f.reason]));
    expect(byField["name"]).toMatch(/at least 1|too small|>=1/i);
    expect(byField["type"]).toMatch(/one of "nat", "ics"/);
    expect(byField["subnets.0.prefix"]).toMatch(/host bits set: write the network address, "10.0.0.0\/24"/);
    expect(byField["colour"]).toMatch(/is not a field here: remove it/);
    for (const f of r.failures ?? []) expectFix(f);
  });

  test("cross-field rules: vxlanPort only on overlay, adapter only on external types, gateway inside the prefix", async () => {
    const { host, p } = setup();
    const r = await checkResource(p, { host, name: "x", type: "nat", vxlanPort: 4789, adapterName: "Ethernet", subnets: [{ prefix: "10.0.0.0/24", gateway: "10.1.0.1" }] });
    const fields = (r.failures ?? []).map((f) => f.property).sort();
    expect(fields).toEqual(["adapterName", "subnets.0.gateway", "vxlanPort"]);
  });

  test("unknown values (preview) are not reported as failures", async () => {
    const { host, p } = setup();
    const r = await checkResource(p, { ...base(host), name: UNKNOWN });
    expect(r.failures).toBeUndefined();
  });

  test("unsupported host kinds are refused with a clear message", async () => {
    const { p } = setup();
    const r = await checkResource(p, base({ kind: "telnet", name: "w1" }));
    expect(failureOf(r).property).toBe("host.kind");
    expect(failureOf(r).reason).toMatch(/one of "emulator", "local", "ssh", "winrm"/);
  });
});

describe("diff", () => {
  const olds = (host: object) => ({ ...base(host), networkId: "x", appliedSubnets: [] });
  test.each([
    ["no change", {}, { changes: false, replaces: [] }],
    ["dns updates in place", { dns: { servers: ["10.0.0.10"] } }, { changes: true, replaces: [] }],
    ["policies update in place", { policies: [{ Type: "HostRoute", Settings: {} }] }, { changes: true, replaces: [] }],
    ["type replaces", { type: "ics" }, { changes: true, replaces: ["type"] }],
    ["subnets replace", { subnets: [{ prefix: "172.21.0.0/24" }] }, { changes: true, replaces: ["subnets"] }],
    ["name replaces", { name: "web2" }, { changes: true, replaces: ["name"] }],
    ["adopt alone changes nothing", { adopt: true }, { changes: false, replaces: [] }],
  ])("%s", async (_label, change, want) => {
    const { host, p } = setup();
    const d = await p.diff("x", olds(host), engineArgs({ ...base(host), ...change }));
    expect(d).toMatchObject({ ...want, deleteBeforeReplace: true });
  });

  test("a credential change is an update, another host a replacement", async () => {
    const { host, p } = setup();
    expect(await p.diff("x", olds({ ...host, accessKey: "a" }), engineArgs(base({ ...host, accessKey: "b" })))).toMatchObject({ changes: true, replaces: [] });
    expect(await p.diff("x", olds(host), engineArgs(base({ ...host, name: "other" })))).toMatchObject({ replaces: ["host"] });
  });
});

describe("lifecycle against the emulator", () => {
  test("create, read (no drift), update dns and policies in place, delete", async () => {
    const { host, hns, p } = setup();
    const args = await checkedInputs(p, { ...base(host), type: "overlay", subnets: [{ prefix: "10.8.0.0/24", vsid: 4096 }] });
    const created = await p.create(args);
    expect(created.outs).toMatchObject({ networkId: created.id, appliedSubnets: [{ prefix: "10.8.0.0/24", gateway: "10.8.0.1" }] });
    const net = await hns.get("network", created.id);
    expect(net).toMatchObject({ Name: "web", Type: "Overlay" });

    const read = await p.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    // the dynamic-provider host refuses undefined anywhere in what it sends back
    expect(JSON.parse(JSON.stringify(read))).toEqual(read);
    expect(JSON.parse(JSON.stringify(created))).toEqual(created);
    expect(await p.diff(created.id, read.props, args)).toMatchObject({ changes: false });

    const next = { ...args, dns: { servers: ["10.8.0.10"] }, policies: [{ Type: "HostRoute", Settings: {} }] };
    const updated = await p.update(created.id, created.outs, next);
    expect(updated.outs).toMatchObject({ dns: { servers: ["10.8.0.10"] } });
    expect((await hns.get("network", created.id))).toMatchObject({ Dns: { ServerList: ["10.8.0.10"] }, Policies: [{ Type: "HostRoute" }] });
    // update returns the full outputs, never only __provider
    expect(Object.keys(updated.outs!)).toEqual(expect.arrayContaining(["host", "name", "type", "networkId"]));

    await p.delete(created.id, updated.outs);
    expect(await hns.list("network")).toEqual([]);
    await p.delete(created.id, updated.outs); // already gone: converges
  });

  test("read reports drift made behind Pulumi's back, and an empty id when the network is gone", async () => {
    const { host, hns, p } = setup();
    const args = await checkedInputs(p, base(host));
    const created = await p.create(args);
    await hns.modify("network", created.id, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: ["1.1.1.1"] } });
    const drifted = await p.read(created.id, created.outs);
    expect(drifted.props).toMatchObject({ dns: { servers: ["1.1.1.1"] } });
    expect(await p.diff(created.id, drifted.props, args)).toMatchObject({ changes: true, replaces: [] });
    await hns.reboot(); // NAT networks do not survive a reboot
    expect(await p.read(created.id, created.outs)).toEqual({ id: "" });
  });

  test("a lost reply on create is retried into the same object, not a duplicate", async () => {
    const { host, hns, p } = setup();
    const args = await checkedInputs(p, base(host));
    await hns.injectFault({ mode: "lose-reply", op: "create", kind: "network" });
    const created = await p.create(args);
    expect(await hns.list("network")).toHaveLength(1);
    // a second attempt (next pulumi up after a failed one) also finds it
    const again = await p.create(args);
    expect(again.id).toBe(created.id);
    // a replacement (different subnets) gets a different ID, so it never reuses a just-deleted one
    const moved = await checkedInputs(p, { ...base(host), subnets: [{ prefix: "172.21.0.0/24" }] });
    expect(networkId(moved)).not.toBe(created.id);
    expect(await hns.list("network")).toHaveLength(1);
  });

  test("a network the host holds already: check names adopt; a create that gets there anyway leaves nothing behind and names the fix", async () => {
    const { host, hns, p } = setup();
    await hns.create("network", { Name: "web", Type: "NAT" });
    // A preview reads an emulated host only (a real one, here the PowerShell double, is not contacted).
    const refused = await checkResource(p, base(host));
    if (host.kind === "emulator") expect(refused.failures).toEqual([{ property: "name", reason: expect.stringMatching(/a network named "web" already exists on host .*set adopt: true/) }]);
    else expect(refused.failures).toBeUndefined();
    // The create path (the host changed after the preview) says the same and makes nothing.
    const args = NetworkArgs.parse(base(host));
    await expect(p.create(args)).rejects.toThrow(/a network named "web" already exists on host .*set adopt: true/);
    expect(await hns.list("network")).toHaveLength(1);
  });

  test("adopt takes over an existing network by name and converges policies; refuses mismatches", async () => {
    const { host, hns, p } = setup();
    const existing = await hns.create("network", { Name: "web", Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "172.20.0.0/24" }] }] });
    const args = await checkedInputs(p, { ...base(host), adopt: true, dns: { servers: ["9.9.9.9"] } });
    const adopted = await p.create(args);
    expect(adopted.id).toBe(existing.ID);
    expect((await hns.get("network", existing.ID!))!.Dns).toMatchObject({ ServerList: ["9.9.9.9"] });
    const wrong = await checkedInputs(p, { ...base(host), adopt: { id: existing.ID }, type: "ics" });
    await expect(p.create(wrong)).rejects.toThrow(/differs from the arguments in type/);
  });

  test("get by id reads a network from the host block alone", async () => {
    const { host, hns, p } = setup();
    const existing = await hns.create("network", { Name: "legacy", Type: "Transparent" });
    const r = await p.read(existing.ID!, { host });
    expect(r.props).toMatchObject({ name: "legacy", type: "transparent", networkId: existing.ID });
  });

  test("an interrupted delete converges on the next attempt", async () => {
    const { host, hns, p } = setup();
    const created = await p.create(await checkedInputs(p, base(host)));
    await hns.injectFault({ mode: "lose-reply", op: "delete" });
    // The emulator reports the lost reply; the PowerShell transport resends a delete itself
    // (a second delete that finds nothing means the first one worked).
    if (currentTransport() === "emulator") await expect(p.delete(created.id, created.outs)).rejects.toThrow(/lost/);
    else await expect(p.delete(created.id, created.outs)).resolves.toBeUndefined();
    expect(await hns.list("network")).toEqual([]);
    await expect(p.delete(created.id, created.outs)).resolves.toBeUndefined();
  });
});
