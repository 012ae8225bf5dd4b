/**
 * Bad inputs by kind of value (issue 21): hostile forms of each value type, each placed in the
 * fields that take that type, plus raw-policy and relation cases. Every one must be refused at
 * `check` naming the field. Written from the value types' specs (docs/reference/values.md),
 * not from the code; the bad-input suite (./bad-inputs.test.ts) runs them with the older corpus.
 */
import type { BadInput } from "./bad-inputs";
import { STATE_DIR_PLACEHOLDER } from "./bad-inputs";

const host = (extra: Record<string, unknown> = {}) => ({ kind: "emulator", name: "bad", stateDir: STATE_DIR_PLACEHOLDER, ...extra });
const NET = "4f2a6c1e-0b1d-4c3e-9f00-000000000001";
const EP1 = "4f2a6c1e-0b1d-4c3e-9f00-0000000000a1";
const EP2 = "4f2a6c1e-0b1d-4c3e-9f00-0000000000a2";

const net = (extra: Record<string, unknown>) => ({ host: host(), name: "n", type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }], ...extra });
const ep = (extra: Record<string, unknown>) => ({ host: host(), network: NET, name: "e", ...extra });
const lb = (extra: Record<string, unknown>) => ({ kind: "loadBalancer", host: host(), endpoints: [EP1, EP2], portMappings: [{ internalPort: 80, externalPort: 80 }], ...extra });
const route = (r: Record<string, unknown>) => ({ kind: "route", host: host(), endpoints: [EP1], routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.1.0.1", ...r }] });
const epSet = (policies: unknown[]) => ({ kind: "endpointPolicies", host: host(), endpoint: EP1, policies });
const netSet = (policies: unknown[]) => ({ kind: "networkPolicies", host: host(), network: NET, policies });
const ssh = (address: string) => ({ host: { kind: "ssh", name: "s", address, user: "administrator", keyFile: "/home/me/.ssh/id_ed25519" }, name: "n", type: "nat" });

const cases: BadInput[] = [];
const add = (kind: BadInput["kind"], name: string, args: Record<string, unknown>, property: string) => cases.push({ name, kind, args, property });

// ---- Names (DisplayName): controls, format and bidi characters, separators, surrogates, NFC, blanks
const BAD_NAMES: [string, string][] = [
  ["U+202E right-to-left override", "web\u202Eexe"],
  ["U+202A left-to-right embedding", "a\u202Ab"],
  ["U+2066 isolate", "a\u2066b"],
  ["U+200B zero width space", "we\u200Bb"],
  ["U+200D zero width joiner", "a\u200Db"],
  ["U+FEFF byte order mark", "\uFEFFweb"],
  ["U+00AD soft hyphen", "we\u00ADb"],
  ["U+2028 line separator", "a\u2028b"],
  ["U+2029 paragraph separator", "a\u2029b"],
  ["U+0085 next line", "a\u0085b"],
  ["NUL", "a\u0000b"],
  ["tab", "a\tb"],
  ["escape sequence", "a\u001b[2Jb"],
  ["DEL", "a\u007fb"],
  ["lone high surrogate", "a\uD800b"],
  ["lone low surrogate", "a\uDC00b"],
  ["no-break space", "a\u00A0b"],
  ["ideographic space", "a\u3000b"],
  ["decomposed e-acute (not NFC)", "re\u0301seau"],
  ["leading space", " web"],
  ["trailing space", "web "],
  ["private-use character", "a\uE000b"],
];
for (const [what, v] of BAD_NAMES) {
  add("network", `network name with ${what}`, net({ name: v }), "name");
  add("endpoint", `endpoint name with ${what}`, ep({ name: v }), "name");
  add("namespace", `namespace name with ${what}`, { host: host(), name: v }, "name");
}

// ---- Addresses by role
const BAD_TEXT: [string, string][] = [
  ["dots only", "...."],
  ["five parts", "1.2.3.4.5"],
  ["three colons", ":::"],
  ["octets over 255", "999.999.999.999"],
  ["leading zero", "10.0.0.010"],
  ["zone id", "fe80::1%eth0"],
  ["brackets", "[fd00::5]"],
  ["IPv4-mapped", "::ffff:10.0.0.5"],
  ["IPv4-mapped in hex", "::ffff:a00:5"],
  ["three parts", "10.0.5"],
  ["hex IPv4", "0x0a.0.0.5"],
  ["trailing blank", "10.0.0.5 "],
  ["empty", ""],
];
const NOT_UNICAST: [string, string][] = [
  ["unspecified", "0.0.0.0"],
  ["IPv6 unspecified", "::"],
  ["loopback", "127.0.0.1"],
  ["IPv6 loopback", "::1"],
  ["broadcast", "255.255.255.255"],
  ["multicast", "224.0.0.10"],
  ["IPv6 multicast", "ff02::1"],
  ["class E", "240.0.0.1"],
];
const LINK_LOCAL: [string, string][] = [
  ["metadata link-local", "169.254.169.254"],
  ["IPv6 link-local", "fe80::1"],
];
for (const [what, v] of [...BAD_TEXT, ...NOT_UNICAST]) {
  add("network", `DNS server ${what}`, net({ dns: { servers: [v] } }), "dns.servers.0");
  add("policy", `frontend VIP ${what}`, lb({ frontendVips: [v] }), "frontendVips.0");
}
for (const [what, v] of [...BAD_TEXT, ...NOT_UNICAST, ...LINK_LOCAL]) {
  add("endpoint", `endpoint address ${what}`, ep({ ipAddress: v }), "ipAddress");
  add("policy", `source VIP ${what}`, lb({ sourceVip: v }), "sourceVip");
}
for (const [what, v] of [...BAD_TEXT.slice(0, 8), ...NOT_UNICAST.slice(0, 5)]) {
  add("network", `gateway ${what}`, net({ subnets: [{ prefix: "10.0.0.0/24", gateway: v }] }), "subnets.0.gateway");
  add("policy", `route next hop ${what}`, route({ nextHop: v }), "routes.0.nextHop");
}
for (const v of ["....", "1.2.3.4.5", ":::", "999.999.999.999", "0.0.0.0", "224.0.0.1", "bad host", "-oProxyCommand=x", "a..b", "host-.example.com"]) {
  add("network", `ssh address ${JSON.stringify(v)}`, ssh(v), "host.address");
}

// ---- Prefixes
const BAD_PREFIXES: [string, string][] = [
  ["length with a leading zero", "10.0.0.0/024"],
  ["length 33", "10.0.0.0/33"],
  ["host bits", "10.0.0.7/24"],
  ["zone id", "fe80::%eth0/64"],
  ["no length", "10.0.0.0"],
  ["empty length", "10.0.0.0/"],
  ["negative length", "10.0.0.0/-1"],
  ["leading zero address", "010.0.0.0/24"],
];
for (const [what, v] of BAD_PREFIXES) {
  add("network", `subnet prefix ${what}`, net({ subnets: [{ prefix: v }] }), "subnets.0.prefix");
  add("network", `subnet route destination ${what}`, net({ subnets: [{ prefix: "10.0.0.0/24", routes: [{ destination: v, nextHop: "10.0.0.1" }] }] }), "subnets.0.routes.0.destination");
  // An exception may be a bare address, so "no length" is no mistake there.
  if (what !== "no length") add("endpoint", `OutBoundNAT exception ${what}`, ep({ policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: [v] } }] }), "policies.0.Settings.Exceptions.0");
}
for (const [what, v] of [["multicast", "224.0.0.0/24"], ["loopback", "127.0.0.0/8"], ["class E", "240.0.0.0/8"], ["IPv6 multicast", "ff00::/8"], ["IPv6 link-local", "fe80::/64"], ["0.0.0.0/8", "0.0.0.0/8"]]) {
  add("network", `subnet prefix ${what}`, net({ subnets: [{ prefix: v }] }), "subnets.0.prefix");
}
for (const [what, v] of [["host bits", "10.0.0.7/24"], ["length 40", "10.0.0.0/40"]]) {
  add("endpoint", `SDNRoute destination ${what}`, ep({ policies: [{ Type: "SDNRoute", Settings: { DestinationPrefix: v, NextHop: "10.0.0.1" } }] }), "policies.0.Settings.DestinationPrefix");
  add("network", `RemoteSubnetRoute destination ${what}`, net({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 5000 }], policies: [{ Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: v, ProviderAddress: "192.168.1.2", IsolationId: 5000 } }] }), "policies.0.Settings.DestinationPrefix");
}

