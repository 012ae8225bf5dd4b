/**
 * Raw HCN policies as a user writes them (Endpoint.policies, Network.policies, policy sets,
 * topology endpoints): the same types and shapes HNS takes (./policy.ts), held to more than a
 * host document is. A host prints fields we do not model and values we would not write, so
 * reading stays lenient; a user's policy is sent as written, so every key must be one HNS
 * knows for that Type (a misspelt key would be dropped by HNS without a word) and every value
 * of a known kind must be good: addresses by role, prefixes, ports, protocols, MACs, flags.
 */
import { z } from "zod";
import { VSID_RANGE, inRange, rangeText, type Range } from "../vocabulary/facts/ranges";
import {
  PORT_PROTOCOLS,
  addressOrPrefixProblem,
  addressProblem,
  familyOfText,
  macProblem,
  nearestName,
  portListTextProblem,
  portProblem,
  prefixProblem,
  protocolListTextProblem,
  quote,
} from "../vocabulary/values";
import { EndpointPolicy, NatFlags, NetworkPolicy, endpointUnion, networkUnion } from "./policy";

/** A value's problem; a list's names the entry (its index when the list was written as one). */
type Problem = string | { at: number; message: string };
type Check = (v: unknown) => Problem | undefined;

const text = (f: (s: string) => string | undefined): Check => (v) => (typeof v === "string" ? f(v) : undefined);
const list = (f: (s: string) => string | undefined): Check => (v) => {
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [];
  for (let i = 0; i < items.length; i++) {
    const p = typeof items[i] === "string" ? f(items[i]) : undefined;
    if (p) return Array.isArray(v) ? { at: i, message: p } : p;
  }
  return undefined;
};
const NAT_FLAG_MASK = Object.values(NatFlags).reduce<number>((a, b) => a | b, 0);
const natFlags: Check = (v) =>
  typeof v === "number" && (v & ~NAT_FLAG_MASK) !== 0 ? `${v} sets a flag HNS does not define: use a sum of ${Object.entries(NatFlags).map(([k, n]) => `${k} (${n})`).join(", ")}` : undefined;
const port: Check = (v) => (typeof v === "number" ? portProblem(v) : undefined);
const portText = text((s) => (/^[1-9][0-9]*$/.test(s) ? portProblem(Number(s)) : `${quote(s)} is not a port: give one number 1-65535`));
const portProtocol: Check = (v) =>
  typeof v === "number" && !PORT_PROTOCOLS.has(v) ? `protocol ${v} carries no ports: use 6 (TCP) or 17 (UDP)` : undefined;
const isolation = (range: Range, what: string): Check => (v) =>
  typeof v === "number" && !inRange(range, v) ? `${v} is outside ${rangeText(range)}, the ${what} range: pick one inside it` : undefined;

const vip = text((s) => addressProblem(s, "vip"));
const nextHop = text((s) => addressProblem(s, "nextHop"));
const providerAddress = text((s) => addressProblem(s, "providerAddress"));
const mac = text(macProblem);
/** A GUID in HNS's text form, braces optional. */
const guid = text((s) => (/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(s) ? undefined : `${quote(s)} is not a GUID: give one such as "4f2a6c1e-0b1d-4c3e-9f00-000000000001"`));
/** Text HNS matches exactly (a name, an adapter): not empty. */
const nonEmpty = text((s) => (s.trim() === "" ? "is empty: give the name, or leave the setting out" : undefined));
const destinations = list((s) => addressOrPrefixProblem(s.trim(), "destination", "match"));
const matchAddresses = list((s) => addressOrPrefixProblem(s, "match", "match"));
const ports = text(portListTextProblem);
const protocols: Check = (v) => (typeof v === "string" ? protocolListTextProblem(v) : undefined);

const ACL_FIELDS: Record<string, Check> = {
  Protocols: protocols,
  LocalAddresses: matchAddresses,
  RemoteAddresses: matchAddresses,
  LocalPorts: ports,
  RemotePorts: ports,
};

