/**
 * A parsed `docker network create` → one network of our topology document (hns-plan's schema).
 *
 * Options Windows does not support (`--internal`, `--ip-range`, `--aux-address`,
 * `--ipam-driver`, `--ipam-opt`, `--ipv6`, `--opt encrypted`) are carried over into the
 * topology fields the planner refuses, so the refusal and its reason come from the planner's
 * own rules (provider/planner/rules/unsupported.ts) instead of a second copy of the text here.
 * Options nothing maps to are errors naming the option; lossy-but-harmless ones become notes.
 */
import type { z } from "zod";
import { contains, familyOf, parseCidr } from "../../vocabulary/net/cidr";
import type { TopologyNetwork, TopologySubnet } from "../../planner/topology";
import { DockerImportError, parseGoBool } from "./flags";
import type { DockerNetworkCreate } from "./network-create";
import { ENCRYPTED, LINUX_DRIVERS, MAPPED_SHIM_OPTIONS, OVERLAY_VXLANID_LIST, SHIM, UNMAPPED_SHIM_OPTIONS, WINDOWS_DRIVERS, type MappedShimOption } from "./options";

type NetworkDoc = z.input<typeof TopologyNetwork>;
type SubnetDoc = z.input<typeof TopologySubnet>;

export interface ImportedNetwork {
  source: DockerNetworkCreate;
  network: NetworkDoc;
  /** What the user should know: defaults taken, Docker settings dropped or moved. */
  notes: string[];
  /**
   * Settings Docker applies to every endpoint it creates on the network. Our model sets them
   * per endpoint, and `docker network create` declares no endpoint, so they travel separately
   * (a comment in YAML, an `…EndpointDefaults` object in TypeScript).
   */
  endpointDefaults: { disableIcc?: true };
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** What the steps below share while they map one command. */
interface Mapping {
  d: DockerNetworkCreate;
  network: NetworkDoc;
  subnets: NonNullable<NetworkDoc["subnets"]>;
  shim: Map<MappedShimOption, string>;
  notes: string[];
  endpointDefaults: ImportedNetwork["endpointDefaults"];
  fail(message: string): never;
}

export function toTopologyNetwork(d: DockerNetworkCreate): ImportedNetwork {
  const fail = (message: string): never => {
    throw new DockerImportError(message, d.line);
  };
  const notes: string[] = [];
  const type = networkType(d, notes, fail);
  const network: NetworkDoc = { name: d.name, type };
  const subnets = subnetsOf(d, fail);
  if (subnets.length) network.subnets = subnets;
  refusedOptions(d, network);
  const m: Mapping = { d, network, subnets, shim: shimOptions(d, type, network, fail), notes, endpointDefaults: {}, fail };
  hnsName(m);
  adapter(m);
  const vsid = isolation(m);
  vxlanIds(m, vsid);
  dns(m);
  outboundNat(m);
  macPool(m);
  if (shimBool(m, "disableicc")) {
    m.endpointDefaults.disableIcc = true;
    notes.push("disableicc: Docker treats it as an endpoint setting; give every endpoint of this network disableIcc: true (no traffic between its endpoints)");
  }
  for (const l of Object.keys(d.labels)) notes.push(`label "${l}" dropped: labels are Docker metadata, HNS has none`);
  for (const f of d.swarmFlags) notes.push(`${f} dropped: it only matters to Docker Swarm`);
  return { source: d, network, notes, endpointDefaults: m.endpointDefaults };
}

function networkType(d: DockerNetworkCreate, notes: string[], fail: (message: string) => never): NetworkDoc["type"] {
  if (d.driver === undefined) {
    notes.push("no -d/--driver: imported as nat, the driver of Docker's default network on Windows");
    return WINDOWS_DRIVERS.nat;
  }
  if (d.driver in WINDOWS_DRIVERS) return WINDOWS_DRIVERS[d.driver];
  return fail(LINUX_DRIVERS[d.driver] ?? `unknown driver "${d.driver}": use one of ${Object.keys(WINDOWS_DRIVERS).join(", ")}`);
}

/** Refused options go into the fields the planner's unsupported-option rules check. */
function refusedOptions(d: DockerNetworkCreate, network: NetworkDoc): void {
  if (d.internal) network.internal = true;
  if (d.ipv6) network.enableIpv6 = true;
  if (d.ipRanges.length) network.ipRange = d.ipRanges.join(",");
  if (Object.keys(d.auxAddresses).length) network.auxAddresses = d.auxAddresses;
  if (d.ipamDriver !== undefined) network.ipamDriver = d.ipamDriver;
  if (Object.keys(d.ipamOptions).length) network.ipamOptions = d.ipamOptions;
}

/** The windowsshim options by name; any other -o is refused, except vxlanid_list and encrypted. */
function shimOptions(d: DockerNetworkCreate, type: NetworkDoc["type"], network: NetworkDoc, fail: (message: string) => never): Map<MappedShimOption, string> {
  const shim = new Map<MappedShimOption, string>();
  for (const [key, value] of d.options) {
    if (key === ENCRYPTED) network.encrypted = true;
    else if (key === OVERLAY_VXLANID_LIST) {
      if (type !== "overlay") fail(`-o ${key} applies to -d overlay networks only`);
    } else if (key.startsWith(SHIM)) {
      const name = key.slice(SHIM.length);
      if (name in UNMAPPED_SHIM_OPTIONS) fail(`-o ${key}: ${UNMAPPED_SHIM_OPTIONS[name]}`);
      if (!isMapped(name)) fail(`unknown Windows driver option "-o ${key}"`);
      shim.set(name as MappedShimOption, value);
    } else fail(`unknown driver option "-o ${key}"${value ? `=${value}` : ""}: pulumi-hns imports com.docker.network.windowsshim.* options, vxlanid_list and encrypted`);
  }
  return shim;
}

function hnsName({ d, network, shim, notes, fail }: Mapping): void {
  const name = shim.get("networkname");
  if (name === undefined) {
    notes.push(`HNS name "${d.name}": Docker would name it after the network's ID (-o ${SHIM}networkname pins a name)`);
    return;
  }
  if (name === "") fail("-o com.docker.network.windowsshim.networkname needs a value (the HNS network name)");
  network.name = name;
  notes.push(`HNS name "${name}" (Docker name "${d.name}")`);
}

function adapter({ network, shim, fail }: Mapping): void {
  const name = shim.get("interface");
  if (name === undefined) return;
  if (list(name).length > 1) fail(`-o ${SHIM}interface lists several adapters (a SET team): the topology binds one adapter; give one name`);
  network.adapterName = name.trim();
}

/** vlanid and vsid; returns the VSID for the vxlanid_list check. */
function isolation(m: Mapping): number | undefined {
  const { network, subnets, shim, fail } = m;
  const number = (option: "vlanid" | "vsid") => {
    const text = shim.get(option);
    if (text === undefined) return undefined;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) fail(`-o ${SHIM}${option} takes a number, not "${text}"`);
    // A VSID is a subnet policy in HCN v2, so it needs a subnet to sit on. A VLAN does not: a
    // transparent network on DHCP (Microsoft's "-o com.docker.network.windowsshim.vlanid=11
    // MyTransparentNetwork") keeps it as the network's vlan, which isolates each endpoint.
    if (!subnets.length && option === "vsid") fail(`-o ${SHIM}vsid needs --subnet: the topology sets the VSID on each subnet (HCN v2 subnet policy)`);
    return n;
  };
  const vlan = number("vlanid");
  const vsid = number("vsid");
  if (vlan !== undefined && subnets.length) for (const s of subnets) s.vlan = vlan;
  else if (vlan !== undefined) network.vlan = vlan;
  if (vsid !== undefined) for (const s of subnets) s.vsid = vsid;
  return vsid;
}

