import * as pulumi from "@pulumi/pulumi";
import type { NetworkInput as NetworkArgsSchema } from "../provider/resources/network/args";
import { autoName, seedOf, type ResourceInputs } from "./inputs";
import { protectHost } from "./secrets";
import { HnsResource } from "./shim";

/**
 * Arguments of a Network: see the field docs in the provider's schema (provider/resources/network/args.ts).
 * `name` defaults to the resource name plus a short hash of project and stack.
 */
export type NetworkArgs = ResourceInputs<Omit<NetworkArgsSchema, "__seed" | "name">> & { name?: pulumi.Input<string> };

/** An HNS network (nat, ics, transparent, l2bridge, l2tunnel, overlay, private, internal) on one host. */
export class Network extends HnsResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  /** HNS network ID: pass it to Endpoint.network. */
  declare readonly networkId: pulumi.Output<string>;
  /** Subnets as applied on the host, gateways filled in. */
  declare readonly appliedSubnets: pulumi.Output<{ prefix: string; gateway?: string }[]>;
  declare readonly appliedMacPool: pulumi.Output<{ start: string; end: string } | undefined>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "network",
      name,
      {
        ...args,
        host: protectHost(args.host, `Network ${name}`),
        name: args.name ?? autoName(name),
        __seed: seedOf("Network", name),
        networkId: undefined,
        appliedSubnets: undefined,
        appliedMacPool: undefined,
      },
      opts,
    );
  }

  /** Reads an existing network by HNS ID; the host block is needed to reach it. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, args: Pick<NetworkArgs, "host">, opts?: pulumi.CustomResourceOptions): Network {
    return new Network(name, args as NetworkArgs, { ...opts, id });
  }
}
