/**
 * Policy provider. Load balancers and SDN routes are HNS objects of their own; policy sets are
 * policies this resource adds to an endpoint or network (Modify Policy Add) and removes on delete.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { HnsError, isCode, isIndeterminate, isNotFound } from "../../errors";
import { supports } from "../../features";
import type { HnsClient } from "../../hosts/client";
import { connect } from "../../hosts/connect";
import { Host, hostKey } from "../../hosts/host";
import { checkWith, deterministicId, plain, explain, hostIdentity, sameValue } from "../common";
import { PolicyArgs, type PolicyState } from "./args";
import { loadBalancerFromHcn, loadBalancerToHcn, routeFromHcn, routeToHcn } from "./mapping";

export function policyId(args: PolicyArgs): string {
  const target = args.kind === "endpointPolicies" ? args.endpoint : args.kind === "networkPolicies" ? args.network : "";
  return deterministicId(args.__seed, "policy", args.kind, hostKey(args.host), target.toLowerCase());
}

/** Fields that name what the policy is attached to: changing them replaces it. */
const IDENTITY = ["kind", "endpoint", "network"] as const;

export class PolicyProvider implements dynamic.ResourceProvider {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(PolicyArgs, strip(news));
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.DiffResult> {
    const o = olds as unknown as Record<string, unknown>;
    const n = news as unknown as Record<string, unknown>;
    const replaces: string[] = IDENTITY.filter((k) => !sameValue(o[k], n[k]));
    if (!sameValue(hostIdentity(olds.host), hostIdentity(news.host))) replaces.push("host");
    const changed = Object.keys({ ...strip(o), ...n }).filter((k) => k !== "__seed" && !sameValue(o[k], n[k]));
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  }

  async create(args: PolicyArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    const id = policyId(args);
    try {
      const hnsId = await this.apply(client, id, undefined, args);
      return { id, outs: plain({ ...args, hnsId }) };
    } catch (e) {
      throw explain(e, `creating ${args.kind} policy on host ${client.hostName}`);
    }
  }

  /** Makes the host match `want`, given what was applied before (`have`). Returns the HNS object ID. */
  private async apply(client: HnsClient, id: string, have: PolicyArgs | undefined, want: PolicyArgs): Promise<string> {
    switch (want.kind) {
      case "loadBalancer": {
        const body = loadBalancerToHcn(want, id);
        if (have && (await client.get("loadBalancer", id))) {
          if (supports(await client.version(), "ModifyLoadBalancer")) return (await client.modify("loadBalancer", id, body)).ID!;
          // Before HNS 15.4 a load balancer cannot be modified: delete and re-create it with the same ID.
          await client.delete("loadBalancer", id).catch(ignoreNotFound);
        }
        return (await createOrFind(client, "loadBalancer", id, body)).ID!;
      }
      case "route": {
        // HCN routes have no modify: delete and re-create with the same ID.
        if (have) await client.delete("route", id).catch(ignoreNotFound);
        return (await createOrFind(client, "route", id, routeToHcn(want, id))).ID!;
      }
      case "endpointPolicies":
      case "networkPolicies": {
        const kind = want.kind === "endpointPolicies" ? "endpoint" : "network";
        const target = want.kind === "endpointPolicies" ? want.endpoint : want.network;
        const doc = await client.get(kind, target);
        if (!doc) throw new HnsError({ code: kind === "endpoint" ? "HCN_E_ENDPOINT_NOT_FOUND" : "HCN_E_NETWORK_NOT_FOUND", message: `${kind} ${target} does not exist` });
        const present = (doc.Policies ?? []) as unknown[];
        const before = (have as { policies?: unknown[] } | undefined)?.policies ?? [];
        const removed = before.filter((p) => !want.policies.some((q) => sameValue(p, q)) && present.some((q) => sameValue(p, q)));
        // Only what is missing is added, so a retry after a lost reply adds nothing twice.
        const added = (want.policies as unknown[]).filter((p) => !present.some((q) => sameValue(p, q)));
        if (removed.length) await client.modify(kind, target, { ResourceType: "Policy", RequestType: "Remove", Settings: { Policies: removed } });
        if (added.length) await client.modify(kind, target, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: added } });
        return doc.ID!;
      }
    }
  }

  async read(id: string, props: PolicyState): Promise<dynamic.ReadResult> {
    const args = props;
    const client = connect(Host.parse(args.host));
    let seen: Record<string, unknown>;
    switch (args.kind) {
      case "loadBalancer": {
        const lb = await client.get("loadBalancer", id);
        if (!lb) return { id: "" };
        seen = loadBalancerFromHcn(lb, args);
        break;
      }
      case "route": {
        const r = await client.get("route", id);
        if (!r) return { id: "" };
        seen = routeFromHcn(r);
        break;
      }
      default: {
        const kind = args.kind === "endpointPolicies" ? "endpoint" : "network";
        const doc = await client.get(kind, args.kind === "endpointPolicies" ? args.endpoint : args.network);
        if (!doc) return { id: "" };
        const present = (doc.Policies ?? []) as unknown[];
        const ours = (args.policies as unknown[]).filter((p) => present.some((q) => sameValue(p, q)));
        if (ours.length === 0) return { id: "" }; // every policy we added is gone
        seen = { policies: ours };
      }
    }
    const inputs = plain({ ...strip(props as unknown as Record<string, unknown>), ...seen });
    return { id, props: plain({ ...inputs, hnsId: props.hnsId }), inputs };
  }

  async update(id: string, olds: PolicyState, news: PolicyArgs): Promise<dynamic.UpdateResult> {
    const client = connect(news.host);
    try {
      const hnsId = await this.apply(client, id, olds, news);
      return { outs: plain({ ...news, hnsId }) };
    } catch (e) {
      throw explain(e, `updating ${news.kind} policy`);
    }
  }

  async delete(id: string, props: PolicyState): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      switch (props.kind) {
        case "loadBalancer":
        case "route":
          await client.delete(props.kind, id);
          return;
        default: {
          const kind = props.kind === "endpointPolicies" ? "endpoint" : "network";
          const target = props.kind === "endpointPolicies" ? props.endpoint : props.network;
          const doc = await client.get(kind, target);
          if (!doc) return;
          const present = (doc.Policies ?? []) as unknown[];
          const ours = (props.policies as unknown[]).filter((p) => present.some((q) => sameValue(p, q)));
          if (ours.length) await client.modify(kind, target, { ResourceType: "Policy", RequestType: "Remove", Settings: { Policies: ours } });
        }
      }
    } catch (e) {
      if (isNotFound(e)) return;
      throw explain(e, `deleting ${props.kind} policy`);
    }
  }
}

async function createOrFind<K extends "loadBalancer" | "route">(client: HnsClient, kind: K, id: string, body: Parameters<HnsClient["create"]>[1]) {
  try {
    return await client.create(kind, body as never);
  } catch (e) {
    if (isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) {
      const found = await client.get(kind, id);
      if (found) return found;
    }
    throw e;
  }
}

function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}

function strip(news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _p, hnsId: _h, ...rest } = news;
  return rest;
}
