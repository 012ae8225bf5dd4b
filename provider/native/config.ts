/**
 * Provider configuration: `hns:host`, the host block a resource uses when it names none (stack
 * config `pulumi config set --path hns:host.kind emulator` ..., or an explicit
 * `pulumi:providers:hns` resource with a `host` property). `pulumi import` relies on it: the
 * engine asks the plugin to read an object by ID alone, and the host says where to look.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { Host } from "../index";
import type { CheckFailure } from "../vocabulary/errors";
import { valueAt, zodFailures } from "../vocabulary/issues";
import { rewrap, unwrap, type Path } from "./secrets";

export interface ProviderConfig {
  /** The default host block, as written, without secret wrappers. */
  host?: unknown;
}

/**
 * Config from a Configure request: `args` (the provider's inputs, engine 3.x) or, from older
 * engines, `variables` keyed `hns:config:host` with JSON text. The engine sends an object value
 * as JSON text, and one holding a secret (a `--secret` accessKey) as a secret around that text:
 * the text is parsed. The credential fields are marked secret again wherever the host is used
 * (secrets.ts rewrap), so none is lost by unwrapping the whole block here.
 */
export function parseConfig(args: Record<string, unknown> | undefined, variables: Map<string, string> | Record<string, string>): ProviderConfig {
  const vars = variables instanceof Map ? Object.fromEntries(variables) : variables;
  const raw = args?.host ?? vars["hns:config:host"] ?? vars["hns:host"];
  let host = unwrap(raw).value;
  if (host === undefined || host === "") return {};
  if (typeof host === "string") {
    try {
      host = JSON.parse(host);
    } catch {
      throw new Error(`hns:host: got ${JSON.stringify((host as string).slice(0, 40))}, want a host block: set it with pulumi config set --path hns:host.kind emulator (and hns:host.name, ...)`);
    }
  }
  host = unwrap(host).value;
  const r = Host.safeParse(host);
  if (!r.success) throw new Error(`${hostIssue(host, zodFailures(r.error, host, Host)[0])} (docs/reference/hosts.md lists the host kinds and their fields)`);
  return { host };
}

/**
 * The first problem of the host block as `hns:host.<field>: <reason>` (the one wording of zod
 * issues, provider/vocabulary/issues.ts); a field left out says which kind needs it.
 */
function hostIssue(host: unknown, failure: CheckFailure): string {
  // The whole block is "(inputs)" to zodFailures: here it is hns:host itself.
  const field = failure.property === "(inputs)" ? "" : failure.property;
  const at = ["hns:host", field].filter(Boolean).join(".");
  const given = field ? valueAt(host, field.split(".")) : host;
  if (field && given === undefined && failure.reason.startsWith("is required")) return `${at} is required for kind ${String((host as { kind?: unknown }).kind)}`;
  return `${at}: ${failure.reason}`;
}

/**
 * CheckConfig: the provider's inputs as the engine stores them in the provider resource's state.
 * The engine sends them with secrets stripped and keeps what comes back, so the host's credential
 * fields are marked secret here, whether the program marked them or not: an explicit
 * `pulumi:providers:hns` resource's host and a Pulumi.yaml `config: hns:host` block alike. A
 * host given as JSON text is returned as the object it holds (a field inside a string cannot be
 * secret alone). A bad host block is a check failure naming the field.
 */
export function checkConfig(news: Record<string, unknown>): provider.CheckResult {
  const { value, secrets } = unwrap(news ?? {}) as { value: Record<string, unknown>; secrets: Path[] };
  let config: ProviderConfig;
  try {
    config = parseConfig(value, {});
  } catch (e) {
    return { failures: [{ property: "host", reason: (e as Error).message }] };
  }
  const inputs = config.host === undefined ? value : { ...value, host: config.host };
  return { inputs: rewrap(inputs, secrets) };
}
