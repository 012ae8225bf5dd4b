/**
 * Load balancers and SDN routes: HNS objects of their own. The HNS object's ID lives in the
 * `hnsId` output; it starts equal to the resource's ID and changes when a load balancer is made
 * anew (no ModifyLoadBalancer before HNS 15.4). State from before hnsId could change has
 * hnsId equal to the ID, which reads the same.
 */
import { isCode, isIndeterminate, isNotFound } from "../../vocabulary/errors";
import { supports } from "../../vocabulary/features";
import type { HnsClient, HnsDocument } from "../../hosts/client";
import { sameValue } from "../../kinds/field-rules";
import type { LoadBalancerArgs, RouteArgs } from "../../kinds/policy/args";
import { objectId } from "../../kinds/policy/fields";
import { loadBalancerFromHcn, loadBalancerToHcn, routeFromHcn, routeToHcn } from "../../kinds/policy/mapping";

export type ObjectArgs = LoadBalancerArgs | RouteArgs;

function body(args: ObjectArgs, id: string): HnsDocument<"loadBalancer"> | HnsDocument<"route"> {
  return args.kind === "loadBalancer" ? loadBalancerToHcn(args, id) : routeToHcn(args, id);
}

/** Creates the object under the ID its fields give; returns that ID. */
export async function createObject(client: HnsClient, args: ObjectArgs): Promise<string> {
  const id = objectId(args);
  try {
    if (args.kind === "loadBalancer") await client.create("loadBalancer", loadBalancerToHcn(args, id));
    else await client.create("route", routeToHcn(args, id));
  } catch (e) {
    // A retry after a lost reply, or the next up after an interrupted one: the object under
    // our deterministic ID is ours.
    if (!((isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) && (await client.get(args.kind, id)))) throw e;
  }
  return id;
}

/**
 * Makes the host's object match `want`; returns its HNS ID. A load balancer is modified in
 * place where HNS can (15.4+); otherwise (and for a route, should one get here with changed
 * fields) a new object is made under a new ID and the old one deleted.
 */
export async function updateObject(client: HnsClient, hnsId: string, have: ObjectArgs, want: ObjectArgs): Promise<string> {
  const exists = (await client.get(want.kind, hnsId)) !== undefined;
  if (!exists) return createObject(client, want);
  if (sameValue(body(have, ""), body(want, ""))) return hnsId;
  if (want.kind === "loadBalancer" && supports(await client.version(), "ModifyLoadBalancer")) {
    return (await client.modify("loadBalancer", hnsId, loadBalancerToHcn(want, hnsId))).ID!;
  }
  return remake(client, hnsId, have, want);
}

/**
 * A new object for `want`, the old one deleted. The new one comes first, so traffic is never
 * without one, unless the two would clash on the host (the same frontend, the same route
 * destination, or the same ID): then the old one goes first.
 */
async function remake(client: HnsClient, oldId: string, have: ObjectArgs, want: ObjectArgs): Promise<string> {
  if (clashes(have, want) || objectId(want).toLowerCase() === oldId.toLowerCase()) {
    await deleteObject(client, want.kind, oldId);
    return createObject(client, want);
  }
  const newId = await createObject(client, want);
  try {
    await deleteObject(client, want.kind, oldId);
  } catch (e) {
    // The state keeps the old object: take the new one away again rather than leave it outside.
    await deleteObject(client, want.kind, newId).catch(() => undefined);
    throw e;
  }
  return newId;
}

/** Whether two objects cannot stand on one host at once: a frontend VIP and port, or a route destination, in common. */
export function clashes(a: ObjectArgs, b: ObjectArgs): boolean {
  if (a.kind === "route" && b.kind === "route") return a.routes.some((r) => b.routes.some((s) => r.destinationPrefix === s.destinationPrefix));
  if (a.kind !== "loadBalancer" || b.kind !== "loadBalancer") return false;
  // No frontend VIP means the host's own addresses: it meets every VIP on the same port.
  const vipsMeet = !a.frontendVips?.length || !b.frontendVips?.length || a.frontendVips.some((v) => b.frontendVips!.includes(v));
  const ports = (x: LoadBalancerArgs) => (loadBalancerToHcn(x, "").PortMappings ?? []).map((m) => `${m.Protocol}/${m.ExternalPort}`);
  return vipsMeet && ports(a).some((p) => ports(b).includes(p));
}

export async function readObject(client: HnsClient, hnsId: string, like: ObjectArgs): Promise<Partial<ObjectArgs> | undefined> {
  if (like.kind === "loadBalancer") {
    const lb = await client.get("loadBalancer", hnsId);
    return lb && loadBalancerFromHcn(lb, like);
  }
  const r = await client.get("route", hnsId);
  return r && routeFromHcn(r);
}

/** Deletes the object; one already gone counts as deleted. */
export async function deleteObject(client: HnsClient, kind: ObjectArgs["kind"], hnsId: string): Promise<void> {
  try {
    await client.delete(kind, hnsId);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
