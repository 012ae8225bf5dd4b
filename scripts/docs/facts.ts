/**
 * The HNS facts the rules apply (provider/vocabulary/facts, provider/vocabulary/features.ts), as tables for the
 * rules page: which network type takes what, features by HNS version, host presets, ranges
 * and the NAT default prefix. Read from the source, so the page cannot drift from the code.
 */
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any
const load = (rel: string): Record<string, any> => require(path.resolve(__dirname, "../..", rel));

type Traits = Record<string, string | boolean>;
const yes = (v: unknown) => (v === true ? "yes" : v === false ? "" : String(v));

export function factsSection(): string[] {
  const facts = load("provider/vocabulary/facts/index.ts");
  const traits = facts.NETWORK_TYPE_TRAITS as Record<string, Traits>;
  const columns = Object.keys(traits.nat).filter((k) => k !== "hns");
  const features = facts.FEATURES as Record<string, { min: [number, number]; max?: [number, number] }[]>;
  const presets = facts.HNS_VERSION_PRESETS as Record<string, { Major: number; Minor: number }>;
  const range = (r: { min: number; max: number }) => `${r.min}-${r.max}`;
  const versions = (list: { min: [number, number]; max?: [number, number] }[]) =>
    list.map((r) => (r.max ? `${r.min.join(".")}-${r.max[0]}.x` : `${r.min.join(".")}+`)).join(", ");
  return [
    "## HNS facts the rules apply",
    "",
    "One table each, in `provider/vocabulary/facts` and `provider/vocabulary/features.ts`; the planner and the emulator both read them, and each row cites its public source there.",
    "",
    "### Network types",
    "",
    `| Type | HCN Type | ${columns.join(" | ")} |`,
    `|---|---|${columns.map(() => "---").join("|")}|`,
    ...Object.entries(traits).map(([t, tr]) => `| ${t} | ${tr.hns} | ${columns.map((c) => yes(tr[c])).join(" | ")} |`),
    "",
    "### Features by HNS version",
    "",
    "| Feature | HNS versions |",
    "|---|---|",
    ...Object.entries(features).map(([f, list]) => `| ${f} | ${versions(list)} |`),
    "",
    "### Host presets (`hnsVersion`)",
    "",
    "| Preset | HNS version |",
    "|---|---|",
    ...Object.entries(presets).map(([p, v]) => `| ${p} | ${v.Major}.${v.Minor} |`),
    "",
    "### Ranges and defaults",
    "",
    `- VLAN ids ${range(facts.VLAN_RANGE)}; VSIDs ${range(facts.VSID_RANGE)}; ports ${range(facts.PORT_RANGE)}.`,
    `- A nat, ics, private or internal network without subnets gets ${facts.NAT_DEFAULT_PREFIX} when it is free on the host, else the next free /16 of ${facts.NAT_PREFIX_POOL}; the gateway is the first address of the prefix.`,
    `- Policies that need a feature: ${Object.entries({ ...facts.NETWORK_POLICY_FEATURES, ...facts.ENDPOINT_POLICY_FEATURES }).map(([p, f]) => `${p} (${f})`).join(", ")}.`,
    "",
  ];
}
