import * as pulumi from "@pulumi/pulumi";
import { EndpointOutputs, type EndpointInput as EndpointArgsSchema } from "../provider/resources/endpoint/args";
import { resourceProps, type OutputProperties, type ResourceInputs } from "./inputs";
import { Network } from "./network";
import { HnsResource } from "./shim";

/**
 * Arguments of an Endpoint (field docs: provider/resources/endpoint/args.ts). `name` defaults to
 * the resource name. `network` takes the Network resource itself or its `networkId`: given the
 * resource, `pulumi preview` also judges the address and policies against the network's type
 * and subnets.
 */
export type EndpointArgs = ResourceInputs<Omit<EndpointArgsSchema, "__seed" | "__network" | "name" | "network">> & {
  name?: pulumi.Input<string>;
  network: pulumi.Input<string> | Network;
};

/** What check needs of a Network an endpoint names: outputs that equal its checked inputs, so known in a preview. */
function networkOf(network: EndpointArgs["network"]): { network: pulumi.Input<string>; __network?: pulumi.Input<unknown> } {
  if (!(network instanceof Network)) return { network };
  const declared = network as unknown as { subnets: pulumi.Output<unknown> };
  return {
    network: network.networkId,
    __network: pulumi.all([network.type, declared.subnets, network.name]).apply(([type, subnets, name]) => ({ type, ...(subnets ? { subnets } : {}), ...(name ? { name } : {}) })),
  };
}

// Its outputs (provider/resources/endpoint/args.ts EndpointOutputs) as properties.
export interface Endpoint extends OutputProperties<typeof EndpointOutputs> {}

/** An HNS endpoint: a vNIC on a network, with addresses, DNS, routes and policies. */
export class Endpoint extends HnsResource {
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: EndpointArgs, opts?: pulumi.CustomResourceOptions) {
    super("endpoint", name, resourceProps("Endpoint", name, args, EndpointOutputs, { ...networkOf(args.network), name: args.name ?? name }), opts);
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, args: Pick<EndpointArgs, "host">, opts?: pulumi.CustomResourceOptions): Endpoint {
    return new Endpoint(name, args as EndpointArgs, { ...opts, id });
  }
}
