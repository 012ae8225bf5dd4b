/**
 * Rules over policies written in HCN's own JSON (`policies: [{ Type, Settings }]` on networks
 * and endpoints). The HCN schemas accept what real hosts print, which includes values HNS
 * refuses on input; these rules hold such policies to what a create may send, so a raw policy
 * cannot bypass what its typed counterpart (`ports`, `acls`, `outboundNat`) is held to.
 */
import { NETWORK_TYPE_TRAITS, TRAIT_REASONS, VLAN_RANGE, VSID_RANGE, inRange, rangeText } from "../../vocabulary/facts";
import { at, type EndpointNode } from "../model";
import { single, type Report, type Rule, type RuleContext } from "./rule";

type Raw = { Type: string; Settings?: Record<string, unknown> };

/**
 * The endpoints' raw policies (of the given types, or all), each with its endpoint and path.
 * One pass that allocates only for what it finds: a plan of 10,000 endpoints mostly has none.
 */
function rawEndpointPolicies(ctx: RuleContext, ...types: string[]): { ep: EndpointNode; policy: Raw; path: string }[] {
  const found: { ep: EndpointNode; policy: Raw; path: string }[] = [];
  for (const ep of ctx.model.endpoints) {
    const list = ep.endpoint.policies as Raw[] | undefined;
    if (!list?.length) continue;
    list.forEach((policy, i) => {
      if (!types.length || types.includes(policy.Type)) found.push({ ep, policy, path: at(ep, `policies.${i}`) });
    });
  }
  return found;
}