// ---- Routes: next hops that no endpoint can use
for (const [what, hop] of [["outside every subnet", "10.9.0.1"], ["the network address", "10.0.0.0"], ["the broadcast address", "10.0.0.255"], ["of the other family", "fd00::1"], ["unspecified", "0.0.0.0"]]) {
  add("network", `subnet route next hop ${what}`, net({ subnets: [{ prefix: "10.0.0.0/24", routes: [{ destination: "10.1.0.0/16", nextHop: hop }] }] }), "subnets.0.routes.0.nextHop");
}

for (const [what, hop] of [["outside the network's subnets", "10.9.0.1"], ["the broadcast address", "10.0.0.255"], ["of the other family", "fd00::1"]]) {
  add("endpoint", `endpoint route next hop ${what}`, ep({ __network: { type: "l2bridge", subnets: [{ prefix: "10.0.0.0/24" }] }, routes: [{ destination: "10.1.0.0/16", nextHop: hop }] }), "routes.0.nextHop");
}

// ---- Ports, ranges, lists, protocols
const acl = (s: Record<string, unknown>) => ep({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100, Protocols: "6", ...s } }] });
for (const v of ["0", "80-70000", "90-80", "http", "80, 443", "80,,443", "", "080", "1-2-3", "65536"]) {
  add("endpoint", `ACL LocalPorts ${JSON.stringify(v)}`, acl({ LocalPorts: v }), "policies.0.Settings.LocalPorts");
  add("endpoint", `ACL RemotePorts ${JSON.stringify(v)}`, acl({ RemotePorts: v }), "policies.0.Settings.RemotePorts");
}
for (const v of ["999", "tcp/udp", "-1", "6;17"]) add("endpoint", `ACL Protocols ${JSON.stringify(v)}`, acl({ Protocols: v }), "policies.0.Settings.Protocols");
add("endpoint", "ICMP ACL with local ports", acl({ Protocols: "1", LocalPorts: "80" }), "policies.0.Settings.LocalPorts");
add("endpoint", "ICMPv6 ACL with remote ports", acl({ Protocols: "58", RemotePorts: "80" }), "policies.0.Settings.RemotePorts");
add("endpoint", "ACL mixing address families", acl({ LocalAddresses: "10.0.0.5", RemoteAddresses: "fd00::5" }), "policies.0.Settings.RemoteAddresses");
add("endpoint", "ACL address with a zone", acl({ RemoteAddresses: "fe80::1%3" }), "policies.0.Settings.RemoteAddresses");
for (const p of [0, 1, -0, 58, 255]) add("policy", `load balancer protocol ${Object.is(p, -0) ? "-0" : p}`, lb({ portMappings: [{ protocol: p, internalPort: 80, externalPort: 80 }] }), "portMappings.0.protocol");
for (const v of [0, -0, 70000, 1.5, -80]) {
  add("policy", `load balancer internal port ${Object.is(v, -0) ? "-0" : v}`, lb({ portMappings: [{ internalPort: v, externalPort: 80 }] }), "portMappings.0.internalPort");
  add("endpoint", `PortMapping ExternalPort ${Object.is(v, -0) ? "-0" : v}`, ep({ policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: v } }] }), "policies.0.Settings.ExternalPort");
}
add("endpoint", "PortMapping flag HNS does not define", ep({ policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080, Flags: 64 } }] }), "policies.0.Settings.Flags");
add("endpoint", "PortMapping protocol ICMP", ep({ policies: [{ Type: "PortMapping", Settings: { Protocol: 1, InternalPort: 80, ExternalPort: 8080 } }] }), "policies.0.Settings.Protocol");
add("endpoint", "PortMapping VIP loopback", ep({ policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080, VIP: "127.0.0.1" } }] }), "policies.0.Settings.VIP");
add("endpoint", "L4Proxy port 99999", ep({ policies: [{ Type: "L4Proxy", Settings: { IP: "10.0.0.5", Port: "99999" } }] }), "policies.0.Settings.Port");
add("network", "VxlanPort 0", net({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 5000 }], policies: [{ Type: "VxlanPort", Settings: { Port: 0 } }] }), "policies.0.Settings.Port");
add("network", "vxlanPort 0", net({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 5000 }], vxlanPort: 0 }), "vxlanPort");

