/**
 * Every resource kind of pulumi-hns, one line each: what the SDK classes, the native plugin's
 * resources, provider/index.ts's controllers, schema/schema.json and the reference docs are
 * derived from. A kind's own folder (provider/kinds/<kind>/: args, outputs, field table and
 * HCN mapping) holds what is particular to it; this table says how the rest of the package
 * sees it. Controllers live a floor above (provider/resources) and are joined to these entries
 * by kind in provider/index.ts, typed so that a kind without one does not compile.
 */
import type { z } from "zod";
import type { FieldRule } from "./field-rules";
import type { DefaultNameRule } from "./identity";
import { CREDENTIALS_AT, CREDENTIAL_FIELDS } from "./secrets";
import { EndpointArgs, EndpointOutputs } from "./endpoint/args";
import { ENDPOINT_FIELDS } from "./endpoint/mapping";
import { NamespaceArgs, NamespaceOutputs } from "./namespace/args";
import { NAMESPACE_FIELDS } from "./namespace/mapping";
import { NetworkArgs, NetworkOutputs } from "./network/args";
import { NETWORK_FIELDS, networkId } from "./network/mapping";
import { PolicyArgs, PolicyOutputs } from "./policy/args";
import { POLICY_FIELDS } from "./policy/fields";

/** A kind's entry. `kind` names its folders (provider/kinds/<kind>/, sdk/<kind>.ts) and its controller. */
export interface KindSpec {
  kind: string;
  /** The Pulumi type name: in type tokens (`hns:index:<type>`, `pulumi-nodejs:dynamic/hns:<type>`) and in the seed of deterministic IDs. */
  type: string;
  /** What check accepts (provider/kinds/<kind>/args.ts `<type>Args`). */
  args: z.ZodType;
  /** What the host resolves (provider/kinds/<kind>/args.ts `<type>Outputs`): not known in a preview, unless planned. */
  outputs: z.ZodObject;
  /** HNS name given when the program gives none (provider/kinds/identity.ts defaultName); none: the kind has no name. */
  defaultName?: DefaultNameRule;
  /** Why `pulumi import` cannot read this type by ID alone, if it cannot. */
  notImportable?: string;
  /** What a change of each field does (one table, or one per variant of a union of arguments). */
  fields: Record<string, FieldRule> | Record<string, Record<string, FieldRule>>;
  /** Arguments marked secret in both front doors: the credential fields of the host block (provider/kinds/secrets.ts). */
  secrets: { at: string; fields: readonly string[] };
  /**
   * The object's ID known before the host answers: the output that holds it (also the resource
   * ID), and how a create derives it from the checked inputs (undefined: the host tells it). A
   * preview's Create reports it (as the host prints it, provider/native/resources.ts), so a
   * program can pass it on in the same preview; an update keeps the object, so its ID stays.
   */
  plannedId?: { output: string; of: (inputs: Record<string, unknown>) => string | undefined };
  /**
   * Inputs that take a resource of the plugin as well as its ID (`network: ${web}` in YAML):
   * the type it must be, and the hidden input that carries to check what this run's check saw
   * of that resource (judge/program.ts declaredNetwork). The schema offers both (gen-schema.ts).
   */
  references?: Record<string, { type: string; context: "__network" }>;
}

const HOST_SECRETS = { at: CREDENTIALS_AT, fields: CREDENTIAL_FIELDS };

/** The kinds, in the order the schema, the plugin and the docs list them. */
export const REGISTRY = {
  network: {
    kind: "network",
    type: "Network",
    args: NetworkArgs,
    outputs: NetworkOutputs,
    defaultName: "stack-unique",
    fields: NETWORK_FIELDS,
    secrets: HOST_SECRETS,
    // Its create uses the deterministic ID (network/mapping.ts networkId); an adopted network's ID is the host's to tell.
    plannedId: { output: "networkId" satisfies keyof NetworkOutputs, of: (a: Record<string, unknown>) => (a.adopt ? undefined : networkId(a as NetworkArgs)) },
  },
  endpoint: {
    kind: "endpoint",
    type: "Endpoint",
    args: EndpointArgs,
    outputs: EndpointOutputs,
    defaultName: "resource",
    fields: ENDPOINT_FIELDS,
    secrets: HOST_SECRETS,
    references: { network: { type: "Network", context: "__network" } },
  },
  policy: {
    kind: "policy",
    type: "Policy",
    args: PolicyArgs,
    outputs: PolicyOutputs,
    notImportable: "an ID alone does not say which kind of Policy it is (a load balancer, a route, or policies added to an endpoint or network): declare the Policy in the program instead",
    fields: POLICY_FIELDS,
    secrets: HOST_SECRETS,
  },
  namespace: {
    kind: "namespace",
    type: "Namespace",
    args: NamespaceArgs,
    outputs: NamespaceOutputs,
    defaultName: "resource",
    fields: NAMESPACE_FIELDS,
    secrets: HOST_SECRETS,
  },
} as const satisfies { [K in string]: KindSpec & { kind: K } };

export type ResourceKind = keyof typeof REGISTRY;
/** A kind's Pulumi type name ("Network", ...). */
export type TypeName = (typeof REGISTRY)[ResourceKind]["type"];

/** The entries in table order. */
export const KINDS: readonly KindSpec[] = Object.values(REGISTRY);

/** The type name of each kind. */
export const typeNameOf = (kind: ResourceKind): TypeName => REGISTRY[kind].type;

/**
 * The type token the SDK's classes register, that of a `pulumi.dynamic.Resource` of the `hns`
 * dynamic provider (sdk/shim.ts): what URNs and state hold for resources made by the SDK.
 * The native plugin's token is provider/native/resources.ts tokenOf.
 */
export const dynamicTokenOf = (k: { type: string }) => `pulumi-nodejs:dynamic/hns:${k.type}`;
