/**
 * Network provider: check / diff / create / read / update / delete through the host's HnsClient.
 * check and diff never touch a host (preview stops there).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { HnsError, isCode, isIndeterminate, isNotFound } from "../../errors";
import type { HostComputeNetwork } from "../../hcn";
import { connect } from "../../hosts/connect";
import { Host, hostKey } from "../../hosts/host";
import { judgeNetwork } from "../../judge";
import { checkWith, deterministicId, replaceKey, diffFields, plain, explain, sameValue, type FieldRule } from "../common";
import { applyPolicyChanges, policyChanges } from "../owned-policies";
import { NetworkArgs, type NetworkState } from "./args";
import { dnsToHcn, fromHcn, resolved, toHcn } from "./mapping";

/** What changes replace the network and what HNS Modify updates in place. */
export const NETWORK_FIELDS: { [K in keyof NetworkArgs]-?: FieldRule } = {
  host: "replace",
  name: "replace",
  type: "replace",
  subnets: "replace",
  adapterName: "replace",
  macPool: "replace",
  persistent: "replace",
  disableHostPort: "replace",
  vxlanPort: "replace",
  dns: "update", // Modify ResourceType DNS
  policies: "update", // Modify ResourceType Policy Add/Remove of its own policies
  adopt: "ignore",
  __seed: "ignore",
};

export function networkId(args: NetworkArgs): string {
  return deterministicId(args.__seed, "network", hostKey(args.host), replaceKey(args, NETWORK_FIELDS));
}

export class NetworkProvider implements dynamic.ResourceProvider {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(NetworkArgs, strip(news), judgeNetwork);
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: NetworkState, news: NetworkArgs): Promise<dynamic.DiffResult> {
    const d = diffFields(olds as unknown as Record<string, unknown>, news, NETWORK_FIELDS);
    // HNS network names are unique per host, so a replacement must delete the old one first.
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: true };
  }

  async create(args: NetworkArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      const doc = args.adopt ? await this.adopt(args) : await this.createOrFind(args);
      return { id: doc.ID!, outs: plain({ ...args, ...resolved(doc) }) };
    } catch (e) {
      throw explain(e, `creating network "${args.name}" on host ${client.hostName}`);
    }
  }

  private async createOrFind(args: NetworkArgs): Promise<HostComputeNetwork> {
    const client = connect(args.host);
    const id = networkId(args);
    try {
      return await client.create("network", toHcn(args, id));
    } catch (e) {
      // A retry after a lost reply, or a second attempt of an interrupted up: the object with
      // our deterministic ID is ours, so take it instead of making a duplicate.
      if (isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) {
        const found = await client.get("network", id);
        if (found && found.Name === args.name) return found;
      }
      if (isCode(e, "HCN_E_NETWORK_ALREADY_EXISTS")) {
        throw new HnsError({
          code: e.code,
          message: `a network named "${args.name}" already exists on host ${client.hostName}`,
          remedy: "choose another name, or set adopt: true to take that network over",
        });
      }
      throw e;
    }
  }

  /**
   * Takes over an existing network, then converges the fields HNS can update in place. Its
   * declared policies missing there are added; the policies already there that it does not
   * declare are left alone (`seen.policies` holds only declared ones): they are not its own.
   */
  private async adopt(args: NetworkArgs): Promise<HostComputeNetwork> {
    const client = connect(args.host);
    const found =
      typeof args.adopt === "object"
        ? await client.get("network", args.adopt.id)
        : (await client.list("network", { Name: args.name }))[0];
    if (!found) {
      const what = typeof args.adopt === "object" ? `ID ${args.adopt.id}` : `name "${args.name}"`;
      throw new HnsError({ code: "HCN_E_NETWORK_NOT_FOUND", message: `no network with ${what} on host ${client.hostName} to adopt`, remedy: "remove adopt to create it" });
    }
    const seen = fromHcn(found, args);
    const differs = (Object.keys(NETWORK_FIELDS) as (keyof NetworkArgs)[]).filter(
      (k) => NETWORK_FIELDS[k] === "replace" && k !== "host" && !sameValue(seen[k], args[k]) && !(k === "subnets" && args.subnets === undefined),
    );
    if (differs.length) {
      throw new HnsError({
        code: "Conflict",
        message: `network "${found.Name}" (${found.ID}) differs from the arguments in ${differs.map((k) => `${k} (host has ${JSON.stringify(seen[k])})`).join(", ")}`,
        remedy: "change those arguments to match the host, or remove adopt and let pulumi create a new network",
      });
    }
    return this.converge(found.ID!, seen, args);
  }

  async read(id: string, props: Partial<NetworkState>): Promise<dynamic.ReadResult> {
    const host = Host.parse(props.host);
    const doc = await connect(host).get("network", id);
    // Gone (deleted behind our back, or lost in a reboot): an empty ID makes refresh drop it,
    // and the next up re-creates it.
    if (!doc) return { id: "" };
    const seen = fromHcn(doc, props);
    const inputs = { ...pick(props), ...seen, host };
    return { id: doc.ID!, props: plain({ ...inputs, ...resolved(doc) }), inputs: plain(inputs) };
  }

  async update(id: string, olds: NetworkState, news: NetworkArgs): Promise<dynamic.UpdateResult> {
    try {
      const doc = await this.converge(id, olds, news);
      return { outs: plain({ ...news, ...resolved(doc) }) };
    } catch (e) {
      throw explain(e, `updating network "${news.name}"`);
    }
  }

  /**
   * Applies DNS and policy differences with HNS Modify requests. `have.policies` is what this
   * resource owned; others on the network belong to someone else and stay (owned-policies.ts).
   */
  private async converge(id: string, have: Partial<NetworkArgs>, want: NetworkArgs): Promise<HostComputeNetwork> {
    const client = connect(want.host);
    if (!sameValue(have.dns, want.dns)) {
      await client.modify("network", id, { ResourceType: "DNS", RequestType: "Update", Settings: want.dns ? dnsToHcn(want.dns) : {} });
    }
    const doc = await client.get("network", id);
    if (!doc) throw new HnsError({ code: "HCN_E_NETWORK_NOT_FOUND", remedy: "run pulumi refresh, then pulumi up to re-create it" });
    return applyPolicyChanges(client, "network", doc, policyChanges(have.policies, want.policies, doc.Policies));
  }

  async delete(id: string, props: NetworkState): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      await client.delete("network", id);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: deleting converges
      throw explain(e, `deleting network "${props.name}"`);
    }
  }
}

/** Drops our own output keys and the serialized provider before validating inputs. */
function strip(news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _p, networkId: _i, appliedSubnets: _s, appliedMacPool: _m, ...rest } = news;
  return rest;
}

function pick(props: Partial<NetworkState>): Partial<NetworkArgs> {
  return strip(props as Record<string, unknown>) as Partial<NetworkArgs>;
}
