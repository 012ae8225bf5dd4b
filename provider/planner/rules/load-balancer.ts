/** Rules on one load balancer's own lists: backends and port mappings. */
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
          const at = first.get(b);
          if (at === undefined) first.set(b, i);
          return at === undefined ? [] : [{ where: n.key, path: `${n.path}.backends.${i}`, message: `backend ${b} is listed twice (also backends.${at})` }];
        });
      }),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a", "a"], ports: [{ internal: 80, external: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], ports: [{ internal: 80, external: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
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
        return n.lb.ports.flatMap((p, i) => {
          const key = `${p.protocol ?? "tcp"}/${p.external}`;
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, i);
            return [];
          }
          return [{ where: n.key, path: `${n.path}.ports.${i}`, message: `${p.protocol ?? "tcp"} port ${p.external} is mapped twice (also ports.${first})` }];
        });
      }),
    example: {
      fail: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], ports: [{ internal: 80, external: 80 }, { internal: 8080, external: 80 }] }] }, { vipPool: "10.96.0.0/24" }),
      pass: single({ endpoints: [{ name: "a" }], loadBalancers: [{ name: "svc", vip: "10.96.0.10", backends: ["a"], ports: [{ internal: 80, external: 80 }, { internal: 8080, external: 8080 }] }] }, { vipPool: "10.96.0.0/24" }),
    },
  },
];
