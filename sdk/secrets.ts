/**
 * Host blocks on their way to the provider. Every credential (winrm `password`, ssh
 * `privateKey`, emulator `accessKey`) leaves here as a Pulumi secret, so the engine stores it
 * encrypted in state: a plain string is made secret, with a warning naming the field. A WinRM
 * block that `allowInsecure` lets through warns on every run. Network, Endpoint, Policy and Namespace
 * pass their `host` through protectHost (sdk/inputs.ts resourceProps), so helper-built blocks, raw objects and Topology's
 * connections are all covered.
 */
import * as pulumi from "@pulumi/pulumi";
import { winrmInsecurities } from "../provider/hosts/host";
import { credentialsIn } from "../provider/kinds/secrets";
import type { HostArgs } from "./host";

/** What was said about each host block: one warning per block and per run, however many resources share it. */
const said = new WeakMap<object, Set<string>>();

export function protectHost(host: pulumi.Input<HostArgs>, resource: string): pulumi.Input<HostArgs> {
  if (host === undefined || host === null || typeof host !== "object") return host;
  if (pulumi.Output.isInstance(host) || host instanceof Promise) return protectWhole(host, resource);
  const block = host as Record<string, unknown>;
  const once = onceFor(block);
  const out: Record<string, unknown> = { ...block };
  for (const field of credentialsIn(block)) out[field] = secretField(block[field], field, resource, once);
  pulumi.output(block).apply((h) => warnInsecure(h as Record<string, unknown>, resource, once));
  return out as HostArgs;
}

type Once = (key: string, message: string) => void;

function onceFor(block: object): Once {
  const keys = said.get(block) ?? new Set<string>();
  said.set(block, keys);
  return (key, message) => {
    if (keys.has(key)) return;
    keys.add(key);
    pulumi.log.warn(message);
  };
}

function plainWarning(field: string, resource: string): string {
  return `host.${field} of ${resource} is a plain string, not a Pulumi secret: it was made secret so that state keeps it encrypted; pass pulumi.secret(...) or a secret config value (config.requireSecret) to say so yourself`;
}

function secretField(value: unknown, field: string, resource: string, once: Once): pulumi.Output<unknown> {
  if (typeof value === "string") {
    once(field, plainWarning(field, resource));
    return pulumi.secret(value);
  }
  const o = pulumi.output(value);
  return pulumi.secret(
    pulumi.all([o, pulumi.output(pulumi.isSecret(o))]).apply(([v, secret]) => {
      if (!secret && v !== undefined) once(field, plainWarning(field, resource));
      return v;
    }),
  );
}

/** A host given as one Output (or Promise): secret as a whole if it holds a credential and is not secret already. */
function protectWhole(host: pulumi.Input<HostArgs>, resource: string): pulumi.Output<HostArgs> {
  const o = pulumi.output(host as pulumi.Input<unknown>) as unknown as pulumi.Output<Record<string, unknown>>;
  const once = onceFor(host as object);
  return pulumi.all([o, pulumi.output(pulumi.isSecret(o))]).apply(([h, secret]) => {
    const fields = credentialsIn(h);
    if (!secret && fields.length) {
      once("whole", `host of ${resource} holds ${fields.map((f) => `host.${f}`).join(", ")} but is not a Pulumi secret: the whole host block was made secret so that state keeps it encrypted; pass the credential as pulumi.secret(...)`);
    }
    warnInsecure(h, resource, once);
    return (fields.length ? pulumi.secret(h) : h) as unknown as HostArgs;
  }) as pulumi.Output<HostArgs>;
}

function warnInsecure(h: Record<string, unknown>, resource: string, once: Once): void {
  if (h.kind !== "winrm" || h.allowInsecure !== true) return;
  const risks = winrmInsecurities(h as { useSsl?: boolean; skipCaCheck?: boolean; skipCnCheck?: boolean });
  if (risks.length === 0) return;
  once("insecure", `host ${String(h.name)} of ${resource} (winrm ${String(h.address)}) is allowed to be insecure (allowInsecure: true): ${risks.map(([, risk]) => risk).join("; ")}`);
}