// ---- MACs
for (const v of ["00:15:5d:00:00:01", "00155D000001", "0015.5D00.0001", "00-15-5D-00-00", "00-15-5D-00-00-0G", "01-00-5E-00-00-01", "FF-FF-FF-FF-FF-FF", "00-00-00-00-00-00"]) {
  add("endpoint", `macAddress ${JSON.stringify(v)}`, ep({ macAddress: v }), "macAddress");
  add("network", `SourceMacAddress ${JSON.stringify(v)}`, net({ policies: [{ Type: "SourceMacAddress", Settings: { SourceMacAddress: v } }] }), "policies.0.Settings.SourceMacAddress");
}

// ---- Raw HCN policies: JSON objects, not dictionaries
add("endpoint", "ACL keys Action and action", ep({ policies: [{ Type: "ACL", Settings: { Action: "Block", action: "Allow", Direction: "In", Priority: 100 } }] }), "policies.0.Settings.action");
add("endpoint", "policy keys Type and type", ep({ policies: [{ Type: "ACL", type: "PortMapping", Settings: {} }] }), "policies.0.type");
add("endpoint", "policy keys Settings and settings", ep({ policies: [{ Type: "ACL", Settings: {}, settings: {} }] }), "policies.0.settings");
add("network", "network policy keys differing in case", net({ policies: [{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "a", networkadaptername: "b" } }] }), "policies.0.Settings.networkadaptername");
add("endpoint", "misspelt ACL setting Prioirty", acl({ Prioirty: 5 }), "policies.0.Settings.Prioirty");
add("endpoint", "misspelt PortMapping setting InternalPrt", ep({ policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPrt: 80, InternalPort: 80, ExternalPort: 8080 } }] }), "policies.0.Settings.InternalPrt");
add("endpoint", "misspelt OutBoundNAT setting Exception", ep({ policies: [{ Type: "OutBoundNAT", Settings: { Exception: ["10.0.0.0/8"] } }] }), "policies.0.Settings.Exception");
add("policy", "policy-set setting unknown to HNS", epSet([{ Type: "QOS", Settings: { MaxBandwidth: 5 } }]), "policies.0.Settings.MaxBandwidth");
add("policy", "network policy-set setting unknown to HNS", netSet([{ Type: "VxlanPort", Settings: { port: 4789, Port: 4789 } }]), "policies.0.Settings.port");
add("endpoint", "a field beside Type and Settings", ep({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100 }, Priority: 5 }] }), "policies.0.Priority");
add("network", "DrMacAddress not a MAC", net({ policies: [{ Type: "DrMacAddress", Settings: { Address: "00:11" } }] }), "policies.0.Settings.Address");
add("network", "ProviderAddress loopback", net({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 5000 }], policies: [{ Type: "ProviderAddress", Settings: { ProviderAddress: "127.0.0.1" } }] }), "policies.0.Settings.ProviderAddress");
add("network", "resource args keys differing in case", { ...net({}), Name: "x" }, "Name");

