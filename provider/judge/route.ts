/**
 * SDN routes (a Policy of kind "route") have no counterpart in the topology document, so their
 * rules live here; the facts they use come from the one module of HNS facts.
 */
import { familyOf, parseCidr } from "../vocabulary/net/cidr";
import type { CheckFailure } from "../vocabulary/errors";
import { resourceRuleFailure } from "./rules";
import { UNKNOWN } from "../vocabulary/unknown";

interface RouteFacts {
  endpoints: string[];
  routes: { destinationPrefix: string; nextHop: string }[];
}

export function judgeRoute(args: RouteFacts): CheckFailure[] {
  const out: CheckFailure[] = [];
  // One pass with maps: a route over 10,000 endpoints is judged in linear time. IDs are GUIDs,
  // which HNS compares without regard to case.
  const firstEndpoint = new Map<string, number>();
  args.endpoints.forEach((id, i) => {
    // In a preview every endpoint not created yet is the same "unknown" placeholder: not a repeat.
    if (id === UNKNOWN) return;
    const key = id.toLowerCase().replace(/^\{(.*)\}$/, "$1");
    const first = firstEndpoint.get(key);
    if (first === undefined) firstEndpoint.set(key, i);
    else out.push(resourceRuleFailure("route-endpoint-duplicate", `endpoints.${i}`, `endpoint ${id} is listed twice (also endpoints.${first})`));
  });
  const firstDestination = new Map<string, number>();
  args.routes.forEach((r, i) => {
    const dest = parseCidr(r.destinationPrefix);
    const hop = familyOf(r.nextHop);
    if (dest && hop && hop !== dest.family) {
      out.push(resourceRuleFailure("route-family-mismatch", `routes.${i}.nextHop`, `next hop ${r.nextHop} is ${hop} but ${r.destinationPrefix} is ${dest.family}`));
    }
    if (!dest) return;
    const first = firstDestination.get(dest.text);
    if (first === undefined) firstDestination.set(dest.text, i);
    else out.push(resourceRuleFailure("route-destination-duplicate", `routes.${i}.destinationPrefix`, `${r.destinationPrefix} is routed twice (also routes.${first}): HNS keeps one route per destination`));
  });
  return out;
}
