/**
 * HNS features by version, as data. A feature is supported when the host's HNS version falls
 * in one of its ranges. Source: hcsshim hcn/hcnglobals.go and hcn/hcnsupport.go
 * (github.com/microsoft/hcsshim), which gate each feature on the version HNS reports at
 * GET /globals/version; the two rows hcsshim does not have say where they come from.
 */
import { HnsError } from "./errors";

/** HNS version as `/globals/version` reports it. */
export interface HnsVersion {
  Major: number;
  Minor: number;
}

type Range = { min: [number, number]; max?: [number, number] }; // inclusive bounds
const from = (maj: number, min: number): Range => ({ min: [maj, min] });
const between = (a: [number, number], b: [number, number]): Range => ({ min: a, max: b });
const majorOnly = (maj: number, minMinor: number): Range => between([maj, minMinor], [maj, Number.MAX_SAFE_INTEGER]);

export const FEATURES = {
  AclRules: [from(7, 2)],
  V2Api: [from(9, 2)],
  RemoteSubnet: [from(9, 2)],
  HostRoute: [from(9, 2)],
  DSR: [majorOnly(9, 3), from(10, 2)],
  Slash32EndpointPrefixes: [majorOnly(9, 3), from(10, 4)],
  VxlanPort: [from(10, 3)],
  AclSupportForProtocol252: [from(11, 0)],
  IPv6DualStack: [from(11, 10)],
  L4Proxy: [majorOnly(9, 5), majorOnly(10, 5), majorOnly(11, 11), majorOnly(12, 1), from(13, 1)],
  SessionAffinity: [from(12, 0)],
  SetPolicy: [from(13, 0)],
  L4WfpProxy: [from(13, 2)],
  TierAcl: [from(14, 0)],
  NetworkACL: [from(15, 0)],
  NestedIpSet: [from(15, 0)],
  DisableHostPort: [from(15, 1)],
  ModifyLoadBalancer: [from(15, 4)],
  Accelnet: [from(15, 4)],
  // hcsshim hcn/hcnnamespace.go NewNamespace: from 15.2 a namespace's compartment is made on
  // create only when it asks for ReadyOnCreate.
  NamespaceReadyOnCreate: [from(15, 2)],
  // Not an hcsshim gate: Microsoft's "Multiple subnets per network" page
  // (learn.microsoft.com/virtualization/windowscontainers/container-networking/multi-subnet)
  // names Windows Server 2022, whose first HNS is 13.0 (HCN schema 2.11 = WS2022, HNS_Schema.md).
  MultipleSubnets: [from(13, 0)],
  // Not an hcsshim gate: a second NAT network is refused before Windows Server 2019
  // ("HNS failed with error : The object already exists.", docker/for-win#1384 on 16299).
  MultipleNatNetworks: [from(9, 2)],
} satisfies Record<string, Range[]>;
export type Feature = keyof typeof FEATURES;

const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

export function supports(version: HnsVersion, feature: Feature): boolean {
  const v: [number, number] = [version.Major, version.Minor];
  return FEATURES[feature].some((r: Range) => cmp(v, r.min) >= 0 && (r.max === undefined || cmp(v, r.max) <= 0));
}

/** Windows releases and the HNS version they report, for host presets. */
export const HNS_VERSION_PRESETS = {
  // RS1 / 14393: a WS2016 network document carries Version 4294967297 = 1.1 (docker/for-win#750).
  // No HCN v2 (V2Api is 9.2+): such a host is declared only to be refused with the reason.
  ws2016: { Major: 1, Minor: 1 },
  ws2019: { Major: 9, Minor: 2 }, // RS5 / 17763: corpus Version 38654705666 = 9.2 (moby#40128)
  "win10-2004": { Major: 11, Minor: 10 }, // 19041 reports 11.10 (hcsshim#1003)
  ws2022: { Major: 13, Minor: 3 }, // corpus Version 55834574851 = 13.3 on WS2022-era hosts (docker-netrestore); unverified
  ws2025: { Major: 15, Minor: 4 }, // newest feature gates (ModifyLoadBalancer, Accelnet) assumed present; unverified
} satisfies Record<string, HnsVersion>;

export function parseHnsVersion(text: string): HnsVersion | undefined {
  // Own keys only: "constructor" or "toString" name no preset.
  if (typeof text === "string" && Object.hasOwn(HNS_VERSION_PRESETS, text)) return HNS_VERSION_PRESETS[text as keyof typeof HNS_VERSION_PRESETS];
  // Two numbers as HNS prints them (no leading zeros, at most 4 digits each).
  const m = /^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$/.exec(text);
  return m ? { Major: Number(m[1]), Minor: Number(m[2]) } : undefined;
}

export function formatVersion(v: HnsVersion): string {
  return `${v.Major}.${v.Minor}`;
}

/** The first HNS version of each range that has the feature, as text: "9.3 or 10.2". */
export function versionsOf(feature: Feature): string {
  return FEATURES[feature].map((r: Range) => `${r.min[0]}.${r.min[1]}`).join(" or ");
}

/** Throws hcsshim's "platform does not support feature X" as an HNS REQUEST_UNSUPPORTED error. */
export function requireFeature(version: HnsVersion, feature: Feature, what?: string): void {
  if (supports(version, feature)) return;
  const need = versionsOf(feature);
  throw new HnsError({
    code: "HCN_E_REQUEST_UNSUPPORTED",
    message: `platform does not support feature ${feature}${what ? ` (${what})` : ""}: HNS ${formatVersion(version)}`,
    fix: `this needs HNS ${need} or newer; remove it or target a newer Windows host`,
  });
}
