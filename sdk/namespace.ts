import * as pulumi from "@pulumi/pulumi";
import { NamespaceOutputs, type NamespaceInput as NamespaceArgsSchema } from "../provider/kinds/namespace/args";
import { resourceProps, type OutputProperties, type ResourceInputs } from "./inputs";
import { HnsResource } from "./shim";

/** Arguments of a Namespace (field docs: provider/kinds/namespace/args.ts). `name` defaults to the resource name. */
export type NamespaceArgs = ResourceInputs<Omit<NamespaceArgsSchema, "__seed">>;

// Its outputs (provider/kinds/namespace/args.ts NamespaceOutputs) as properties.
export interface Namespace extends OutputProperties<typeof NamespaceOutputs> {}

/**
 * An HNS namespace: a network compartment of its own, for one container (or pod). Attach
 * endpoints to it with `new hns.Endpoint(..., { attach: { namespace: ns.namespaceId } })`.
 * Treated like a NAT network across a reboot: once the host has lost it, refresh drops it and the next up re-creates it.
 */
export class Namespace extends HnsResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string | undefined>;

  constructor(name: string, args: NamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    super("namespace", name, resourceProps("namespace", name, args), opts);
  }

  /** Reads an existing namespace by HNS ID; the host block is needed to reach it. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, args: Pick<NamespaceArgs, "host">, opts?: pulumi.CustomResourceOptions): Namespace {
    return new Namespace(name, args as NamespaceArgs, { ...opts, id });
  }
}