function vxlanIds({ d, subnets, fail }: Mapping, vsid: number | undefined): void {
  const text = d.options.get(OVERLAY_VXLANID_LIST);
  if (text === undefined) return;
  if (vsid !== undefined) fail(`give either -o ${SHIM}vsid or -o ${OVERLAY_VXLANID_LIST}, not both (both set the subnets' VSID)`);
  const ids = list(text).map((t) => (/^\d+$/.test(t) ? Number(t) : fail(`-o ${OVERLAY_VXLANID_LIST} takes numbers, not "${t}"`)));
  // Docker's overlay driver gives the n-th VNI to the n-th subnet; on Windows the VNI is the subnet's VSID.
  if (ids.length !== subnets.length) {
    fail(`-o ${OVERLAY_VXLANID_LIST} lists ${ids.length} VNIs for ${subnets.length} --subnet${subnets.length === 1 ? "" : "s"}: give one per subnet, in the same order`);
  }
  ids.forEach((id, i) => (subnets[i].vsid = id));
}

function dns({ network, shim }: Mapping): void {
  const servers = shim.get("dnsservers");
  const suffix = shim.get("dnssuffix");
  if (servers === undefined && suffix === undefined) return;
  network.dns = {
    ...(servers !== undefined && list(servers).length ? { servers: list(servers) } : {}),
    ...(suffix !== undefined && suffix.trim() !== "" ? { domain: suffix.trim() } : {}),
  };
}

