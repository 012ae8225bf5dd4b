/**
 * An import as a Pulumi program: one `hns.Network` per Docker network and one `hns.Endpoint`
 * per `docker run` container on it, with the addresses
 * the planner made concrete (gateways filled in), on an emulator host block the user swaps
 * for a real one. Settings Docker puts on every endpoint of a network (outbound NAT,
 * disableicc) become an `…EndpointDefaults` object to spread into `hns.Endpoint` arguments,
 * built by the planner's own endpoint policy function so they match what `hns-plan` plans.
 */
import type { EndpointPolicy } from "../../hcn";
import { buildModel } from "../../planner/model";
import { endpointInputs, networkInputs } from "../../planner/inputs";
import { endpointPolicies } from "../../planner/policies";
import { Topology } from "../../planner/topology";
import type { DockerImport } from "./import";

export interface ProgramNetwork {
  /** Resource name (the Docker network name). */
  resourceName: string;
  /** TypeScript identifier of the resource. */
  variable: string;
  /** hns.Network arguments without `host`. */
  args: Record<string, unknown>;
  /** Endpoint arguments Docker would apply to every endpoint, when there are any. */
  endpointDefaults?: { disableIcc?: true; policies?: EndpointPolicy[] };
  comments: string[];
  /** The containers of `docker run` lines on this network. */
  endpoints: ProgramEndpoint[];
}

export interface ProgramEndpoint {
  /** Resource name: the endpoint's, or network-endpoint when another network has one of that name. */
  resourceName: string;
  variable: string;
  /** hns.Endpoint arguments without `host` and `network`. */
  args: Record<string, unknown>;
  comments: string[];
}

/** The program's networks as data (what the text is printed from; tests check it against the schema). */
export function programNetworks(result: DockerImport): ProgramNetwork[] {
  const model = buildModel(Topology.parse(result.topology));
  const planned = result.plan.hosts[0]?.networks ?? [];
  const used = new Set<string>(["host", "hns"]);
  const resourceNames = new Set<string>();
  return result.networks.map((n, i) => {
    const net = planned[i];
    const policies = endpointPolicies({ net: model.networks[i], endpoint: { name: "endpoint" }, path: "", key: "" });
    const defaults = {
      ...(n.endpointDefaults.disableIcc ? { disableIcc: true as const } : {}),
      ...(policies.length ? { policies } : {}),
    };
    return {
      resourceName: n.source.name,
      variable: identifier(n.source.name, used),
      args: networkInputs(net),
      ...(Object.keys(defaults).length ? { endpointDefaults: defaults } : {}),
      comments: [`${n.origin}: ${n.source.command}`, ...n.notes.map((note) => `note: ${note}`)],
      endpoints: result.endpoints
        .filter((e) => e.at[0] === i)
        .map((e) => {
          const name = e.endpoint.name;
          const resourceName = resourceNames.has(name) ? `${n.source.name}-${name}` : name;
          resourceNames.add(resourceName);
          return {
            resourceName,
            variable: identifier(resourceName, used),
            args: endpointInputs(net.endpoints[e.at[1]]),
            comments: [`${e.origin}: ${e.source.command}`, ...e.notes.map((note) => `note: ${note}`)],
          };
        }),
    };
  });
}

/** A camelCase identifier that cannot be a reserved word (it always ends in a suffix added later). */
function identifier(name: string, used: Set<string>): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = parts.map((p, i) => (i === 0 ? p[0].toLowerCase() + p.slice(1) : p[0].toUpperCase() + p.slice(1))).join("") || "network";
  if (/^\d/.test(base)) base = `n${base}`;
  let v = base;
  for (let k = 2; used.has(v); k++) v = `${base}${k}`;
  used.add(v);
  return v;
}

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));

/** A TypeScript literal: on one line when it fits in 100 columns, else one entry per line (trailing commas). */
function literal(value: unknown, indent = ""): string {
  const flat = oneLine(value);
  if (indent.length + flat.length <= 100 || value === null || typeof value !== "object") return flat;
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((v) => `${inner}${literal(v, inner)},`)
    : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},`);
  return Array.isArray(value) ? `[\n${entries.join("\n")}\n${indent}]` : `{\n${entries.join("\n")}\n${indent}}`;
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${key(k)}: ${oneLine(v)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  return JSON.stringify(value);
}

export function renderProgram(result: DockerImport, hostName: string): string {
  const out = [
    "/**",
    " * Imported from `docker network create` and `docker run` commands by `hns-plan import-docker`.",
    " * It deploys to the embedded HNS emulator; to reach a real Windows host, change only the",
    " * host block below (pulumi-hns README, \"Hosts\").",
    " */",
    // Lines left out, as line comments (a command is one line: joinWords); the reasons were printed.
    ...(result.refused.length ? ["// Not imported (hns-plan import-docker printed why):", ...result.refused.map((r) => `//   ${r.origin}: ${r.command.replace(/[\r\n]/g, " ")}`)] : []),
    'import * as hns from "pulumi-hns";',
    "",
    `const host = hns.emulatorHost(${JSON.stringify(hostName)});`,
  ];
  for (const n of programNetworks(result)) {
    // `host` is a variable, not data: put it first in the printed literal.
    const args = literal({ host: 0, ...n.args }).replace(/^\{(\s+)host: 0,/, "{$1host,");
    out.push("", ...n.comments.map((c) => `// ${c}`));
    out.push(`const ${n.variable} = new hns.Network(${JSON.stringify(n.resourceName)}, ${args});`);
    out.push(`export const ${n.variable}NetworkId = ${n.variable}.networkId;`);
    for (const e of n.endpoints) {
      // `host` and `network` are variables, not data: put them first in the printed literal.
      const args = literal({ host: 0, network: 0, ...e.args }).replace(/^\{(\s+)host: 0,(\s+)network: 0,/, `{$1host,$2network: ${n.variable}.networkId,`);
      out.push("", ...e.comments.map((c) => `// ${c}`));
      out.push(`const ${e.variable} = new hns.Endpoint(${JSON.stringify(e.resourceName)}, ${args});`);
      out.push(`export const ${e.variable}EndpointId = ${e.variable}.endpointId;`);
    }
    if (n.endpointDefaults) {
      out.push(
        "",
        `// Docker adds these to every endpoint it creates on ${n.resourceName}: spread them into each hns.Endpoint's arguments.`,
        `export const ${n.variable}EndpointDefaults = ${literal(n.endpointDefaults)} satisfies Partial<hns.EndpointArgs>;`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}
