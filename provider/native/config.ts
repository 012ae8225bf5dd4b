/**
 * Provider configuration: `hns:host`, the host block a resource uses when it names none (stack
 * config `pulumi config set --path hns:host.kind emulator` ..., or an explicit
 * `pulumi:providers:hns` resource with a `host` property). `pulumi import` relies on it: the
 * engine asks the plugin to read an object by ID alone, and the host says where to look.
 */
import { Host } from "../index";
import { unwrap } from "./secrets";

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
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`hns:host${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message} (docs/reference/hosts.md lists the host kinds and their fields)`);
  }
  return { host };
}