function shimBool({ shim, fail }: Mapping, option: MappedShimOption): boolean | undefined {
  const text = shim.get(option);
  if (text === undefined) return undefined;
  return parseGoBool(text) ?? fail(`-o ${SHIM}${option} takes true or false, not "${text}"`);
}

/** Docker adds OutBoundNAT (with the exceptions) to each endpoint only when enable_outboundnat is true. */
function outboundNat(m: Mapping): void {
  const exceptions = m.shim.has("outboundnat_exceptions") ? list(m.shim.get("outboundnat_exceptions")!).map(asPrefix) : [];
  if (shimBool(m, "enable_outboundnat")) m.network.outboundNat = exceptions.length ? { exceptions } : true;
  else if (exceptions.length) m.notes.push("outboundnat_exceptions dropped: without enable_outboundnat=true Docker applies no outbound NAT either");
}

function macPool({ network, shim, fail }: Mapping): void {
  const pool = shim.get("macpool");
  if (pool === undefined) return;
  const macs = list(pool);
  if (macs.length % 2) fail(`-o ${SHIM}macpool takes start,end MAC pairs; "${pool}" has an odd number of addresses`);
  if (macs.length !== 2) fail(`-o ${SHIM}macpool lists ${macs.length / 2} ranges: the topology takes one start,end range`);
  network.macPool = { start: macs[0], end: macs[1] };
}

function isMapped(name: string): name is MappedShimOption {
  return (MAPPED_SHIM_OPTIONS as readonly string[]).includes(name);
}

/** HNS takes an address or a prefix as an exception; the topology takes prefixes, so an address is its /32 (/128). */
function asPrefix(text: string): string {
  const family = familyOf(text);
  return family === "ipv4" ? `${text}/32` : family === "ipv6" ? `${text}/128` : text;
}

/** --subnet and --gateway: each gateway belongs to the subnet that contains it, as in Docker's CLI. */
function subnetsOf(d: DockerNetworkCreate, fail: (m: string) => never): SubnetDoc[] {
  const subnets: SubnetDoc[] = d.subnets.map((prefix) => ({ prefix }));
  for (const gw of d.gateways) {
    const owners = subnets.filter((s) => {
      const c = parseCidr(s.prefix);
      return c !== undefined && familyOf(gw) === c.family && contains(c, gw);
    });
    if (owners.length !== 1) {
      fail(owners.length ? `--gateway ${gw} lies in several subnets: give subnets that do not overlap` : `--gateway ${gw} is in no --subnet: give the subnet it belongs to`);
    }
    if (owners[0].gateway !== undefined) fail(`two gateways for --subnet ${owners[0].prefix}: ${owners[0].gateway} and ${gw}`);
    owners[0].gateway = gw;
  }
  return subnets;
}
