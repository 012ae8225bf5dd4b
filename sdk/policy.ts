import * as pulumi from "@pulumi/pulumi";
import { PolicyOutputs, type PolicyInput as PolicyArgsSchema } from "../provider/kinds/policy/args";
import { resourceProps, type OutputProperties, type ResourceInputs } from "./inputs";
import { HnsResource } from "./shim";

type Variant<T> = T extends unknown ? ResourceInputs<Omit<T, "__seed">> : never;
/** Arguments of a Policy, by kind (field docs: provider/kinds/policy/args.ts). */
export type PolicyArgs = Variant<PolicyArgsSchema>;

// Its outputs (provider/kinds/policy/args.ts PolicyOutputs) as properties.
export interface Policy extends OutputProperties<typeof PolicyOutputs> {}

/**
 * A load balancer, an SDN route, or a set of policies added to an existing endpoint or
 * network (and removed again when this resource is deleted).
 */
export class Policy extends HnsResource {
  declare readonly kind: pulumi.Output<PolicyArgsSchema["kind"]>;

  constructor(name: string, args: PolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super("policy", name, resourceProps("policy", name, args), opts);
  }
}
