/**
 * Load balancers judged together: HNS takes one load balancer per frontend (its frontend VIPs
 * and port mappings, provider/hcn/loadbalancer.ts frontendKey) and refuses a second with
 * HCN_E_POLICY_ALREADY_EXISTS. Two Policy resources of one host with the same frontend would
 * pass their own checks and fail at `up`; here the second is refused at check, naming the first.
 * Each Policy's arguments become the document its create sends (kinds/policy/mapping.ts), read
 * with the HCN schema and keyed as the emulator keys what it stores: VIPs and mappings as
 * written, in order. Whether HNS normalises them first (an IPv6 VIP's spelling, the order) has
 * not been seen on a real host; check and the emulator agree either way.
 */
import { z } from "zod";
import { HostComputeLoadBalancer, frontendKey } from "../hcn";
import { LbPortMapping } from "../kinds/policy/args";
import { loadBalancerToHcn } from "../kinds/policy/mapping";
import { VipAddress } from "../vocabulary/fields";
import { hasUnknown } from "../vocabulary/unknown";
import { resourceRuleFailure } from "./rules";
import type { CheckFailure } from "../vocabulary/errors";

const Vips = z.array(VipAddress).min(1);
const PortMappings = z.array(LbPortMapping).min(1);
/** Backends and the object's ID are not part of a frontend: the document is keyed without them. */
const NO_ID = "00000000-0000-0000-0000-000000000000";

/** A load balancer's frontend as HNS compares them, when its VIPs and mappings are known and valid (a preview may not know them yet). */
export function frontendOf(args: Record<string, unknown>): { key: string; vips: string[] } | undefined {
  const vips = Vips.safeParse(args.frontendVips);
  const mappings = PortMappings.safeParse(args.portMappings);
  if (!vips.success || !mappings.success || hasUnknown(args.frontendVips) || hasUnknown(args.portMappings)) return undefined;
  const body = loadBalancerToHcn({ endpoints: [], frontendVips: vips.data, portMappings: mappings.data }, NO_ID);
  const doc = HostComputeLoadBalancer.safeParse(body);
  const key = doc.success ? frontendKey(doc.data) : undefined;
  return key === undefined ? undefined : { key, vips: vips.data };
}

/** One load balancer of a host, as judged here: who it is (`name`, for messages) and its frontend. */
export interface Frontend {
  name: string;
  key: string;
  vips: string[];
}

/** The failure of each load balancer whose frontend an earlier one of the list has: [index, failure]. */
export function frontendClashes(hostName: string, list: readonly Frontend[]): [number, CheckFailure][] {
  const first = new Map<string, Frontend>();
  const out: [number, CheckFailure][] = [];
  list.forEach((lb, i) => {
    const earlier = first.get(lb.key);
    if (!earlier) first.set(lb.key, lb);
    else out.push([i, resourceRuleFailure("lb-frontend-duplicate", "frontendVips", `${earlier.name} already has frontend ${lb.vips.join(", ")} with the same port mappings on host ${hostName}: HNS refuses a second load balancer of one frontend (HCN_E_POLICY_ALREADY_EXISTS)`)]);
  });
  return out;
}
