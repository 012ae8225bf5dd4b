/**
 * A Kubernetes Windows node's pod network, the way flannel's host-gw backend and the win-bridge
 * CNI plugin lay it out:
 *
 *   - an l2bridge network "cbr0" on the node's pod CIDR, bound to the physical adapter, with
 *     the gateway at .1;
 *   - the host's own vNIC on it ("cbr0_ep", attached to the host compartment) at .2;
 *   - pods NATed on the way out, except towards the cluster and service CIDRs (pod-to-pod and
 *     pod-to-service traffic keeps its source address);
 *   - two sample pods and a ClusterIP-style load balancer over them.
 *
 * Why hns.Topology rather than plain resources: the planner applies the flannel convention
 * (`reservations: flannel`: .2 goes to the host endpoint and never to a pod), builds every
 * pod's OutBoundNAT exception list the same way (its own prefix + cluster + service CIDR),
 * refuses what HNS would refuse (overlapping prefixes, a VIP pool clash, a port published
 * twice) before anything runs, and makes every address concrete in `pulumi preview`. The
 * addresses it allocates are pinned in hns.lock.json (written by `pulumi up`; commit it).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const nodeName = config.get("nodeName") ?? "win-node-1";
const podCidr = config.get("podCidr") ?? "10.244.1.0/24";
const clusterCidr = config.get("clusterCidr") ?? "10.244.0.0/16";
const serviceCidr = config.get("serviceCidr") ?? "10.96.0.0/12";

// ---- The host block: the only thing to change for a real Windows node. ----------------
// e.g. { kind: "winrm", name: nodeName, address: "10.0.0.21", user: "Administrator",
//        password: config.requireSecret("winrmPassword") }  (README: "Deploying to a real Windows node")
const connection: hns.HostArgs = hns.emulatorHost(nodeName, { hnsVersion: "ws2022" });

const node = new hns.Topology("node", {
  topology: {
    version: 1,
    reservations: "flannel", // .1 gateway, .2 the host's vNIC
    hosts: [
      {
        name: nodeName,
        hnsVersion: "ws2022", // the version the planner checks features against
        vipPool: serviceCidr, // load balancers without a vip get a ClusterIP from here
        networks: [
          {
            name: "cbr0",
            type: "l2bridge",
            adapterName: config.get("adapterName") ?? "Ethernet",
            subnets: [{ prefix: podCidr }],
            dns: { servers: ["10.96.0.10"], search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"] },
            outboundNat: { exceptions: [clusterCidr, serviceCidr] },
            endpoints: [
              { name: "cbr0_ep", attach: "host" },
              { name: "web-1" },
              { name: "web-2" },
            ],
            loadBalancers: [{ name: "web", backends: ["web-1", "web-2"], portMappings: [{ internalPort: 8080, externalPort: 80 }] }],
          },
        ],
      },
    ],
  },
  connections: { [nodeName]: connection },
});

/** Every endpoint's address, by "node/network/endpoint": known in preview, before any host is reached. */
export const addresses = node.addresses;
export const hostEndpointAddress = node.addresses[`${nodeName}/cbr0/cbr0_ep`];
export const serviceVip = node.plan.hosts[0].networks[0].loadBalancers[0].frontendVips[0];
/** What HNS reports once deployed. */
export const networkId = node.networks[`${nodeName}/cbr0`].networkId;
export const podOutboundNatExceptions = node.plan.hosts[0].networks[0].endpoints[1].policies
  .filter((p) => p.Type === "OutBoundNAT")
  .map((p) => (p.Settings as { Exceptions?: string[] }).Exceptions);
