import * as pulumi from "@pulumi/pulumi";
import { EndpointOutputs, networkContextOf, type EndpointInput as EndpointArgsSchema, type NetworkContext } from "../provider/kinds/endpoint/args";
import { resourceProps, type OutputProperties, type ResourceInputs } from "./inputs";
import { Network } from "./network";
import { HnsResource } from "./shim";

/**
 * Arguments of an Endpoint (field docs: provider/kinds/endpoint/args.ts). `name` defaults to
 * the resource name. `network` takes the Network resource itself or its `networkId` output:
 * either way `pulumi preview` also judges the address, routes and policies against the network's
 * type and subnets, and the endpoint with the other resources on its host. A plain ID string
 * gets none of these checks.
 */
export type EndpointArgs = ResourceInputs<Omit<EndpointArgsSchema, "__seed" | "__network" | "name" | "network">> & {
  name?: pulumi.Input<string>;
  network: pulumi.Input<string> | Network;
};

/**
 * The Network resource behind an output such as `web.networkId`: an output of one resource
 * carries that resource (the SDK's Output keeps the resources it came from in `resources()`,
 * internal to @pulumi/pulumi 3.x output.js), so the README's `network: web.networkId` gets the
 * same checks as `network: web`. Anything else (a string, an output of several resources) has none.
 */
function networkBehind(value: pulumi.Input<string>): Network | undefined {
  if (!pulumi.Output.isInstance(value)) return undefined;
  const from = (value as pulumi.Output<string> & { resources?: () => Set<pulumi.Resource> }).resources?.();
  const only = from?.size === 1 ? [...from][0] : undefined;
  return only instanceof Network ? only : undefined;
}

/** What check needs of a Network an endpoint names: outputs that equal its checked inputs, so known in a preview. */
function networkOf(given: EndpointArgs["network"]): { network: pulumi.Input<string>; __network?: pulumi.Output<NetworkContext> } {
  const network = given instanceof Network ? given : networkBehind(given);
  if (!network) return { network: given as pulumi.Input<string> };
  return {
    network: given instanceof Network ? given.networkId : given,
    __network: pulumi.all([network.type, network.subnets, network.name]).apply(([type, subnets, name]) => networkContextOf({ type, subnets, name })),
  };
}

// Its outputs (provider/kinds/endpoint/args.ts EndpointOutputs) as properties.
export interface Endpoint extends OutputProperties<typeof EndpointOutputs> {}

/** An HNS endpoint: a vNIC on a network, with addresses, DNS, routes and policies. */
export class Endpoint extends HnsResource {
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: EndpointArgs, opts?: pulumi.CustomResourceOptions) {
    super("endpoint", name, resourceProps("endpoint", name, args, networkOf(args.network)), opts);
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, args: Pick<EndpointArgs, "host">, opts?: pulumi.CustomResourceOptions): Endpoint {
    return new Endpoint(name, args as EndpointArgs, { ...opts, id });
  }
}
