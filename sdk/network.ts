import * as pulumi from "@pulumi/pulumi";
import { NetworkOutputs, type NetworkInput as NetworkArgsSchema, type Subnet } from "../provider/kinds/network/args";
import type { NetworkType } from "../provider/vocabulary/fields";
import { resourceProps, type OutputProperties, type ResourceInputs } from "./inputs";
import { HnsResource } from "./shim";

/**
 * Arguments of a Network: see the field docs in the provider's schema (provider/kinds/network/args.ts).
 * `name` defaults to the resource name plus a short hash of project and stack.
 */
export type NetworkArgs = ResourceInputs<Omit<NetworkArgsSchema, "__seed" | "name">> & { name?: pulumi.Input<string> };

// Its outputs (provider/kinds/network/args.ts NetworkOutputs) as properties.
export interface Network extends OutputProperties<typeof NetworkOutputs> {}

/** An HNS network (nat, ics, transparent, l2bridge, l2tunnel, overlay, private, internal) on one host. */
export class Network extends HnsResource {
  // Inputs the state keeps (as checked), which an Endpoint naming this network passes to its check.
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<NetworkType>;
  declare readonly subnets: pulumi.Output<Subnet[] | undefined>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.CustomResourceOptions) {
    super("network", name, resourceProps("network", name, args), opts);
  }

  /** Reads an existing network by HNS ID; the host block is needed to reach it. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, args: Pick<NetworkArgs, "host">, opts?: pulumi.CustomResourceOptions): Network {
    return new Network(name, args as NetworkArgs, { ...opts, id });
  }
}
