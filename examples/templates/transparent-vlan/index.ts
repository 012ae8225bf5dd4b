/**
 * Containers directly on a VLAN of the physical network: a transparent network (an external
 * vSwitch bound to one physical adapter) whose subnet is tagged with a VLAN id, like
 * `docker network create -d transparent -o com.docker.network.windowsshim.interface=Ethernet
 *  -o com.docker.network.windowsshim.vlanid=20 --subnet 10.20.0.0/24 --gateway 10.20.0.1 vlan20`.
 *
 * Containers appear on the VLAN as hosts of their own, so their addresses are the VLAN's:
 * give them static addresses outside your DHCP scope (as here), or leave ipAddress out for
 * HNS to hand out the lowest free one. On a Hyper-V VM, the VM's NIC needs MAC address
 * spoofing enabled; transparent networks do not work on Azure VMs (Microsoft's network
 * driver docs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hns from "pulumi-hns";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "10.20.0.0/24";
const gateway = config.get("gateway") ?? "10.20.0.1";

// ---- The host block: the only thing to change for a real Windows host. -----------------
const host: hns.HostArgs = hns.emulatorHost(config.get("hostName") ?? "win-host-1");

const vlan = new hns.Network("vlan", {
  host,
  type: "transparent",
  adapterName: config.get("adapterName") ?? "Ethernet",
  subnets: [{ prefix, gateway, vlan: config.getNumber("vlan") ?? 20 }],
  dns: { servers: [gateway], domain: "lab.example" },
});

/** The address `offset` places into an IPv4 prefix (10.20.0.0/24, 50 → 10.20.0.50). */
function addressIn(cidr: string, offset: number): string {
  const n = cidr.split("/")[0].split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

// Static addresses (.50 and .51 of the prefix): known in `pulumi preview`, stable across re-creation.
const app = new hns.Endpoint("app", { host, network: vlan, ipAddress: addressIn(prefix, 50) });
const metrics = new hns.Endpoint("metrics", { host, network: vlan, ipAddress: addressIn(prefix, 51) });

export const networkId = vlan.networkId;
export const vlanSubnets = vlan.appliedSubnets;
export const appAddress = app.appliedIpAddress;
export const appMac = app.appliedMacAddress;
export const metricsAddress = metrics.appliedIpAddress;
