// An Endpoint given its Network resource (the SDK passes the network's type and subnets as
// __network) is judged against that network at check: addresses outside or reserved in its
// subnets, IPv6 where the type takes none, ports where the type publishes none. Given only
// a network ID, check cannot know those and does not guess.
import { providers } from "../../../provider";
import { checkResource } from "../../helpers/fixtures";

const host = { kind: "emulator", name: "ctx", stateDir: "/nonexistent/never-written" };
const NET = "4f2a6c1e-0b1d-4c3e-9f00-000000000001";
const nat = { type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] };
const pm = { Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } };

async function check(extra: Record<string, unknown>, network?: Record<string, unknown>) {
  const r = await checkResource(providers.endpoint, { host, network: NET, name: "web", ...extra, ...(network ? { __network: network } : {}) });
  return (r.failures ?? []).map((f) => `${f.property}: ${f.reason}`);
}

describe("an endpoint's check with its network's facts", () => {
  it("refuses an address outside the network's subnets", async () => {
    expect(await check({ ipAddress: "10.9.9.9" }, nat)).toEqual([expect.stringMatching(/^ipAddress: 10\.9\.9\.9 is not in 172\.20\.0\.0\/24.*\(rule address-outside-subnet\)/)]);
  });

  it("refuses the gateway as an endpoint address", async () => {
    expect(await check({ ipAddress: "172.20.0.1" }, nat)).toEqual([expect.stringMatching(/^ipAddress: .*\(rule address-reserved\)/)]);
  });

  it("refuses IPv6 on a nat network", async () => {
    expect(await check({ ipAddress: "172.20.0.5", ipv6Address: "fd00::5" }, nat)).toEqual([expect.stringMatching(/\(rule ipv6-network-type\)/)]);
  });

  it("refuses a port mapping on a transparent network", async () => {
    expect(await check({ policies: [pm] }, { type: "transparent" })).toEqual([expect.stringMatching(/^policies\.0: a transparent network publishes no ports/)]);
  });

  it("accepts the same endpoint on a network that takes it", async () => {
    expect(await check({ ipAddress: "172.20.0.5", policies: [pm] }, nat)).toEqual([]);
  });

  it("without the network's facts, judges only what the endpoint alone decides", async () => {
    expect(await check({ ipAddress: "10.9.9.9", policies: [pm] })).toEqual([]);
    expect(await check({ policies: [pm, pm] })).toEqual([expect.stringMatching(/^policies\.1: .*\(rule host-port-conflict\)/)]);
  });

  it("a network context that is still unknown (preview) is not judged", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(await check({ ipAddress: "10.9.9.9" }, { type: unknown })).toEqual([]);
  });
});

describe("IDs of objects not created yet (preview)", () => {
  const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  it("two unknown backends or route endpoints are not a repeat", async () => {
    const lb = await checkResource(providers.policy, { kind: "loadBalancer", host, endpoints: [unknown, unknown], frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 80, externalPort: 80 }] });
    expect(lb.failures ?? []).toEqual([]);
    const route = await checkResource(providers.policy, { kind: "route", host, endpoints: [unknown, unknown], routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.1.0.1" }] });
    expect(route.failures ?? []).toEqual([]);
  });
});
