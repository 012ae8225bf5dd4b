/**
 * The HNS emulator: an HnsClient backed by one JSON file per host, reproducing what HNS does
 * (docs/emulator.md lists each behaviour and choice with its source) so stacks can be previewed, deployed and tested without Windows.
 * Every call is one transaction on the file; a failed call changes nothing.
 */
import { HnsError, hnsErrorFromHResult, HResult } from "../../vocabulary/errors";
import { HNS_VERSION_PRESETS, requireFeature } from "../../vocabulary/features";
import { hnsTypeOf } from "../../vocabulary/facts";
import { NetworkFlags, MODIFY_REQUEST_SCHEMAS, type ModifyRequest, endpointToV1, loadBalancerToPolicyListV1, networkToV1 } from "../../hcn";
import { sameGuid, type HnsClient, type HnsDocument, type HnsDocumentInput, type HnsFilter, type HnsKind, type HnsModify } from "../client";
import type { HnsVersion } from "../../vocabulary/features";
import { createEndpoint, deleteEndpoint, modifyEndpoint } from "./endpoint";
import { createNetwork, deleteNetwork, modifyNetwork } from "./network";
import { createLoadBalancer, createRoute, deleteSimple, modifyLoadBalancer } from "./load-balancer-route";
import { createNamespace, deleteNamespace, modifyNamespace } from "./namespace";
import { checkAccessKey, migrateAccessKey } from "./access-check";
import { newHostState } from "./new-host";
import { indexDocument, indexOf, indexState } from "./indexes";
import { Fault, HOST_DEFAULT_NAMESPACE_ID, documentDamage, fieldsDamage, parseState, type EmulatorState, type FaultInput, type Op } from "./state";
import { StateStore, type Layout } from "./store";
import { dropEndpoints, findById, printIds, type AnyTable } from "./objects";
import { invalidJson } from "../../hcn";

export interface EmulatorOptions {
  /** Name used in messages. */
  hostName?: string;
  /** HNS version of a host whose state file does not exist yet. */
  version?: HnsVersion;
  /** Key the host demands; its salted hash is stored with a new state file, and checked on every call. */
  accessKey?: string;
  /** A new state file starts with Docker's default `nat` network, as a host running Docker has. */
  docker?: boolean;
}

/** A new host without a declared version is the newest preset. */
export const DEFAULT_HNS_VERSION: HnsVersion = HNS_VERSION_PRESETS.ws2025;

/** Documents are journaled one by one, checked as they are read, and indexed for the rules. */
export const EMULATOR_LAYOUT: Layout<EmulatorState> = {
  tables: "objects",
  documentDamage: (table, key, doc) => documentDamage(table as HnsKind, key, doc),
  fieldsDamage,
  indexAll: indexState,
  indexOne: indexDocument,
};

export class HnsEmulator implements HnsClient {
  readonly hostName: string;
  private readonly store: StateStore<EmulatorState>;

  constructor(
    readonly file: string,
    private readonly options: EmulatorOptions = {},
  ) {
    this.hostName = options.hostName ?? file;
    this.store = new StateStore(file, () => newHostState({ ...options, version: options.version ?? DEFAULT_HNS_VERSION }), parseState, EMULATOR_LAYOUT);
  }

  version(): Promise<HnsVersion> {
    return this.call("version", undefined, false, (s) => ({ ...s.version }));
  }

  list<K extends HnsKind>(kind: K, filter?: HnsFilter): Promise<HnsDocument<K>[]> {
    return this.call("list", kind, false, (s) =>
      candidates(s, kind, filter)
        .filter((doc) => matches(s, kind, doc as Record<string, unknown>, filter))
        .map((doc) => present(kind, doc as HnsDocument<K>)),
    );
  }

  get<K extends HnsKind>(kind: K, id: string): Promise<HnsDocument<K> | undefined> {
    return this.call("get", kind, false, (s) => {
      const doc = findById(s.objects[kind] as AnyTable, id) as HnsDocument<K> | undefined;
      return doc && present(kind, doc);
    });
  }

  create<K extends HnsKind>(kind: K, settings: HnsDocumentInput<K>): Promise<HnsDocument<K>> {
    return this.call("create", kind, true, (s) => {
      const made = {
        network: createNetwork,
        endpoint: createEndpoint,
        namespace: createNamespace,
        loadBalancer: createLoadBalancer,
        route: createRoute,
      }[kind](s, settings);
      return present(kind, made as HnsDocument<K>);
    });
  }

