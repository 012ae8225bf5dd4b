/**
 * A host declared with Docker starts the way Docker for Windows leaves it: with the default
 * NAT network "nat" the daemon creates at its first start, made through the emulator's own
 * network-create path (so its prefix is whatever that path gives a NAT network without one).
 */
import * as path from "node:path";
import { disconnectAll } from "../../../../provider/hosts/connect";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { EmulatorHost, Host, hostIdentity } from "../../../../provider/hosts/host";
import { NetworkProvider } from "../../../../provider/resources/network/controller";
import { emulatorHost } from "../../../../sdk/host";
import { tempDir } from "../../../helpers/tmp";
import { checkResource } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});
let n = 0;
const dockerHost = () => ({ kind: "emulator" as const, name: `docker-${++n}`, stateDir: tmp.dir, docker: true });

test("the host block takes docker: true and names the field when it is not a boolean", () => {
  expect(EmulatorHost.parse({ kind: "emulator", name: "d", docker: true })).toEqual({ kind: "emulator", name: "d", docker: true });
  const r = Host.safeParse({ kind: "emulator", name: "d", docker: "yes" });
  expect(r.success).toBe(false);
  expect(r.error!.issues[0].path).toEqual(["docker"]);
  // The SDK's helper takes it (its options are derived from the schema; tsc checks this line).
  expect(emulatorHost("d", { docker: true })).toEqual({ kind: "emulator", name: "d", docker: true });
});

test("a new Docker host has the nat network, as HNS would have made it for Docker's create call", async () => {
  const file = path.join(tmp.dir, "fresh-docker.json");
  const docker = new HnsEmulator(file, { docker: true });
  const nets = await docker.list("network");
  expect(nets.map((x) => x.Name)).toEqual(["nat"]);
  expect(await docker.list("network", { Type: "NAT" })).toHaveLength(1);
  // The same create on a plain host gives the same prefix and gateway: one place decides them.
  const plain = new HnsEmulator(path.join(tmp.dir, "plain.json"));
  expect(await plain.list("network")).toEqual([]);
  const made = await plain.create("network", { Name: "nat", Type: "NAT" });
  expect(nets[0].Ipams).toEqual(made.Ipams);
  // Made at host creation, not by a counted HNS call.
  expect((await docker.snapshot()).calls).toEqual({});
  // Only a new file gets it: a host that exists already is left as it is.
  const existing = path.join(tmp.dir, "existing.json");
  await new HnsEmulator(existing).version();
  expect(await new HnsEmulator(existing, { docker: true }).list("network")).toEqual([]);
});

test("a Network with adopt: true named nat adopts Docker's network on such a host, offline", async () => {
  const host = dockerHost();
  const p = new NetworkProvider();
  const checked = await checkResource(p, { host, name: "nat", type: "nat", adopt: true, __seed: "proj/dev/Network/nat" });
  expect(checked.failures).toBeUndefined();
  const adopted = await p.create(checked.inputs);
  const hns = new HnsEmulator(path.join(tmp.dir, `${host.name}.json`));
  const nat = (await hns.list("network", { Name: "nat" }))[0];
  expect(adopted.id).toBe(nat.ID);
  expect(adopted.outs).toMatchObject({ name: "nat", type: "nat", networkId: nat.ID });
  expect(await hns.list("network")).toHaveLength(1);
  // Without adopt the same Network is refused, already at check (the host's nat is judged with
  // it), and by HNS at create: the name is taken, by Docker.
  const plain = await checkResource(p, { host: dockerHost(), name: "nat", type: "nat", __seed: "proj/dev/Network/nat2" });
  expect(plain.failures).toEqual([{ property: "name", reason: expect.stringMatching(/a network named "nat" already exists on host .*set adopt: true/) }]);
  const unchecked = (await checkResource(p, { host: dockerHost(), name: "nat", type: "nat" })).inputs;
  await expect(p.create(unchecked)).rejects.toThrow(/a network named "nat" already exists/);
});

test("turning docker on or off for an existing host is not a new host (it only shapes a new state file)", async () => {
  const host = { kind: "emulator" as const, name: "h" };
  expect(hostIdentity({ ...host, docker: true })).toEqual(hostIdentity(host));
});
