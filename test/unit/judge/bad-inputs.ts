/**
 * Bad inputs a user can write, each with the field check must name. Every one must be refused
 * at `check` (preview), before anything touches a host. Grouped by resource; the expected
 * property is the path as the user wrote it.
 */
export type Kind = "network" | "endpoint" | "policy" | "namespace";
export interface BadInput {
  name: string;
  kind: Kind;
  args: Record<string, unknown>;
  property: string;
}

export const STATE_DIR_PLACEHOLDER = "<stateDir>";
const host = (extra: Record<string, unknown> = {}) => ({ kind: "emulator", name: "bad", stateDir: STATE_DIR_PLACEHOLDER, ...extra });
const NET = "4f2a6c1e-0b1d-4c3e-9f00-000000000001";
const EP1 = "4f2a6c1e-0b1d-4c3e-9f00-0000000000a1";
const EP2 = "4f2a6c1e-0b1d-4c3e-9f00-0000000000a2";

const network = (extra: Record<string, unknown>, h: Record<string, unknown> = {}) => ({ host: host(h), name: "n", type: "transparent", ...extra });
const nat = (extra: Record<string, unknown>, h: Record<string, unknown> = {}) => ({ host: host(h), name: "n", type: "nat", ...extra });
const l2 = (subnets: unknown[], extra: Record<string, unknown> = {}, h: Record<string, unknown> = {}) => ({ host: host(h), name: "n", type: "l2bridge", subnets, ...extra });
const endpoint = (extra: Record<string, unknown>, h: Record<string, unknown> = {}) => ({ host: host(h), network: NET, name: "e", ...extra });
const pm = (settings: Record<string, unknown>) => ({ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080, ...settings } });
const lb = (extra: Record<string, unknown>, h: Record<string, unknown> = {}) => ({
  kind: "loadBalancer",
  host: host(h),
  endpoints: [EP1, EP2],
  frontendVips: ["10.96.0.10"],
  portMappings: [{ internalPort: 80, externalPort: 80 }],
  ...extra,
});
const route = (extra: Record<string, unknown>) => ({ kind: "route", host: host(), endpoints: [EP1], routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.1.0.1" }], ...extra });
const epPolicies = (policies: unknown[], extra: Record<string, unknown> = {}, h: Record<string, unknown> = {}) => ({ kind: "endpointPolicies", host: host(h), endpoint: EP1, policies, ...extra });
const netPolicies = (policies: unknown[], extra: Record<string, unknown> = {}, h: Record<string, unknown> = {}) => ({ kind: "networkPolicies", host: host(h), network: NET, policies, ...extra });
const ssh = (extra: Record<string, unknown>) => ({ kind: "ssh", name: "s", address: "node1.example.com", user: "administrator", keyFile: "/home/me/.ssh/id_ed25519", ...extra });
const winrm = (extra: Record<string, unknown>) => ({ kind: "winrm", name: "w", address: "node3.example.com", user: "admin", password: "pw", ...extra });
const onHost = (h: Record<string, unknown>) => ({ host: h, name: "n", type: "nat" });

const n = (name: string, args: Record<string, unknown>, property: string): BadInput => ({ name, kind: "network", args, property });
const e = (name: string, args: Record<string, unknown>, property: string): BadInput => ({ name, kind: "endpoint", args, property });
const p = (name: string, args: Record<string, unknown>, property: string): BadInput => ({ name, kind: "policy", args, property });

export const BAD_INPUTS: BadInput[] = [
  // ---- Network: shape and types
  n("type missing", { host: host(), name: "n" }, "type"),
  n("unknown type", network({ type: "bridge" }), "type"),
  n("empty name", network({ name: "" }), "name"),
  n("300-character name", network({ name: "x".repeat(300) }), "name"),
  n("name with a newline", network({ name: "a\nb" }), "name"),
  n("unknown field", network({ subnet: "10.0.0.0/24" }), "subnet"),
  n("host missing", { name: "n", type: "nat" }, "host"),
  n("persistent as a string", network({ persistent: "yes" }), "persistent"),
  n("disableHostPort as a number", network({ disableHostPort: 1 }), "disableHostPort"),
  n("subnets not a list", network({ subnets: "10.0.0.0/24" }), "subnets"),
  n("adopt as a string", network({ adopt: "yes" }), "adopt"),
  n("adopt id not a GUID", network({ adopt: { id: "nat" } }), "adopt.id"),
  // ---- Network: subnets and addresses
  n("prefix /33", network({ subnets: [{ prefix: "10.0.0.0/33" }] }), "subnets.0.prefix"),
  n("prefix with host bits", network({ subnets: [{ prefix: "10.0.0.7/24" }] }), "subnets.0.prefix"),
  n("prefix not a CIDR", network({ subnets: [{ prefix: "not-a-cidr" }] }), "subnets.0.prefix"),
  n("prefix without a length", network({ subnets: [{ prefix: "10.0.0.0" }] }), "subnets.0.prefix"),
  n("gateway outside the prefix", network({ subnets: [{ prefix: "10.0.0.0/24", gateway: "10.0.1.1" }] }), "subnets.0.gateway"),
  n("gateway is the network address", network({ subnets: [{ prefix: "10.0.0.0/24", gateway: "10.0.0.0" }] }), "subnets.0.gateway"),
  n("gateway is the broadcast address", network({ subnets: [{ prefix: "10.0.0.0/24", gateway: "10.0.0.255" }] }), "subnets.0.gateway"),
  n("gateway not an address", network({ subnets: [{ prefix: "10.0.0.0/24", gateway: "gw" }] }), "subnets.0.gateway"),
  n("IPv6 gateway on an IPv4 prefix", network({ subnets: [{ prefix: "10.0.0.0/24", gateway: "fd00::1" }] }), "subnets.0.gateway"),
  n("/32 subnet on nat", nat({ subnets: [{ prefix: "10.0.0.5/32" }] }), "subnets.0.prefix"),
  n("/31 subnet on l2bridge", l2([{ prefix: "10.0.0.0/31" }]), "subnets.0.prefix"),
  n("0.0.0.0/0 on nat", nat({ subnets: [{ prefix: "0.0.0.0/0" }] }), "subnets.0.prefix"),
  n("IPv6 subnet on nat", nat({ subnets: [{ prefix: "fd00::/64" }] }), "subnets.0.prefix"),
  n("IPv6 subnet on overlay", network({ type: "overlay", subnets: [{ prefix: "fd00::/64", vsid: 4096 }] }), "subnets.0.prefix"),
  n("two subnets on nat", nat({ subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "172.21.0.0/24" }] }), "subnets.1.prefix"),
  n("the same subnet twice", l2([{ prefix: "10.244.1.0/24" }, { prefix: "10.244.1.0/24" }]), "subnets.1.prefix"),
  n("overlapping subnets", l2([{ prefix: "10.244.0.0/16" }, { prefix: "10.244.1.0/24" }]), "subnets.1.prefix"),
  n("l2bridge without a subnet", { host: host(), name: "n", type: "l2bridge" }, "subnets"),
  n("subnet route to a bad prefix", network({ subnets: [{ prefix: "10.0.0.0/24", routes: [{ destination: "x", nextHop: "10.0.0.1" }] }] }), "subnets.0.routes.0.destination"),
  n("subnet route via a bad next hop", network({ subnets: [{ prefix: "10.0.0.0/24", routes: [{ destination: "10.1.0.0/16", nextHop: "hop" }] }] }), "subnets.0.routes.0.nextHop"),
  n("subnet route with a negative metric", network({ subnets: [{ prefix: "10.0.0.0/24", routes: [{ destination: "10.1.0.0/16", nextHop: "10.0.0.1", metric: -1 }] }] }), "subnets.0.routes.0.metric"),
  n("IPv6 on l2bridge on Windows Server 2019", l2([{ prefix: "fd00::/64" }], {}, { hnsVersion: "ws2019" }), "subnets.0.prefix"),
  // ---- Network: VLAN and VSID
  n("VLAN 0", network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 0 }] }), "subnets.0.vlan"),
  n("VLAN 4095", network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 4095 }] }), "subnets.0.vlan"),
  n("VLAN 1.5", network({ subnets: [{ prefix: "10.0.0.0/24", vlan: 1.5 }] }), "subnets.0.vlan"),
  n("VLAN as a string", network({ subnets: [{ prefix: "10.0.0.0/24", vlan: "11" }] }), "subnets.0.vlan"),
  n("VLAN on nat", nat({ subnets: [{ prefix: "172.20.0.0/24", vlan: 11 }] }), "subnets.0.vlan"),
  n("VLAN on overlay", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vlan: 11, vsid: 4096 }] }), "subnets.0.vsid"),
  n("VSID below 4096", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 100 }] }), "subnets.0.vsid"),
  n("VSID above 2^24-1", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 16_777_216 }] }), "subnets.0.vsid"),
  n("VSID on transparent", network({ subnets: [{ prefix: "10.0.0.0/24", vsid: 5000 }] }), "subnets.0.vsid"),
  n("VLAN and VSID together", l2([{ prefix: "10.0.0.0/24", vlan: 11, vsid: 5000 }]), "subnets.0.vsid"),
  n("overlay subnet without a VSID", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24" }] }), "subnets.0.vsid"),
  // ---- Network: switch, MACs, ports, DNS
  n("adapterName on nat", nat({ adapterName: "Ethernet" }), "adapterName"),
  n("adapterName empty", network({ adapterName: "" }), "adapterName"),
  n("vxlanPort on l2bridge", l2([{ prefix: "10.0.0.0/24" }], { vxlanPort: 4789 }), "vxlanPort"),
  n("vxlanPort 0", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 4096 }], vxlanPort: 0 }), "vxlanPort"),
  n("vxlanPort 70000", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 4096 }], vxlanPort: 70000 }), "vxlanPort"),
  n("vxlanPort before HNS 10.3", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 4096 }], vxlanPort: 4790 }, { hnsVersion: "ws2019" }), "vxlanPort"),
  n("disableHostPort before HNS 15.1", nat({ disableHostPort: true }, { hnsVersion: "ws2022" }), "disableHostPort"),
  n("MAC pool start after end", network({ macPool: { start: "00-15-5D-00-0F-FF", end: "00-15-5D-00-00-00" } }), "macPool"),
  n("MAC pool in multicast space", network({ macPool: { start: "01-00-5E-00-00-00", end: "01-00-5E-00-0F-FF" } }), "macPool.start"),
  n("MAC pool start not a MAC", network({ macPool: { start: "zz", end: "00-15-5D-00-0F-FF" } }), "macPool.start"),
  n("MAC pool without end", network({ macPool: { start: "00-15-5D-00-00-00" } }), "macPool.end"),
  n("DNS server not an address", network({ dns: { servers: ["dns.example.com"] } }), "dns.servers.0"),
  n("DNS suffix with a space", network({ dns: { domain: "corp example.com" } }), "dns.domain"),
  n("DNS search suffix with a space", network({ dns: { search: ["a b"] } }), "dns.search.0"),
  n("DNS options (docker --dns-option)", network({ dns: { options: ["ndots:2"] } }), "dns.options"),
  n("unknown DNS field", network({ dns: { nameservers: ["10.0.0.1"] } }), "dns.nameservers"),
  // ---- Network: raw policies
  n("network policy of unknown Type", network({ policies: [{ Type: "Bogus", Settings: {} }] }), "policies.0.Type"),
  n("network policy without Type", network({ policies: [{ Settings: {} }] }), "policies.0.Type"),
  n("network policy not an object", network({ policies: ["NetAdapterName"] }), "policies.0"),
  n("OutBoundNAT (an endpoint policy) on a network", nat({ policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: ["10.0.0.0/8"] } }] }), "policies.0.Type"),
  n("RemoteSubnetRoute to a bad prefix", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 4096 }], policies: [{ Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: "x", IsolationId: 4096 } }] }), "policies.0.Settings.DestinationPrefix"),
  n("VxlanPort policy on HNS 9.2", network({ type: "overlay", subnets: [{ prefix: "10.0.0.0/24", vsid: 4096 }], policies: [{ Type: "VxlanPort", Settings: { Port: 4790 } }] }, { hnsVersion: "ws2019" }), "policies.0"),
  n("NetworkACL policy on HNS 9.2", l2([{ prefix: "10.0.0.0/24" }], { policies: [{ Type: "NetworkACL", Settings: {} }] }, { hnsVersion: "ws2019" }), "policies.0"),
  // ---- Network: hosts
  n("host kind docker", onHost({ kind: "docker", name: "d" }), "host.kind"),
  n("emulator host name with a slash", onHost({ kind: "emulator", name: "../etc" }), "host.name"),
  n("emulator host name empty", onHost({ kind: "emulator", name: "" }), "host.name"),
  n("emulator hnsVersion nonsense", onHost({ kind: "emulator", name: "v", hnsVersion: "banana" }), "host.hnsVersion"),
  n("Windows Server 2016 host (no HCN v2)", onHost({ kind: "emulator", name: "old", stateDir: STATE_DIR_PLACEHOLDER, hnsVersion: "ws2016" }), "host.hnsVersion"),
  n("emulator stateDir empty", onHost({ kind: "emulator", name: "v", stateDir: "" }), "host.stateDir"),
  n("emulator unknown field", onHost({ kind: "emulator", name: "v", version: "15.4" }), "host.version"),
  n("local host name with a space", onHost({ kind: "local", name: "my host" }), "host.name"),
  n("local executable with a newline", onHost({ kind: "local", name: "l", executable: "pwsh\n-c evil" }), "host.executable"),
  n("timeout 0", onHost({ kind: "local", name: "l", timeoutSeconds: 0 }), "host.timeoutSeconds"),
  n("ssh user carrying ssh options", onHost(ssh({ user: "admin -oProxyCommand=touch /tmp/pwned" })), "host.user"),
  n("ssh user starting with a dash", onHost(ssh({ user: "-oProxyCommand=x" })), "host.user"),
  n("ssh user with a newline", onHost(ssh({ user: "admin\nx" })), "host.user"),
  n("ssh user with a quote", onHost(ssh({ user: 'admin"' })), "host.user"),
  n("ssh keyFile starting with a dash", onHost(ssh({ keyFile: "-oProxyCommand=x" })), "host.keyFile"),
  n("ssh keyFile with a quote", onHost(ssh({ keyFile: '/k" -oProxyCommand=x "' })), "host.keyFile"),
  n("ssh address with a semicolon", onHost(ssh({ address: "node1;rm -rf /" })), "host.address"),
  n("ssh address starting with a dash", onHost(ssh({ address: "-oProxyCommand=x" })), "host.address"),
  n("ssh port 0", onHost(ssh({ port: 0 })), "host.port"),
  n("ssh port 70000", onHost(ssh({ port: 70000 })), "host.port"),
  n("ssh with both keyFile and privateKey", onHost(ssh({ privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" })), "host.keyFile"),
  n("ssh with neither key", onHost(ssh({ keyFile: undefined })), "host.keyFile"),
  n("winrm over plain HTTP", onHost(winrm({ useSsl: false })), "host.useSsl"),
  n("winrm skipping the CA check", onHost(winrm({ skipCaCheck: true })), "host.skipCaCheck"),
  n("winrm skipping the name check", onHost(winrm({ skipCnCheck: true })), "host.skipCnCheck"),
  n("winrm without a password", onHost(winrm({ password: undefined })), "host.password"),
  n("winrm authentication Digest", onHost(winrm({ authentication: "Digest" })), "host.authentication"),
  n("winrm user with a newline", onHost(winrm({ user: "admin\r\n" })), "host.user"),
  n("winrm address with a space", onHost(winrm({ address: "node 3" })), "host.address"),

  // ---- Endpoint
  e("network missing", { host: host(), name: "e" }, "network"),
  e("network given by name", endpoint({ network: "web" }), "network"),
  e("empty name", endpoint({ name: "" }), "name"),
  e("300-character name", endpoint({ name: "e".repeat(300) }), "name"),
  e("ipAddress with an octet over 255", endpoint({ ipAddress: "10.0.0.300" }), "ipAddress"),
  e("ipAddress with a prefix", endpoint({ ipAddress: "10.0.0.5/24" }), "ipAddress"),
  e("ipAddress IPv6 next to ipv6Address", endpoint({ ipAddress: "fd00::5", ipv6Address: "fd00::6" }), "ipAddress"),
  e("prefixLength 33 on an IPv4 address", endpoint({ ipAddress: "10.0.0.5", prefixLength: 33 }), "prefixLength"),
  e("prefixLength 129", endpoint({ ipAddress: "fd00::5", prefixLength: 129 }), "prefixLength"),
  e("prefixLength without ipAddress", endpoint({ prefixLength: 24 }), "prefixLength"),
  e("prefixLength negative", endpoint({ ipAddress: "10.0.0.5", prefixLength: -1 }), "prefixLength"),
  e("ipv6Address holding an IPv4 address", endpoint({ ipv6Address: "10.0.0.6" }), "ipv6Address"),
  e("macAddress not a MAC", endpoint({ macAddress: "zz" }), "macAddress"),
  e("broadcast macAddress", endpoint({ macAddress: "FF-FF-FF-FF-FF-FF" }), "macAddress"),
  e("multicast macAddress", endpoint({ macAddress: "01-00-5E-00-00-01" }), "macAddress"),
  e("all-zero macAddress", endpoint({ macAddress: "00-00-00-00-00-00" }), "macAddress"),
  e("DNS suffix with a space", endpoint({ dns: { domain: "corp example.com" } }), "dns.domain"),
  e("DNS server not an address", endpoint({ dns: { servers: ["x"] } }), "dns.servers.0"),
  e("DNS options (docker --dns-option)", endpoint({ dns: { options: ["ndots:5"] } }), "dns.options"),
  e("dnsOptions field", endpoint({ dnsOptions: ["ndots:5"] }), "dnsOptions"),
  e("route to a bad prefix", endpoint({ routes: [{ destination: "x", nextHop: "10.0.0.1" }] }), "routes.0.destination"),
  e("route with a metric of 1.5", endpoint({ routes: [{ destination: "10.1.0.0/16", nextHop: "10.0.0.1", metric: 1.5 }] }), "routes.0.metric"),
  e("remote without ipAddress", endpoint({ remote: true }), "ipAddress"),
  e("remote and attached", endpoint({ remote: true, ipAddress: "10.0.0.9", attach: "host" }), "attach"),
  e("attach to a container name", endpoint({ attach: "container" }), "attach"),
  e("attach to a namespace that is not a GUID", endpoint({ attach: { namespace: "ns1" } }), "attach.namespace"),
  e("disableIcc as a string", endpoint({ disableIcc: "no" }), "disableIcc"),
  e("unknown field", endpoint({ ip: "10.0.0.5" }), "ip"),
  e("host missing", { network: NET, name: "e" }, "host"),
  e("PortMapping InternalPort 0", endpoint({ policies: [pm({ InternalPort: 0 })] }), "policies.0.Settings.InternalPort"),
  e("PortMapping ExternalPort 0", endpoint({ policies: [pm({ ExternalPort: 0 })] }), "policies.0.Settings.ExternalPort"),
  e("PortMapping ExternalPort 70000", endpoint({ policies: [pm({ ExternalPort: 70000 })] }), "policies.0.Settings.ExternalPort"),
  e("PortMapping without ExternalPort", endpoint({ policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80 } }] }), "policies.0.Settings.ExternalPort"),
  e("the same ExternalPort twice", endpoint({ policies: [pm({}), pm({ InternalPort: 81 })] }), "policies.1"),
  e("PortMapping protocol 300", endpoint({ policies: [pm({ Protocol: 300 })] }), "policies.0.Settings.Protocol"),
  e("PortMapping VIP not an address", endpoint({ policies: [pm({ VIP: "vip" })] }), "policies.0.Settings.VIP"),
  e("ACL priority clash", endpoint({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100 } }, { Type: "ACL", Settings: { Action: "Block", Direction: "In", Priority: 100 } }] }), "policies.1.Settings.Priority"),
  e("ACL priority over 65535", endpoint({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 70000 } }] }), "policies.0.Settings.Priority"),
  e("ACL action Permit", endpoint({ policies: [{ Type: "ACL", Settings: { Action: "Permit", Direction: "In", Priority: 100 } }] }), "policies.0.Settings.Action"),
  e("ACL remote address not an address", endpoint({ policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100, RemoteAddresses: "anywhere" } }] }), "policies.0.Settings.RemoteAddresses"),
  e("OutBoundNAT exception not a CIDR", endpoint({ policies: [{ Type: "OutBoundNAT", Settings: { Exceptions: ["not-a-cidr"] } }] }), "policies.0.Settings.Exceptions.0"),
  e("Encryption policy (IPsec is unsupported)", endpoint({ policies: [{ Type: "Encryption", Settings: {} }] }), "policies.0"),
  e("policy of unknown Type", endpoint({ policies: [{ Type: "Bogus", Settings: {} }] }), "policies.0.Type"),
  e("SDNRoute to a bad prefix", endpoint({ policies: [{ Type: "SDNRoute", Settings: { DestinationPrefix: "x", NextHop: "10.0.0.1" } }] }), "policies.0.Settings.DestinationPrefix"),
  e("L4Proxy on HNS 9.2", endpoint({ policies: [{ Type: "L4Proxy", Settings: { Port: "80", Destination: "10.0.0.1" } }] }, { hnsVersion: "ws2019" }), "policies.0"),
  e("TierAcl on HNS 9.2", endpoint({ policies: [{ Type: "TierAcl", Settings: {} }] }, { hnsVersion: "ws2019" }), "policies.0"),

  // ---- Policy: load balancer
  p("kind missing", { host: host(), endpoints: [EP1] }, "kind"),
  p("kind lb", lb({ kind: "lb" }), "kind"),
  p("no backends", lb({ endpoints: [] }), "endpoints"),
  p("backend not a GUID", lb({ endpoints: ["web-1"] }), "endpoints.0"),
  p("the same backend twice", lb({ endpoints: [EP1, EP1] }), "endpoints.1"),
  p("no port mappings", lb({ portMappings: [] }), "portMappings"),
  p("internalPort 0", lb({ portMappings: [{ internalPort: 0, externalPort: 80 }] }), "portMappings.0.internalPort"),
  p("externalPort 70000", lb({ portMappings: [{ internalPort: 80, externalPort: 70000 }] }), "portMappings.0.externalPort"),
  p("externalPort as a string", lb({ portMappings: [{ internalPort: 80, externalPort: "80" }] }), "portMappings.0.externalPort"),
  p("protocol icmp", lb({ portMappings: [{ protocol: "icmp", internalPort: 80, externalPort: 80 }] }), "portMappings.0.protocol"),
  p("protocol 300", lb({ portMappings: [{ protocol: 300, internalPort: 80, externalPort: 80 }] }), "portMappings.0.protocol"),
  p("distribution roundRobin", lb({ portMappings: [{ internalPort: 80, externalPort: 80, distribution: "roundRobin" }] }), "portMappings.0.distribution"),
  p("duplicate port mappings", lb({ portMappings: [{ internalPort: 80, externalPort: 80 }, { internalPort: 80, externalPort: 80 }] }), "portMappings.1"),
  p("IPv6 flag with an IPv4 VIP", lb({ ipv6: true }), "frontendVips.0"),
  p("frontend VIP not an address", lb({ frontendVips: ["vip"] }), "frontendVips.0"),
  p("sourceVip not an address", lb({ sourceVip: "svip" }), "sourceVip"),
  p("DSR on HNS 9.2", lb({ dsr: true }, { hnsVersion: "ws2019" }), "dsr"),
  p("session affinity on HNS 11.10", lb({ portMappings: [{ internalPort: 80, externalPort: 80, distribution: "sourceIp" }] }, { hnsVersion: "win10-2004" }), "portMappings.0.distribution"),
  p("load balancer unknown field", lb({ vip: "10.96.0.10" }), "vip"),
  // ---- Policy: SDN route
  p("route without endpoints", route({ endpoints: [] }), "endpoints"),
  p("route without routes", route({ routes: [] }), "routes"),
  p("route to a bad prefix", route({ routes: [{ destinationPrefix: "x", nextHop: "10.1.0.1" }] }), "routes.0.destinationPrefix"),
  p("route via a bad next hop", route({ routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "hop" }] }), "routes.0.nextHop"),
  p("route via an IPv6 next hop to an IPv4 prefix", route({ routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "fd00::1" }] }), "routes.0.nextHop"),
  p("the same destination twice", route({ routes: [{ destinationPrefix: "10.0.0.0/8", nextHop: "10.1.0.1" }, { destinationPrefix: "10.0.0.0/8", nextHop: "10.1.0.2" }] }), "routes.1.destinationPrefix"),
  // ---- Policy: policy sets
  p("endpointPolicies without endpoint", epPolicies([pm({})], { endpoint: undefined }), "endpoint"),
  p("endpointPolicies with no policies", epPolicies([]), "policies"),
  p("endpointPolicies of unknown Type", epPolicies([{ Type: "Bogus", Settings: {} }]), "policies.0.Type"),
  p("endpointPolicies with the same ExternalPort twice", epPolicies([pm({}), pm({ InternalPort: 81 })]), "policies.1"),
  p("endpointPolicies with Encryption", epPolicies([{ Type: "Encryption", Settings: {} }]), "policies.0"),
  p("endpointPolicies TierAcl on HNS 9.2", epPolicies([{ Type: "TierAcl", Settings: {} }], {}, { hnsVersion: "ws2019" }), "policies.0"),
  p("networkPolicies network not a GUID", netPolicies([{ Type: "OutBoundNAT", Settings: {} }], { network: "nat" }), "network"),
  p("networkPolicies with no policies", netPolicies([]), "policies"),
  p("networkPolicies NetworkACL on HNS 9.2", netPolicies([{ Type: "NetworkACL", Settings: {} }], {}, { hnsVersion: "ws2019" }), "policies.0"),
  p("networkPolicies with OutBoundNAT (an endpoint policy)", netPolicies([{ Type: "OutBoundNAT", Settings: { Exceptions: ["10.0.0.0/8"] } }]), "policies.0.Type"),
  p("endpointPolicies OutBoundNAT exception not a CIDR", epPolicies([{ Type: "OutBoundNAT", Settings: { Exceptions: ["x"] } }]), "policies.0.Settings.Exceptions.0"),
];
