/**
 * A Windows container dev host: one NAT network, the kind Docker's default `nat` network is
 * (WinNAT: containers reach out through the host's address), on a prefix of our choosing, and
 * two container endpoints that publish ports on the host.
 *
 * HNS hands out the endpoints' addresses and MACs when they are created; the stack outputs
 * show what it chose. Everything runs on the embedded HNS emulator until you change the host
 * block below (README: "Deploying to a real Windows host").
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();

// ---- The host block: the only thing to change for a real Windows host. -----------------
const host: hns.HostArgs = hns.emulatorHost(config.get("hostName") ?? "win-dev-1");

// A custom prefix instead of HNS's pick (Docker: `docker network create -d nat --subnet ...`,
// or `fixed-cidr` in daemon.json for the default network). NAT networks do not survive a
// reboot on Windows Server 2019+; `pulumi refresh` notices and the next `up` re-creates them.
const nat = new hns.Network("nat", {
  host,
  type: "nat",
  subnets: [{ prefix: config.get("natPrefix") ?? "172.28.16.0/24" }],
  dns: { servers: ["1.1.1.1", "8.8.8.8"] },
});

// Published ports are PortMapping policies (WinNAT port forwarding): host port → container
// port, like `docker run -p 8080:80`. A host port can be published once per host.
const PROTOCOL = { tcp: 6, udp: 17 } as const;
const publish = (ports: { host: number; container: number; protocol?: keyof typeof PROTOCOL }[]) =>
  ports.map((p) => ({ Type: "PortMapping" as const, Settings: { Protocol: PROTOCOL[p.protocol ?? "tcp"], InternalPort: p.container, ExternalPort: p.host } }));

const web = new hns.Endpoint("web", {
  host,
  network: nat,
  policies: publish([
    { host: 8080, container: 80 },
    { host: 8443, container: 443 },
  ]),
});

const db = new hns.Endpoint("db", {
  host,
  network: nat,
  policies: publish([{ host: 15432, container: 5432 }]),
});

export const natNetworkId = nat.networkId;
export const natSubnets = nat.appliedSubnets;
/** Addresses HNS handed out (the gateway is the subnet's first address). */
export const webAddress = web.appliedIpAddress;
export const dbAddress = db.appliedIpAddress;
export const gateway = web.gateway;
export const publishedPorts = { "8080/tcp": "web:80", "8443/tcp": "web:443", "15432/tcp": "db:5432" };
