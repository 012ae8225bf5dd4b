/**
 * The native provider: Pulumi's resource provider protocol (`@pulumi/pulumi/provider`) mapped
 * onto the same resource providers the dynamic path uses (`providers` in provider/index.ts).
 * What the SDK adds to a program's inputs (the ID seed, a default name) is derived from the
 * URN here; a host left out comes from the provider config `hns:host`.
 */
import { existsSync } from "node:fs";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type * as provider from "@pulumi/pulumi/provider";
import { HOST_REQUIRED, emulatorStateFile } from "../hosts/host";
import { declaredNetwork, forgetProgram } from "../judge/program";
import { providers, type Host, type ResourceKind } from "../index";
import { checkConfig, type ProviderConfig } from "./config";
import { UNKNOWN, hasUnknown } from "../vocabulary/unknown";
import { idOfRef, isResourceRef, referenced } from "./refs";
import { NATIVE_RESOURCES, PACKAGE, tokenOf, type NativeResource } from "./resources";
import { rewrap, unwrap, type Path } from "./secrets";
import { defaultNameOf, resourceOfUrn, seedOfUrn } from "./urn";

type Props = Record<string, unknown>;
/** The resource providers as the engine meets them: JSON in, checked by their own check. */
const impls: Record<ResourceKind, dynamic.ResourceProvider> = providers;

/** The failure check reports for a resource with no host and no `hns:host` config: the SDK's, plus the provider default. */
export const NO_HOST = `${HOST_REQUIRED}; or set the provider's default with pulumi config set --path hns:host.kind emulator and pulumi config set --path hns:host.name h1`;

const plainProps = (v: unknown) => unwrap(v ?? {}) as { value: Props; secrets: Path[] };

/**
 * A check failure's property as a Pulumi property path (`subnets[0].prefix`), the form the
 * engine resolves against the inputs; the resource code reports zod's dotted path (`subnets.0.prefix`).
 */
