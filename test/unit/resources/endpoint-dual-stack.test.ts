/** Dual-stack endpoints: the planner's IPv6 allocations reach HNS as a second IpConfiguration. */
import * as path from "node:path";
import { disconnectAll } from "../../../provider/hosts/connect";
import { HnsEmulator } from "../../../provider/hosts/emulator";
import { EndpointProvider } from "../../../provider/resources/endpoint/controller";
import { NetworkProvider } from "../../../provider/resources/network/controller";
import { tempDir } from "../../helpers/tmp";
import { checkResource, checkedInputs } from "../../helpers/fixtures";

const tmp = tempDir();
afterAll(async () => {
  await disconnectAll();
  tmp.cleanup();
});

test("ipv6Address adds an IPv6 configuration; refresh reports it; an IPv4 text is refused", async () => {
  const host = { kind: "emulator" as const, name: "ds", stateDir: tmp.dir, hnsVersion: "ws2022" };
  const networks = new NetworkProvider();
  const endpoints = new EndpointProvider();
  const netArgs = await checkResource(networks, { host, name: "br", type: "l2bridge", subnets: [{ prefix: "10.1.0.0/24" }, { prefix: "fd00:1::/64" }] });
  const net = await networks.create(netArgs.inputs);
  const args = await checkedInputs(endpoints, { host, network: net.id, name: "a", ipAddress: "10.1.0.5", ipv6Address: "fd00:1::5", __seed: "p/s/Endpoint/a" });
  const made = await endpoints.create(args);
  const doc = await new HnsEmulator(path.join(tmp.dir, "ds.json")).get("endpoint", made.id);
  expect(doc!.IpConfigurations!.map((c) => c.IpAddress)).toEqual(["10.1.0.5", "fd00:1::5"]);
  const read = await endpoints.read(made.id, made.outs);
  expect(read.props).toMatchObject({ ipAddress: "10.1.0.5", ipv6Address: "fd00:1::5" });
  const d = await endpoints.diff(made.id, made.outs, { ...args, ipv6Address: "fd00:1::6" });
  expect(d.replaces).toEqual(["ipv6Address"]);

  const bad = await checkResource(endpoints, { host, network: net.id, name: "b", ipAddress: "fd00:1::7", ipv6Address: "10.1.0.7" });
  expect(Object.fromEntries((bad.failures ?? []).map((f) => [f.property, f.reason]))).toEqual({
    ipAddress: 'with ipv6Address set, ipAddress is the IPv4 address: move the IPv6 address to ipv6Address (got "fd00:1::7")',
    ipv6Address: 'must be an IPv6 address: put an IPv4 address in ipAddress (got "10.1.0.7")',
  });
});
