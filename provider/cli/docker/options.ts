/**
 * Docker's driver names and `-o` driver options on Windows, and what the importer does with
 * each (reference §3; the option names are moby's `drivers/windows/labels.go`). Options Docker
 * knows but the topology has no place for are listed with the reason, so the error is useful.
 */
import { NETWORK_TYPES } from "../../vocabulary/facts/network-types";
import type { NetworkType } from "../../kinds/network/args";

/** Docker's Windows drivers are HNS network types of the same (lower-case) name. */
export const WINDOWS_DRIVERS: Record<string, NetworkType> = Object.fromEntries(NETWORK_TYPES.map((t) => [t, t]));

/** Linux drivers people paste from Linux instructions, with the Windows equivalent. */
export const LINUX_DRIVERS: Record<string, string> = {
  bridge: "bridge is the Linux driver; Docker on Windows uses nat for the same purpose: use -d nat",
  macvlan: "macvlan is Linux-only; put containers on the physical network with -d transparent (or l2bridge)",
  ipvlan: "ipvlan is Linux-only; use -d l2bridge (shared MAC, routed by the host) or transparent",
  host: "Windows containers have no host network mode",
  none: "none is not a network you create; Windows containers get it with docker run --network none",
};

export const SHIM = "com.docker.network.windowsshim.";
export const OVERLAY_VXLANID_LIST = "com.docker.network.driver.overlay.vxlanid_list";
/** `--opt encrypted`: IPsec between overlay peers, which Windows lacks (rule encrypted-overlay). */
export const ENCRYPTED = "encrypted";

/** windowsshim options the topology carries; see toTopologyNetwork for how each maps. */
export const MAPPED_SHIM_OPTIONS = [
  "networkname",
  "interface",
  "vlanid",
  "vsid",
  "dnsservers",
  "dnssuffix",
  "enable_outboundnat",
  "outboundnat_exceptions",
  "macpool",
  "disableicc",
] as const;
export type MappedShimOption = (typeof MAPPED_SHIM_OPTIONS)[number];

/** windowsshim options Docker knows that have no topology field, and what to do instead. */
export const UNMAPPED_SHIM_OPTIONS: Record<string, string> = {
  sourcemac: "the source MAC of a v1 HNS network has no HCN v2 field in the topology: remove it (endpoints get MACs from macPool)",
  disable_dns: "this is Docker's per-endpoint switch for its embedded DNS: remove it, and set dns on the network instead",
  disable_gatewaydns: "Docker's gateway DNS proxy is not part of HNS: remove it, and set dns.servers on the network instead",
  routingdomain: "routing domains are not modelled: remove it",
  hnsid: "Docker uses it to adopt an existing HNS network: remove it, and adopt the network with hns.Network's adopt: { id } instead",
  hnsowned: "Docker sets it itself on HNS networks it adopts at start: remove it",
  qospolicies: "QoS is an endpoint option of docker run: add a QOS policy to the endpoint's policies instead",
};
