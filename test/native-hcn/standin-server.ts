/**
 * The test side of the native stand-in (computenetwork.c): a Unix socket server that answers
 * each HCN call the stand-in forwards from an HnsEmulator, as computenetwork.dll would answer
 * it from HNS. It owns the handle table, so a handle never closed, closed twice, used after
 * close or used with another kind's function is seen here, and it records every call.
 *
 * Line format (one each way, space-separated): "<function> <arg>..." where an arg is
 * g:<guid>, h:<handle> or s:<hex of UTF-16LE code units> (s:- is NULL); the reply is
 * "<hresult> <handle> <text> <error record>" with strings in the same hex, "-" for NULL.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { HnsError, HResult } from "../../provider/vocabulary/errors";
import { HNS_KINDS, ZERO_GUID, sameGuid, type HnsKind } from "../../provider/hosts/client";
import type { HnsEmulator } from "../../provider/hosts/emulator";

/** The HCN name of each kind (HcnCreate<Name>, HcnEnumerate<Name>s). */
export const HCN_NAMES: Record<HnsKind, string> = { network: "Network", endpoint: "Endpoint", namespace: "Namespace", loadBalancer: "LoadBalancer", route: "SdnRoute" };
const KIND_OF = new Map(HNS_KINDS.map((k) => [HCN_NAMES[k], k]));
const FUNCTION = /^Hcn(Enumerate|Open|Create|Modify|Query|Delete|Close)(Network|Endpoint|Namespace|LoadBalancer|SdnRoute)(s|Properties)?$/;

/** HRESULT for a handle HCN does not know (Win32 ERROR_INVALID_HANDLE as an HRESULT). */
const E_HANDLE = 0x80070006;

type Arg = { g: string | null } | { h: number } | { s: string | null };
interface Answer {
  hr: number;
  handle?: number;
  text?: string | null;
  error?: string | null;
}

