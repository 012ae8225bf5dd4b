/**
 * Provider configuration: `hns:host`, the host block a resource uses when it names none (stack
 * config `pulumi config set --path hns:host.kind emulator` ..., or an explicit
 * `pulumi:providers:hns` resource with a `host` property). `pulumi import` relies on it: the
 * engine asks the plugin to read an object by ID alone, and the host says where to look.
 */
import { Host } from "../index";
import { unwrap } from "./secrets";

export interface ProviderConfig {
  /** The default host, as written (secret wrappers included). */
  host?: unknown;
}

/**
 * Config from a Configure request: `args` (the provider's inputs, engine 3.x) or, from older
 * engines, `variables` keyed `hns:config:host` with JSON text. A value given as JSON text is parsed.
 */
export function parseConfig(args: Record<string, unknown> | undefined, variables: Map<string, string> | Record<string, string>): ProviderConfig {
  const vars = variables instanceof Map ? Object.fromEntries(variables) : variables;
  const raw = args?.host ?? vars["hns:config:host"] ?? vars["hns:host"];
  if (raw === undefined || raw === "") return {};
  let host = raw;
  if (typeof raw === "string") {
    try {
      host = JSON.parse(raw);
    } catch {
      throw new Error(`hns:host: got ${JSON.stringify(raw.slice(0, 40))}, want a host block: set it with pulumi config set --path hns:host.kind emulator (and hns:host.name, ...)`);
    }
  }
  const r = Host.safeParse(unwrap(host).value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`hns:host.${issue.path.join(".")}: ${issue.message} (docs/reference/hosts.md lists the host kinds and their fields)`);
  }
  return { host };
}