/** Value checks per policy Type and Settings key. */
const FIELD_CHECKS: Record<string, Record<string, Check>> = {
  PortMapping: { Protocol: portProtocol, InternalPort: port, ExternalPort: port, VIP: vip, Flags: natFlags },
  ACL: ACL_FIELDS,
  NetworkACL: ACL_FIELDS,
  OutBoundNAT: { VirtualIP: vip, Exceptions: destinations, Destinations: destinations, Flags: natFlags },
  SDNRoute: { DestinationPrefix: text((s) => prefixProblem(s, "destination")), NextHop: nextHop },
  L4Proxy: { IP: text((s) => addressProblem(s, "host")), Port: portText, Protocol: portProtocol, Exceptions: destinations, ExceptionList: destinations },
  L4WFPPROXY: { Port: portText, InboundProxyPort: portText, OutboundProxyPort: portText },
  ProviderAddress: { ProviderAddress: providerAddress },
  // VLAN and VSID ranges of raw policies are the planner's rule hcn-isolation-policy (with its HNS code).
  SourceMacAddress: { SourceMacAddress: mac },
  NetAdapterName: { NetworkAdapterName: nonEmpty },
  PortName: { Name: nonEmpty },
  VSwitchExtension: { ExtensionID: guid },
  InterfaceConstraint: { InterfaceGuid: guid },
  LayerConstraint: { LayerId: guid },
  SetPolicy: { Values: list((s) => addressOrPrefixProblem(s.trim(), "match", "match")) },
  DrMacAddress: { Address: mac },
  RemoteSubnetRoute: {
    DestinationPrefix: text((s) => prefixProblem(s, "destination")),
    ProviderAddress: providerAddress,
    DistributedRouterMacAddress: mac,
    IsolationId: isolation(VSID_RANGE, "VSID"),
  },
  VxlanPort: { Port: port },
};

/** Relations between the fields of one ACL: ports only with TCP/UDP, one address family. */
function aclProblems(s: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const protos = typeof s.Protocols === "string" && s.Protocols !== "" ? s.Protocols.split(",").map(Number) : [];
  for (const key of ["LocalPorts", "RemotePorts"]) {
    if (s[key] !== undefined && s[key] !== "" && !protos.length) {
      out.push([key, `ports match only TCP and UDP, and the rule names no protocol: set Protocols to "6" (TCP) or "17" (UDP), or remove ${key}`]);
    } else if (s[key] !== undefined && s[key] !== "" && protos.some((p) => !PORT_PROTOCOLS.has(p))) {
      out.push([key, `ports match only TCP and UDP, and Protocols "${s.Protocols}" takes others (ICMP or any): remove ${key} or use protocol 6 (TCP) or 17 (UDP)`]);
    }
  }
  const families = new Set<string>();
  for (const key of ["LocalAddresses", "RemoteAddresses"]) {
    const v = s[key];
    if (typeof v === "string") for (const a of v.split(",").filter((x) => x !== "")) families.add(familyOfText(a) ?? "?");
  }
  families.delete("?");
  if (families.size > 1) out.push(["RemoteAddresses", "mixes IPv4 and IPv6 addresses in one rule, which can never match: split it into one rule per family"]);
  const only = [...families][0];
  if (only && protos.includes(1) && only === "ipv6") out.push(["Protocols", "protocol 1 (ICMPv4) with IPv6 addresses: use 58 (ICMPv6)"]);
  if (only && protos.includes(58) && only === "ipv4") out.push(["Protocols", "protocol 58 (ICMPv6) with IPv4 addresses: use 1 (ICMP)"]);
  return out;
}

type Union = { options: readonly { shape: { Type: { value: string }; Settings: unknown } }[] };

/** Each policy Type's Settings keys, read from its schema (./policy.ts declares them once). */
function settingsKeys(du: Union): Map<string, string[]> {
  return new Map(
    du.options.map((o) => {
      const inner = (o.shape.Settings as { _zod: { def: { innerType: { shape: Record<string, unknown> } } } })._zod.def.innerType;
      return [o.shape.Type.value, Object.keys(inner.shape)];
    }),
  );
}

