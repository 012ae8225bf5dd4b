/**
 * Options Windows container networking does not support (Windows container networking
 * architecture docs, "unsupported features and network options":
 * https://learn.microsoft.com/virtualization/windowscontainers/container-networking/architecture#unsupported-features-and-network-options). The topology
 * accepts them only so these rules can say why and what to do instead.
 */
import type { TopologyEndpoint, TopologyNetwork } from "../topology";
import { at, type NetworkFields } from "../model";
import { single, type Report, type Rule, type RuleContext } from "./rule";

interface Option {
  id: string;
  /** The topology field, on a network or an endpoint. */
  field: keyof TopologyNetwork | keyof TopologyEndpoint;
  on: "network" | "endpoint";
  what: string;
  why: string;
  fix: string;
  fail: unknown;
  /** Where else the same option can be written (the resources' dns.options), found by the same rule. */
  also?: (ctx: RuleContext) => Report[];
}

const OPTIONS: Option[] = [
  {
    id: "encrypted-overlay",
    field: "encrypted",
    on: "network",
    what: "Encrypted overlay (Docker --opt encrypted, IPsec)",
    why: "Windows overlay networks do not encrypt VXLAN traffic and HNS has no IPsec option",
    fix: "remove encrypted; protect the underlay instead (IPsec policies on the hosts, or a private network)",
    fail: true,
  },
  {
    id: "http-proxy",
    field: "httpProxy",
    on: "network",
    what: "An HTTP proxy on the network",
    why: "HNS has no HTTP proxy setting for container networks",
    fix: "remove httpProxy; set HTTP_PROXY in the containers' environment",
    fail: "http://proxy:3128",
  },
  {
    id: "docker-internal",
    field: "internal",
    on: "network",
    what: "Docker --internal",
    why: "Windows has no internal-only option for nat networks",
    fix: 'remove internal; use type: "private" or "internal" for a network without outside access',
    fail: true,
  },
  {
    id: "docker-ip-range",
    field: "ipRange",
    on: "network",
    what: "Docker --ip-range",
    why: "HNS allocates from the whole subnet; it has no sub-range",
    fix: "remove ipRange; list the addresses to keep back in reserved:, or use a smaller subnet",
    fail: "10.244.1.128/25",
  },
  {
    id: "docker-aux-address",
    field: "auxAddresses",
    on: "network",
    what: "Docker --aux-address",
    why: "HNS has no auxiliary-address option",
    fix: "remove auxAddresses; list those addresses in reserved:",
    fail: { router: "10.244.1.5" },
  },
  {
    id: "docker-ipam-driver",
    field: "ipamDriver",
    on: "network",
    what: "Docker --ipam-driver",
    why: "Windows networks use HNS's own IPAM (Docker's Windows IPAM is a no-op)",
    fix: "remove ipamDriver; the planner allocates addresses and records them in the lock file",
    fail: "dhcp",
  },
  {
    id: "docker-ipam-opt",
    field: "ipamOptions",
    on: "network",
    what: "Docker --ipam-opt",
    why: "there is no IPAM driver to pass options to on Windows",
    fix: "remove ipamOptions; use reservations / reserved: for allocation policy",
    fail: { foo: "bar" },
  },
  {
    id: "docker-ipv6",
    field: "enableIpv6",
    on: "network",
    what: "Docker --ipv6",
    why: "Docker on Windows refuses IPv6 networks",
    fix: "remove enableIpv6; declare an IPv6 subnet on an l2bridge network (HNS 11.10+, rule feature-unsupported) instead",
    fail: true,
  },
  {
    id: "docker-ip6",
    field: "ip6",
    on: "endpoint",
    what: "Docker run --ip6",
    why: "Docker on Windows takes no static IPv6 address for a container",
    fix: "remove ip6; give a dual-stack endpoint its IPv6 address in ipv6Address, on an l2bridge network with an IPv6 subnet (HNS 11.10+, rule feature-unsupported)",
    fail: "fd00:10::5",
  },
  {
    id: "docker-dns-option",
    field: "dnsOptions",
    on: "endpoint",
    what: "Docker run --dns-option",
    why: "Windows containers take DNS servers and suffixes, not resolver options",
    fix: "remove dnsOptions (or dns.options); set dns.servers / dns.search on the network",
    fail: ["ndots:2"],
    also: (ctx) =>
      [
        ...ctx.model.networks.filter((n) => n.network.dns?.options?.length).map((n) => ({ where: n.key, path: n.path })),
        ...ctx.model.endpoints.filter((e) => e.endpoint.dns?.options?.length).map((e) => ({ where: e.key, path: e.path })),
      ].map((o) => ({ where: o.where, path: at(o, "dns.options"), message: "resolver options (Docker run --dns-option) are not supported: Windows containers take DNS servers and suffixes, not resolver options" })),
  },
];

export const unsupportedRules: Rule[] = OPTIONS.map((o) => ({
  id: o.id,
  severity: "error",
  title: `${o.what} is not supported on Windows`,
  source: "Microsoft, Windows container networking architecture, 'Unsupported features and network options' (learn.microsoft.com/virtualization/windowscontainers/container-networking/architecture)",
  fix: o.fix,
  check: (ctx) => [
    ...(o.on === "network"
      ? ctx.model.networks
          .filter((n) => n.network[o.field as keyof NetworkFields] !== undefined && n.network[o.field as keyof NetworkFields] !== false)
          .map((n) => ({ where: n.key, path: at(n, o.field), message: `${o.what} is not supported: ${o.why}` }))
      : ctx.model.endpoints
          .filter((e) => e.endpoint[o.field as keyof TopologyEndpoint] !== undefined)
          .map((e) => ({ where: e.key, path: at(e, o.field), message: `${o.what} is not supported: ${o.why}` }))),
    ...(o.also?.(ctx) ?? []),
  ],
  example:
    o.on === "network"
      ? { fail: single({ [o.field]: o.fail }), pass: single({}) }
      : { fail: single({ endpoints: [{ name: "web", [o.field]: o.fail }] }), pass: single({ endpoints: [{ name: "web" }] }) },
}));
