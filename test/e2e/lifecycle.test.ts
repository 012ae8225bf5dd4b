import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { capture, newHarness, stateFileText, type Harness } from "./harness";

// Each test drives several engine runs (seconds each).
jest.setTimeout(300_000);

interface Topology {
  prefix?: string;
  dnsServers?: string[];
  acl?: boolean;
  accessKey?: pulumi.Input<string>;
}

/** A NAT network with a published port, an l2bridge network with a host endpoint and a load balancer. */
function topology(t: Topology = {}): pulumi.automation.PulumiFn {
  return async () => {
    const host = { kind: "emulator" as const, name: "h1", ...(t.accessKey ? { accessKey: t.accessKey } : {}) };
    const web = new hns.Network("web", { host, type: "nat", subnets: [{ prefix: t.prefix ?? "172.20.0.0/24" }] });
    const app = new hns.Endpoint("app", {
      host,
      network: web.networkId,
      policies: [
        { Type: "PortMapping" as const, Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } },
        ...(t.acl ? [{ Type: "ACL" as const, Settings: { Protocols: "6", Action: "Allow", Direction: "In", LocalPorts: "80", Priority: 200 } }] : []),
      ],
    });
    const pods = new hns.Network("pods", {
      host,
      type: "l2bridge",
      subnets: [{ prefix: "10.244.1.0/24" }],
      ...(t.dnsServers ? { dns: { servers: t.dnsServers } } : {}),
    });
    const hostEp = new hns.Endpoint("pods-host", { host, network: pods.networkId, ipAddress: "10.244.1.2", attach: "host" });
    const pod = new hns.Endpoint("pod-a", { host, network: pods.networkId, ipAddress: "10.244.1.10" });
    const lb = new hns.Policy("svc", {
      kind: "loadBalancer",
      host,
      endpoints: [pod.endpointId],
      frontendVips: ["10.96.0.50"],
      portMappings: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }],
    });
    return { webId: web.networkId, appIp: app.appliedIpAddress, hostIp: hostEp.appliedIpAddress, lbId: lb.hnsId };
  };
}

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

async function counts(h: Harness) {
  const host = h.host();
  return {
    networks: (await host.list("network")).length,
    endpoints: (await host.list("endpoint")).length,
    loadBalancers: (await host.list("loadBalancer")).length,
  };
}

test("up, then a second preview reports no changes (no ~__provider diffs), then destroy empties the host", async () => {
  h = await newHarness(topology());
  const up = await h.stack.up(capture(h));
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges).toMatchObject({ create: 7 }); // 6 resources + the stack
  expect(up.outputs.appIp.value).toBe("172.20.0.2");
  expect(up.outputs.hostIp.value).toBe("10.244.1.2");
  expect(await counts(h)).toEqual({ networks: 2, endpoints: 3, loadBalancers: 1 });

  const pre = await h.stack.preview({ diff: true });
  expect(pre.changeSummary).toEqual({ same: 7 });
  expect(pre.stdout).not.toContain("__provider");

  const destroyed = await h.stack.destroy(capture(h));
  expect(destroyed.summary.result).toBe("succeeded");
  expect(await counts(h)).toEqual({ networks: 0, endpoints: 0, loadBalancers: 0 });
});

test("a policy change updates in place; a DNS change updates in place; a subnet change replaces", async () => {
  h = await newHarness(topology());
  const first = await h.stack.up(capture(h));
  const webId = first.outputs.webId.value;

  await h.stack.workspace; // same workspace, new program
  const withAcl = await h.stack.up({ ...capture(h), program: topology({ acl: true, dnsServers: ["10.96.0.10"] }) });
  expect(withAcl.summary.resourceChanges).toMatchObject({ update: 2, same: 5 });
  const host = h.host();
  const [app] = (await host.list("endpoint")).filter((e) => e.Name === "app");
  expect(app.Policies!.map((p) => p.Type)).toEqual(["PortMapping", "ACL"]);
  const pods = (await host.list("network")).find((n) => n.Name!.startsWith("pods-"))!;
  expect(pods.Dns!.ServerList).toEqual(["10.96.0.10"]);

  const moved = await h.stack.up({ ...capture(h), program: topology({ acl: true, dnsServers: ["10.96.0.10"], prefix: "172.21.0.0/24" }) });
  expect(moved.summary.resourceChanges).toMatchObject({ replace: 2 }); // the network and the endpoint on it
  expect(moved.outputs.webId.value).not.toBe(webId);
  const web = (await host.list("network")).find((n) => n.Name!.startsWith("web-"))!;
  expect(web.Ipams![0].Subnets![0].IpAddressPrefix).toBe("172.21.0.0/24");
  expect(await counts(h)).toEqual({ networks: 2, endpoints: 3, loadBalancers: 1 });
});

test("deleted behind Pulumi's back and a reboot: refresh shows it, the next up re-creates it", async () => {
  h = await newHarness(topology());
  const first = await h.stack.up(capture(h));
  const host = h.host();
  // Someone removes the load balancer by hand; then the host reboots (NAT network lost).
  await host.removeOutOfBand("loadBalancer", first.outputs.lbId.value);
  await host.reboot();
  const refreshed = await h.stack.refresh(capture(h));
  expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 3 }); // lb, nat network, its endpoint
  const again = await h.stack.up(capture(h));
  expect(again.summary.resourceChanges).toMatchObject({ create: 3 });
  expect(await counts(h)).toEqual({ networks: 2, endpoints: 3, loadBalancers: 1 });
  const pre = await h.stack.preview();
  expect(pre.changeSummary).toEqual({ same: 7 });
});

test("faults: a lost reply converges without a duplicate; a failed create is retried by the next up", async () => {
  h = await newHarness(topology());
  const host = h.host();
  await host.injectFault({ mode: "lose-reply", op: "create", kind: "network" });
  await host.injectFault({ mode: "fail", op: "create", kind: "endpoint", nth: 2 });
  await expect(h.stack.up(capture(h))).rejects.toThrow();
  const second = await h.stack.up(capture(h));
  expect(second.summary.result).toBe("succeeded");
  expect(await counts(h)).toEqual({ networks: 2, endpoints: 3, loadBalancers: 1 });
  expect((await h.stack.preview()).changeSummary).toEqual({ same: 7 });
});

test("secrets: a host credential given as a secret never appears in plaintext in state or logs", async () => {
  const secret = "hunter2-e2e-credential";
  h = await newHarness(topology({ accessKey: pulumi.secret(secret) }));
  // The emulated host demands the key.
  const { HnsEmulator } = await import("../../provider/hosts/emulator");
  const path = await import("node:path");
  const locked = new HnsEmulator(path.join(h.dir, "hns", "h1.json"), { accessKey: secret });
  await locked.version();
  const up = await h.stack.up(capture(h));
  expect(up.summary.result).toBe("succeeded");
  // The state file as the backend stores it (Automation's exportStack would decrypt secrets).
  const state = stateFileText(h);
  expect(state).toContain('"host"');
  expect(state).not.toContain(secret);
  expect(h.log.join("")).not.toContain(secret);
  const pre = await h.stack.preview({ diff: true });
  expect(pre.stdout).not.toContain(secret);
  // refresh writes what read returned: the credential must stay encrypted there too
  await h.stack.refresh(capture(h));
  expect(stateFileText(h)).not.toContain(secret);
  await h.stack.destroy(capture(h));
  expect(h.log.join("")).not.toContain(secret);
});
