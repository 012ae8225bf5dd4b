/**
 * Fit rules: what each network type takes, isolation ids, ports, ACLs, and the features and
 * limits of the host's declared HNS version. The facts (which type takes what, ranges,
 * versions) come from provider/vocabulary/facts; these rules only apply them.
 */
import { ENDPOINT_POLICY_FEATURES, PROTOCOL_NUMBERS, protocolName, NETWORK_POLICY_FEATURES, NETWORK_TYPE_TRAITS, TRAIT_REASONS, VLAN_RANGE, VSID_RANGE, inRange, rangeText, typesWith, type TraitOption } from "../../vocabulary/facts";
import { formatVersion, supports, versionsOf, type Feature } from "../../vocabulary/features";
import { familyOf } from "../../vocabulary/net/cidr";
import { at, type NetworkNode } from "../model";
import { overlayPeers } from "../policies";
import { single, type Report, type Rule } from "./rule";

/** The first version of a feature, for messages ("11.10"). */

function misfits(net: NetworkNode): Report[] {
  const n = net.network;
  const out: Report[] = [];
  const refuse = (intent: string, trait: TraitOption, path: string) => {
    if (!NETWORK_TYPE_TRAITS[n.type][trait]) {
      out.push({ where: net.key, path, message: `${intent} does not apply to a ${n.type} network: ${TRAIT_REASONS[trait]}`, fix: `remove it, or use a ${typesWith(trait).join(" / ")} network` });
    }
  };
  if (!NETWORK_TYPE_TRAITS[n.type].ports) for (const e of net.endpoints) if (e.endpoint.ports?.length) refuse("ports", "ports", at(e, "ports"));
  if (n.outboundNat) refuse("outboundNat", "outboundNat", at(net, "outboundNat"));
  if (net.loadBalancers.length) refuse("loadBalancers", "loadBalancers", at(net, "loadBalancers"));
  if (n.vxlanPort !== undefined) refuse("vxlanPort", "vxlanPort", at(net, "vxlanPort"));
  if (n.hostRoute) refuse("hostRoute", "hostRoute", at(net, "hostRoute"));
  if (n.adapterName !== undefined) refuse("adapterName", "adapter", at(net, "adapterName"));
  if (n.vlan !== undefined) refuse("vlan", "vlan", at(net, "vlan"));
  net.subnets.forEach((s) => {
    if (s.subnet.vlan !== undefined) refuse("vlan", "vlan", at(s, "vlan"));
    if (s.subnet.vsid !== undefined) refuse("vsid", "vsid", at(s, "vsid"));
  });
  // Raw HCN policies are judged like their typed equivalents.
  (n.policies ?? []).forEach((p, k) => {
    if (p.Type === "VxlanPort") refuse("a VxlanPort policy", "vxlanPort", at(net, `policies.${k}`));
    if (p.Type === "HostRoute" && !n.hostRoute) refuse("a HostRoute policy", "hostRoute", at(net, `policies.${k}`));
  });
  return out;
}

/** Where a topology uses a gated feature: [feature, path, what]. */
function featureUses(net: NetworkNode, hasPeers: boolean): [Feature, string, string][] {
  const n = net.network;
  const uses: [Feature, string, string][] = [];
  if (n.vxlanPort !== undefined) uses.push(["VxlanPort", at(net, "vxlanPort"), "a custom VXLAN port"]);
  if (n.hostRoute) uses.push(["HostRoute", at(net, "hostRoute"), "the HostRoute policy"]);
  if (hasPeers) uses.push(["RemoteSubnet", at(net, "remoteSubnetRoutes"), "remote subnet routes"]);
  for (const lb of net.loadBalancers) {
    if (lb.lb.dsr) uses.push(["DSR", at(lb, "dsr"), "direct server return"]);
    lb.lb.portMappings.forEach((p, j) => {
      if (p.distribution && p.distribution !== "none") uses.push(["SessionAffinity", at(lb, `portMappings.${j}.distribution`), "session affinity"]);
    });
  }
  // Raw policies (planned ones included): each type's feature, as hcsshim gates it.
  (n.policies ?? []).forEach((p, k) => {
    const f = NETWORK_POLICY_FEATURES[p.Type];
    if (f) uses.push([f, at(net, `policies.${k}`), `the ${p.Type} policy`]);
  });
  for (const e of net.endpoints) {
    if (e.endpoint.acls?.length) uses.push(["AclRules", at(e, "acls"), "ACL rules"]);
    (e.endpoint.policies ?? []).forEach((p, k) => {
      const f = ENDPOINT_POLICY_FEATURES[p.Type];
      if (f) uses.push([f, at(e, `policies.${k}`), `the ${p.Type} policy`]);
    });
  }
  const v6 = net.subnets.find((s) => s.cidr.family === "ipv6");
  if (NETWORK_TYPE_TRAITS[n.type].ipv6 === "dual-stack") {
    // An IPv6 subnet, or (a network whose subnets the check does not know) an endpoint's own IPv6 address.
    const e = v6 ? undefined : net.endpoints.find(({ endpoint: x }) => x.ipv6Address !== undefined || (x.ipAddress !== undefined && familyOf(x.ipAddress) === "ipv6"));
    if (v6) uses.push(["IPv6DualStack", at(v6, "prefix"), "IPv6 dual stack"]);
    else if (e) uses.push(["IPv6DualStack", at(e, e.endpoint.ipv6Address !== undefined ? "ipv6Address" : "ipAddress"), "an IPv6 (dual-stack) address"]);
  }
  return uses;
}

