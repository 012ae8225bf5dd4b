/**
 * Quickstart: two networks on one Windows host, deployed to the embedded HNS emulator.
 *
 *   - "web": a NAT network (WinNAT) with one container endpoint publishing host port 8080;
 *   - "pods": an l2bridge network (flannel host-gw style) with the host's own endpoint at .2,
 *     two pod endpoints and a load balancer (a Kubernetes-style ClusterIP) over them.
 *
 * To target a real Windows host, change only the host block (see README: host kinds).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const host = hns.emulatorHost(config.get("hostName") ?? "win-node-1");

const web = new hns.Network("web", {
  host,
  type: "nat",
  subnets: [{ prefix: "172.20.0.0/24" }],
});

const app = new hns.Endpoint("app", {
  host,
  network: web.networkId,
  policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }],
});

const pods = new hns.Network("pods", {
  host,
  type: "l2bridge",
  adapterName: "Ethernet",
  subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.1" }],
  dns: { servers: ["10.96.0.10"], search: ["svc.cluster.local"] },
});

// The host's vNIC on the bridge at .2, as flannel and win-bridge expect.
const hostEndpoint = new hns.Endpoint("pods-host", {
  host,
  network: pods.networkId,
  ipAddress: "10.244.1.2",
  attach: "host",
});

const backends = ["pod-a", "pod-b"].map(
  (name, i) =>
    new hns.Endpoint(name, {
      host,
      network: pods.networkId,
      ipAddress: `10.244.1.${10 + i}`,
      policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.0.0/16", "10.96.0.0/12"] } }],
    }),
);

const service = new hns.Policy("cluster-ip", {
  kind: "loadBalancer",
  host,
  endpoints: backends.map((b) => b.endpointId),
  frontendVips: ["10.96.0.50"],
  portMappings: [{ protocol: "tcp", internalPort: 8080, externalPort: 80 }],
});

export const webNetworkId = web.networkId;
export const webSubnets = web.appliedSubnets;
export const appAddress = app.appliedIpAddress;
export const appMac = app.appliedMacAddress;
export const hostEndpointAddress = hostEndpoint.appliedIpAddress;
export const podAddresses = backends.map((b) => b.appliedIpAddress);
export const loadBalancerId = service.hnsId;
