/**
 * Fit rules: what each network type takes, isolation ids, ports, ACLs, and the features and
 * limits of the host's declared HNS version (reference §1.7, §3).
 */
import { formatVersion, supports, type Feature } from "../../features";
import type { HnsVersion } from "../../hosts/client";
import { familyOf } from "../../net/cidr";
import type { NetworkType } from "../../resources/network/args";
import type { NetworkNode } from "../model";
import { overlayPeers } from "../policies";
import { single, type Report, type Rule } from "./rule";

/** Which network types take each planned intent (reference §1.4, §3; kube-proxy and CNI usage). */
const FITS: Record<string, { types: NetworkType[]; why: string }> = {
  ports: { types: ["nat", "ics", "l2bridge", "overlay"], why: "published ports are WinNAT port forwarding (nat, ics) or VFP host-port mappings (l2bridge, overlay)" },
  outboundNat: { types: ["l2bridge", "l2tunnel", "overlay"], why: "a nat network already NATs through WinNAT, and transparent, private and internal networks are not NATed" },
  loadBalancers: { types: ["l2bridge", "overlay"], why: "HNS load balancers are VFP rules on l2bridge and overlay networks (kube-proxy's winkernel mode)" },
  vxlanPort: { types: ["overlay"], why: "only overlay networks encapsulate in VXLAN" },
  hostRoute: { types: ["overlay"], why: "HostRoute is an overlay encapsulation policy" },
  adapterName: { types: ["transparent", "l2bridge", "l2tunnel", "overlay"], why: "only external vSwitches bind to a physical adapter" },
  vlan: { types: ["transparent", "l2bridge", "l2tunnel"], why: "VLAN isolation applies to external switches without encapsulation" },
  vsid: { types: ["overlay", "l2bridge"], why: "virtual subnet ids belong to VFP-based networks" },
};

function misfits(net: NetworkNode): Report[] {
  const n = net.network;
  const out: Report[] = [];
  const refuse = (intent: string, path: string) => {
    const fit = FITS[intent];
    if (!fit.types.includes(n.type)) {
      out.push({ where: net.key, path, message: `${intent} does not apply to a ${n.type} network: ${fit.why}`, fix: `remove it, or use a ${fit.types.join(" / ")} network` });
    }
  };
  (n.endpoints ?? []).forEach((e, i) => e.ports?.length && refuse("ports", `${net.path}.endpoints.${i}.ports`));
  if (n.outboundNat) refuse("outboundNat", `${net.path}.outboundNat`);
  if (n.loadBalancers?.length) refuse("loadBalancers", `${net.path}.loadBalancers`);
  if (n.vxlanPort !== undefined) refuse("vxlanPort", `${net.path}.vxlanPort`);
  if (n.hostRoute) refuse("hostRoute", `${net.path}.hostRoute`);
  if (n.adapterName !== undefined) refuse("adapterName", `${net.path}.adapterName`);
  net.subnets.forEach((s) => {
    if (s.subnet.vlan !== undefined) refuse("vlan", `${s.path}.vlan`);
    if (s.subnet.vsid !== undefined) refuse("vsid", `${s.path}.vsid`);
  });
  return out;
}

/** Where a topology uses a gated feature: [feature, path, what]. */
function featureUses(net: NetworkNode, hasPeers: boolean): [Feature, string, string][] {
  const n = net.network;
  const uses: [Feature, string, string][] = [];
  if (n.vxlanPort !== undefined) uses.push(["VxlanPort", `${net.path}.vxlanPort`, "a custom VXLAN port"]);
  if (n.hostRoute) uses.push(["HostRoute", `${net.path}.hostRoute`, "the HostRoute policy"]);
  if (hasPeers) uses.push(["RemoteSubnet", `${net.path}.remoteSubnetRoutes`, "remote subnet routes"]);
  (n.loadBalancers ?? []).forEach((lb, i) => {
    if (lb.dsr) uses.push(["DSR", `${net.path}.loadBalancers.${i}.dsr`, "direct server return"]);
    lb.ports.forEach((p, j) => {
      if (p.distribution && p.distribution !== "none") uses.push(["SessionAffinity", `${net.path}.loadBalancers.${i}.ports.${j}.distribution`, "session affinity"]);
    });
  });
  (n.endpoints ?? []).forEach((e, i) => e.acls?.length && uses.push(["AclRules", `${net.path}.endpoints.${i}.acls`, "ACL rules"]));
  if (net.subnets.some((s) => s.cidr.family === "ipv6")) uses.push(["IPv6DualStack", `${net.path}.subnets`, "IPv6 dual stack"]);
  return uses;
}

