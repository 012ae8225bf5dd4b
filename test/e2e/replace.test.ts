// Replacing what others reference, through the real engine: HNS deletes a network with the
// endpoints still on it (hcsshim hcn/hnsv1_test.go TestEndpointStatsAll), and the emulator
// refuses to delete an endpoint a load balancer still names, so each of these must converge
// in one `pulumi up`: no failure, no endpoint lost from the state, nothing left on the host.
import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { capture, newHarness, type Harness } from "./harness";

jest.setTimeout(300_000);

interface Shape {
  /** The l2bridge network's prefix (a change replaces the network). */
  prefix?: string;
  /** The pod's static address (a change replaces the endpoint). */
  podIp?: string;
  /** The namespace's type (a change replaces the namespace). */
  nsType?: "host" | "guest";
}

/** An l2bridge network, a pod endpoint in a namespace, a second pod, and a load balancer over both. */
function program(s: Shape = {}): pulumi.automation.PulumiFn {
  return async () => {
    const host = { kind: "emulator" as const, name: "h1" };
    const prefix = s.prefix ?? "10.244.1.0/24";
    const base = prefix.replace(/0\/24$/, "");
    const pods = new hns.Network("pods", { host, type: "l2bridge", subnets: [{ prefix }] });
    const ns = new hns.Namespace("pod-ns", { host, ...(s.nsType ? { type: s.nsType } : {}) });
    const a = new hns.Endpoint("pod-a", { host, network: pods.networkId, ipAddress: s.podIp ?? `${base}10`, attach: { namespace: ns.namespaceId } });
    const b = new hns.Endpoint("pod-b", { host, network: pods.networkId, ipAddress: `${base}11` });
    const lb = new hns.Policy("svc", {
      kind: "loadBalancer",
      host,
      endpoints: [a.endpointId, b.endpointId],
      frontendVips: ["10.96.0.50"],
      portMappings: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }],
    });
    return { networkId: pods.networkId, podA: a.endpointId, podB: b.endpointId, lbId: lb.hnsId, nsId: ns.namespaceId };
  };
}

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

/** What the host holds, as the engine's state should describe it. */
async function host(h: Harness) {
  const emu = h.host();
  return {
    networks: (await emu.list("network")).map((n) => n.ID!.toLowerCase()),
    endpoints: (await emu.list("endpoint")).map((e) => ({ id: e.ID!.toLowerCase(), ip: e.IpConfigurations?.[0]?.IpAddress, net: e.HostComputeNetwork?.toLowerCase(), ns: e.HostComputeNamespace?.toLowerCase() })),
    loadBalancers: (await emu.list("loadBalancer")).map((l) => (l.HostComputeEndpoints ?? []).map((e) => e.toLowerCase()).sort()),
  };
}

/** The outputs and the host agree: every endpoint in the state is on the host, on the state's network, and the load balancer names both. */
async function converged(h: Harness, out: Record<string, { value: string }>, shape: Shape = {}) {
  const seen = await host(h);
  const [a, b] = [out.podA.value.toLowerCase(), out.podB.value.toLowerCase()];
  expect(seen.networks).toEqual([out.networkId.value.toLowerCase()]);
  expect(seen.endpoints.map((e) => e.id).sort()).toEqual([a, b].sort());
  for (const e of seen.endpoints) expect(e.net).toBe(out.networkId.value.toLowerCase());
  expect(seen.endpoints.find((e) => e.id === a)!.ns).toBe(out.nsId.value.toLowerCase());
  expect(seen.loadBalancers).toEqual([[a, b].sort()]);
  // The next preview has nothing to do: the state matches the host.
  expect((await h.stack.preview({ program: program(shape) })).changeSummary).toEqual({ same: 6 });
}

test("a network replaced under live endpoints, a namespace and a load balancer converges in one up", async () => {
  h = await newHarness(program());
  const first = await h.stack.up(capture(h));
  await converged(h, first.outputs);

  const shape = { prefix: "10.244.7.0/24", podIp: "10.244.7.10" };
  const moved = await h.stack.up({ ...capture(h), program: program(shape) });
  expect(moved.summary.result).toBe("succeeded");
  expect(moved.outputs.networkId.value.toLowerCase()).not.toBe(first.outputs.networkId.value.toLowerCase());
  await converged(h, moved.outputs, shape);
  expect((await host(h)).endpoints.map((e) => e.ip).sort()).toEqual(["10.244.7.10", "10.244.7.11"]);
});

test("an endpoint behind a load balancer, given a new address, is replaced in one up", async () => {
  h = await newHarness(program());
  const first = await h.stack.up(capture(h));
  const shape = { podIp: "10.244.1.20" };
  const up = await h.stack.up({ ...capture(h), program: program(shape) });
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.podA.value.toLowerCase()).not.toBe(first.outputs.podA.value.toLowerCase());
  await converged(h, up.outputs, shape);
  expect((await host(h)).endpoints.map((e) => e.ip).sort()).toEqual(["10.244.1.11", "10.244.1.20"]);
});

test("a namespace replaced with an endpoint in it converges in one up: the endpoint moves to the new one", async () => {
  h = await newHarness(program());
  const first = await h.stack.up(capture(h));
  const shape = { nsType: "guest" as const };
  const up = await h.stack.up({ ...capture(h), program: program(shape) });
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.nsId.value.toLowerCase()).not.toBe(first.outputs.nsId.value.toLowerCase());
  await converged(h, up.outputs, shape);
  expect((await h.host().list("namespace")).map((n) => n.ID!.toLowerCase())).not.toContain(first.outputs.nsId.value.toLowerCase());
});

test("a network deleted out of band takes its endpoints: refresh reports them gone, the next up re-creates all", async () => {
  h = await newHarness(program());
  const first = await h.stack.up(capture(h));
  expect(await h.host().removeOutOfBand("network", first.outputs.networkId.value)).toBe(true);
  const refreshed = await h.stack.refresh(capture(h));
  // The network, both endpoints, and the load balancer over them: gone from the state.
  expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 4 });
  const again = await h.stack.up(capture(h));
  expect(again.summary.result).toBe("succeeded");
  await converged(h, again.outputs);
});

test("removing the network and its endpoints from the program deletes them in one up, with nothing left", async () => {
  h = await newHarness(program());
  await h.stack.up(capture(h));
  const emptied = await h.stack.up({ ...capture(h), program: async () => ({}) });
  expect(emptied.summary.result).toBe("succeeded");
  expect(await host(h)).toEqual({ networks: [], endpoints: [], loadBalancers: [] });
});