  modify<K extends HnsKind>(kind: K, id: string, request: HnsModify<K>): Promise<HnsDocument<K>> {
    return this.call("modify", kind, true, (s) => {
      let doc: unknown;
      switch (kind) {
        case "network":
          doc = modifyNetwork(s, id, parseModify("network", request));
          break;
        case "endpoint":
          doc = modifyEndpoint(s, id, parseModify("endpoint", request));
          break;
        case "namespace":
          doc = modifyNamespace(s, id, parseModify("namespace", request));
          break;
        case "loadBalancer":
          doc = modifyLoadBalancer(s, id, request);
          break;
        default:
          // "HCNRoute doesn't implement modify functionality" (hcsshim hcnroute.go)
          throw new HnsError({ code: "HCN_E_REQUEST_UNSUPPORTED", message: "SDN routes cannot be modified", fix: "delete and re-create the route" });
      }
      return present(kind, doc as HnsDocument<K>);
    });
  }

  delete(kind: HnsKind, id: string): Promise<void> {
    return this.call("delete", kind, true, (s) => {
      switch (kind) {
        case "network":
          return deleteNetwork(s, id);
        case "endpoint":
          return deleteEndpoint(s, id);
        case "namespace":
          return deleteNamespace(s, id);
        default:
          return deleteSimple(s, kind, id);
      }
    });
  }

  async close(): Promise<void> {}

  // ---- v1 views (what Get-HnsNetwork / Get-HnsEndpoint / Get-HnsPolicyList print) ----

  getV1(kind: "network" | "endpoint" | "loadBalancer", id: string): Promise<unknown> {
    return this.store.read((s) => {
      if (kind === "network") {
        const n = findById(s.objects.network, id);
        return n && networkToV1(printed(n));
      }
      if (kind === "endpoint") {
        const e = findById(s.objects.endpoint, id);
        const n = e && findById(s.objects.network, e.HostComputeNetwork ?? "");
        return e && endpointToV1(printed(e), n && printed(n));
      }
      const lb = findById(s.objects.loadBalancer, id);
      return lb && loadBalancerToPolicyListV1(printed(lb));
    });
  }

  // ---- administration: what a test or an operator does to the host, not HNS calls ----

  /** The whole state, for inspection (a copy: the emulator keeps its own in memory). */
  snapshot(): Promise<EmulatorState> {
    return this.store.read((s) => structuredClone(s));
  }

  /** Writes the state file whole and empties its journal (docs/emulator.md, "Storage"): for reading or editing the file by hand. */
  compact(): Promise<void> {
    return this.store.compact();
  }

  /**
   * A reboot as Windows Server 2019+ does it: NAT networks and networks flagged
   * EnableNonPersistent are gone, with their endpoints; container namespaces are gone;
   * load balancers and routes that used a lost endpoint are gone.
   */
  reboot(): Promise<void> {
    return this.admin((s) => {
      const lost = Object.values(s.objects.network).filter((n) => hnsTypeOf(n) === "NAT" || ((n.Flags ?? 0) & NetworkFlags.EnableNonPersistent) !== 0);
      for (const n of lost) {
        dropEndpoints(s, [...indexOf(s).endpointsOn(n.ID!)]);
        delete s.objects.network[n.ID!.toLowerCase()];
      }
      for (const [k, ns] of Object.entries(s.objects.namespace)) if (!sameGuid(ns.ID, HOST_DEFAULT_NAMESPACE_ID)) delete s.objects.namespace[k];
      for (const e of Object.values(s.objects.endpoint)) if (e.HostComputeNamespace && !sameGuid(e.HostComputeNamespace, HOST_DEFAULT_NAMESPACE_ID)) delete e.HostComputeNamespace;
      s.bootCount++;
    });
  }

  /** Arms a fault: the nth matching call fails, or commits and loses its reply. */
  injectFault(fault: FaultInput): Promise<void> {
    const f = Fault.parse(fault);
    return this.admin((s) => void s.faults.push(f));
  }

  clearFaults(): Promise<void> {
    return this.admin((s) => void (s.faults = []));
  }

  setVersion(version: HnsVersion): Promise<void> {
    return this.admin((s) => void (s.version = { ...version }));
  }

  setAdapters(adapters: string[]): Promise<void> {
    return this.admin((s) => void (s.adapters = [...adapters]));
  }

  /**
   * Deletes one object behind the provider's back, bypassing HNS's reference checks (drift
   * tests). A network takes its endpoints with it, as HNS's own delete does.
   */
  removeOutOfBand(kind: HnsKind, id: string): Promise<boolean> {
    return this.admin((s) => {
      const doc = findById(s.objects[kind] as AnyTable, id);
      if (!doc) return false;
      if (kind === "network") dropEndpoints(s, [...indexOf(s).endpointsOn((doc as { ID: string }).ID)]);
      delete s.objects[kind][(doc as { ID: string }).ID.toLowerCase()];
      return true;
    });
  }

  /** Changes a stored document behind the provider's back (drift tests). */
  editOutOfBand<K extends HnsKind>(kind: K, id: string, edit: (doc: HnsDocument<K>) => void): Promise<void> {
    return this.admin((s) => {
      const doc = findById(s.objects[kind] as AnyTable, id) as HnsDocument<K> | undefined;
      if (!doc) throw new HnsError({ code: "ERROR_NOT_FOUND", message: `${kind} ${id} not found` });
      edit(doc);
    });
  }

