/**
 * A fleet of Windows hosts from one program: the address plan of every host lives in
 * hns.topology.yaml, and every address the planner allocated is pinned in hns.lock.json.
 * Both are committed and reviewed like code; `hns-plan validate --frozen-lock` and
 * `pulumi preview` check a change without reaching any host.
 *
 * The two overlay nodes share the domain "edge", so the planner gives each one a
 * RemoteSubnetRoute to the other's pod subnet (through its providerAddress), plus its own
 * ProviderAddress and HostRoute policies; the build host is a separate NAT host.
 *
 * Config `target`: "emulator" (default) deploys every host to the embedded HNS emulator;
 * "winrm" reaches real hosts: `pulumi config set --path 'hosts.win-node-1.address' 10.0.0.11`
 * (and `.user`) per host, and `pulumi config set --secret winrmPassword ...`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();

// ---- The host blocks: how each host of the topology is reached. -------------------------
// With `emulator: true` (target "emulator"), every host without a connection is the embedded
// emulator, named after the host; otherwise a host missing from `connections` fails the program.
function winrmConnections(): Record<string, hns.HostArgs> {
  const hosts = config.requireObject<Record<string, { address: string; user: string }>>("hosts");
  const password = config.requireSecret("winrmPassword");
  return Object.fromEntries(
    Object.entries(hosts).map(([name, h]) => [name, { kind: "winrm", name, address: h.address, user: h.user, password, useSsl: true } as hns.HostArgs]),
  );
}

const fleet = new hns.Topology("fleet", {
  topology: "hns.topology.yaml", // relative to the project directory; the lock is hns.lock.json beside it
  connections: config.get("target") === "winrm" ? winrmConnections() : undefined,
  emulator: config.get("target") !== "winrm",
});

/** Every endpoint's address, by "host/network/endpoint" (from the plan and the lock: concrete in preview). */
export const addresses = fleet.addresses;
/** Load balancer VIPs, by "host/network/lb". */
export const vips = Object.fromEntries(fleet.plan.hosts.flatMap((h) => h.networks.flatMap((n) => n.loadBalancers.map((lb) => [lb.key, lb.frontendVips[0]]))));
/** The routes each overlay node got to its peers. */
export const remoteSubnetRoutes = Object.fromEntries(
  fleet.plan.hosts.flatMap((h) =>
    h.networks.filter((n) => n.type === "overlay").map((n) => [n.key, n.policies.filter((p) => p.Type === "RemoteSubnetRoute").map((p) => p.Settings)]),
  ),
);
/** HNS network IDs once deployed. */
export const networkIds = Object.fromEntries(Object.entries(fleet.networks).map(([key, n]) => [key, n.networkId]));
