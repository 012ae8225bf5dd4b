// Through the real engine: resources that share one HNS object each own exactly what they
// declared, through up, refresh, up and destroy; load balancers and routes HNS cannot modify
// get fresh HNS IDs.
import * as hns from "../../sdk";
import { capture, newHarness, type Harness } from "./harness";

// Each test drives several engine runs (seconds each).
jest.setTimeout(300_000);

const AUTO_DNS = { Type: "AutomaticDNS" as const, Settings: { Enable: true } };
const PROVIDER_ADDRESS = { Type: "ProviderAddress" as const, Settings: { ProviderAddress: "192.168.1.5" } };
const QOS = { Type: "QOS" as const, Settings: { MaximumOutgoingBandwidthInBytes: 1000 } };
const OUTBOUND_NAT = { Type: "OutBoundNAT" as const, Settings: { Exceptions: ["10.244.0.0/16"] } };

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

/** A network and an endpoint with policies of their own, and a Policy set on each. */
function shared() {
  const host = { kind: "emulator" as const, name: "h1" };
  const pods = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], policies: [AUTO_DNS] });
  new hns.Policy("pods-extra", { kind: "networkPolicies", host, network: pods.networkId, policies: [PROVIDER_ADDRESS] });
  const pod = new hns.Endpoint("pod", { host, network: pods.networkId, policies: [QOS] });
  new hns.Policy("pod-extra", { kind: "endpointPolicies", host, endpoint: pod.endpointId, policies: [OUTBOUND_NAT] });
  return {};
}

/** The policies on the host's only network and only endpoint, exactly as HNS holds them. */
async function onHost(h: Harness) {
  const host = h.host();
  const nets = await host.list("network");
  const eps = await host.list("endpoint");
  return { networks: nets.map((n) => n.Policies ?? []), endpoints: eps.map((e) => e.Policies ?? []) };
}

test("an Endpoint's and a Network's own policies coexist with Policy sets on them through up, refresh, up and destroy", async () => {
  h = await newHarness(async () => shared());
  const all = { networks: [[AUTO_DNS, PROVIDER_ADDRESS]], endpoints: [[QOS, OUTBOUND_NAT]] };

  const up = await h.stack.up(capture(h));
  expect(up.summary.resourceChanges).toMatchObject({ create: 5 }); // 4 resources + the stack
  expect(await onHost(h)).toEqual(all);

  const refreshed = await h.stack.refresh(capture(h));
  expect(refreshed.summary.result).toBe("succeeded");
  expect(refreshed.summary.resourceChanges).toEqual({ same: 5 });
  expect(await onHost(h)).toEqual(all);

  // expectNoChanges makes the preview itself fail on any planned change
  const pre = await h.stack.preview({ expectNoChanges: true, diff: true });
  expect(pre.changeSummary).toEqual({ same: 5 });
  const again = await h.stack.up({ ...capture(h), expectNoChanges: true });
  expect(again.summary.resourceChanges).toEqual({ same: 5 });
  expect(await onHost(h)).toEqual(all);

  const destroyed = await h.stack.destroy(capture(h));
  expect(destroyed.summary.result).toBe("succeeded");
  expect(await onHost(h)).toEqual({ networks: [], endpoints: [] });
});

/** A load balancer and a route over endpoints on a host whose HNS (14.0) cannot modify load balancers. */
function objects(o: { backends: number; destination: string }) {
  return async () => {
    const host = { kind: "emulator" as const, name: "h1", hnsVersion: "14.0" };
    const pods = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] });
    const backends = ["a", "b"].slice(0, o.backends).map((n) => new hns.Endpoint(n, { host, network: pods.networkId }));
    const lb = new hns.Policy("svc", {
      kind: "loadBalancer",
      host,
      endpoints: backends.map((b) => b.endpointId),
      frontendVips: ["10.96.0.50"],
      portMappings: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }],
    });
    const route = new hns.Policy("rt", { kind: "route", host, endpoints: [backends[0].endpointId], routes: [{ destinationPrefix: o.destination, nextHop: "10.244.1.1" }] });
    return { lbUrn: lb.urn, lbId: lb.id, lbHnsId: lb.hnsId, routeId: route.id };
  };
}

test("before HNS 15.4 a changed load balancer is a new HNS object under hnsId (the resource keeps its ID); a changed route is replaced under a new ID", async () => {
  // The stack's program reads `shape`, so every later engine run (up, refresh, preview) sees the change.
  let shape = { backends: 1, destination: "10.0.0.0/8" };
  h = await newHarness(() => objects(shape)());
  const first = await h.stack.up(capture(h));
  const lbId = first.outputs.lbId.value;
  expect(first.outputs.lbHnsId.value).toBe(lbId);

  shape = { backends: 2, destination: "11.0.0.0/8" };
  const second = await h.stack.up(capture(h));
  expect(second.summary.resourceChanges).toMatchObject({ create: 1, update: 1, replace: 1 }); // endpoint b; the lb; the route
  expect(second.outputs.lbId.value).toBe(lbId);
  const hnsId = second.outputs.lbHnsId.value;
  expect(hnsId).not.toBe(lbId);
  expect(second.outputs.routeId.value).not.toBe(first.outputs.routeId.value);
  const host = h.host();
  // HNS prints GUIDs upper case; the resource IDs are the provider's own (lower case).
  expect((await host.list("loadBalancer")).map((l) => [l.ID!.toLowerCase(), l.HostComputeEndpoints!.length])).toEqual([[hnsId.toLowerCase(), 2]]);
  expect((await host.list("route")).map((r) => [r.ID!.toLowerCase(), r.Setting![0].DestinationPrefix])).toEqual([[second.outputs.routeId.value.toLowerCase(), "11.0.0.0/8"]]);

  // refresh reads the load balancer under hnsId: nothing drifts, nothing is dropped
  const refreshed = await h.stack.refresh(capture(h));
  expect(refreshed.summary.resourceChanges).toEqual({ same: 6 });
  expect((await h.stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 6 });

  await h.stack.destroy(capture(h));
  expect({ lbs: await host.list("loadBalancer"), routes: await host.list("route"), eps: await host.list("endpoint") }).toEqual({ lbs: [], routes: [], eps: [] });
});