export function propertyPath(dotted: string): string {
  return dotted
    .split(".")
    .map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? "." : ""}${k}` : `[${JSON.stringify(k)}]`))
    .join("");
}

/**
 * What a preview plans for a resource, touching no host: its ID when known (`kept` by an update,
 * else planned from inputs that are all known), and the state: its inputs, every output the
 * host resolves unknown but the one holding that ID.
 */
function planned(resource: NativeResource, inputs: Props, kept?: string): { id: string; outs: Props } {
  const unknown = Object.fromEntries(Object.keys(resource.outputs.shape).map((k) => [k, UNKNOWN]));
  const plan = resource.plannedId;
  const id = plan && (kept ?? (hasUnknown(inputs) ? undefined : plan.of(inputs)));
  return { id: id ?? "", outs: { ...inputs, ...unknown, ...(plan && id ? { [plan.output]: id } : {}) } };
}

/**
 * Inputs given as a resource (`network: ${web}`) become that resource's ID (unknown while the
 * engine has none: in a preview, a network that adopts), and what check saw of it in this run goes along in the hidden input (the
 * endpoint's `__network`, as the TypeScript SDK sends it), so the endpoint is judged against its
 * network in the same preview. A reference to a resource of another type is refused by field.
 */
function resolveReferences(resource: NativeResource, inputs: Props): provider.CheckFailure[] {
  const failures: provider.CheckFailure[] = [];
  for (const [field, { type, context }] of Object.entries(resource.references ?? {})) {
    const ref = inputs[field];
    if (!isResourceRef(ref)) continue;
    const target = referenced(ref, type);
    if (!target) {
      failures.push({ property: field, reason: `got a reference to ${JSON.stringify(ref.urn)}, want a ${tokenOf(NATIVE_RESOURCES.find((r) => r.type === type)!)} resource or its ID: name one of those here` });
      continue;
    }
    inputs[field] = idOfRef(ref);
    if (inputs[context] === undefined) {
      const seen = declaredNetwork(inputs.host, { seed: seedOfUrn(target.parsed, target.resource) });
      if (seen) inputs[context] = seen;
    }
  }
  return failures;
}

/** An emulator host with no state file holds nothing; reading it would create an empty one. */
const emptyEmulator = (host: Host) => host.kind === "emulator" && !existsSync(emulatorStateFile(host));

export class NativeProvider implements provider.Provider {
  private config: ProviderConfig = {};

  constructor(
    private readonly schemaText: string,
    readonly version: string,
  ) {}

  /** Called with the provider's configuration before any resource call (serve.ts). */
  configure(config: ProviderConfig): void {
    // The engine configures the provider before it checks the program's resources: what an
    // earlier run declared is no part of this one (judge/program.ts).
    forgetProgram();
    this.config = config;
  }

  /** CheckConfig (served by serve.ts): the provider's own inputs, credentials made secret. */
  async checkConfig(news: Props): Promise<provider.CheckResult> {
    return checkConfig(news);
  }

  /**
   * Props without a host: those `pulumi import` stored (read leaves a host from the config out
   * of the inputs, so the program keeps using the config) get the configured one, as check
   * gives it to a resource that names none.
   */
  private withHost(props: Props): Props {
    return props.host === undefined && this.config.host !== undefined ? { ...props, host: this.config.host } : props;
  }

  async getSchema(): Promise<string> {
    return this.schemaText;
  }

  async check(urn: string, olds: Props, news: Props): Promise<provider.CheckResult> {
    const { resource, parsed } = resourceOfUrn(urn);
    const { value: given, secrets } = plainProps(news);
    const inputs: Props = { ...given };
    if (inputs.host === undefined) {
      if (this.config.host === undefined) return { failures: [{ property: "host", reason: NO_HOST }] };
      inputs.host = this.config.host; // its credentials are marked secret again by rewrap
    }
    const name = defaultNameOf(parsed, resource);
    if (inputs.name === undefined && name !== undefined) inputs.name = name;
    inputs.__seed = seedOfUrn(parsed, resource);
    const refFailures = resolveReferences(resource, inputs);
    if (refFailures.length) return { failures: refFailures };
    const r = await impls[resource.kind].check!(plainProps(olds).value, inputs);
    if (r.failures?.length) return { failures: r.failures.map((f) => ({ property: propertyPath(f.property), reason: f.reason })) };
    return { inputs: rewrap(r.inputs, secrets) };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<provider.DiffResult> {
    const { resource } = resourceOfUrn(urn);
    const d = await impls[resource.kind].diff!(id, this.withHost(plainProps(olds).value), this.withHost(plainProps(news).value));
    return { changes: d.changes, replaces: d.replaces ?? [], deleteBeforeReplace: d.deleteBeforeReplace };
  }

  async create(urn: string, inputs: Props): Promise<provider.CreateResult> {
    const { resource } = resourceOfUrn(urn);
    const { value, secrets } = plainProps(inputs);
    const r = await impls[resource.kind].create(value);
    return { id: r.id, outs: rewrap(r.outs, secrets) };
  }

  /**
   * Create in a preview (the plugin says it supports previews, serve.ts): the planned state, no
   * host touched. A network's ID is known then (its resource ID and `networkId`), so an endpoint
   * naming it by ID (`${web.networkId}`, `${web.id}`) is checked against it in the same preview.
   */
  async previewCreate(urn: string, inputs: Props): Promise<provider.CreateResult> {
    const { resource } = resourceOfUrn(urn);
    const { value, secrets } = plainProps(inputs);
    const { id, outs } = planned(resource, value);
    return { id, outs: rewrap(outs, secrets) };
  }

  /**
   * Update in a preview: the new inputs, the planned outputs; an update keeps the object, so the
   * output holding its ID (a network's networkId) is the resource ID it has.
   */
  async previewUpdate(id: string, urn: string, _olds: Props, news: Props): Promise<provider.UpdateResult> {
    const { resource } = resourceOfUrn(urn);
    const { value, secrets } = plainProps(news);
    return { outs: rewrap(planned(resource, value, id).outs, secrets) };
  }

  /**
   * Refresh (props are the state) and import (props are empty: the object is found by ID on
   * the configured host). The inputs returned are what `pulumi import` writes into the program
   * and what the next check starts from; a host that came from the config is left out of them,
   * so the program keeps using the config. An object not found is gone for a refresh (no ID) and
   * an error for an import (the engine would otherwise say the provider cannot import at all).
   */
  async read(id: string, urn: string, props: Props = {}): Promise<provider.ReadResult> {
    const { resource, parsed } = resourceOfUrn(urn);
    const { value: state, secrets } = plainProps(props);
    const importing = Object.keys(state).length === 0;
    const fromConfig = state.host === undefined;
    if (importing && resource.notImportable) throw new Error(`importing ${resource.type} ${id}: ${resource.notImportable}`);
    if (fromConfig) {
      if (this.config.host === undefined) {
        throw new Error(`reading ${resource.type} ${id}: the host is unknown: set the provider's default host first (pulumi config set --path ${PACKAGE}:host.kind emulator, pulumi config set --path ${PACKAGE}:host.name h1)`);
      }
      state.host = this.config.host;
    }
    const host = state.host as Host;
    const r = emptyEmulator(host) ? { id: "" } : await impls[resource.kind].read!(id, state);
    if (!r.id) {
      if (importing) throw new Error(`importing ${resource.type} ${id}: no ${resource.kind} with this ID on host ${host.kind} ${JSON.stringify(host.name)}; check the ID and ${PACKAGE}:host`);
      return { id: "" };
    }
    const inputs = { ...(r.inputs as Props) };
    delete inputs.__seed;
    if (fromConfig) delete inputs.host;
    // A name HNS does not keep (a namespace's is a label in the state only) is, for an object
    // imported, the one check gives the resource: its default, so the next preview is clean.
    const outs = { ...(r.props as Props) };
    if (outs.name === undefined && resource.defaultName) outs.name = defaultNameOf(parsed, resource);
    return { id: r.id, props: rewrap(outs, secrets), inputs: rewrap(inputs, secrets) };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<provider.UpdateResult> {
    const { resource } = resourceOfUrn(urn);
    const { value, secrets } = plainProps(news);
    const r = await impls[resource.kind].update!(id, this.withHost(plainProps(olds).value), this.withHost(value));
    return { outs: rewrap(r.outs, secrets) };
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const { resource } = resourceOfUrn(urn);
    await impls[resource.kind].delete!(id, this.withHost(plainProps(props).value));
  }
}