  private admin<T>(fn: (s: EmulatorState) => T): Promise<T> {
    return this.store.transaction(async (tx) => {
      await migrateAccessKey(tx);
      return tx.atomic(() => fn(tx.state));
    });
  }

  private call<T>(op: Op, kind: HnsKind | undefined, mutates: boolean, fn: (s: EmulatorState) => T): Promise<T> {
    return this.store.transaction(async (tx) => {
      if (!(await checkAccessKey(tx, this.options.accessKey))) {
        throw new HnsError({ code: "E_ACCESSDENIED", fix: `host ${this.hostName} wants its access key; set host.accessKey (as a secret)` });
      }
      const s = tx.state;
      // The store writes what changed: a read changes nothing unless a fault plan counts down.
      const fault = takeFault(s, op, kind);
      if (fault?.mode === "fail") throw hnsErrorFromHResult(fault.hresult ?? HResult.E_FAIL);
      if (op !== "version") requireFeature(s.version, "V2Api", "HCN v2 API");
      // A refused call leaves the state as it was (the store undoes what fn changed), its count
      // included: a failed call writes nothing to the files.
      const result = tx.atomic(() => {
        const made = fn(s);
        if (mutates) s.calls[op] = (s.calls[op] ?? 0) + 1;
        return made;
      });
      if (fault?.mode === "lose-reply") {
        throw new HnsError({ code: "ReplyLost", message: `the reply to ${op} ${kind ?? ""} was lost (emulated fault)`.trim() });
      }
      return result;
    }, { writes: mutates });
  }
}

function takeFault(s: EmulatorState, op: Op, kind: HnsKind | undefined) {
  const i = s.faults.findIndex((f) => (!f.op || f.op === op) && (!f.kind || f.kind === kind));
  if (i < 0) return undefined;
  const f = s.faults[i];
  if (f.nth > 1) {
    f.nth--;
    return undefined;
  }
  s.faults.splice(i, 1);
  return f;
}

/**
 * Modify requests carry enums as strings or integers (the HNS schema docs and hns.v2.psm1 send both forms): normalise them first.
 * Integer ResourceTypes mean different things per kind (0 is DNS for a network, Port for an endpoint).
 */
function parseModify(kind: keyof typeof MODIFY_REQUEST_SCHEMAS, req: unknown): ModifyRequest {
  const r = MODIFY_REQUEST_SCHEMAS[kind].safeParse(req);
  if (!r.success) throw invalidJson(r.error);
  return r.data;
}

/**
 * A document as HNS prints it: zero values omitted (NAT, type 0, has no Type; zero Flags are
 * absent: hcsshim hcn/hcnnetwork.go), GUIDs upper case (objects.ts printIds; state written by
 * an earlier version holds lower case ones).
 */
function present<K extends HnsKind>(kind: K, doc: HnsDocument<K>): HnsDocument<K> {
  const out = printed(doc) as Record<string, unknown>;
  if (kind === "network" && out.Type === "NAT") delete out.Type;
  if (out.Flags === 0) delete out.Flags;
  return out as HnsDocument<K>;
}

/** A copy with its GUIDs as HNS prints them (the v1 views print them so too). */
function printed<T extends object>(doc: T): T {
  const out = structuredClone(doc);
  printIds(out as Record<string, unknown>);
  return out;
}

/** The documents a list looks at: a network's endpoints come from the index, not a scan of the host. */
function candidates(s: EmulatorState, kind: HnsKind, filter?: HnsFilter): unknown[] {
  const net = kind === "endpoint" ? (filter?.VirtualNetwork ?? filter?.HostComputeNetwork) : undefined;
  if (typeof net !== "string") return Object.values(s.objects[kind]);
  return [...indexOf(s).endpointsOn(net)].map((k) => s.objects.endpoint[k]);
}

function matches(s: EmulatorState, kind: HnsKind, doc: Record<string, unknown>, filter?: HnsFilter): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, want]) => {
    let field = key;
    let value = want;
    // hcsshim and hns.v2.psm1 filter endpoints on the v1 names (hcsshim hcn/hcnendpoint.go ListEndpointsOfNetwork filters on VirtualNetwork).
    if (kind === "endpoint" && key === "VirtualNetwork") field = "HostComputeNetwork";
    if (kind === "endpoint" && key === "VirtualNetworkName") {
      const net = Object.values(s.objects.network).find((n) => (n.Name ?? "").toLowerCase() === String(want).toLowerCase());
      if (!net) return false;
      field = "HostComputeNetwork";
      value = net.ID!;
    }
    const have = field === "Type" && kind === "network" && doc.Type === undefined ? "NAT" : doc[field];
    return typeof have === "string" && typeof value === "string" ? have.toLowerCase() === value.toLowerCase() : have === value;
  });
}
