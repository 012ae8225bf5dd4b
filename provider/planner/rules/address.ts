/** Address rules: prefixes, gateways, static addresses, pools, names. */
import { NETWORK_TYPE_TRAITS } from "../../vocabulary/facts";
import { contains, overlaps } from "../../vocabulary/net/cidr";
import type { IpamIssue } from "../ipam";
import { at, type NetworkNode, type Place, type SubnetNode } from "../model";
import { single, type Report, type Rule, type RuleContext } from "./rule";

function issues<K extends IpamIssue["kind"]>(ctx: RuleContext, kind: K): Extract<IpamIssue, { kind: K }>[] {
  return ctx.ipam.issues.filter((i): i is Extract<IpamIssue, { kind: K }> => i.kind === kind);
}

/** Pairs of overlapping subnets, found with one sort and a sweep instead of comparing all pairs. */
function overlappingPairs(subnets: { node: SubnetNode; net: NetworkNode }[]): [(typeof subnets)[number], (typeof subnets)[number]][] {
  const sorted = [...subnets].sort((a, b) =>
    a.node.cidr.family !== b.node.cidr.family ? (a.node.cidr.family < b.node.cidr.family ? -1 : 1) : a.node.cidr.base < b.node.cidr.base ? -1 : a.node.cidr.base > b.node.cidr.base ? 1 : 0,
  );
  const pairs: [(typeof subnets)[number], (typeof subnets)[number]][] = [];
  const open: (typeof subnets)[number][] = [];
  for (const s of sorted) {
    // Drop the open intervals that end before this one starts; the rest overlap it.
    for (let i = open.length - 1; i >= 0; i--) if (!overlaps(open[i].node.cidr, s.node.cidr)) open.splice(i, 1);
    for (const o of open) pairs.push([o, s]);
    open.push(s);
  }
  return pairs;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const describe = (s: { node: SubnetNode; net: NetworkNode }) => `${s.net.key} (${s.node.cidr.text})`;

export const addressRules: Rule[] = [
  {
    id: "subnet-required",
    severity: "error",
    title: "A network with endpoints declares a subnet of each address family it uses (nat, ics, private and internal networks get HNS's default prefix)",
    fix: "add subnets: [{ prefix: ... }] to the network, so addresses are concrete in a preview",
    check: (ctx) => [
      // HNS refuses these types without a static subnet whether or not they have endpoints.
      ...ctx.model.networks
        .filter((n) => !n.subnets.length && NETWORK_TYPE_TRAITS[n.network.type].staticSubnetRequired)
        .map((n) => ({ where: n.key, path: at(n, "subnets"), message: `a ${n.network.type} network needs a static subnet: HNS refuses one without (HCN_E_INVALID_SUBNET)` })),
      ...issues(ctx, "no-subnet")
        .filter((i) => !ctx.model.networks.some((n) => i.key.startsWith(`${n.key}/`) && !n.subnets.length && NETWORK_TYPE_TRAITS[n.network.type].staticSubnetRequired))
        .map((i) => ({
          where: i.key,
          path: i.path,
          message: `${i.key} needs an ${i.family === "ipv4" ? "IPv4" : "IPv6"} address but its network declares no ${i.family === "ipv4" ? "IPv4" : "IPv6"} subnet: the planner cannot allocate one offline (HNS would pick at create time, invisible to a preview)`,
        })),
    ],
    example: { fail: single({ type: "l2bridge", subnets: undefined, endpoints: [{ name: "web" }] }), pass: single({ type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], endpoints: [{ name: "web" }] }) },
  },
  {
    id: "gateway-outside-subnet",
    severity: "error",
    title: "A subnet's gateway lies inside its prefix",
    fix: "pick a gateway inside the prefix (usually its first address), or omit it",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => s.subnet.gateway !== undefined && !contains(s.cidr, s.subnet.gateway))
          .map((s) => ({ where: net.key, path: at(s, "gateway"), message: `gateway ${s.subnet.gateway} is outside ${s.cidr.text}: HNS refuses it (HCN_E_INVALID_SUBNET)` })),
      ),
    example: {
      fail: single({ subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.2.1" }] }),
      pass: single({ subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.1" }] }),
    },
  },
  {
    id: "address-outside-subnet",
    severity: "error",
    title: "A static address lies inside one of its network's subnets",
    fix: "use an address inside the network's subnets, or omit it to have one allocated",
    check: (ctx) =>
      issues(ctx, "outside").map((i) => ({
        where: i.key,
        path: i.path,
        message: `${i.address} is not in ${i.prefixes.join(" or ")}: HNS refuses it (HCN_E_INVALID_IP)`,
      })),
    example: { fail: single({ endpoints: [{ name: "web", ipAddress: "10.9.9.9" }] }), pass: single({ endpoints: [{ name: "web", ipAddress: "10.244.1.9" }] }) },
  },
  {
    id: "address-reserved",
    severity: "error",
    title: "A static address is not the network, gateway, broadcast or a reserved address",
    fix: "pick another address, or omit it to have one allocated",
    check: (ctx) =>
      issues(ctx, "reserved").map((i) => ({
        where: i.key,
        path: i.path,
        message: `${i.address} is reserved in ${i.pool} (network, gateway or broadcast address, the reservation convention, or reserved:)`,
      })),
    example: { fail: single({ endpoints: [{ name: "web", ipAddress: "10.244.1.1" }] }), pass: single({ endpoints: [{ name: "web", ipAddress: "10.244.1.10" }] }) },
  },
  {
    id: "address-duplicate",
    severity: "error",
    title: "No two endpoints of a network share an address (static or locked)",
    fix: "give one of them another address, or omit it to have one allocated",
    check: (ctx) =>
      issues(ctx, "duplicate").map((i) => ({
        where: i.key,
        path: i.path,
        message: `${i.address} is wanted by both ${i.other} and ${i.key}`,
      })),
    example: {
      fail: single({ endpoints: [{ name: "a", ipAddress: "10.244.1.10" }, { name: "b", ipAddress: "10.244.1.10" }] }),
      pass: single({ endpoints: [{ name: "a", ipAddress: "10.244.1.10" }, { name: "b", ipAddress: "10.244.1.11" }] }),
    },
  },
  {
    id: "pool-exhausted",
    severity: "error",
    title: "Every endpoint and VIP gets an address from its pool",
    fix: "use a larger prefix, add a subnet, or remove endpoints",
    check: (ctx) => issues(ctx, "exhausted").map((i) => ({ where: i.key, path: i.path, message: `no free address left in ${i.pool} for ${i.key}` })),
    example: {
      fail: single({ subnets: [{ prefix: "10.244.1.0/30" }], endpoints: [{ name: "a" }, { name: "b" }] }),
      pass: single({ subnets: [{ prefix: "10.244.1.0/29" }], endpoints: [{ name: "a" }, { name: "b" }] }),
    },
  },
  {
    id: "vip-pool-missing",
    severity: "error",
    title: "A load balancer without a vip has a VIP pool to take one from",
    fix: "set the load balancer's vip, or a vipPool on its domain (or host)",
    check: (ctx) => issues(ctx, "no-vip-pool").map((i) => ({ where: i.key, path: i.path, message: `${i.key} has no vip and no vipPool covers its host` })),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
    },
  },
  {
    id: "prefix-overlap-host",
    severity: "error",
    title: "Subnets on one host do not overlap",
    fix: "give each network of the host its own prefix",
    check: (ctx) => {
      const byHost = new Map<string, { node: SubnetNode; net: NetworkNode }[]>();
      for (const net of ctx.model.networks) for (const node of net.subnets) push(byHost, net.host.key, { node, net });
      return [...byHost.values()].flatMap((list) =>
        overlappingPairs(list).map(([a, b]) =>
          a.net === b.net
            ? { where: b.net.key, path: at(b.node, "prefix"), message: `${b.node.cidr.text} overlaps ${a.node.cidr.text}, another subnet of the same network`, fix: "give each subnet of the network its own prefix, or merge them into one" }
            : { where: b.net.key, path: at(b.node, "prefix"), message: `${describe(b)} overlaps ${describe(a)} on the same host: routing between them is ambiguous` },
        ),
      );
    },
    example: {
      fail: { hosts: [{ name: "node-1", networks: [{ name: "a", type: "nat", subnets: [{ prefix: "172.20.0.0/16" }] }, { name: "b", type: "nat", subnets: [{ prefix: "172.20.5.0/24" }] }] }] },
      pass: { hosts: [{ name: "node-1", networks: [{ name: "a", type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }, { name: "b", type: "nat", subnets: [{ prefix: "172.20.5.0/24" }] }] }] },
    },
  },
  {
    id: "prefix-overlap-domain",
    severity: "error",
    title: "Subnets on different hosts of one L2 domain (cluster) do not overlap",
    fix: "give each host its own slice of the cluster range (e.g. 10.244.<n>.0/24 per node, flannel host-gw style)",
    check: (ctx) => {
      const byDomain = new Map<string, { node: SubnetNode; net: NetworkNode }[]>();
      for (const net of ctx.model.networks) {
        if (!net.host.host.domain) continue;
        // A defaulted prefix sits behind the host's own NAT: it is never on the shared segment.
        for (const node of net.subnets) if (!node.defaulted) push(byDomain, net.host.domain, { node, net });
      }
      return [...byDomain.values()].flatMap((list) =>
        overlappingPairs(list)
          .filter(([a, b]) => a.net.host !== b.net.host)
          .map(([a, b]) => ({
            where: b.net.key,
            path: at(b.node, "prefix"),
            message: `${describe(b)} overlaps ${describe(a)} in domain ${b.net.host.host.domain}: both hosts would claim the same addresses on one L2 segment`,
          })),
      );
    },
    example: {
      fail: {
        hosts: [
          { name: "node-1", domain: "k8s", networks: [{ name: "cbr0", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] }] },
          { name: "node-2", domain: "k8s", networks: [{ name: "cbr0", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] }] },
        ],
      },
      pass: {
        hosts: [
          { name: "node-1", domain: "k8s", networks: [{ name: "cbr0", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }] }] },
          { name: "node-2", domain: "k8s", networks: [{ name: "cbr0", type: "l2bridge", subnets: [{ prefix: "10.244.2.0/24" }] }] },
        ],
      },
    },
  },
  {
    id: "duplicate-name",
    severity: "error",
    title: "Names are unique: hosts, domains, networks on a host, endpoints and load balancers in a network",
    fix: "rename one of them (names key the lock file and HNS refuses duplicate network names)",
    check: (ctx) => {
      const out: Report[] = [];
      // One name table per scope (the topology, a host, a network): no key strings to build.
      const tables = new Map<unknown, Map<string, string>>();
      const once = (scope: unknown, name: string, where: string, place: Place, key = name) => {
        let seen = tables.get(scope);
        if (!seen) tables.set(scope, (seen = new Map()));
        const first = seen.get(key);
        if (first !== undefined) out.push({ where, path: at(place, "name"), message: `"${name}" is declared twice (first at ${first})` });
        else seen.set(key, place.label ?? place.path);
      };
      for (const { domain, path } of ctx.model.domainList) once("domain", domain.name, domain.name, { path });
      for (const h of ctx.model.hosts) once("host", h.host.name, h.key, h);
      // A host's network names are one name whatever their case: the emulator refuses "Web"
      // beside "web" as HNS_E_NETWORK_ALREADY_EXISTS (provider/hosts/emulator/network.ts createNetwork).
      for (const n of ctx.model.networks) once(n.host, n.network.name, n.key, n, n.network.name.toLowerCase());
      for (const e of ctx.model.endpoints) once(e.net, e.endpoint.name, e.key, e);
      for (const l of ctx.model.loadBalancers) once(l.net, l.lb.name, l.key, l);
      return out;
    },
    example: {
      fail: single({ endpoints: [{ name: "web" }, { name: "web" }] }),
      pass: single({ endpoints: [{ name: "web-1" }, { name: "web-2" }] }),
    },
  },
  {
    id: "lb-backend-unknown",
    severity: "error",
    title: "A load balancer's backends are endpoints of its network",
    fix: "list endpoint names declared in the same network",
    check: (ctx) =>
      ctx.model.loadBalancers.flatMap((lb) => {
        const names = new Set(lb.net.endpoints.map((e) => e.endpoint.name));
        return lb.lb.backends
          .map((b, i) => ({ b, i }))
          .filter(({ b }) => !names.has(b))
          .map(({ b, i }) => ({ where: lb.key, path: at(lb, `backends.${i}`), message: `backend "${b}" is not an endpoint of ${lb.net.key}` }));
      }),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["b"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }),
    },
  },
];
