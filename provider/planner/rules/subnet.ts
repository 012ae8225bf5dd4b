/** Rules on a subnet's own size and gateway, before any address is handed out of it. */
import { addressAt, broadcastOffset, offsetOf, type Cidr } from "../../vocabulary/net/cidr";
import { at } from "../model";
import { single, type Rule } from "./rule";

/**
 * The longest prefix that still holds the network address, a gateway, an endpoint and (IPv4)
 * the broadcast address: /30 for IPv4, /126 for IPv6 (which has no broadcast but keeps its
 * subnet-router anycast address, RFC 4291 §2.6.1).
 */
const LONGEST_PREFIX = { ipv4: 30, ipv6: 126 } as const;

/**
 * What is wrong with a route's next hop on a network of these subnets (rule route-next-hop):
 * inside a subnet, neither its network nor its broadcast address (the Route schema has already
 * held it to the destination's family). Subnet routes and an Endpoint's own routes (with its
 * network known) are judged by it.
 */
export function nextHopProblem(route: { destination: string; nextHop: string }, subnets: Cidr[]): string | undefined {
  const inside = subnets.find((c) => offsetOf(c, route.nextHop) !== undefined);
  if (!inside) return `next hop ${route.nextHop} is in none of the network's subnets (${subnets.map((c) => c.text).join(", ")}), so no endpoint can reach it`;
  const off = offsetOf(inside, route.nextHop);
  const what = off === 0n ? "the network address" : off === broadcastOffset(inside) ? "the broadcast address" : undefined;
  return what && `next hop ${route.nextHop} is ${what} of ${inside.text}`;
}

export const subnetRules: Rule[] = [
  {
    id: "vlan-or-vsid",
    severity: "error",
    title: "A subnet is isolated by a VLAN or by a VSID, not both",
    fix: "keep one of vlan and vsid on the subnet",
    source: "HCN subnet policies: a VLAN policy tags frames on the physical switch, a VSID policy isolates in VFP; hcsshim hcn/hcnpolicy.go defines them as alternatives (VLAN, VSID) for a subnet",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => s.subnet.vlan !== undefined && s.subnet.vsid !== undefined)
          .map((s) => ({ where: net.key, path: at(s, "vsid"), message: `subnet ${s.cidr.text} declares VLAN ${s.subnet.vlan} and VSID ${s.subnet.vsid}` })),
      ),
    example: { fail: single({ subnets: [{ prefix: "10.244.1.0/24", vlan: 11, vsid: 5000 }] }), pass: single({ subnets: [{ prefix: "10.244.1.0/24", vsid: 5000 }] }) },
  },
  {
    id: "subnet-size",
    severity: "error",
    title: "A subnet leaves room for its gateway and an endpoint, and is not the whole address space",
    fix: "use a prefix of /30 or shorter (IPv6: /126), other than 0.0.0.0/0 or ::/0; to let HNS pick a NAT prefix, omit subnets",
    source: "HNS reserves the network address and the gateway of each subnet (and the IPv4 broadcast address); Docker sends 0.0.0.0/0 only as a placeholder for 'let HNS pick' (moby libnetwork windowsipam)",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets
          .filter((s) => !s.defaulted)
          .flatMap((s) => {
            if (s.cidr.prefixLength === 0) {
              return [{ where: net.key, path: at(s, "prefix"), message: `${s.cidr.text} is the whole address space, which HNS cannot number a network from (Docker's 0.0.0.0/0 means "HNS picks")` }];
            }
            if (s.cidr.prefixLength > LONGEST_PREFIX[s.cidr.family]) {
              return [{ where: net.key, path: at(s, "prefix"), message: `${s.cidr.text} holds no address for an endpoint once the network address and the gateway${s.cidr.family === "ipv4" ? " (and broadcast)" : ""} are reserved` }];
            }
            return [];
          }),
      ),
    example: { fail: single({ subnets: [{ prefix: "10.244.1.0/31" }] }), pass: single({ subnets: [{ prefix: "10.244.1.0/30" }] }) },
  },
  {
    id: "gateway-reserved",
    severity: "error",
    title: "A subnet's gateway is neither its network address nor its broadcast address",
    fix: "use a host address of the prefix as the gateway (usually its first), or omit it",
    source: "IPv4 subnets: the all-zeros and all-ones host addresses name the network and its broadcast (RFC 919, RFC 922); no host can answer at them",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets.flatMap((s) => {
          const gw = s.subnet.gateway;
          const off = gw === undefined ? undefined : offsetOf(s.cidr, gw);
          if (off === undefined) return []; // absent, or outside: gateway-outside-subnet says so
          const what = off === 0n ? "the network address" : off === broadcastOffset(s.cidr) ? "the broadcast address" : undefined;
          return what ? [{ where: net.key, path: at(s, "gateway"), message: `gateway ${gw} is ${what} of ${s.cidr.text}; the first host address is ${addressAt(s.cidr, 1n)}` }] : [];
        }),
      ),
    example: {
      fail: single({ subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.255" }] }),
      pass: single({ subnets: [{ prefix: "10.244.1.0/24", gateway: "10.244.1.1" }] }),
    },
  },
  {
    id: "route-next-hop",
    severity: "error",
    title: "A subnet route's next hop is a host address inside one of the network's subnets",
    fix: "use as next hop a router inside one of the network's subnets (often the gateway)",
    source: "A next hop is an on-link neighbour: Windows resolves it on the endpoint's own interface (RFC 1812 §5.2.1 for IPv4 next hops; HNS's Route has DestinationPrefix and NextHop, hcsshim hcn/hcnnetwork.go); a network or broadcast address answers for no host",
    check: (ctx) =>
      ctx.model.networks.flatMap((net) =>
        net.subnets.flatMap((s) =>
          (s.subnet.routes ?? []).flatMap((r, i) => {
            const message = nextHopProblem(r, net.subnets.map((x) => x.cidr));
            return message ? [{ where: net.key, path: at(s, `routes.${i}.nextHop`), message }] : [];
          }),
        ),
      ),
    example: {
      fail: single({ subnets: [{ prefix: "10.244.1.0/24", routes: [{ destination: "10.96.0.0/12", nextHop: "10.245.0.1" }] }] }),
      pass: single({ subnets: [{ prefix: "10.244.1.0/24", routes: [{ destination: "10.96.0.0/12", nextHop: "10.244.1.1" }] }] }),
    },
  },
];
