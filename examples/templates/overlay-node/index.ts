/**
 * A VXLAN overlay node, the way flannel's vxlan backend builds one on Windows:
 *
 *   - an overlay network "vxlan0" whose subnet carries the VSID (= VXLAN VNI; Windows reserves
 *     ids below 4096), on UDP port 4789;
 *   - ProviderAddress: this host's underlay address, the outer source of its VXLAN packets;
 *   - HostRoute: the host itself reaches its pods through the overlay;
 *   - one RemoteSubnetRoute per other node: "pods of 10.245.2.0/24 live behind 192.168.10.12,
 *     VSID 4096";
 *   - two pods, NATed on the way out except towards the overlay.
 *
 * hns.Topology plans it: it emits ProviderAddress and HostRoute from `providerAddress` and
 * `hostRoute`, checks the VSID range, the VXLAN port and the HNS version, and makes the pod
 * addresses concrete in `pulumi preview`. This stack deploys one node; the other nodes run
 * the same program with their own config, so their subnets arrive as config (`peers`) and
 * become RemoteSubnetRoute policies here. A program that deploys every node at once declares
 * them all in one domain and the planner emits those routes itself (see the fleet template).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const nodeName = config.get("nodeName") ?? "win-node-1";
const providerAddress = config.get("providerAddress") ?? "192.168.10.11";
const podCidr = config.get("podCidr") ?? "10.245.1.0/24";
const vni = config.getNumber("vni") ?? 4096;
const peers = config.getObject<{ podCidr: string; providerAddress: string }[]>("peers") ?? [{ podCidr: "10.245.2.0/24", providerAddress: "192.168.10.12" }];

// ---- The host block: the only thing to change for a real Windows node. ----------------
// e.g. { kind: "ssh", name: nodeName, address: providerAddress, user: "Administrator",
//        privateKey: config.requireSecret("sshKey") }  (README: "Deploying to a real Windows node")
const connection: hns.HostArgs = hns.emulatorHost(nodeName, { hnsVersion: "ws2022" });

const node = new hns.Topology("node", {
  topology: {
    version: 1,
    hosts: [
      {
        name: nodeName,
        hnsVersion: "ws2022",
        providerAddress,
        networks: [
          {
            name: "vxlan0",
            type: "overlay",
            subnets: [{ prefix: podCidr, vsid: vni }],
            vxlanPort: 4789,
            hostRoute: true,
            persistent: false, // flannel recreates it at boot (EnableNonPersistent)
            outboundNat: { exceptions: [podCidr, ...peers.map((p) => p.podCidr)] },
            policies: peers.map((p) => ({
              Type: "RemoteSubnetRoute" as const,
              Settings: { DestinationPrefix: p.podCidr, IsolationId: vni, ProviderAddress: p.providerAddress },
            })),
            endpoints: [{ name: "pod-a" }, { name: "pod-b" }],
          },
        ],
      },
    ],
  },
  connections: { [nodeName]: connection },
});

export const addresses = node.addresses;
/** The overlay network's policy list as planned: ProviderAddress, HostRoute, RemoteSubnetRoute… */
export const networkPolicies = node.plan.hosts[0].networks[0].policies.map((p) => p.Type);
export const networkId = node.networks[`${nodeName}/vxlan0`].networkId;
export const subnets = node.networks[`${nodeName}/vxlan0`].appliedSubnets;
