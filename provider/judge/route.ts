/**
 * SDN routes (a Policy of kind "route") have no counterpart in the topology document, so their
 * rules live here; the facts they use come from the one module of HNS facts.
 */
import { familyOf, parseCidr } from "../net/cidr";
import type { CheckFailure } from "../errors";
import { resourceRuleFailure } from "./rules";
import { UNKNOWN } from "../resources/common";

interface RouteFacts {
  endpoints: string[];
  routes: { destinationPrefix: string; nextHop: string }[];
}

export function judgeRoute(args: RouteFacts): CheckFailure[] {
  const out: CheckFailure[] = [];
  args.endpoints.forEach((id, i) => {
    // In a preview every endpoint not created yet is the same "unknown" placeholder: not a repeat.
    if (id === UNKNOWN) return;
    const first = args.endpoints.findIndex((x) => x.toLowerCase() === id.toLowerCase());
    if (first < i) out.push(resourceRuleFailure("route-endpoint-duplicate", `endpoints.${i}`, `endpoint ${id} is listed twice (also endpoints.${first})`));
  });
  args.routes.forEach((r, i) => {
    const dest = parseCidr(r.destinationPrefix);
    const hop = familyOf(r.nextHop);
    if (dest && hop && hop !== dest.family) {
      out.push(resourceRuleFailure("route-family-mismatch", `routes.${i}.nextHop`, `next hop ${r.nextHop} is ${hop} but ${r.destinationPrefix} is ${dest.family}`));
    }
    const first = args.routes.findIndex((q) => parseCidr(q.destinationPrefix)?.text === dest?.text);
    if (dest && first < i) {
      out.push(resourceRuleFailure("route-destination-duplicate", `routes.${i}.destinationPrefix`, `${r.destinationPrefix} is routed twice (also routes.${first}): HNS keeps one route per destination`));
    }
  });
  return out;
}
