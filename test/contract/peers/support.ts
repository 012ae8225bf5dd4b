/**
 * What the peer cases share: the case record (its source and what real HNS did there), the
 * context a case runs in, and the objects the peers' own test helpers make, with prefixes,
 * names and ports drawn per run so a real host's own objects are not touched.
 */
import type { Feature } from "../../../provider/vocabulary/features";
import type { HnsClient } from "../../../provider/hosts/client";
import type { HnsVersion } from "../../../provider/vocabulary/features";
import type { HnsEmulator } from "../../../provider/hosts/emulator";
import type { TrackedClient } from "../guard";

/** Where a case comes from: a public repository, the file, and the test function (or config). */
export interface Source {
  repo: "microsoft/hcsshim" | "microsoft/windows-container-networking" | "kubernetes/kubernetes" | "flannel-io/flannel" | "docker/for-win" | "moby/moby" | "antrea-io/antrea";
  file: string;
  test: string;
}

export interface PeerContext {
  t: TrackedClient;
  hns: HnsClient;
  version: HnsVersion;
  /** The emulator behind a stand-in (undefined on a real host). */
  emulator?: HnsEmulator;
  /** A fresh IPv4 /24 ("10.233.N.0/24"), distinct for every call in a run. */
  prefix(): string;
  /** A fresh host port. */
  port(): number;
}

export interface PeerCase {
  /** Unique, stable: "<repo short>/<test>[/<part>]". */
  id: string;
  source: Source;
  /** What real HNS did in the peer's test (the fact the case checks). */
  realHns: string;
  /** The case; absent when it is not applicable. */
  run?: (c: PeerContext) => Promise<void>;
  /** Why the case cannot run on what this project models (never counted as passing). */
  notApplicable?: string;
  /** A feature gate the case needs: on a host without it, HNS must refuse with HCN_E_REQUEST_UNSUPPORTED instead. */
  needs?: Feature;
  /** The case needs a test hook of the emulator (a reboot, a removal by another client): stand-ins only. */
  standInOnly?: boolean;
}

/** The address at `last` in a /24 from prefix(). */
export const at = (prefix: string, last: number) => prefix.replace(/0\/24$/, String(last));

/** The MAC pool every hcsshim hcn test network declares (hcn/hcnutils_test.go). */
export const HCSSHIM_MAC_POOL = { Ranges: [{ StartMacAddress: "00-15-5D-52-C0-00", EndMacAddress: "00-15-5D-52-CF-FF" }] };

const subnet = (prefix: string, policies?: unknown[]) => ({
  IpAddressPrefix: prefix,
  Routes: [{ NextHop: at(prefix, 1), DestinationPrefix: "0.0.0.0/0" }],
  ...(policies ? { Policies: policies } : {}),
});

/** hcsshim HcnGenerateNATNetwork: NAT, one static subnet with its gateway route, the MAC pool, schema 2.0. */
export function natBody(c: PeerContext, what: string, prefix = c.prefix()) {
  return { prefix, body: { Type: "NAT", Name: c.t.name(what), MacPool: HCSSHIM_MAC_POOL, Ipams: [{ Type: "Static", Subnets: [subnet(prefix)] }], SchemaVersion: { Major: 2, Minor: 0 } } };
}

/** hcsshim CreateTestOverlayNetwork: Overlay, VSID 5000 on the subnet, EnableNonPersistent (8). */
export function overlayBody(c: PeerContext, what: string, prefix = c.prefix()) {
  return {
    prefix,
    body: {
      Type: "Overlay",
      Name: c.t.name(what),
      MacPool: HCSSHIM_MAC_POOL,
      Ipams: [{ Type: "Static", Subnets: [subnet(prefix, [{ Type: "VSID", Settings: { IsolationId: 5000 } }])] }],
      Flags: 8,
      SchemaVersion: { Major: 2, Minor: 0 },
    },
  };
}

/** hcsshim HcnCreateTestL2BridgeNetwork: L2Bridge, one subnet, EnableNonPersistent (8). */
export function l2bridgeBody(c: PeerContext, what: string, prefix = c.prefix()) {
  return { prefix, body: { Type: "L2Bridge", Name: c.t.name(what), MacPool: HCSSHIM_MAC_POOL, Ipams: [{ Type: "Static", Subnets: [subnet(prefix)] }], Flags: 8, SchemaVersion: { Major: 2, Minor: 0 } } };
}

/** Creates a network from one of the bodies above; returns its ID and prefix. */
export async function network(c: PeerContext, made: { prefix: string; body: Record<string, unknown> }): Promise<{ id: string; prefix: string }> {
  const net = await c.t.create("network", made.body);
  return { id: net.ID!, prefix: made.prefix };
}

/** hcsshim HcnCreateTestEndpoint: a named endpoint, everything else left to HNS. */
export async function endpoint(c: PeerContext, networkId: string, what = "ep", extra: Record<string, unknown> = {}) {
  return c.t.create("endpoint", { Name: c.t.name(what), HostComputeNetwork: networkId, SchemaVersion: { Major: 2, Minor: 0 }, ...extra });
}

/** hcsshim HcnCreateTestLoadBalancer: SourceVIP 10.0.0.1, frontends 1.1.1.2 and 1.1.1.3, TCP 8080 -> 8090. */
export function loadBalancerBody(endpointIds: string[], extra: Record<string, unknown> = {}) {
  return {
    HostComputeEndpoints: endpointIds,
    SourceVIP: "10.0.0.1",
    PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 8090 }],
    FrontendVIPs: ["1.1.1.2", "1.1.1.3"],
    SchemaVersion: { Major: 2, Minor: 0 },
    ...extra,
  };
}

/** hcsshim HcnCreateTestSdnRoute: 169.254.169.254/24 via 127.10.0.34, no encapsulation. */
export function sdnRouteBody(endpointIds: string[], nextHop = "127.10.0.34") {
  return { SchemaVersion: { Major: 2, Minor: 0 }, HostComputeEndpoints: endpointIds, Setting: [{ DestinationPrefix: "169.254.169.254/24", NextHop: nextHop, NeedEncap: false }] };
}

/** hcsshim HcnCreateAcls: an inbound and an outbound ACL over TCP 80,8080, priority 200. */
export function hcsshimAcls() {
  const acl = (Direction: string) => ({
    Type: "ACL",
    Settings: { Protocols: "6", Action: "Allow", Direction, LocalAddresses: "192.168.100.0/24,10.0.0.21", RemoteAddresses: "192.168.100.0/24,10.0.0.21", LocalPorts: "80,8080", RemotePorts: "80,8080", RuleType: "Switch", Priority: 200 },
  });
  return [acl("In"), acl("Out")];
}
