import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { capture, newHarness, type Harness } from "./harness";

// Each test drives several engine runs (seconds each).
jest.setTimeout(300_000);

/** A namespace of its own for one container, a NAT network, and the container's endpoint attached to it. */
const withType = (type?: "host" | "guest"): pulumi.automation.PulumiFn => async () => {
  const host = { kind: "emulator" as const, name: "h1" };
  const ns = new hns.Namespace("pod", { host, ...(type ? { type } : {}) });
  const web = new hns.Network("web", { host, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] });
  const app = new hns.Endpoint("app", { host, network: web.networkId, attach: { namespace: ns.namespaceId } });
  return { nsId: ns.namespaceId, compartment: ns.compartmentId, appId: app.endpointId, appNs: app.namespaceId };
};
const program = withType();

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

/** What the emulated host holds besides its own default compartment. */
async function contents(h: Harness) {
  const host = h.host();
  const namespaces = (await host.list("namespace")).filter((ns) => ns.Type !== "HostDefault");
  return {
    namespaces: namespaces.map((ns) => ns.ID!.toLowerCase()),
    networks: (await host.list("network")).length,
    endpoints: (await host.list("endpoint")).map((e) => ({ id: e.ID!.toLowerCase(), ns: e.HostComputeNamespace?.toLowerCase() })),
  };
}

test("a Namespace with an Endpoint attached: up, no-change preview, reboot, refresh drops it, up re-creates it, destroy empties the host", async () => {
  h = await newHarness(program);
  const up = await h.stack.up(capture(h));
  expect(up.summary.resourceChanges).toMatchObject({ create: 4 }); // 3 resources + the stack
  const nsId = String(up.outputs.nsId.value).toLowerCase();
  expect(up.outputs.appNs.value.toLowerCase()).toBe(nsId);
  expect(typeof up.outputs.compartment.value).toBe("number");
  expect(await contents(h)).toEqual({ namespaces: [nsId], networks: 1, endpoints: [{ id: up.outputs.appId.value.toLowerCase(), ns: nsId }] });

  const pre = await h.stack.preview({ diff: true });
  expect(pre.changeSummary).toEqual({ same: 4 });
  expect(pre.stdout).not.toContain("__provider");

  // A reboot loses the namespace and the NAT network with its endpoint.
  await h.host().reboot();
  expect(await contents(h)).toEqual({ namespaces: [], networks: 0, endpoints: [] });
  const refreshed = await h.stack.refresh(capture(h));
  expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 3 });

  const again = await h.stack.up(capture(h));
  expect(again.summary.resourceChanges).toMatchObject({ create: 3 });
  // The same deterministic ID: the namespace is the stack's again, and the endpoint sits in it.
  expect(String(again.outputs.nsId.value).toLowerCase()).toBe(nsId);
  const after = await contents(h);
  expect(after.namespaces).toEqual([nsId]);
  expect(after.endpoints).toEqual([{ id: again.outputs.appId.value.toLowerCase(), ns: nsId }]);
  expect((await h.stack.preview()).changeSummary).toEqual({ same: 4 });

  const destroyed = await h.stack.destroy(capture(h));
  expect(destroyed.summary.result).toBe("succeeded");
  expect(await contents(h)).toEqual({ namespaces: [], networks: 0, endpoints: [] });
});

test("a type change replaces the namespace new-first: the Endpoint moves into the new one in place, then the old one goes", async () => {
  h = await newHarness(program);
  const first = await h.stack.up(capture(h));
  const oldNs = String(first.outputs.nsId.value).toLowerCase();
  const appId = String(first.outputs.appId.value).toLowerCase();

  const moved = await h.stack.up({ ...capture(h), program: withType("guest") });
  expect(moved.summary.resourceChanges).toMatchObject({ replace: 1, update: 1, same: 2 });
  const newNs = String(moved.outputs.nsId.value).toLowerCase();
  expect(newNs).not.toBe(oldNs);
  // The same endpoint (updated, not replaced), now in the new namespace; the old namespace is gone.
  expect(await contents(h)).toEqual({ namespaces: [newNs], networks: 1, endpoints: [{ id: appId, ns: newNs }] });
  expect((await h.host().get("namespace", newNs))!.Type).toBe("Guest");
  expect((await h.stack.preview({ program: withType("guest"), expectNoChanges: true })).changeSummary).toEqual({ same: 4 });
});
