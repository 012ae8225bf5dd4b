/**
 * The differential contract between the planner and the emulator: the same topology, judged
 * offline by the planner and executed by the emulator on the same HNS version, gets the same
 * verdict. When both refuse, the emulator's HNS error code must be one the planner's rule
 * stands for; a few rules are the planner's alone (HNS accepts, the planner knows better).
 */
import * as path from "node:path";
import { HNS_VERSION_PRESETS, parseHnsVersion } from "../../../../provider/vocabulary/features";
import { HnsError } from "../../../../provider/vocabulary/errors";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { endpointInputs, networkInputs } from "../../../../provider/planner/inputs";
import { providers } from "../../../../provider";
import { plan } from "../../../../provider/planner";
import type { TopologyInput } from "../../../../provider/planner/topology";
import { toHcn as endpointToHcn } from "../../../../provider/kinds/endpoint/mapping";
import { toHcn as networkToHcn } from "../../../../provider/kinds/network/mapping";
import { checkResource, failuresOf } from "../../../helpers/fixtures";

/** HNS error codes each planner rule stands for. */
export const RULE_CODES: Record<string, string[]> = {
  "hcn-v2-required": ["HCN_E_REQUEST_UNSUPPORTED"],
  "feature-unsupported": ["HCN_E_REQUEST_UNSUPPORTED"],
  "multiple-subnets": ["HCN_E_INVALID_SUBNET", "HCN_E_REQUEST_UNSUPPORTED"],
  "ipv6-network-type": ["HCN_E_INVALID_PREFIX"],
  "policy-network-type": ["HCN_E_INVALID_POLICY"],
  "vlan-range": ["HCN_E_INVALID_POLICY"],
  "isolation-id-range": ["HCN_E_INVALID_POLICY"],
  "subnet-required": ["HCN_E_INVALID_SUBNET"],
  "host-port-conflict": ["HCN_E_PORT_ALREADY_EXISTS"],
  "pool-exhausted": ["HCN_E_ADDR_INVALID_OR_RESERVED"],
  "subnet-size": ["HCN_E_INVALID_SUBNET"],
  "gateway-reserved": ["HCN_E_INVALID_SUBNET"],
  "vlan-or-vsid": ["HCN_E_INVALID_POLICY"],
  "ipsec-encryption": ["HCN_E_INVALID_POLICY_TYPE"],
  "hcn-isolation-policy": ["HCN_E_INVALID_POLICY"],
  "hcn-port-mapping": ["HCN_E_INVALID_INTERNAL_PORT", "HCN_E_INVALID_POLICY"],
  // A bad value of a value type (provider/vocabulary/values) is refused by the schema, before any rule: HNS
  // refuses the same values with its invalid-value codes.
  schema: ["HCN_E_INVALID_INTERNAL_PORT", "HCN_E_INVALID_POLICY", "HCN_E_INVALID_PREFIX", "HCN_E_INVALID_SUBNET", "HCN_E_INVALID_IP"],
};

/**
 * Rules HNS does not enforce at create time: an overlay subnet without a VSID is created but
 * cannot encapsulate; an endpoint of a network without a subnet is created with no address;
 * a shape error ("schema") never reaches a host; an address the planner could not allocate
 * (pool-exhausted) is left out of the plan, so the emulator is never asked for it.
 */
export const PLANNER_ONLY = new Set(["overlay-vsid-required", "subnet-required", "schema", "pool-exhausted"]);

/** Rules that need more than one resource (conflicts between objects): the planner's alone, never check's. */
export const TOPOLOGY_WIDE = new Set(["host-port-conflict", "address-duplicate", "prefix-overlap-host", "prefix-overlap-domain", "duplicate-name", "single-nat-network", "adapter-shared", "pool-exhausted"]);

/**
 * The same topology judged the way a program of plain resources is: each planned network and
 * endpoint through its resource's `check` (the endpoint with its network's type and subnets, as
 * the SDK passes them). Refusals name their rule in the reason; a shape refusal is "schema".
 */
