/**
 * HnsClient over a PowerShell session: each HnsClient call is one agent request, answered
 * with HCN documents that are validated with the same schemas as everything else, and HNS
 * errors that become the same HnsError values the emulator raises.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { HnsError, isNotFound, issuesText } from "../../vocabulary/errors";
import { HostComputeQuery, HostComputeQueryFlags, SCHEMA_VERSION_2_0 } from "../../hcn";
import { HNS_DOCUMENT_SCHEMAS, ZERO_GUID, type HnsClient, type HnsDocument, type HnsDocumentInput, type HnsFilter, type HnsKind, type HnsModify } from "../client";
import type { HnsVersion } from "../../vocabulary/features";
import type { PowerShellHost } from "../host";
import type { SessionPool } from "./pool";
import { backoff, DEFAULT_RETRY, mayRetry, type RetryPolicy, type Safety } from "./retry";
import { PowerShellSession, SessionRefused, TransportError, type AgentRequest } from "./session";
import { hnsErrorOf } from "./wire";

export const DEFAULT_TIMEOUT_SECONDS = 120;


/**
 * A HostComputeQuery as hcsshim's defaultQuery sends it (hcn.go); a list's Filter is itself
 * a JSON string. Without a filter it is the query for reading one object.
 */
function query(filter?: HnsFilter): string {
  const q: z.input<typeof HostComputeQuery> = { SchemaVersion: SCHEMA_VERSION_2_0, Flags: HostComputeQueryFlags.None, ...(filter ? { Filter: JSON.stringify(filter) } : {}) };
  return JSON.stringify(HostComputeQuery.parse(q));
}
const OBJECT_QUERY = query();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** HNSCall's envelope around /globals/version. */
const VersionResponse = z.object({
  Success: z.boolean(),
  Error: z.string().optional(),
  Output: z.object({ Major: z.number().int(), Minor: z.number().int() }).loose().optional(),
}).loose();

export interface PowerShellClientOptions {
  retry?: RetryPolicy;
  /** The slots this client's shell runs under; by default the process's pool (session-limits.ts). */
  pool?: SessionPool;
}

export class PowerShellClient implements HnsClient {
  readonly hostName: string;
  private readonly session: PowerShellSession;
  private readonly retry: RetryPolicy;
  private readonly timeoutSeconds: number;

