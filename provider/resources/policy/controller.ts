/**
 * Policy provider. Load balancers and SDN routes are HNS objects of their own; policy sets are
 * policies this resource adds to an endpoint or network (Modify Policy Add) and removes on delete.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isNotFound } from "../../errors";
import { connect } from "../../hosts/connect";
import { Host } from "../../hosts/host";
import { judgePolicy } from "../../judge";
import { checkWith, diffFields, plain, explain } from "../common";
import { PolicyArgs, type PolicyState } from "./args";
import { fieldsOf, policyId } from "./fields";
import { clashes, createObject, deleteObject, readObject, updateObject } from "./objects";
import { applySet, deleteSet, readSet } from "./sets";

export { policyId };

export class PolicyProvider implements dynamic.ResourceProvider {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(PolicyArgs, strip(news), judgePolicy);
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.DiffResult> {
    if (olds.kind !== news.kind) return { changes: true, replaces: ["kind"], deleteBeforeReplace: true };
    const d = diffFields(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, fieldsOf(news.kind));
    // A new load balancer or route goes up before the old one comes down, unless the two would
    // clash on the host (clashes); a policy set leaves its target before it joins another.
    const isObject = news.kind === "loadBalancer" || news.kind === "route";
    const deleteBeforeReplace = !isObject || (!d.replaces.includes("host") && clashes(olds as never, news));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace };
  }

  async create(args: PolicyArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      const hnsId = args.kind === "loadBalancer" || args.kind === "route" ? await createObject(client, args) : await applySet(client, undefined, args);
      return { id: policyId(args), outs: plain({ ...args, hnsId }) };
    } catch (e) {
      throw explain(e, `creating ${args.kind} policy on host ${client.hostName}`);
    }
  }

  async read(id: string, props: PolicyState): Promise<dynamic.ReadResult> {
    const client = connect(Host.parse(props.host));
    let seen: Record<string, unknown> | undefined;
    if (props.kind === "loadBalancer" || props.kind === "route") {
      seen = await readObject(client, hnsIdOf(id, props), props);
    } else {
      // Gone when the target is; a set whose policies were removed reads as drift (sets.ts).
      const policies = await readSet(client, props);
      seen = policies && { policies };
    }
    if (!seen) return { id: "" };
    const inputs = plain({ ...strip(props as unknown as Record<string, unknown>), ...seen });
    return { id, props: plain({ ...inputs, hnsId: props.hnsId }), inputs };
  }

  async update(id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.UpdateResult> {
    const client = connect(news.host);
    try {
      const hnsId =
        news.kind === "loadBalancer" || news.kind === "route"
          ? await updateObject(client, hnsIdOf(id, olds), olds as never, news)
          : await applySet(client, olds as never, news);
      return { outs: plain({ ...news, hnsId }) };
    } catch (e) {
      throw explain(e, `updating ${news.kind} policy`);
    }
  }

  async delete(id: string, props: PolicyState): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      if (props.kind === "loadBalancer" || props.kind === "route") await deleteObject(client, props.kind, hnsIdOf(id, props));
      else await deleteSet(client, props);
    } catch (e) {
      if (isNotFound(e)) return;
      throw explain(e, `deleting ${props.kind} policy`);
    }
  }
}

/** The HNS object's ID: hnsId, which state written before it could differ from the ID may lack. */
function hnsIdOf(id: string, props: Partial<PolicyState>): string {
  return props.hnsId || id;
}

function strip(news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _p, hnsId: _h, ...rest } = news;
  return rest;
}