// ---- Relations between values
add("policy", "the same VIP twice", lb({ frontendVips: ["10.96.0.10", "10.96.0.10"] }), "frontendVips.1");
add("policy", "the same IPv6 VIP twice, spelt two ways", lb({ ipv6: true, frontendVips: ["fd00::a", "FD00:0::A"] }), "frontendVips.1");
add("policy", "route endpoints the same GUID in two cases", { ...route({}), endpoints: [EP1, EP1.toUpperCase()] }, "endpoints.1");
add("policy", "route next hop of the other family", route({ nextHop: "fd00::1" }), "routes.0.nextHop");

// ---- Paths
for (const [what, v] of [["~", "~/hns-state"], ["~user", "~bob/state"], ["a newline", "state\ndir"], ["only blanks", "   "], ["/dev/null", "/dev/null"], ["a trailing blank", "state "]]) {
  add("network", `stateDir with ${what}`, { ...net({}), host: { kind: "emulator", name: "bad", stateDir: v } }, "host.stateDir");
}
add("network", "knownHostsFile under ~", { name: "n", type: "nat", host: { kind: "ssh", name: "s", address: "node1", user: "administrator", keyFile: "/k", knownHostsFile: "~/.ssh/known_hosts" } }, "host.knownHostsFile");

// ---- Features by version
add("endpoint", "dual-stack endpoint on Windows Server 2019", ep({ host: host({ hnsVersion: "ws2019" }), ipAddress: "10.0.0.5", ipv6Address: "fd00::5" }), "ipv6Address");

