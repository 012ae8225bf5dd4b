/**
 * Endpoint provider: create with a deterministic ID, attach to a namespace (deleted again when
 * that fails), its own policies added and removed in place (owned-policies.ts).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { HnsError, isCode, isHnsError, isIndeterminate, isNotFound } from "../../errors";
import type { HostComputeEndpoint } from "../../hcn";
import type { HnsClient } from "../../hosts/client";
import { sameGuid } from "../../hosts/client";
import { connect } from "../../hosts/connect";
import { Host, hostKey } from "../../hosts/host";
import { judgeEndpointArgs } from "../../judge";
import { checkWith, deterministicId, replaceKey, diffFields, plain, explain, sameValue, type FieldRule } from "../common";
import { applyPolicyChanges, policyChanges } from "../owned-policies";
import { EndpointArgs, type Attach, type EndpointState } from "./args";
import { fromHcn, resolved, toHcn } from "./mapping";

export const ENDPOINT_FIELDS: { [K in keyof EndpointArgs]-?: FieldRule } = {
  host: "replace",
  network: "replace",
  name: "replace",
  ipAddress: "replace",
  prefixLength: "replace",
  ipv6Address: "replace",
  macAddress: "replace",
  dns: "replace", // HNS has no endpoint DNS modify
  routes: "replace",
  remote: "replace",
  disableIcc: "replace",
  policies: "update", // Modify ResourceType Policy Add/Remove of its own policies
  attach: "update", // namespace Modify Endpoint Remove/Add
  // Declarations of the container for check's rule hyperv-hot-add: HNS stores neither, so a change is no change to the endpoint.
  isolation: "ignore",
  hotAdd: "ignore",
  adopt: "ignore",
  __seed: "ignore",
  __network: "ignore",
};
/** Left to HNS when unset: a later explicit value equal to what HNS chose is no change. */
const RESOLVED_BY_HOST = new Set(["ipAddress", "prefixLength", "macAddress"]);

export function endpointId(args: EndpointArgs): string {
  return deterministicId(args.__seed, "endpoint", hostKey(args.host), replaceKey({ ...args, network: args.network.toLowerCase() }, ENDPOINT_FIELDS));
}

export class EndpointProvider implements dynamic.ResourceProvider {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(EndpointArgs, strip(news), judgeEndpointArgs);
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: EndpointState, news: EndpointArgs): Promise<dynamic.DiffResult> {
    const have = { ...olds, ipAddress: olds.ipAddress ?? olds.appliedIpAddress, prefixLength: olds.prefixLength ?? olds.appliedPrefixLength, macAddress: olds.macAddress ?? olds.appliedMacAddress };
    const d = diffFields(have as unknown as Record<string, unknown>, news, ENDPOINT_FIELDS, RESOLVED_BY_HOST);
    // The same static address cannot exist twice on a network: delete first.
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: true };
  }

  async create(args: EndpointArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      let doc = args.adopt ? await this.adopt(client, args) : await this.createOrFind(client, args);
      try {
        doc = await attach(client, doc, args.attach);
      } catch (e) {
        // The engine records nothing for a failed create, so an endpoint left here would be
        // outside the state: delete it again. An adopted one was not ours to make, so it stays.
        if (!args.adopt) await undoCreate(client, doc.ID!, e);
        throw e;
      }
      return { id: doc.ID!, outs: plain({ ...args, ...resolved(doc) }) };
    } catch (e) {
      throw explain(e, `creating endpoint "${args.name}" on host ${client.hostName}`);
    }
  }

  private async createOrFind(client: HnsClient, args: EndpointArgs): Promise<HostComputeEndpoint> {
    const id = endpointId(args);
    try {
      return await client.create("endpoint", toHcn(args, id));
    } catch (e) {
      if (isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) {
        const found = await client.get("endpoint", id);
        if (found && found.Name === args.name && sameGuid(found.HostComputeNetwork, args.network)) return found;
      }
      if (isCode(e, "HCN_E_NETWORK_NOT_FOUND")) {
        throw new HnsError({ code: e.code, message: `network ${args.network} does not exist on host ${client.hostName}`, remedy: "run pulumi refresh: the network may have been lost (reboot) and needs re-creating" });
      }
      throw e;
    }
  }

  private async adopt(client: HnsClient, args: EndpointArgs): Promise<HostComputeEndpoint> {
    const found =
      typeof args.adopt === "object"
        ? await client.get("endpoint", args.adopt.id)
        : (await client.list("endpoint", { HostComputeNetwork: args.network, Name: args.name }))[0];
    if (!found) {
      throw new HnsError({ code: "HCN_E_ENDPOINT_NOT_FOUND", message: `no endpoint "${args.name}" on network ${args.network} to adopt`, remedy: "remove adopt to create it" });
    }
    const seen = fromHcn(found, args);
    const differs = (Object.keys(ENDPOINT_FIELDS) as (keyof EndpointArgs)[]).filter(
      (k) => ENDPOINT_FIELDS[k] === "replace" && k !== "host" && args[k] !== undefined && !sameValue(seen[k], args[k]),
    );
    if (differs.length) {
      throw new HnsError({
        code: "Conflict",
        message: `endpoint ${found.ID} differs from the arguments in ${differs.join(", ")}`,
        remedy: "change those arguments to match the host, or remove adopt",
      });
    }
    // Policies already there stay: they may be another resource's (owned-policies.ts).
    return applyPolicyChanges(client, "endpoint", found, policyChanges(undefined, args.policies, found.Policies));
  }

  async read(id: string, props: Partial<EndpointState>): Promise<dynamic.ReadResult> {
    const host = Host.parse(props.host);
    const client = connect(host);
    const doc = await client.get("endpoint", id);
    if (!doc) return { id: "" };
    const seen = fromHcn(doc, props);
    const attached = await attachmentOf(client, doc);
    const inputs = plain({ ...strip(props as Record<string, unknown>), ...seen, attach: attached, host });
    return { id: doc.ID!, props: plain({ ...inputs, ...resolved(doc) }), inputs };
  }

  async update(id: string, olds: EndpointState, news: EndpointArgs): Promise<dynamic.UpdateResult> {
    const client = connect(news.host);
    try {
      let doc = await client.get("endpoint", id);
      if (!doc) throw new HnsError({ code: "HCN_E_ENDPOINT_NOT_FOUND", remedy: "run pulumi refresh, then pulumi up to re-create it" });
      // Against the host, not only the old state: a declared policy missing there is added back.
      doc = await applyPolicyChanges(client, "endpoint", doc, policyChanges(olds.policies, news.policies, doc.Policies));
      if (!sameValue(olds.attach, news.attach)) doc = await attach(client, doc, news.attach);
      return { outs: plain({ ...news, ...resolved(doc) }) };
    } catch (e) {
      throw explain(e, `updating endpoint "${news.name}"`);
    }
  }

  async delete(id: string, props: EndpointState): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      await remove(client, id);
    } catch (e) {
      throw explain(e, `deleting endpoint "${props.name}"`);
    }
  }
}

