/**
 * GitOps: one topology file and one lock file, reviewed in pull requests, deployed by CI.
 *
 * - On a pull request the pipeline runs `hns-plan validate --frozen-lock` and `pulumi preview`
 *   with PULUMI_HNS_FROZEN_LOCK=1. Neither reaches a host: addresses come from the planner and
 *   the committed lock file, and a topology change that moves the lock fails until
 *   `hns-plan lock` is run and the new lock is committed (and reviewed) with it.
 * - On main, `pulumi up` deploys through WinRM from a runner that can reach the hosts.
 *
 * Config: `target` is "emulator" (default: every host is the embedded HNS emulator) or
 * "hosts" (real Windows hosts: `hosts` maps each host name to { address, user }, and
 * `winrmPassword` is a secret: `pulumi config set --secret winrmPassword ...`). With "hosts",
 * a host of the topology missing from `hosts` fails the program: it is never quietly
 * "deployed" to a local emulator file.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const target = config.get("target") ?? "emulator";

function winrmConnections(): Record<string, hns.HostArgs> {
  const hosts = config.requireObject<Record<string, { address: string; user: string; executable?: string }>>("hosts");
  const password = config.requireSecret("winrmPassword");
  return Object.fromEntries(
    Object.entries(hosts).map(([name, h]) => [
      name,
      { kind: "winrm", name, address: h.address, user: h.user, password, useSsl: true, ...(h.executable ? { executable: h.executable } : {}) } as hns.HostArgs,
    ]),
  );
}

const cluster = new hns.Topology("cluster", {
  topology: path.join(__dirname, "hns.topology.yaml"),
  connections: target === "hosts" ? winrmConnections() : undefined,
  emulator: target === "emulator",
});

/** Every endpoint's planned address: concrete in `pulumi preview`, with no host contacted. */
export const addresses = cluster.addresses;
export const loadBalancerVips = Object.fromEntries(
  cluster.plan.hosts.flatMap((h) => h.networks.flatMap((n) => n.loadBalancers.map((lb) => [lb.key, lb.frontendVips[0]]))),
);