const atLeast = (v: HnsVersion, major: number, minor = 0) => v.Major > major || (v.Major === major && v.Minor >= minor);

/** IPv6 on Windows (reference §3): l2bridge from WS2022; transparent only self-assigned; never nat or overlay. */
function ipv6Misfit(net: NetworkNode): Report[] {
  const uses = [
    ...net.subnets.filter((s) => s.cidr.family === "ipv6").map((s) => `${s.path}.prefix`),
    ...(net.network.endpoints ?? []).flatMap((e, i) =>
      [e.ipAddress, e.ipv6Address].some((a) => a && familyOf(a) === "ipv6") ? [`${net.path}.endpoints.${i}`] : [],
    ),
  ];
  if (!uses.length) return [];
  const t = net.network.type;
  if (t === "l2bridge") {
    return atLeast(net.host.version, 13)
      ? []
      : [{ where: net.key, path: uses[0], message: `IPv6 on l2bridge needs Windows Server 2022 (HNS 13.0+); ${net.host.key} declares HNS ${formatVersion(net.host.version)}`, fix: "drop the IPv6 subnet, or declare a WS2022+ host (hnsVersion: ws2022)" }];
  }
  const why =
    t === "transparent"
      ? "a transparent network's IPv6 addresses are self-assigned (SLAAC) with no HNS IPAM, load balancing or ACLs"
      : `Windows does not support IPv6 on ${t} networks`;
  return [{ where: net.key, path: uses[0], message: why, fix: "remove the IPv6 subnet and addresses, or use an l2bridge network on Windows Server 2022+" }];
}

