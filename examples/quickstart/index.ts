/**
 * Quickstart: two networks on one Windows host, deployed to the embedded HNS emulator.
 *
 *   - "web": a NAT network (WinNAT) with one container endpoint publishing host port 8080;
 *   - "pods": an l2bridge network (flannel host-gw style) with the host's own endpoint at .2,
 *     two pod endpoints NATed on the way out except towards the cluster and service CIDRs, and
 *     a load balancer (a Kubernetes-style ClusterIP) over them.
 *
 * Declared through the offline planner (hns.Topology): every address, the VIP and every
 * policy list is chosen at program time from this document and hns.lock.json, so the first
 * `pulumi preview` shows them with no host reachable, and what HNS would refuse (overlapping
 * prefixes, a port published twice, a VIP outside its pool) stops the program before any host
 * is touched. `pulumi up` keeps the addresses it allocated in hns.lock.json beside this file.
 *
 * To target a real Windows host, give it a connection (see `emulator` below and README: Hosts).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const hostName = config.get("hostName") ?? "win-node-1";
const clusterCidr = "10.244.0.0/16";
const serviceCidr = "10.96.0.0/12";

const quickstart = new hns.Topology("quickstart", {
  topology: {
    version: 1,
    hosts: [
      {
        name: hostName,
        vipPool: serviceCidr, // a load balancer without a vip would get its ClusterIP from here
        networks: [
          {
            name: "web",
            type: "nat",
            subnets: [{ prefix: "172.20.0.0/24" }],
            endpoints: [{ name: "app", ports: [{ internalPort: 80, externalPort: 8080 }] }],
          },
          {
            name: "pods",
            type: "l2bridge",
            adapterName: "Ethernet",
            reservations: "flannel", // .1 the gateway, .2 the host's vNIC, as flannel and win-bridge expect
            subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.1" }],
            dns: { servers: ["10.96.0.10"], search: ["svc.cluster.local"] },
            outboundNat: { exceptions: [clusterCidr, serviceCidr] },
            endpoints: [{ name: "host", attach: "host" }, { name: "pod-a" }, { name: "pod-b" }],
            loadBalancers: [{ name: "cluster-ip", vip: "10.96.0.50", backends: ["pod-a", "pod-b"], portMappings: [{ internalPort: 8080, externalPort: 80 }] }],
          },
        ],
      },
    ],
  },
  // Beside the program rather than in the directory Pulumi runs it from (the repository root).
  lockFile: path.join(__dirname, "hns.lock.json"),
  // The host has no connection: run it on the embedded HNS emulator. For a real Windows host,
  // give it one instead, e.g. connections: { [hostName]: hns.winrmHost(hostName, "10.0.0.21", { ... }) }.
  emulator: true,
});

const key = (network: string, endpoint?: string) => [hostName, network, endpoint].filter(Boolean).join("/");
const planned = (network: string) => quickstart.plan.hosts[0].networks.find((n) => n.name === network)!;

/** Planned: known in the first preview, before any host is reached. */
export const appAddress = quickstart.addresses[key("web", "app")];
export const webSubnets = planned("web").subnets;
export const hostEndpointAddress = quickstart.addresses[key("pods", "host")];
export const podAddresses = ["pod-a", "pod-b"].map((pod) => quickstart.addresses[key("pods", pod)]);
export const clusterIp = planned("pods").loadBalancers[0].frontendVips[0];
/** Chosen by HNS: known once deployed. */
export const webNetworkId = quickstart.networks[key("web")].networkId;
export const appMac = quickstart.endpoints[key("web", "app")].appliedMacAddress;
export const loadBalancerId = quickstart.loadBalancers[key("pods", "cluster-ip")].hnsId;
