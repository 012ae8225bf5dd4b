/**
 * The agent's C# run under Mono against the native stand-in: a driver process (Driver.cs) that
 * calls PulumiHns.Hcn, and an agent session that does what agent.ps1's PowerShell does around
 * it (Invoke-HnsAgentOperation, Invoke-HnsAgentList, the reply shapes), so the provider's own
 * PowerShellClient can be put on top and any HnsClient test runs through the real P/Invoke
 * layer. After every call it checks what only a native run can show: every string HCN
 * returned was freed, nothing was freed twice, every handle opened was closed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { PowerShellHost } from "../../provider/hosts/host";
import { PowerShellClient } from "../../provider/hosts/powershell/client";
import type { AgentRequest } from "../../provider/hosts/powershell/session";
import type { AgentFailure, Reply } from "../../provider/hosts/powershell/wire";
import type { AgentBuild } from "./build";
import type { StandinServer } from "./standin-server";

export interface DriverResult {
  fn: string;
  hresult: number;
  text: string | null;
  errorRecord: string | null;
  failed: boolean;
}

/** A native-level fault: the agent leaked or misused something. Never an HNS error. */
export class NativeFault extends Error {}

export class MonoAgent {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: ((line: string | undefined) => void)[] = [];
  private stderr = "";
  private exited?: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly build: AgentBuild,
    readonly server: StandinServer,
  ) {
    this.child = spawn("mono", [build.driver], {
      cwd: build.dir,
      // LD_PRELOAD: the stand-in's free() must see the agent's Marshal.FreeCoTaskMem calls.
      env: { ...process.env, LD_PRELOAD: build.standin, HCN_STANDIN_SOCKET: server.socketPath },
    });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString("utf8")));
    createInterface({ input: this.child.stdout }).on("line", (l) => this.pending.shift()?.(l));
    this.child.on("exit", (code, signal) => {
      this.exited = `the driver exited (${signal ?? `code ${code}`}): ${this.stderr.trim().slice(0, 2000)}`;
      for (const p of this.pending.splice(0)) p(undefined);
    });
  }

  /** One PulumiHns.Hcn call: op, kind, id, network id, settings, query ("-" where unused). */
  call(op: string, kind = "-", id = "-", networkId = "-", settings: string | null = null, query: string | null = null): Promise<DriverResult> {
    const run = this.queue.then(() => this.send([op, kind, id, networkId, b64(settings), b64(query)].join("\t")));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(line: string): Promise<DriverResult> {
    if (this.exited) throw new NativeFault(this.exited);
    const reply = new Promise<string | undefined>((resolve) => this.pending.push(resolve));
    this.child.stdin.write(`${line}\n`);
    const out = await reply;
    if (out === undefined) throw new NativeFault(this.exited ?? "the driver closed its output");
    const fields = out.split("\t");
    // Anything else on stdout is Mono itself talking (a crash report): the call did not complete.
    if (fields.length !== 7) throw new NativeFault(`the driver wrote something that is not a reply: ${out.slice(0, 300)} ${this.stderr.slice(0, 1000)}`);
    const [fn, hr, text, error, failed, outstanding, badFrees] = fields;
    const leaks = [
      Number(outstanding) !== 0 && `${outstanding} string(s) HCN returned were never freed`,
      Number(badFrees) !== 0 && `${badFrees} free(s) of a string not (or no longer) allocated`,
      this.server.openHandles().length !== 0 && `handles left open: ${this.server.openHandles().join(", ")}`,
      this.server.handleFaults.length !== 0 && `handle misuse: ${this.server.handleFaults.join("; ")}`,
    ].filter(Boolean);
    if (leaks.length) throw new NativeFault(`after ${fn}: ${leaks.join("; ")}`);
    return { fn, hresult: Number(hr), text: unb64(text), errorRecord: unb64(error), failed: failed === "True" };
  }

  /** What agent.ps1's Invoke-HnsAgentCall answers for one request, computed with the C# here. */
  async request(r: AgentRequest): Promise<Reply> {
    const id = String(r.id ?? "0");
    const s = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : null);
    const ok = (result: unknown): Reply => ({ v: 1, id, ok: true, result });
    const fail = (x: DriverResult): Reply => ({ v: 1, id, ok: false, error: failureOf(x) });
    const kind = s("kind") ?? "-";
    if (r.op === "list") {
      const ids = await this.call("enumerate", kind, "-", "-", null, s("query"));
      if (ids.failed) return fail(ids);
      const docs = [];
      for (const one of JSON.parse(ids.text || "[]") as string[]) {
        const q = await this.call("query", kind, one, "-", null, s("objectQuery"));
        if (!q.failed) docs.push(JSON.parse(q.text!)); // deleted in between: skipped, as the agent does
      }
      return ok(docs);
    }
    const op = r.op === "version" ? "version" : String(r.op);
    const x = await this.call(op, kind, s("objectId") ?? "-", s("networkId") ?? "-", s("settings"), s("query"));
    if (x.failed) return fail(x);
    return ok(x.text ? JSON.parse(x.text) : null);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    await gone;
  }
}

/** agent.ps1's New-HnsErrorReply fields: an exception in the agent is fn "agent" with its message. */
function failureOf(x: DriverResult): AgentFailure {
  if (x.fn === "exception") return { fn: "agent", hresult: x.hresult, record: null, message: x.errorRecord };
  return { fn: x.fn, hresult: x.hresult, record: x.errorRecord, message: null };
}

/**
 * The provider's PowerShellClient with its session replaced by the Mono agent: request
 * building, reply validation and error mapping are the provider's; the HCN calls are the
 * agent's C#. Only the PowerShell text in between is mirrored (request above).
 */
export function monoAgentClient(agent: MonoAgent, name = "mono-agent"): PowerShellClient {
  const host: PowerShellHost = { kind: "local", name } as PowerShellHost;
  const client = new PowerShellClient(host, { retry: { attempts: 1, backoffMs: 0 } });
  Object.defineProperty(client, "session", { value: { request: (r: AgentRequest) => agent.request(r), close: () => agent.close(), spawned: 1 } });
  return client;
}

const b64 = (s: string | null) => (s === null ? "-" : Buffer.from(s, "utf8").toString("base64"));
const unb64 = (s: string | undefined) => (s === undefined || s === "-" ? null : Buffer.from(s, "base64").toString("utf8"));