/** Controls, format and separator characters, which no setting HNS takes as text holds. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Checks of the policy as written, before parsing: parsing canonicalises (trims lists, turns
 * names into numbers) and copies keys into a new object, where an own "__proto__" key would
 * vanish; so keys, and text as written, are judged on the raw input.
 */
function rawProblems(raw: unknown, keysByType: Map<string, string[]>): { path: (string | number)[]; message: string }[] {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return [];
  const policy = raw as Record<string, unknown>;
  const out: { path: (string | number)[]; message: string }[] = [];
  for (const k of Object.keys(policy)) {
    if (k !== "Type" && k !== "Settings") out.push({ path: [k], message: "is not a policy field: a policy is { Type, Settings }; move it into Settings or remove it" });
  }
  const type = typeof policy.Type === "string" ? [...keysByType.keys()].find((t) => t.toLowerCase() === (policy.Type as string).toLowerCase()) : undefined;
  const settings = policy.Settings;
  if (!type || !settings || typeof settings !== "object" || Array.isArray(settings)) return out;
  const known = keysByType.get(type)!;
  for (const [k, v] of Object.entries(settings)) {
    if (!known.includes(k)) {
      const near = nearestName(k, known);
      const fix = near ? `write "${near}" if that was meant, or remove it` : `remove it (${type} takes ${known.length ? known.join(", ") : "no settings"})`;
      out.push({ path: ["Settings", k], message: `is not a setting HNS knows for ${type}, which would drop it without a word: ${fix}` });
      continue;
    }
    const texts = typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    if (texts.some((t) => HIDDEN.test(t))) out.push({ path: ["Settings", k], message: "contains a control, format or line-separator character: give the value on one line of printable text" });
    else if (k === "Protocols" && typeof v === "string" && /\s/.test(v)) out.push({ path: ["Settings", k], message: `${quote(v)} has blanks: write protocol numbers joined by "," alone, e.g. "6,17"` });
  }
  return out;
}

function strictPolicy<S extends z.ZodType>(schema: S, du: Union) {
  const keysByType = settingsKeys(du);
  const judged = schema.superRefine((p, ctx) => {
    const policy = p as { Type: string; Settings: Record<string, unknown> };
    const settings = policy.Settings ?? {};
    const checks = FIELD_CHECKS[policy.Type] ?? {};
    for (const [k, check] of Object.entries(checks)) {
      const problem = settings[k] === undefined ? undefined : check(settings[k]);
      if (typeof problem === "string") ctx.addIssue({ code: "custom", path: ["Settings", k], message: problem });
      else if (problem) ctx.addIssue({ code: "custom", path: ["Settings", k, problem.at], message: problem.message });
    }
    if (policy.Type === "ACL" || policy.Type === "NetworkACL") {
      for (const [k, m] of aclProblems(settings)) ctx.addIssue({ code: "custom", path: ["Settings", k], message: m });
    }
    // A route's next hop is of its destination's family (as Route and Policy kind route hold it).
    if (policy.Type === "SDNRoute" && typeof settings.DestinationPrefix === "string" && typeof settings.NextHop === "string") {
      const [d, h] = [familyOfText(settings.DestinationPrefix), familyOfText(settings.NextHop)];
      if (d && h && d !== h) ctx.addIssue({ code: "custom", path: ["Settings", "NextHop"], message: `next hop ${settings.NextHop} is ${h} but ${settings.DestinationPrefix} is ${d}: use a next hop of the destination's family` });
    }
  });
  return z.preprocess<unknown, typeof judged, z.input<S>>((raw, ctx) => {
    for (const p of rawProblems(raw, keysByType)) ctx.addIssue({ code: "custom", path: p.path, message: p.message, input: raw });
    return raw;
  }, judged);
}

/** An endpoint policy as a user writes it: a known Type, its settings only, good values. */
export const EndpointPolicyInput = strictPolicy(EndpointPolicy, endpointUnion);
/** A network policy as a user writes it: a known Type, its settings only, good values. */
export const NetworkPolicyInput = strictPolicy(NetworkPolicy, networkUnion);