/**
 * IPv6 on Windows (facts/network-types.ts): dual stack where the type takes it, from the
 * IPv6DualStack version (hcsshim: 11.10, which Windows 10 2004 reports; Microsoft's docs name
 * Windows Server 2022, which is newer, so their hosts are judged alike); transparent only
 * self-assigned; never on the other types.
 */
function ipv6Misfit(net: NetworkNode): Report[] {
  const uses = net.subnets.filter((s) => s.cidr.family === "ipv6").map((s) => at(s, "prefix"));
  const isV6 = (a: string | undefined) => a !== undefined && familyOf(a) === "ipv6";
  // At the address field: an endpoint's check names it (a whole endpoint would be "(inputs)").
  for (const e of net.endpoints) if (isV6(e.endpoint.ipAddress) || isV6(e.endpoint.ipv6Address)) uses.push(at(e, isV6(e.endpoint.ipv6Address) ? "ipv6Address" : "ipAddress"));
  if (!uses.length) return [];
  const t = net.network.type;
  if (NETWORK_TYPE_TRAITS[t].ipv6 === "dual-stack") {
    // The version gate is the feature-unsupported rule's (IPv6DualStack), reported once there.
    return [];
  }
  const why =
    NETWORK_TYPE_TRAITS[t].ipv6 === "self-assigned"
      ? "a transparent network's IPv6 addresses are self-assigned (SLAAC) with no HNS IPAM, load balancing or ACLs"
      : `Windows does not support IPv6 on ${t} networks`;
  return [{ where: net.key, path: uses[0], message: why, fix: `remove the IPv6 subnet and addresses, or use an ${typesWithIpv6().join(" / ")} network (HNS ${versionsOf("IPv6DualStack")}+)` }];
}

const typesWithIpv6 = () => Object.entries(NETWORK_TYPE_TRAITS).filter(([, t]) => t.ipv6 === "dual-stack").map(([k]) => k);