export class StandinServer {
  /** Every function called, in order. */
  readonly calls: string[] = [];
  /** Misuse of handles: closes of unknown handles, calls on closed or other-kind handles. */
  readonly handleFaults: string[] = [];
  private readonly handles = new Map<number, { kind: HnsKind; id: string }>();
  private nextHandle = 0x1000;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly hns: HnsEmulator,
    readonly socketPath: string,
  ) {}

  /** Handles opened and not closed, as "<kind> <id>". */
  openHandles(): string[] {
    return [...this.handles.values()].map((h) => `${h.kind} ${h.id}`);
  }

  listen(): Promise<void> {
    this.server = createServer((socket) => this.serve(socket));
    return new Promise((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.socketPath, () => resolve());
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    let buffer = "";
    let chain = Promise.resolve();
    socket.on("data", (d: Buffer) => {
      buffer += d.toString("latin1");
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        chain = chain.then(async () => {
          const a = await this.answer(line);
          socket.write(`${a.hr >>> 0} ${a.handle ?? 0} ${hex(a.text)} ${hex(a.error)}\n`);
        });
      }
    });
  }

  private async answer(line: string): Promise<Answer> {
    const [fn, ...raw] = line.split(" ");
    this.calls.push(fn);
    const args = raw.map(parseArg);
    try {
      if (fn === "HNSCall") return await this.hnsCall(args);
      const m = FUNCTION.exec(fn);
      if (!m) return failure(new HnsError({ code: "E_NOTIMPL" }));
      return await this.hcn(m[1], KIND_OF.get(m[2])!, args);
    } catch (e) {
      return failure(e instanceof HnsError ? e : new HnsError({ code: "E_FAIL", message: String((e as Error).message ?? e) }));
    }
  }

  private async hnsCall(args: Arg[]): Promise<Answer> {
    const [method, path] = args.map(str);
    if (method !== "GET" || path !== "/globals/version") return failure(new HnsError({ code: "E_NOTIMPL" }));
    return { hr: 0, text: JSON.stringify({ Success: true, Output: await this.hns.version() }) };
  }

  private async hcn(op: string, kind: HnsKind, args: Arg[]): Promise<Answer> {
    switch (op) {
      case "Enumerate": {
        const query = json(str(args[0]));
        const filter = typeof query.Filter === "string" && query.Filter ? JSON.parse(query.Filter) : undefined;
        return { hr: 0, text: JSON.stringify((await this.hns.list(kind, filter)).map((d) => d.ID)) };
      }
      case "Open": {
        const id = guid(args[0]);
        if (!(await this.hns.get(kind, id))) return failure(new HnsError({ code: "ERROR_NOT_FOUND" }));
        return { hr: 0, handle: this.open(kind, id) };
      }
      case "Create": {
        let network: string | undefined;
        if (kind === "endpoint") network = this.use(num(args.shift()!), "network", `HcnCreateEndpoint`).id;
        const id = guid(args[0]);
        const settings = json(str(args[1]));
        if (!sameGuid(id, ZERO_GUID)) {
          if (settings.ID && !sameGuid(String(settings.ID), ZERO_GUID) && !sameGuid(String(settings.ID), id)) return failure(new HnsError({ code: "E_INVALIDARG", message: "the ID argument and the settings' ID differ" }));
          settings.ID = id;
        }
        if (network !== undefined) {
          if (settings.HostComputeNetwork && !sameGuid(String(settings.HostComputeNetwork), network)) return failure(new HnsError({ code: "E_INVALIDARG", message: "HostComputeNetwork is not the network handle's" }));
          settings.HostComputeNetwork = network;
        }
        const made = await this.hns.create(kind, settings);
        return { hr: 0, handle: this.open(kind, made.ID ?? randomUUID()) };
      }
      case "Modify": {
        const h = this.use(num(args[0]), kind, `HcnModify${HCN_NAMES[kind]}`);
        await this.hns.modify(kind, h.id, json(str(args[1])));
        return { hr: 0 };
      }
      case "Query": {
        const h = this.use(num(args[0]), kind, `HcnQuery${HCN_NAMES[kind]}Properties`);
        json(str(args[1])); // HCN parses the query too: a garbled one fails here
        const doc = await this.hns.get(kind, h.id);
        if (!doc) return failure(new HnsError({ code: "ERROR_NOT_FOUND" }));
        return { hr: 0, text: JSON.stringify(doc) };
      }
      case "Delete":
        await this.hns.delete(kind, guid(args[0]));
        return { hr: 0 };
      case "Close": {
        const handle = num(args[0]);
        const h = this.handles.get(handle);
        if (!h || h.kind !== kind) {
          this.handleFaults.push(`HcnClose${HCN_NAMES[kind]} on ${h ? `a ${h.kind} handle` : `unknown handle ${handle}`}`);
          return { hr: E_HANDLE };
        }
        this.handles.delete(handle);
        return { hr: 0 };
      }
    }
    return failure(new HnsError({ code: "E_NOTIMPL" }));
  }

  private open(kind: HnsKind, id: string): number {
    const handle = ++this.nextHandle;
    this.handles.set(handle, { kind, id });
    return handle;
  }

  private use(handle: number, kind: HnsKind, fn: string): { kind: HnsKind; id: string } {
    const h = this.handles.get(handle);
    if (!h || h.kind !== kind) {
      this.handleFaults.push(`${fn} on ${h ? `a ${h.kind} handle` : `unknown handle ${handle}`}`);
      throw new HnsError({ code: "E_FAIL", hresult: E_HANDLE, message: "The handle is invalid. " });
    }
    return h;
  }
}

function parseArg(token: string): Arg {
  const [tag, value] = [token.slice(0, 2), token.slice(2)];
  if (tag === "g:") return { g: value === "-" ? null : value };
  if (tag === "h:") return { h: Number(value) };
  if (tag === "s:") return { s: value === "-" ? null : Buffer.from(value, "hex").toString("utf16le") };
  throw new Error(`stand-in sent an argument it should not: ${token}`);
}

const str = (a: Arg | undefined): string | null => (a && "s" in a ? a.s : null);
const num = (a: Arg): number => ("h" in a ? a.h : NaN);
function guid(a: Arg | undefined): string {
  if (!a || !("g" in a) || a.g === null) throw new HnsError({ code: "E_INVALIDARG", message: "no GUID" });
  return a.g;
}

/** HCN parses every document it is given: text that is not a JSON object is HCN_E_INVALID_JSON. */
function json(text: string | null): Record<string, unknown> {
  if (text === null || text === "") return {};
  try {
    const v = JSON.parse(text);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new HnsError({ code: "HCN_E_INVALID_JSON" });
}

function failure(e: HnsError): Answer {
  const hr = e.hresult ?? HResult.E_FAIL;
  return { hr, error: JSON.stringify(e.record() ?? { Success: false, Error: e.message, ErrorCode: hr }) };
}

function hex(s: string | null | undefined): string {
  return s === null || s === undefined ? "-" : s === "" ? "-" : Buffer.from(s, "utf16le").toString("hex");
}