/** Detaches (as CNI plugins do: namespace remove, then delete) and deletes; gone already is done. */
async function remove(client: HnsClient, id: string): Promise<void> {
  try {
    const doc = await client.get("endpoint", id);
    if (!doc) return;
    if (doc.HostComputeNamespace) await client.modify("namespace", doc.HostComputeNamespace, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: doc.ID } }).catch(ignoreNotFound);
    await client.delete("endpoint", id);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Deletes an endpoint whose create failed half way. If that fails too, the endpoint keeps its
 * deterministic ID, so the next up's create finds it (createOrFind) and carries on from there.
 */
async function undoCreate(client: HnsClient, id: string, cause: unknown): Promise<void> {
  try {
    await remove(client, id);
  } catch (e) {
    const first = isHnsError(cause) ? cause : new HnsError({ code: "E_FAIL", message: String(cause) });
    throw new HnsError({
      code: first.code,
      hresult: first.hresult,
      message: `${first.message.trim()}; endpoint ${id} stays on the host (deleting it again failed: ${e instanceof Error ? e.message : String(e)})`,
      remedy: "run pulumi up again: it finds that endpoint under the same ID and re-uses it",
    });
  }
}

async function hostNamespaceId(client: HnsClient): Promise<string> {
  const [ns] = await client.list("namespace", { Type: "HostDefault" });
  if (!ns) throw new HnsError({ code: "ERROR_NOT_FOUND", message: `host ${client.hostName} has no default (host) namespace` });
  return ns.ID!;
}

async function namespaceFor(client: HnsClient, a: Attach): Promise<string> {
  return a === "host" ? hostNamespaceId(client) : a.namespace;
}

/** Moves the endpoint to the wanted namespace (or out of any), with namespace Modify requests. */
async function attach(client: HnsClient, doc: HostComputeEndpoint, to: Attach | undefined): Promise<HostComputeEndpoint> {
  const target = to && (await namespaceFor(client, to));
  if (sameGuid(doc.HostComputeNamespace, target) || (!doc.HostComputeNamespace && !target)) return doc;
  if (doc.HostComputeNamespace) {
    await client.modify("namespace", doc.HostComputeNamespace, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: doc.ID } });
  }
  if (target) await client.modify("namespace", target, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: doc.ID } });
  return (await client.get("endpoint", doc.ID!)) ?? doc;
}

/** The attachment in argument form: "host" when the endpoint sits in the host's default namespace. */
async function attachmentOf(client: HnsClient, doc: HostComputeEndpoint): Promise<Attach | undefined> {
  if (!doc.HostComputeNamespace) return undefined;
  return sameGuid(doc.HostComputeNamespace, await hostNamespaceId(client)) ? "host" : { namespace: doc.HostComputeNamespace };
}

function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e) && !isCode(e, "HCN_E_ENDPOINT_NOT_ATTACHED")) throw e;
}

function strip(news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _p, endpointId: _e, appliedIpAddress: _i, appliedPrefixLength: _l, appliedMacAddress: _m, gateway: _g, namespaceId: _n, ...rest } = news;
  return rest;
}
