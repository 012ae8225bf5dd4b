/**
 * Namespace provider: creates a namespace (network compartment) under a deterministic ID and
 * reports the endpoints attached to it. It never attaches or detaches on create or update:
 * each Endpoint owns its attachment (Endpoint.attach), and Pulumi orders those after this.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { HnsError, isCode, isIndeterminate, isNotFound } from "../../errors";
import { supports } from "../../features";
import type { HostComputeNamespace } from "../../hcn";
import type { HnsClient } from "../../hosts/client";
import { connect } from "../../hosts/connect";
import { Host, hostKey } from "../../hosts/host";
import { checkWith, deterministicId, diffFields, explain, plain, replaceKey, type FieldRule } from "../common";
import { NamespaceArgs, type NamespaceState } from "./args";
import { attachedEndpoints, fromHcn, kindOf, resolved, toHcn } from "./mapping";

export const NAMESPACE_FIELDS: { [K in keyof NamespaceArgs]-?: FieldRule } = {
  host: "replace",
  type: "replace",
  name: "update", // a label in the state only: HNS namespaces have no name
  adopt: "ignore",
  __seed: "ignore",
};

/** The arguments with the default type filled in, so writing the default out is no change. */
function withDefaults<T extends Partial<NamespaceArgs>>(args: T): T {
  return { ...args, type: kindOf(args) };
}

export function namespaceId(args: NamespaceArgs): string {
  return deterministicId(args.__seed, "namespace", hostKey(args.host), replaceKey(withDefaults(args), NAMESPACE_FIELDS));
}

export class NamespaceProvider implements dynamic.ResourceProvider {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkWith(NamespaceArgs, strip(news));
    return failures.length ? { failures } : { inputs: inputs as Record<string, unknown> };
  }

  async diff(_id: string, olds: NamespaceState, news: NamespaceArgs): Promise<dynamic.DiffResult> {
    const d = diffFields(withDefaults(olds) as unknown as Record<string, unknown>, withDefaults(news), NAMESPACE_FIELDS);
    // No deleteBeforeReplace: nothing about a namespace is unique on a host, so the new one is
    // made first and the Endpoints re-attach to it before the old one goes.
    return { changes: d.changes, replaces: d.replaces };
  }

  async create(args: NamespaceArgs): Promise<dynamic.CreateResult> {
    const client = connect(args.host);
    try {
      const doc = args.adopt ? await this.adopt(client, args) : await this.createOrFind(client, args);
      return { id: doc.ID!, outs: plain({ ...args, ...resolved(doc) }) };
    } catch (e) {
      throw explain(e, `creating namespace${args.name ? ` "${args.name}"` : ""} on host ${client.hostName}`);
    }
  }

  private async createOrFind(client: HnsClient, args: NamespaceArgs): Promise<HostComputeNamespace> {
    const id = namespaceId(args);
    const ready = supports(await client.version(), "NamespaceReadyOnCreate");
    try {
      return await client.create("namespace", toHcn(args, id, ready));
    } catch (e) {
      // A retry after a lost reply, or the next up after an interrupted one: the namespace with
      // our deterministic ID is ours (its type is part of that ID).
      if (isCode(e, "ERROR_ALREADY_EXISTS") || isIndeterminate(e)) {
        const found = await client.get("namespace", id);
        if (found) return found;
      }
      throw e;
    }
  }

  private async adopt(client: HnsClient, args: NamespaceArgs): Promise<HostComputeNamespace> {
    const id = typeof args.adopt === "object" ? args.adopt.id : "";
    const found = await client.get("namespace", id);
    if (!found) {
      throw new HnsError({ code: "ERROR_NOT_FOUND", message: `no namespace with ID ${id} on host ${client.hostName} to adopt`, remedy: "check the ID (hnsdiag list namespaces), or remove adopt to create one" });
    }
    const seen = fromHcn(found);
    if (seen.type !== kindOf(args)) {
      throw new HnsError({
        code: "Conflict",
        message: `namespace ${found.ID} differs from the arguments in type (host has ${JSON.stringify(found.Type ?? "Host")})`,
        remedy: seen.type ? `set type: "${seen.type}", or remove adopt to create a new namespace` : "a default compartment cannot be managed: remove adopt, or use Endpoint attach: \"host\"",
      });
    }
    return found;
  }

  async read(id: string, props: Partial<NamespaceState>): Promise<dynamic.ReadResult> {
    const host = Host.parse(props.host);
    const doc = await connect(host).get("namespace", id);
    // Gone (deleted behind our back, or lost in a reboot, as container compartments are in the
    // emulator): an empty ID makes refresh drop it, and the next up re-creates it.
    if (!doc) return { id: "" };
    const inputs = plain({ ...strip(props as Record<string, unknown>), ...fromHcn(doc), host });
    return { id: doc.ID!, props: plain({ ...inputs, ...resolved(doc) }), inputs };
  }

  async update(id: string, _olds: NamespaceState, news: NamespaceArgs): Promise<dynamic.UpdateResult> {
    // Only the name (a state label) or a host credential changed: nothing to send, but the
    // outputs are refreshed from the host.
    const doc = await connect(news.host).get("namespace", id);
    if (!doc) throw explain(new HnsError({ code: "ERROR_NOT_FOUND", message: `namespace ${id} is gone`, remedy: "run pulumi refresh, then pulumi up to re-create it" }), `updating namespace${news.name ? ` "${news.name}"` : ""}`);
    return { outs: plain({ ...news, ...resolved(doc) }) };
  }

  /**
   * Takes out the endpoints still attached, then deletes, as hcsshim releases a container's
   * namespace (internal/uvm/network.go, NetworkEndpoints.Release). Normally none are left:
   * Pulumi deletes or moves the Endpoints attached through ns.namespaceId first.
   */
  async delete(id: string, props: NamespaceState): Promise<void> {
    const client = connect(Host.parse(props.host));
    try {
      const doc = await client.get("namespace", id);
      if (!doc) return;
      for (const ep of attachedEndpoints(doc)) {
        await client.modify("namespace", id, { ResourceType: "Endpoint", RequestType: "Remove", Settings: { EndpointId: ep } }).catch(detachedAlready);
      }
      await client.delete("namespace", id);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: deleting converges
      throw explain(e, `deleting namespace${props.name ? ` "${props.name}"` : ""} (${id})`);
    }
  }
}

/** An endpoint deleted or detached meanwhile is what we wanted. */
function detachedAlready(e: unknown): void {
  if (!isNotFound(e) && !isCode(e, "HCN_E_ENDPOINT_NOT_ATTACHED")) throw e;
}

/** Drops our own output keys and the serialized provider before validating inputs. */
function strip(news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _p, namespaceId: _i, compartmentId: _c, endpoints: _e, ...rest } = news;
  return rest;
}