export const fitRules: Rule[] = [
  {
    id: "policy-network-type",
    severity: "error",
    title: "Policies and options fit the network type (ports, outbound NAT, load balancers, VXLAN, VLAN, VSID, adapter)",
    fix: "remove the option, or choose a network type that takes it",
    check: (ctx) => ctx.model.networks.flatMap(misfits),
    example: {
      fail: single({ type: "transparent", endpoints: [{ name: "web", ports: [{ internalPort: 80, externalPort: 8080 }] }] }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "web", ports: [{ internalPort: 80, externalPort: 8080 }] }] }),
    },
  },
  {
    id: "ipv6-network-type",
    severity: "error",
    title: "IPv6 only where Windows supports it: dual stack on l2bridge (its HNS version is rule feature-unsupported's), self-assigned only on transparent, never on the other types",
    source: "Microsoft, Windows container networking architecture: IPv6 (learn.microsoft.com/virtualization/windowscontainers/container-networking/architecture)",
    fix: "remove the IPv6 subnet and addresses, or use an l2bridge network",
    check: (ctx) => ctx.model.networks.flatMap(ipv6Misfit),
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "fd00:20::/64" }] }),
      pass: single({ type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }, { prefix: "fd00:244:1::/64" }] }, { hnsVersion: "ws2022" }),
    },
  },
  {
    id: "multiple-subnets",
    severity: "error",
    title: `More than one subnet per family only on ${typesWith("multipleSubnets").join(", ")}, on Windows Server 2022+ (HNS ${versionsOf("MultipleSubnets")})`,
    source: "Microsoft, Multiple subnets per network (learn.microsoft.com/virtualization/windowscontainers/container-networking/multi-subnet)",
    fix: `keep one subnet per address family, or use ${typesWith("multipleSubnets").join(" / ")} on WS2022+`,
    check: (ctx) =>
      ctx.model.networks.flatMap((net) => {
        const perFamily = (["ipv4", "ipv6"] as const).map((f) => net.subnets.filter((s) => s.cidr.family === f));
        const many = perFamily.find((list) => list.length > 1);
        if (!many) return [];
        const typeOk = NETWORK_TYPE_TRAITS[net.network.type].multipleSubnets;
        if (typeOk && supports(net.host.version, "MultipleSubnets")) return [];
        return [
          {
            where: net.key,
            path: at(many[1], "prefix"),
            message: typeOk
              ? `several subnets on one network need Windows Server 2022 (HNS ${versionsOf("MultipleSubnets")}+); ${net.host.key} declares HNS ${formatVersion(net.host.version)}`
              : `a ${net.network.type} network takes one subnet per address family (several only on ${typesWith("multipleSubnets").join(", ")})`,
          },
        ];
      }),
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "172.21.0.0/24" }] }),
      pass: single({ type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }, { prefix: "10.244.2.0/24" }] }, { hnsVersion: "ws2022" }),
    },
  },
  {
    id: "isolation-id-range",
    severity: "error",
    title: `VSIDs (VXLAN network ids) are ${rangeText(VSID_RANGE)}`,
    source: "Windows reserves VSIDs below 4096 (flannel's Windows vxlan backend: VNI must be >= 4096)",
    fix: `use a VSID of ${VSID_RANGE.min} or more (4096 is flannel's default)`,
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => s.subnet.vsid !== undefined && !inRange(VSID_RANGE, s.subnet.vsid))
          .map((s) => ({ where: net.key, path: at(s, "vsid"), message: `VSID ${s.subnet.vsid} is outside ${rangeText(VSID_RANGE)}` })),
      ),
    example: {
      fail: single({ type: "overlay", subnets: [{ prefix: "10.244.1.0/24", vsid: 4000 }] }),
      pass: single({ type: "overlay", subnets: [{ prefix: "10.244.1.0/24", vsid: 4096 }] }),
    },
  },
  {
    id: "overlay-vsid-required",
    severity: "error",
    title: "Every overlay subnet has a VSID",
    fix: "add vsid (4096 or more) to each overlay subnet; hosts of one overlay share it",
    check: (ctx) =>
      ctx.model.networks
        .filter((n) => n.network.type === "overlay")
        .flatMap((net) => net.subnets.filter((s) => s.subnet.vsid === undefined).map((s) => ({ where: net.key, path: at(s, "vsid"), message: `overlay subnet ${s.cidr.text} has no VSID: HNS cannot encapsulate it` }))),
    example: { fail: single({ type: "overlay", subnets: [{ prefix: "10.244.1.0/24" }] }), pass: single({ type: "overlay", subnets: [{ prefix: "10.244.1.0/24", vsid: 4096 }] }) },
  },
  {
    id: "overlay-provider-address",
    severity: "error",
    title: "Hosts sharing an overlay declare their providerAddress",
    fix: "set providerAddress (the host's own IP on the physical network) on every host of the overlay",
    check: (ctx) =>
      ctx.model.networks
        .filter((net) => overlayPeers(net, ctx.model).length > 0 && !net.host.host.providerAddress)
        .map((net) => ({ where: net.key, path: at(net.host, "providerAddress"), message: `${net.host.key} shares overlay ${net.network.name} with other hosts but has no providerAddress: peers cannot route to its pods` })),
    example: {
      fail: {
        hosts: ["node-1", "node-2"].map((name, i) => ({
          name,
          domain: "k8s",
          ...(i === 0 ? { providerAddress: "192.168.1.11" } : {}),
          networks: [{ name: "vxlan0", type: "overlay" as const, subnets: [{ prefix: `10.244.${i + 1}.0/24`, vsid: 4096 }] }],
        })),
      },
      pass: {
        hosts: ["node-1", "node-2"].map((name, i) => ({
          name,
          domain: "k8s",
          providerAddress: `192.168.1.${11 + i}`,
          networks: [{ name: "vxlan0", type: "overlay" as const, subnets: [{ prefix: `10.244.${i + 1}.0/24`, vsid: 4096 }] }],
        })),
      },
    },
  },
  {
    id: "vlan-range",
    severity: "error",
    title: `VLAN ids are ${rangeText(VLAN_RANGE)}`,
    source: "IEEE 802.1Q: VLAN ids 0 and 4095 are reserved",
    fix: `use a VLAN id from ${VLAN_RANGE.min} to ${VLAN_RANGE.max}`,
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        [
          ...(net.network.vlan !== undefined ? [{ vlan: net.network.vlan, path: at(net, "vlan") }] : []),
          ...net.subnets.flatMap((s) => (s.subnet.vlan !== undefined ? [{ vlan: s.subnet.vlan, path: at(s, "vlan") }] : [])),
        ]
          .filter((v) => !inRange(VLAN_RANGE, v.vlan))
          .map((v) => ({ where: net.key, path: v.path, message: `VLAN ${v.vlan} is outside ${rangeText(VLAN_RANGE)} (0 and 4095 are reserved by 802.1Q)` })),
      ),
    example: { fail: single({ type: "transparent", subnets: [{ prefix: "10.0.5.0/24", vlan: 4095 }] }), pass: single({ type: "transparent", subnets: undefined, vlan: 11 }) },
  },
  {
    id: "host-port-conflict",
    severity: "error",
    title: "A host port (protocol + external port) is published once per host",
    source: "NAT port forwarding is per host, VFP port mappings per network; HNS refuses a second mapping with HCN_E_PORT_ALREADY_EXISTS (hcsshim hcnerrors_test.go)",
    fix: "pick another external port for one of them",
    check: (ctx) => {
      const out: Report[] = [];
      const owners = new Map<string, string>();
      for (const ep of ctx.model.endpoints) {
        // WinNAT forwarding is host-wide (every nat network of the host); VFP mappings are per network.
        const scope = ep.net.network.type === "nat" ? `${ep.net.host.key}\0nat` : ep.net.key;
        // Typed ports and raw PortMapping policies alike, as HNS sees them (protocol number, port, VIP).
        const all = ctx.endpointPolicies.get(ep)!;
        const firstRaw = all.length - (ep.endpoint.policies ?? []).length;
        let typed = 0;
        all.forEach((p, j) => {
          if (p.Type !== "PortMapping") return;
          const path = j >= firstRaw ? at(ep, `policies.${j - firstRaw}`) : at(ep, `ports.${typed++}.externalPort`);
          const { Protocol, ExternalPort, VIP } = p.Settings as { Protocol?: number; ExternalPort?: number; VIP?: string };
          if (!ExternalPort) return;
          const protocol = Protocol ?? PROTOCOL_NUMBERS.TCP;
          const k = `${scope}\0${protocol}\0${ExternalPort}\0${VIP ?? ""}`;
          const first = owners.get(k);
          if (first !== undefined) {
            const name = protocolName(protocol) ?? `protocol ${protocol}`;
            out.push({ where: ep.key, path, message: `${name} port ${ExternalPort} on ${ep.net.host.key} is already published by ${first}` });
          } else owners.set(k, ep.key);
        });
      }
      return out;
    },
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internalPort: 80, externalPort: 8080 }] }, { name: "b", ports: [{ internalPort: 80, externalPort: 8080 }] }] }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internalPort: 80, externalPort: 8080 }] }, { name: "b", ports: [{ internalPort: 80, externalPort: 8081 }] }] }),
    },
  },
  {
    id: "acl-priority-clash",
    severity: "error",
    title: "Two ACL rules of one endpoint and direction do not share a priority",
    source: "VFP evaluates rules by priority; equal priorities leave the order (allow vs block) undefined",
    fix: "give each rule of a direction its own priority",
    check: (ctx) =>
      ctx.model.endpoints.filter((ep) => (ep.endpoint.acls?.length ?? 0) > 1).flatMap((ep) => {
        const seen = new Map<string, number>();
        const out: Report[] = [];
        (ep.endpoint.acls ?? []).forEach((a, i) => {
          const k = `${a.direction}\0${a.priority}`;
          const first = seen.get(k);
          if (first !== undefined) out.push({ where: ep.key, path: at(ep, `acls.${i}.priority`), message: `acls.${i} and acls.${first} are both ${a.direction}bound at priority ${a.priority}` });
          else seen.set(k, i);
        });
        return out;
      }),
    example: {
      fail: single({ endpoints: [{ name: "web", acls: [{ action: "allow", direction: "in", priority: 100, protocol: "tcp", localPorts: [80] }, { action: "block", direction: "in", priority: 100 }] }] }),
      pass: single({ endpoints: [{ name: "web", acls: [{ action: "allow", direction: "in", priority: 100, protocol: "tcp", localPorts: [80] }, { action: "block", direction: "in", priority: 200 }] }] }),
    },
  },
  {
    id: "single-nat-network",
    severity: "error",
    title: "One NAT network per host before Windows Server 2019 (HNS 9.2)",
    source: "Hyper-V NAT docs: one NAT network per host; Win10 16299 refuses a second (docker/for-win#1384)",
    fix: "merge the NAT networks, or declare a WS2019+ host",
    check: (ctx) =>
      ctx.model.hosts.flatMap((h) => {
        if (supports(h.version, "MultipleNatNetworks")) return [];
        const nats = ctx.model.networks.filter((n) => n.host === h && n.network.type === "nat");
        return nats.slice(1).map((n) => ({ where: n.key, path: at(n, "type"), message: `${h.key} declares HNS ${formatVersion(h.version)}, which allows one NAT network; ${nats[0].key} is already one` }));
      }),
    example: {
      fail: { hosts: [{ name: "node-1", hnsVersion: "8.0", networks: [{ name: "a", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { name: "b", type: "nat", subnets: [{ prefix: "172.21.0.0/24" }] }] }] },
      pass: { hosts: [{ name: "node-1", hnsVersion: "ws2019", networks: [{ name: "a", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { name: "b", type: "nat", subnets: [{ prefix: "172.21.0.0/24" }] }] }] },
      // Such a host also predates HCN v2, which pulumi-hns needs: both are reported.
      alsoBreaks: ["hcn-v2-required"],
    },
  },
  {
    id: "hcn-v2-required",
    severity: "error",
    title: "The host runs HCN v2 (HNS 9.2, Windows Server 2019 / 1809, or newer)",
    source: "hcsshim hcnglobals.go: V2Api from HNS 9.2",
    fix: "target a Windows Server 2019+ host (pulumi-hns drives the HCN v2 API)",
    check: (ctx) => {
      const withNetworks = new Set(ctx.model.networks.map((n) => n.host));
      return ctx.model.hosts
        .filter((h) => withNetworks.has(h) && !supports(h.version, "V2Api"))
        .map((h) => ({ where: h.key, path: at(h, "hnsVersion"), message: `${h.key} declares HNS ${formatVersion(h.version)}, which has no HCN v2 API` }));
    },
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { hnsVersion: "ws2016" }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { hnsVersion: "ws2019" }),
    },
  },
  {
    id: "feature-unsupported",
    severity: "error",
    title: "Features the topology uses exist in the host's declared HNS version (DSR, session affinity, VXLAN port, HostRoute, remote subnets, ACLs, dual stack)",
    source: "hcsshim hcnglobals.go feature versions (reference §1.7)",
    fix: "remove the feature, or declare (and run) a newer Windows host",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        featureUses(net, overlayPeers(net, ctx.model).length > 0)
          .filter(([f]) => supports(net.host.version, "V2Api") && !supports(net.host.version, f))
          .map(([f, path, what]) => ({
            where: net.key,
            path,
            message: `${what} (HNS feature ${f}) is not available on ${net.host.key}, which declares HNS ${formatVersion(net.host.version)}`,
          })),
      ),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], dsr: true, portMappings: [{ internalPort: 80, externalPort: 80 }] }] }, { hnsVersion: "10.1" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], dsr: true, portMappings: [{ internalPort: 80, externalPort: 80 }] }] }, { hnsVersion: "ws2022" }),
    },
  },
  {
    id: "adapter-shared",
    severity: "warning",
    title: "Each external-switch network of a host binds its own adapter",
    source: "Windows container networking advanced docs: one external vSwitch per adapter",
    fix: "bind each external network to its own adapter (or use VLANs on one transparent network)",
    check: (ctx) => {
      const seen = new Map<string, string>();
      const out: Report[] = [];
      for (const net of ctx.model.networks) {
        const a = net.network.adapterName;
        if (!a) continue;
        const k = `${net.host.key}\0${a.toLowerCase()}`;
        const first = seen.get(k);
        if (first) out.push({ where: net.key, path: at(net, "adapterName"), message: `adapter "${a}" already carries ${first}'s external vSwitch` });
        else seen.set(k, net.key);
      }
      return out;
    },
    example: {
      fail: { hosts: [{ name: "node-1", networks: [{ name: "a", type: "transparent", adapterName: "Ethernet" }, { name: "b", type: "l2bridge", adapterName: "Ethernet", subnets: [{ prefix: "10.244.1.0/24" }] }] }] },
      pass: { hosts: [{ name: "node-1", networks: [{ name: "a", type: "transparent", adapterName: "Ethernet" }, { name: "b", type: "l2bridge", adapterName: "Ethernet 2", subnets: [{ prefix: "10.244.1.0/24" }] }] }] },
    },
  },
];
