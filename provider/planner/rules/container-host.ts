/**
 * What the machine a host runs on, and the container an endpoint is for, allow. Both facts are
 * Microsoft's: the network drivers page (learn.microsoft.com/virtualization/windowscontainers/
 * container-networking/network-drivers-topologies, "transparent") says a transparent network
 * needs MAC address spoofing when the container host is a VM and does not work on Azure VMs;
 * the architecture page (…/container-networking/architecture, "Unsupported features and network
 * options") lists networking on Azure through the transparent driver, and attaching endpoints to
 * running Hyper-V isolated containers (hot-add), as not supported.
 */
import { at, type NetworkNode } from "../model";
import { single, type Rule, type RuleContext } from "./rule";

const DRIVERS_PAGE = "Microsoft, Windows container network drivers, 'transparent' (learn.microsoft.com/virtualization/windowscontainers/container-networking/network-drivers-topologies)";
const ARCHITECTURE_PAGE = "Microsoft, Windows container networking architecture, 'Unsupported features and network options' (learn.microsoft.com/virtualization/windowscontainers/container-networking/architecture)";

/** Transparent networks of hosts that declare the given platform. */
function transparentOn(ctx: RuleContext, platform: "vm" | "azure-vm"): NetworkNode[] {
  return ctx.model.networks.filter((n) => n.network.type === "transparent" && n.host.host.platform === platform);
}

export const containerHostRules: Rule[] = [
  {
    id: "transparent-azure-vm",
    severity: "error",
    title: "No transparent network on an Azure VM",
    fix: "use nat on a single host, or l2bridge / overlay across hosts (Kubernetes with Azure CNI or flannel), instead of transparent",
    source: `${DRIVERS_PAGE}; ${ARCHITECTURE_PAGE}`,
    check: (ctx) =>
      transparentOn(ctx, "azure-vm").map((n) => ({
        where: n.key,
        path: at(n, "type"),
        message: `${n.host.key} is an Azure VM (platform: azure-vm): a transparent network needs MAC address spoofing in a VM, and for that reason Microsoft does not support it on Azure VMs`,
      })),
    example: {
      fail: single({ type: "transparent" }, { platform: "azure-vm" }),
      pass: single({ type: "l2bridge" }, { platform: "azure-vm" }),
    },
  },
  {
    id: "transparent-vm-mac-spoofing",
    severity: "warning",
    title: "A transparent network on a VM needs MAC address spoofing on the VM's adapter",
    fix: "enable MAC address spoofing on the VM's network adapter (Hyper-V: Set-VMNetworkAdapter -VMName <vm> -MacAddressSpoofing On), or use l2bridge, which sends the host's MAC",
    source: DRIVERS_PAGE,
    check: (ctx) =>
      transparentOn(ctx, "vm").map((n) => ({
        where: n.key,
        path: at(n, "type"),
        message: `${n.host.key} is a VM (platform: vm): its transparent network's containers send their own MAC addresses, which the hypervisor drops unless MAC address spoofing is on`,
      })),
    example: {
      fail: single({ type: "transparent" }, { platform: "vm" }),
      pass: single({ type: "transparent" }, { platform: "physical" }),
    },
  },
  {
    id: "hyperv-hot-add",
    severity: "error",
    title: "No endpoint attached to a running Hyper-V isolated container (hot-add)",
    fix: "attach the endpoint before the container starts (docker run --network, or create it stopped and connect it first), or recreate the container; or run it with process isolation",
    source: ARCHITECTURE_PAGE,
    check: (ctx) =>
      ctx.model.endpoints
        .filter((e) => e.endpoint.isolation === "hyperv" && e.endpoint.hotAdd === true)
        .map((e) => ({
          where: e.key,
          path: at(e, "hotAdd"),
          message: "attaching an endpoint to a running Hyper-V isolated container (hot-add) is not supported on Windows",
        })),
    example: {
      fail: single({ endpoints: [{ name: "web", isolation: "hyperv", hotAdd: true }] }),
      pass: single({ endpoints: [{ name: "web", isolation: "hyperv" }] }),
    },
  },
];