  constructor(
    readonly host: PowerShellHost,
    options: PowerShellClientOptions = {},
  ) {
    this.hostName = host.name;
    this.timeoutSeconds = host.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const pool = options.pool;
    this.session = new PowerShellSession(host, this.timeoutSeconds * 1000, pool ? () => pool : undefined);
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Shells this client has started (one per session; more after reconnects, and after the pool closed an idle one). */
  get shellsStarted(): number {
    return this.session.spawned;
  }

  async version(): Promise<HnsVersion> {
    const raw = await this.call("read the HNS version", "idempotent", { op: "version" });
    const r = VersionResponse.safeParse(raw);
    if (!r.success) throw this.unreadable("read the HNS version", r.error);
    if (!r.data.Success || !r.data.Output) {
      throw new HnsError({ code: "E_FAIL", message: `HNS failed with error : ${r.data.Error ?? "no version in the reply"}`.trim() });
    }
    return { Major: r.data.Output.Major, Minor: r.data.Output.Minor };
  }

  async list<K extends HnsKind>(kind: K, filter?: HnsFilter): Promise<HnsDocument<K>[]> {
    const label = `list ${kind}`;
    const raw = await this.call(label, "idempotent", { op: "list", kind, query: query(filter), objectQuery: OBJECT_QUERY });
    const docs = z.array(z.unknown()).safeParse(raw);
    if (!docs.success) throw this.unreadable(label, docs.error);
    return docs.data.map((d) => this.document(kind, d, label));
  }

  async get<K extends HnsKind>(kind: K, id: string): Promise<HnsDocument<K> | undefined> {
    if (!GUID.test(id)) return undefined; // no object has such an ID
    try {
      const raw = await this.call(`get ${kind} ${id}`, "idempotent", { op: "query", kind, objectId: id, query: OBJECT_QUERY });
      return this.document(kind, raw, `get ${kind}`);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create<K extends HnsKind>(kind: K, settings: HnsDocumentInput<K>): Promise<HnsDocument<K>> {
    // Every kind's ID, and an endpoint's network, are GUID fields: read them through the endpoint's input type.
    const fields = settings as HnsDocumentInput<"endpoint">;
    const objectId = fields.ID || ZERO_GUID;
    this.requireGuid(kind, objectId);
    // A v1-shaped endpoint body names its network VirtualNetwork (hcsshim hcn/hcnv1schema_test.go TestV1Endpoint).
    const networkId = kind === "endpoint" ? (fields.HostComputeNetwork ?? (fields as { VirtualNetwork?: string }).VirtualNetwork ?? undefined) : undefined;
    if (kind === "endpoint") this.requireGuid("network", networkId ?? "");
    const raw = await this.call(`create ${kind}`, "once", { op: "create", kind, objectId, networkId, settings: JSON.stringify(settings), query: OBJECT_QUERY });
    return this.document(kind, raw, `create ${kind}`);
  }

  async modify<K extends HnsKind>(kind: K, id: string, request: HnsModify<K>): Promise<HnsDocument<K>> {
    this.requireGuid(kind, id);
    // A load balancer modify carries the whole object, and Update replaces settings: sending
    // either twice leaves the same result. Add and Remove would apply twice.
    const type = (request as { RequestType?: unknown }).RequestType;
    const safety: Safety = kind === "loadBalancer" || type === "Update" || type === 2 || type === "Refresh" || type === 3 ? "idempotent" : "once";
    const raw = await this.call(`modify ${kind} ${id}`, safety, { op: "modify", kind, objectId: id, settings: JSON.stringify(request), query: OBJECT_QUERY });
    return this.document(kind, raw, `modify ${kind}`);
  }

  async delete(kind: HnsKind, id: string): Promise<void> {
    this.requireGuid(kind, id);
    await this.call(`delete ${kind} ${id}`, "delete", { op: "delete", kind, objectId: id });
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private async call(label: string, safety: Safety, request: AgentRequest): Promise<unknown> {
    let resent = false;
    for (let attempt = 1; ; attempt++) {
      let reply;
      try {
        reply = await this.session.request(request);
      } catch (e) {
        if (attempt < this.retry.attempts && mayRetry(safety, e)) {
          resent ||= e instanceof TransportError && e.sent;
          await sleep(backoff(this.retry, attempt));
          continue;
        }
        throw this.transportError(e, label);
      }
      if (reply.ok) return reply.result;
      const err = hnsErrorOf(reply.error);
      // A delete sent again after an unknown outcome finds the object gone: the first one worked.
      if (safety === "delete" && resent && isNotFound(err)) return null;
      throw err;
    }
  }

  private transportError(e: unknown, label: string): Error {
    if (e instanceof SessionRefused) return e.error;
    if (!(e instanceof TransportError)) return e as Error;
    const where = `host ${this.hostName} (${this.host.kind}): ${label}`;
    if (!e.sent) {
      // PowerShell itself did not start here, where Pulumi runs: the host was never tried, so
      // the fix is about this machine, not the host's reachability.
      const local = e.reason === "spawn" || /^cannot start /.test(e.message);
      const fix = local
        ? `PowerShell (${this.host.executable ?? "pwsh"}) could not be started on this machine, so ${this.hostName} was not contacted: install PowerShell 7 (pwsh) where Pulumi runs, or set the host block's executable to its path`
        : "check that the host is reachable and PowerShell starts";
      return new HnsError({ code: "TransportFailure", message: `${where}: could not open a session: ${e.message}`, fix, cause: e });
    }
    switch (e.reason) {
      case "timeout":
        return new HnsError({ code: "Timeout", message: `${where}: no answer within ${this.timeoutSeconds} s; the call may or may not have been applied`, fix: "raise timeoutSeconds in the host block if the host is slow", cause: e });
      case "exited":
        return new HnsError({ code: "ReplyLost", message: `${where}: the session dropped and the reply was lost; the call may or may not have been applied`, fix: "run pulumi up again: it finds objects already created", cause: e });
      default:
        return new HnsError({ code: "TransportFailure", message: `${where}: ${e.message}`, cause: e });
    }
  }

  private document<K extends HnsKind>(kind: K, raw: unknown, label: string): HnsDocument<K> {
    const schema: z.ZodType = HNS_DOCUMENT_SCHEMAS[kind];
    const r = schema.safeParse(raw);
    if (!r.success) throw this.unreadable(label, r.error);
    return r.data as HnsDocument<K>;
  }

  private unreadable(label: string, error: z.ZodError): HnsError {
    return new HnsError({
      code: "TransportFailure",
      message: `host ${this.hostName}: ${label}: the host answered with a document that does not fit the HCN schema (${issuesText(error, { at: "(document)", limit: 1 }) || "unknown"})`,
    });
  }

  private requireGuid(kind: HnsKind, id: string): void {
    if (!GUID.test(id)) throw new HnsError({ code: "InvalidInput", message: `invalid ${kind} ID "${id}": HNS IDs are GUIDs` });
  }
}