export async function checkVerdict(topology: TopologyInput): Promise<{ ok: boolean; rules: string[] }> {
  const p = plan(topology);
  const h = p.hosts[0];
  if (!h) return { ok: false, rules: ["schema"] };
  const host = { kind: "emulator", name: "diff", stateDir: "/nonexistent/check-never-writes", hnsVersion: h.hnsVersion };
  const reasons: string[] = [];
  for (const net of h.networks) {
    const args = networkInputs(net);
    reasons.push(...(await failuresOf(providers.network, { ...args, host })).map((f) => f.reason));
    const context = { type: args.type, ...(args.subnets ? { subnets: args.subnets } : {}) };
    for (const ep of net.endpoints) {
      const r = await checkResource(providers.endpoint, { ...endpointInputs(ep), host, network: "4f2a6c1e-0b1d-4c3e-9f00-000000000001", __network: context });
      reasons.push(...(r.failures ?? []).map((f) => f.reason));
    }
  }
  // What check cannot see (conflicts between resources) the planner adds, as it does for a program.
  const wide = plannerVerdict(topology).rules.filter((r) => TOPOLOGY_WIDE.has(r));
  const rules = [...reasons.map((r) => /\(rule ([a-z0-9-]+)\)/.exec(r)?.[1] ?? "schema"), ...wide];
  return { ok: rules.length === 0, rules: [...new Set(rules)] };
}

export type Verdict = { ok: true } | { ok: false; rules: string[] } | { ok: false; code: string; message: string };

export function plannerVerdict(topology: TopologyInput): { ok: boolean; rules: string[] } {
  const p = plan(topology);
  const rules = p.findings.filter((f) => f.severity === "error").map((f) => (reachesHost(p, f.path) ? f.rule : `${f.rule} (planner only)`));
  return { ok: rules.length === 0, rules: [...new Set(rules)] };
}

/**
 * A network's own vlan reaches HNS through its subnets, or (with none) through its endpoints'
 * VLAN policies: on a network with neither, a bad vlan is refused by the planner alone.
 */
function reachesHost(p: ReturnType<typeof plan>, findingPath: string): boolean {
  const m = /^hosts\.(\d+)\.networks\.(\d+)\.vlan$/.exec(findingPath);
  const net = m && p.hosts[Number(m[1])]?.networks[Number(m[2])];
  return !net || net.subnets.length > 0 || net.endpoints.length > 0;
}

/** Creates the planned networks and endpoints of the first host on a fresh emulator of its version. */
export async function emulatorVerdict(topology: TopologyInput, dir: string, n: number): Promise<{ ok: boolean; code?: string; message?: string }> {
  const p = plan(topology);
  const h = p.hosts[0];
  if (!h) return { ok: true }; // a shape error: nothing would reach a host
  const version = parseHnsVersion(h.hnsVersion) ?? HNS_VERSION_PRESETS.ws2025;
  const hns = new HnsEmulator(path.join(dir, `diff-${n}.json`), { hostName: `d${n}`, version });
  try {
    for (const net of h.networks) {
      const made = await hns.create("network", networkToHcn(networkInputs(net), "00000000-0000-0000-0000-000000000000"));
      for (const ep of net.endpoints) {
        await hns.create("endpoint", endpointToHcn({ ...endpointInputs(ep), network: made.ID! }, "00000000-0000-0000-0000-000000000000"));
      }
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof HnsError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

/** Why two verdicts disagree, or undefined when they agree. */
export function disagreement(planner: { ok: boolean; rules: string[] }, emulator: { ok: boolean; code?: string; message?: string }): string | undefined {
  if (planner.ok && emulator.ok) return undefined;
  if (planner.ok) return `planner accepts, emulator refuses with ${emulator.code}: ${emulator.message}`;
  if (emulator.ok) {
    return planner.rules.every((r) => PLANNER_ONLY.has(r) || r.endsWith("(planner only)")) ? undefined : `emulator accepts, planner refuses with ${planner.rules.join(", ")}`;
  }
  const codes = planner.rules.flatMap((r) => RULE_CODES[r] ?? []);
  return codes.includes(emulator.code!) ? undefined : `planner refuses with ${planner.rules.join(", ")}, emulator with ${emulator.code}: ${emulator.message}`;
}