export const fitRules: Rule[] = [
  {
    id: "policy-network-type",
    severity: "error",
    title: "Policies and options fit the network type (ports, outbound NAT, load balancers, VXLAN, VLAN, VSID, adapter)",
    fix: "remove the option, or choose a network type that takes it",
    check: (ctx) => ctx.model.networks.flatMap(misfits),
    example: {
      fail: single({ type: "transparent", endpoints: [{ name: "web", ports: [{ internal: 80, external: 8080 }] }] }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "web", ports: [{ internal: 80, external: 8080 }] }] }),
    },
  },
  {
    id: "ipv6-network-type",
    severity: "error",
    title: "IPv6 only where Windows supports it: l2bridge on Windows Server 2022+, never nat or overlay",
    source: "Windows container networking docs: IPv6 (reference §3)",
    fix: "remove the IPv6 subnet and addresses, or use l2bridge on a WS2022+ host",
    check: (ctx) => ctx.model.networks.flatMap(ipv6Misfit),
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }, { prefix: "fd00:20::/64" }] }),
      pass: single({ type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }, { prefix: "fd00:244:1::/64" }] }, { hnsVersion: "ws2022" }),
    },
  },
  {
    id: "multiple-subnets",
    severity: "error",
    title: "More than one subnet per family only on l2bridge, l2tunnel and overlay, on Windows Server 2022+",
    source: "Windows container networking docs: multiple subnets (reference §3)",
    fix: "keep one subnet per address family, or use l2bridge / l2tunnel / overlay on WS2022+",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) => {
        const perFamily = (["ipv4", "ipv6"] as const).map((f) => net.subnets.filter((s) => s.cidr.family === f));
        const many = perFamily.find((list) => list.length > 1);
        if (!many) return [];
        const typeOk = ["l2bridge", "l2tunnel", "overlay"].includes(net.network.type);
        if (typeOk && atLeast(net.host.version, 13)) return [];
        return [
          {
            where: net.key,
            path: `${many[1].path}.prefix`,
            message: typeOk
              ? `several subnets on one network need Windows Server 2022 (HNS 13.0+); ${net.host.key} declares HNS ${formatVersion(net.host.version)}`
              : `a ${net.network.type} network takes one subnet per address family`,
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
    title: "VSIDs (VXLAN network ids) are 4096-16777215",
    source: "Windows reserves VSIDs below 4096 (reference §1.2, overlay docs)",
    fix: "use a VSID of 4096 or more (4096 is flannel's default)",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => s.subnet.vsid !== undefined && (s.subnet.vsid < 4096 || s.subnet.vsid > 16_777_215))
          .map((s) => ({ where: net.key, path: `${s.path}.vsid`, message: `VSID ${s.subnet.vsid} is outside 4096-16777215` })),
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
        .flatMap((net) => net.subnets.filter((s) => s.subnet.vsid === undefined).map((s) => ({ where: net.key, path: `${s.path}.vsid`, message: `overlay subnet ${s.cidr.text} has no VSID: HNS cannot encapsulate it` }))),
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
        .map((net) => ({ where: net.key, path: `${net.host.path}.providerAddress`, message: `${net.host.key} shares overlay ${net.network.name} with other hosts but has no providerAddress: peers cannot route to its pods` })),
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
    title: "VLAN ids are 1-4094",
    fix: "use a VLAN id from 1 to 4094",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => s.subnet.vlan !== undefined && (s.subnet.vlan < 1 || s.subnet.vlan > 4094))
          .map((s) => ({ where: net.key, path: `${s.path}.vlan`, message: `VLAN ${s.subnet.vlan} is outside 1-4094 (0 and 4095 are reserved by 802.1Q)` })),
      ),
    example: { fail: single({ type: "transparent", subnets: [{ prefix: "10.0.5.0/24", vlan: 4095 }] }), pass: single({ type: "transparent", subnets: [{ prefix: "10.0.5.0/24", vlan: 5 }] }) },
  },
  {
    id: "host-port-conflict",
    severity: "error",
    title: "A host port (protocol + external port) is published once per host",
    source: "NAT port forwarding is per host; HNS refuses a second mapping with HCN_E_PORT_ALREADY_EXISTS",
    fix: "pick another external port for one of them",
    check: (ctx) => {
      const out: Report[] = [];
      const owners = new Map<string, string>();
      for (const ep of ctx.model.endpoints) {
        (ep.endpoint.ports ?? []).forEach((p, i) => {
          const k = `${ep.net.host.key}\0${p.protocol ?? "tcp"}\0${p.external}`;
          const first = owners.get(k);
          if (first !== undefined) {
            out.push({ where: ep.key, path: `${ep.path}.ports.${i}.external`, message: `${p.protocol ?? "tcp"} port ${p.external} on ${ep.net.host.key} is already published by ${first}` });
          } else owners.set(k, ep.key);
        });
      }
      return out;
    },
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internal: 80, external: 8080 }] }, { name: "b", ports: [{ internal: 80, external: 8080 }] }] }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "a", ports: [{ internal: 80, external: 8080 }] }, { name: "b", ports: [{ internal: 80, external: 8081 }] }] }),
    },
  },
  {
    id: "acl-priority-clash",
    severity: "error",
    title: "Two ACL rules of one endpoint and direction do not share a priority",
    source: "VFP evaluates rules by priority; equal priorities leave the order (allow vs block) undefined",
    fix: "give each rule of a direction its own priority",
    check: (ctx) =>
      ctx.model.endpoints.flatMap((ep) => {
        const seen = new Map<string, number>();
        const out: Report[] = [];
        (ep.endpoint.acls ?? []).forEach((a, i) => {
          const k = `${a.direction}\0${a.priority}`;
          const first = seen.get(k);
          if (first !== undefined) out.push({ where: ep.key, path: `${ep.path}.acls.${i}.priority`, message: `acls.${i} and acls.${first} are both ${a.direction}bound at priority ${a.priority}` });
          else seen.set(k, i);
        });
        return out;
      }),
    example: {
      fail: single({ endpoints: [{ name: "web", acls: [{ action: "allow", direction: "in", priority: 100, localPorts: [80] }, { action: "block", direction: "in", priority: 100 }] }] }),
      pass: single({ endpoints: [{ name: "web", acls: [{ action: "allow", direction: "in", priority: 100, localPorts: [80] }, { action: "block", direction: "in", priority: 200 }] }] }),
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
        if (atLeast(h.version, 9, 2)) return [];
        const nats = ctx.model.networks.filter((n) => n.host === h && n.network.type === "nat");
        return nats.slice(1).map((n) => ({ where: n.key, path: `${n.path}.type`, message: `${h.key} declares HNS ${formatVersion(h.version)}, which allows one NAT network; ${nats[0].key} is already one` }));
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
    check: (ctx) =>
      ctx.model.hosts
        .filter((h) => h.host.networks?.length && !supports(h.version, "V2Api"))
        .map((h) => ({ where: h.key, path: `${h.path}.hnsVersion`, message: `${h.key} declares HNS ${formatVersion(h.version)}, which has no HCN v2 API` })),
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { hnsVersion: "7.2" }),
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
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], dsr: true, ports: [{ internal: 80, external: 80 }] }] }, { hnsVersion: "10.1" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], dsr: true, ports: [{ internal: 80, external: 80 }] }] }, { hnsVersion: "ws2022" }),
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
        if (first) out.push({ where: net.key, path: `${net.path}.adapterName`, message: `adapter "${a}" already carries ${first}'s external vSwitch` });
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