// ---- Versions and adapter names
for (const v of ["constructor", "toString", "__proto__", "013.3", "13.3.1", "99999.1", "13", " 13.3"]) {
  add("network", `hnsVersion ${JSON.stringify(v)}`, { ...net({}), host: host({ hnsVersion: v }) }, "host.hnsVersion");
}
for (const [what, v] of [["a newline", "Ethernet\n2"], ["a bidi override", "Ether\u202Enet"], ["blank", " "]]) {
  add("network", `adapterName with ${what}`, net({ type: "transparent", subnets: undefined, adapterName: v }), "adapterName");
}

// ---- Found by a second outside set
add("endpoint", "ACL ports without Protocols", ep({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 1, LocalPorts: "80" } }] }), "policies.0.Settings.LocalPorts");
add("endpoint", "SDNRoute next hop of the other family", ep({ policies: [{ Type: "SDNRoute", Settings: { DestinationPrefix: "10.0.0.0/8", NextHop: "fd00::1" } }] }), "policies.0.Settings.NextHop");
add("policy", "SDNRoute IPv4 next hop for ::/0", epSet([{ Type: "SDNRoute", Settings: { DestinationPrefix: "::/0", NextHop: "10.0.0.1" } }]), "policies.0.Settings.NextHop");
add("policy", "the same backend in braces", lb({ endpoints: [EP1, `{${EP1}}`] }), "endpoints.1");
add("network", "an emulator host name of 230 characters", { ...net({}), host: host({ name: "h".repeat(230) }) }, "host.name");
add("network", "VSwitchExtension ExtensionID not a GUID", net({ policies: [{ Type: "VSwitchExtension", Settings: { ExtensionID: "abc", Enable: true } }] }), "policies.0.Settings.ExtensionID");
add("endpoint", "InterfaceConstraint InterfaceGuid not a GUID", ep({ policies: [{ Type: "InterfaceConstraint", Settings: { InterfaceGuid: "nope" } }] }), "policies.0.Settings.InterfaceGuid");
add("network", "NetAdapterName empty", net({ policies: [{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "" } }] }), "policies.0.Settings.NetworkAdapterName");
add("network", "SetPolicy values not addresses", net({ policies: [{ Type: "SetPolicy", Settings: { Id: "s", Name: "s", PolicyType: "IPSET", Values: "10.0.0.0/33,zzz" } }] }), "policies.0.Settings.Values");

// ---- Depth
let deep: unknown = "x";
for (let i = 0; i < 10_000; i++) deep = { a: deep };
add("network", "input nested 10,000 deep", net({ dns: deep }), "dns.a.a.a.a.a.a.a");

export const BAD_VALUES: BadInput[] = cases;