export const hcnPolicyRules: Rule[] = [
  {
    id: "hcn-port-mapping",
    severity: "error",
    title: "A PortMapping policy sits on a network type that publishes ports and names both ports",
    fix: "give InternalPort and ExternalPort on a nat, ics, l2bridge or overlay network, or use the endpoint's ports instead",
    source: "hcsshim hcn/hcnpolicy.go PortMappingPolicySetting; HNS refuses port 0 (HCN_E_INVALID_INTERNAL_PORT). The values themselves (ports, protocol, VIP, flags) are value types, judged where the policy is parsed (provider/hcn/policy-input.ts)",
    check: (ctx) =>
      rawEndpointPolicies(ctx, "PortMapping").flatMap(({ ep, policy, path }): Report[] => {
        const s = policy.Settings ?? {};
        const out: Report[] = [];
        const type = ep.net.network.type;
        if (!NETWORK_TYPE_TRAITS[type].ports) {
          out.push({ where: ep.key, path, message: `a ${type} network publishes no ports: ${TRAIT_REASONS.ports}` });
        }
        for (const port of ["InternalPort", "ExternalPort"] as const) {
          if (s[port] === undefined) out.push({ where: ep.key, path: `${path}.Settings.${port}`, message: `${port} is missing: HNS refuses the mapping` });
        }
        return out;
      }),
    example: {
      fail: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "web", policies: [{ Type: "PortMapping", Settings: { Protocol: 6, ExternalPort: 8080 } }] }] }),
      pass: single({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], endpoints: [{ name: "web", policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 8080 } }] }] }),
    },
  },
  {
    id: "hcn-acl-priority-clash",
    severity: "error",
    title: "Two ACL policies of one endpoint and direction, raw or planned, do not share a priority",
    fix: "give each ACL rule of a direction its own Priority",
    source: "VFP evaluates rules of one layer by priority; two rules at one priority have no defined order (Microsoft, 'Windows container network ACLs')",
    check: (ctx) => {
      // Priorities seen per endpoint. Planned acls come first in the final list (policy planner
      // order), so a raw one clashes with them.
      const seenBy = new Map<EndpointNode, Map<string, string>>();
      const seenOf = (ep: EndpointNode) => {
        let seen = seenBy.get(ep);
        if (!seen) {
          seen = new Map((ep.endpoint.acls ?? []).map((a, i) => [`${a.direction.toLowerCase()}/${a.priority}`, `acls.${i}`]));
          seenBy.set(ep, seen);
        }
        return seen;
      };
      return rawEndpointPolicies(ctx, "ACL").flatMap(({ ep, policy, path }): Report[] => {
        const s = policy.Settings ?? {};
        if (typeof s.Priority !== "number" || typeof s.Direction !== "string") return [];
        const seen = seenOf(ep);
        const key = `${s.Direction.toLowerCase()}/${s.Priority}`;
        const first = seen.get(key);
        const here = path.slice(ep.path.length + 1);
        if (!first) {
          seen.set(key, here);
          return [];
        }
        return [{ where: ep.key, path: `${path}.Settings.Priority`, message: `${here} and ${first} are both ${s.Direction}bound ACL rules at priority ${s.Priority}` }];
      });
    },
    example: {
      fail: single({ endpoints: [{ name: "web", policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100 } }, { Type: "ACL", Settings: { Action: "Block", Direction: "In", Priority: 100 } }] }] }),
      pass: single({ endpoints: [{ name: "web", policies: [{ Type: "ACL", Settings: { Action: "Allow", Direction: "In", Priority: 100 } }, { Type: "ACL", Settings: { Action: "Block", Direction: "In", Priority: 200 } }] }] }),
    },
  },
  {
    id: "hcn-isolation-policy",
    severity: "error",
    title: "A raw VLAN or VSID endpoint policy sits on a network type that takes it, with an id in range",
    fix: "use the network's (or subnet's) vlan / vsid instead, on a type that takes it, with a VLAN of 1-4094 or a VSID of 4096-16777215",
    source: "hcsshim hcn/hcnpolicy.go VlanPolicySetting / VsidPolicySetting; VLAN ids per IEEE 802.1Q; Windows reserves VSIDs below 4096",
    check: (ctx) =>
      rawEndpointPolicies(ctx, "VLAN", "VSID").flatMap(({ ep, policy, path }): Report[] => {
        const type = ep.net.network.type;
        const trait = policy.Type === "VLAN" ? "vlan" : "vsid";
        const range = policy.Type === "VLAN" ? VLAN_RANGE : VSID_RANGE;
        const id = Number(policy.Settings?.IsolationId);
        if (!NETWORK_TYPE_TRAITS[type][trait]) return [{ where: ep.key, path, message: `a ${policy.Type} policy does not apply to a ${type} network: ${TRAIT_REASONS[trait]}` }];
        if (!inRange(range, id)) return [{ where: ep.key, path: `${path}.Settings.IsolationId`, message: `${policy.Type} ${String(policy.Settings?.IsolationId)} is outside ${rangeText(range)}` }];
        return [];
      }),
    example: {
      fail: single({ type: "overlay", subnets: [{ prefix: "10.244.1.0/24", vsid: 5000 }], endpoints: [{ name: "web", policies: [{ Type: "VLAN", Settings: { IsolationId: 11 } }] }] }),
      pass: single({ type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], endpoints: [{ name: "web", policies: [{ Type: "VLAN", Settings: { IsolationId: 11 } }] }] }),
    },
  },
  {
    id: "ipsec-encryption",
    severity: "error",
    title: "No Encryption (IPsec) endpoint policy: encrypting container traffic with IPsec is not supported on Windows",
    fix: "remove the Encryption policy; encrypt at the application layer (TLS) or use a VPN between hosts",
    source: "Microsoft, Windows container networking, 'Unsupported features and network options': IPsec encryption of container communication is not supported",
    check: (ctx) =>
      rawEndpointPolicies(ctx, "Encryption").map(({ ep, path }) => ({ where: ep.key, path, message: "an Encryption (IPsec) policy is not supported for Windows container traffic" })),
    example: {
      fail: single({ endpoints: [{ name: "web", policies: [{ Type: "Encryption", Settings: {} }] }] }),
      pass: single({ endpoints: [{ name: "web" }] }),
    },
  },
];
