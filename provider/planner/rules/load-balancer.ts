/** Rules on load balancers' lists (backends, port mappings) and on their frontends across a host. */
import { canonicalIp } from "../../vocabulary/net/cidr";
import { at, fieldName } from "../model";
import { single, type Rule } from "./rule";

export const loadBalancerRules: Rule[] = [
  {
    id: "lb-backend-duplicate",
    severity: "error",
    title: "A load balancer lists each backend once",
    fix: "list each backend endpoint once",
    source: "hcsshim hcn/hcnloadbalancer.go: HostComputeEndpoints is a set of endpoint IDs; a repeated one would be weighted twice or refused",
    check: (ctx) =>
      ctx.model.loadBalancers.flatMap((n) => {
        // One map per load balancer: 10,000 backends are judged in linear time.
        const first = new Map<string, number>();
        return n.lb.backends.flatMap((b, i) => {
          const earlier = first.get(b);
          if (earlier === undefined) first.set(b, i);
          return earlier === undefined ? [] : [{ where: n.key, path: at(n, `backends.${i}`), message: `backend ${b} is listed twice (also ${fieldName(n, "backends")}.${earlier})` }];
        });
      }),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a", "a"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
    },
  },
  {
    id: "lb-port-duplicate",
    severity: "error",
    title: "A load balancer maps each frontend port (protocol + external port) once",
    fix: "merge the two mappings, or give one another external port",
    source: "VFP matches a load balancer's frontend on VIP, protocol and port; two mappings of one frontend cannot both be chosen",
    check: (ctx) =>
      ctx.model.loadBalancers.flatMap((n) => {
        const seen = new Map<string, number>();
        return n.lb.portMappings.flatMap((p, i) => {
          const key = `${p.protocol ?? "tcp"}/${p.externalPort}`;
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, i);
            return [];
          }
          return [{ where: n.key, path: at(n, `portMappings.${i}`), message: `${p.protocol ?? "tcp"} port ${p.externalPort} is mapped twice (also ${fieldName(n, "portMappings")}.${first})` }];
        });
      }),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }, { internalPort: 8080, externalPort: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }, { internalPort: 8080, externalPort: 8080 }] }] }, { vipPool: "10.96.0.0/24" }),
    },
  },
  {
    id: "lb-frontend-conflict",
    severity: "error",
    title: "A frontend (VIP, protocol and external port) belongs to one load balancer of a host",
    fix: "give one of them another VIP or external port, or merge their backends into one load balancer",
    source: "VFP matches a load balancer's frontend on VIP, protocol and port on the host, so two load balancers of one frontend leave which answers undefined; kube-proxy's winkernel proxier looks up an existing load balancer of the same VIP, protocol and ports before making one (kubernetes pkg/proxy/winkernel/hns.go getLoadBalancer)",
    check: (ctx) => {
      const owners = new Map<string, string>();
      // Given VIPs only: the planner hands each allocated VIP to one load balancer.
      return ctx.model.loadBalancers.flatMap((n) => {
        if (!n.lb.vip) return [];
        const vip = canonicalIp(n.lb.vip) ?? n.lb.vip;
        return n.lb.portMappings.flatMap((p, i) => {
          const key = `${n.net.host.key}\0${vip}\0${p.protocol ?? "tcp"}\0${p.externalPort}`;
          const first = owners.get(key);
          if (first === undefined) {
            owners.set(key, n.key);
            return [];
          }
          return first === n.key ? [] : [{ where: n.key, path: at(n, `portMappings.${i}.externalPort`), message: `${p.protocol ?? "tcp"} ${n.lb.vip}:${p.externalPort} is already the frontend of ${first}` }];
        });
      });
    },
    example: {
      fail: single({
        endpoints: [{ name: "a" }, { name: "b" }],
        loadBalancers: [
          { name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] },
          { name: "svc2", vip: "10.96.0.10", backends: ["b"], portMappings: [{ internalPort: 8080, externalPort: 80 }] },
        ],
      }),
      pass: single({
        endpoints: [{ name: "a" }, { name: "b" }],
        loadBalancers: [
          { name: "svc", vip: "10.96.0.10", backends: ["a"], portMappings: [{ internalPort: 80, externalPort: 80 }] },
          { name: "svc2", vip: "10.96.0.10", backends: ["b"], portMappings: [{ internalPort: 8080, externalPort: 8080 }] },
        ],
      }),
    },
  },
];
