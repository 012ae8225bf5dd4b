/**
 * What the native plugin does in a preview (issue 24, the YAML front door): a Create or Update
 * touches no host and plans the state, a network's ID included, so `${web.networkId}` is known
 * to the program; and an endpoint given the Network resource itself (`network: ${web}`, a
 * resource reference on the wire) holds its ID and is judged against that network at check.
 */
import { existsSync } from "node:fs";
import { specialResourceSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { emulatorStateFile, type EmulatorHost } from "../../../provider/hosts/host";
import { parseConfig } from "../../../provider/native/config";
import { NativeProvider } from "../../../provider/native/provider";
import { UNKNOWN } from "../../../provider/vocabulary/unknown";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir("hns-native-preview-");
afterAll(() => tmp.cleanup());

const host = { kind: "emulator", name: "p1", stateDir: tmp.dir } as const;
// The one test that creates an object does it on a host of its own, so the others' "no host touched" holds.
const creating = { ...host, name: "p2" } as const;
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::hns:index:${type}::${name}`;
const ref = (type: string, name: string, id = "") => ({ [specialSigKey]: specialResourceSig, urn: urn(type, name), id });
const noHostTouched = (h: EmulatorHost = host) => expect(existsSync(emulatorStateFile(h))).toBe(false);

/** A provider as the engine starts it for one run: configured with the default host. */
function configured(): NativeProvider {
  const p = new NativeProvider("{}", "0.1.0");
  p.configure(parseConfig({ host }, {}));
  return p;
}

async function checked(p: NativeProvider, type: string, name: string, news: Record<string, unknown>) {
  const r = await p.check(urn(type, name), {}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

describe("Create and Update in a preview", () => {
  test("a network's Create plans its ID, the one the real create then gives; every other output unknown; no host touched", async () => {
    const p = configured();
    const inputs = await checked(p, "Network", "web", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], host: creating });
    const planned = await p.previewCreate(urn("Network", "web"), inputs);
    expect(planned.outs).toEqual({ ...inputs, networkId: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-/), appliedSubnets: UNKNOWN, appliedMacPool: UNKNOWN });
    // The resource ID too (`${web.id}`, and the ID a reference `${web}` carries).
    expect(planned.id).toBe(planned.outs.networkId);
    noHostTouched(creating);

    const made = await p.create(urn("Network", "web"), inputs);
    expect(made.id).toBe(planned.outs.networkId);
    expect(made.outs.networkId).toBe(planned.outs.networkId);
    await p.delete(made.id, urn("Network", "web"), made.outs);
  });

  test("no ID is planned for a network that adopts (the host's object tells it) or whose inputs are not all known; an endpoint's outputs are all unknown", async () => {
    const p = configured();
    const adopting = await checked(p, "Network", "old", { type: "nat", adopt: true });
    expect(await p.previewCreate(urn("Network", "old"), adopting)).toMatchObject({ id: "", outs: { networkId: UNKNOWN } });
    // A value check could not judge yet: the engine passes the inputs on as the program gave them.
    const unknownPrefix = { host, name: "later", type: "nat", subnets: [{ prefix: UNKNOWN }], __seed: "proj/dev/Network/later" };
    expect((await p.previewCreate(urn("Network", "later"), unknownPrefix)).outs.networkId).toBe(UNKNOWN);
    const ep = await checked(p, "Endpoint", "app", { network: UNKNOWN });
    const { id, outs } = await p.previewCreate(urn("Endpoint", "app"), ep);
    expect(id).toBe("");
    expect(outs).toMatchObject({ endpointId: UNKNOWN, appliedIpAddress: UNKNOWN, namespaceId: UNKNOWN, network: UNKNOWN });
  });

  test("an Update keeps the network's ID from its state (an update keeps the object), the rest unknown; no host touched", async () => {
    const p = configured();
    const state = { ...(await checked(p, "Network", "web", { type: "nat" })), networkId: "0A1B2C3D-0000-5000-8000-000000000001", appliedSubnets: [{ prefix: "172.30.0.0/24" }] };
    const news = await checked(p, "Network", "web", { type: "nat", dns: { servers: ["10.0.0.2"] } });
    const { outs } = await p.previewUpdate(state.networkId, urn("Network", "web"), state, news);
    expect(outs).toEqual({ ...news, networkId: state.networkId, appliedSubnets: UNKNOWN, appliedMacPool: UNKNOWN });
    noHostTouched();
  });

  test("a host credential stays secret in what a preview plans", async () => {
    const p = configured();
    const inputs = await checked(p, "Network", "web", { type: "nat", host: { ...host, accessKey: "k-1" } });
    const { outs } = await p.previewCreate(urn("Network", "web"), inputs);
    expect(outs.host.accessKey).toEqual({ [specialSigKey]: specialSecretSig, value: "k-1" });
  });
});

describe("an endpoint given the Network resource (network: ${web})", () => {
  test("while its ID is unknown (a network that adopts, in a preview), the endpoint is judged against that network: an address outside its subnet is refused", async () => {
    const p = configured();
    await checked(p, "Network", "web", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
    const outside = await p.check(urn("Endpoint", "a"), {}, { network: ref("Network", "web"), ipAddress: "172.29.0.5" });
    expect(outside.failures).toEqual([{ property: "ipAddress", reason: expect.stringMatching(/172\.29\.0\.5 is not in 172\.20\.0\.0\/24.*\(rule address-outside-subnet\)/) }]);
    // Negative control: the same endpoint given an unknown ID alone is not judged against the network.
    expect((await p.check(urn("Endpoint", "a"), {}, { network: UNKNOWN, ipAddress: "172.29.0.5" })).failures ?? []).toEqual([]);

    const inside = await checked(p, "Endpoint", "a", { network: ref("Network", "web"), ipAddress: "172.20.0.5" });
    expect(inside.network).toBe(UNKNOWN);
    expect(inside.__network).toEqual({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], name: expect.stringMatching(/^web-/) });
  });

  test("once the network exists the stored input is its ID string, not the reference", async () => {
    const p = configured();
    await checked(p, "Network", "web", { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
    const id = "0A1B2C3D-0000-5000-8000-000000000002";
    const inputs = await checked(p, "Endpoint", "a", { network: ref("Network", "web", id) });
    expect(inputs.network).toBe(id);
    expect(JSON.stringify(inputs)).not.toContain(specialResourceSig);
  });

  test("a reference to a resource of another type is refused, naming the field", async () => {
    const r = await configured().check(urn("Endpoint", "a"), {}, { network: ref("Namespace", "ns") });
    expect(r.failures).toEqual([{ property: "network", reason: expect.stringMatching(/^got a reference to .*Namespace::ns", want a hns:index:Network resource or its ID/) }]);
  });
});
