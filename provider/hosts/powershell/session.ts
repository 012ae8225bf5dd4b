/**
 * One PowerShell session per host: a local shell, with a remoting session inside it for ssh
 * and winrm hosts, and the agent loaded once. Opened on first use, reused by every call while
 * it stays open, replaced after any transport failure (the shell died, timed out, wrote to
 * stderr or sent an unreadable reply: its state is unknown, so it is never trusted again).
 * The shell runs under a slot of the process's session pool (pool.ts): the pool may close it
 * when it has been idle too long or another host needs the slot, and the next call opens it
 * again.
 *
 * Calls are serialised here rather than only in node-powershell's queue, so that a call's
 * deadline starts when it is written to the shell, not while it waits behind others (or for
 * a pool slot).
 */
import { randomBytes } from "node:crypto";
import { HnsError, issuesText } from "../../vocabulary/errors";
import { Host, type PowerShellHost, type SshHost } from "../host";
import { keyFileText, privateDir, scrub, sweepStaleDirs, type PrivateDir } from "./credentials";
import type { Lease, PoolMember, SessionPool } from "./pool";
import { processPool } from "./session-limits";
import { pinnedKnownHosts, sshOptions, unsafeForSsh } from "./ssh-options";
import { AGENT_PROTOCOL, scriptText } from "./scripts";
import { Shell, ShellFailure } from "./shell";
import { dotSourceCommand, functionCall, hnsErrorOf, readReply, UnreadableReply, type Reply, type SessionFunction } from "./wire";

/** A call that failed below HNS; `sent` says whether the request may have reached the host. */
export class TransportError extends Error {
  constructor(
    readonly reason: "exited" | "timeout" | "stderr" | "unreadable" | "spawn",
    readonly sent: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** The host refused the session (bad credentials, unknown host): retrying will not help. */
export class SessionRefused extends Error {
  constructor(readonly error: HnsError) {
    super(error.message);
  }
}

/** What every agent request carries besides its operation's fields. */
export interface AgentRequest {
  op: string;
  [field: string]: unknown;
}

const DEFAULT_EXECUTABLE = "pwsh";

/**
 * Starting PowerShell, logging in and loading the agent can take far longer than one HNS call
 * (a cold pwsh, Kerberos, a WinRM handshake): opening gets at least this long.
 */
const OPEN_TIMEOUT_MS = 60_000;

export class PowerShellSession implements PoolMember {
  private shell?: Shell;
  /** The pool slot the open shell runs under. */
  private lease?: Lease;
  private queue: Promise<unknown> = Promise.resolve();
  /** Requests queued or running: while any is, the pool leaves the shell alone. */
  private pending = 0;
  /** Shells started over this session's life (1 unless the session was replaced or closed for idleness). */
  spawned = 0;

  constructor(
    readonly host: PowerShellHost,
    private readonly timeoutMs: number,
    /** The pool is looked up when a shell is first needed: a bad limit in the environment fails a call, not the constructor. */
    private readonly pool: () => SessionPool = processPool,
  ) {}

  /** Sends one request to the agent, opening the session first if needed; resolves with the reply. */
  request(request: AgentRequest): Promise<Reply> {
    if (this.pending++ === 0) this.lease?.busy();
    const run = this.queue.then(() => this.send(request));
    this.queue = run.then(
      () => this.settled(),
      () => this.settled(),
    );
    return run;
  }

  private settled(): void {
    if (--this.pending === 0) this.lease?.idle();
  }

  /** The pool takes the slot back (idle too long, or wanted by another host): close this shell politely. */
  evict(lease: Lease): void {
    // A lease that is no longer this session's belongs to a shell already closing or gone.
    if (lease !== this.lease || !this.shell) return;
    const shell = this.shell;
    this.shell = undefined;
    this.lease = undefined;
    void this.closeShell(shell);
  }

  async close(): Promise<void> {
    const shell = this.shell;
    this.shell = undefined;
    this.lease = undefined;
    await this.queue;
    if (shell) await this.closeShell(shell);
  }

  /** Close-HnsSession (the remote session ends cleanly), then the process; its exit frees the slot. */
  private async closeShell(shell: Shell): Promise<void> {
    if (!shell.alive) return;
    try {
      await shell.run("Close-HnsSession", Math.min(this.timeoutMs, 10_000));
    } catch {
      // closing anyway
    }
    await shell.dispose();
  }

  private async send(request: AgentRequest): Promise<Reply> {
    const shell = await this.open();
    const id = newRequestId();
    return this.exchange(shell, "Invoke-HnsAgent", { v: AGENT_PROTOCOL, id, ...request }, id, true);
  }

  private async open(): Promise<Shell> {
    if (this.shell?.alive) return this.shell;
    // A dead shell's slot is freed by its exit (below), whoever notices the death.
    this.shell = undefined;
    this.lease = undefined;
    checkHost(this.host);
    const pool = this.limits();
    sweepOnce();
    const lease = await pool.acquire(this);
    let shell: Shell;
    try {
      shell = new Shell(this.host.executable ?? DEFAULT_EXECUTABLE);
    } catch (e) {
      lease.release();
      throw new TransportError("spawn", false, `cannot start ${this.host.executable ?? DEFAULT_EXECUTABLE}: ${(e as Error).message}`);
    }
    void shell.gone.then(() => lease.release());
    this.spawned++;
    try {
      await this.run(shell, dotSourceCommand(scriptText("session.ps1")), false);
      await this.openRemote(shell);
      const id = newRequestId();
      const loaded = await this.exchange(shell, "Import-HnsAgent", { id, text: scriptText("agent.ps1") }, id, false);
      const protocol = loaded.ok ? (loaded.result as { protocol?: unknown } | null)?.protocol : undefined;
      if (protocol !== AGENT_PROTOCOL) throw new TransportError("unreadable", false, `the agent did not load (protocol ${String(protocol)})`);
      this.shell = shell;
      this.lease = lease;
      return shell;
    } catch (e) {
      await shell.dispose("SIGKILL");
      throw e;
    }
  }

  /** The process's pool; a limit the environment sets badly is refused before any shell starts. */
  private limits(): SessionPool {
    try {
      return this.pool();
    } catch (e) {
      if (e instanceof HnsError) throw new SessionRefused(e);
      throw e;
    }
  }

  /** Open-HnsSession: credentials travel inside the base64 payload, over stdin only. */
  private async openRemote(shell: Shell): Promise<void> {
    const h = this.host;
    const dir = h.kind === "ssh" && (h.privateKey !== undefined || h.hostKeys !== undefined) ? await privateDir() : undefined;
    try {
      const id = newRequestId();
      const options = h.kind === "ssh" ? { id, ...(await this.sshOptions(h, dir)) } : h.kind === "local" ? { id, kind: h.kind, name: h.name } : {
        id,
        kind: h.kind,
        name: h.name,
        address: h.address,
        port: h.port ?? null,
        user: h.user,
        password: h.password,
        useSsl: h.useSsl ?? true,
        authentication: h.authentication ?? "Negotiate",
        skipCaCheck: h.skipCaCheck ?? false,
        skipCnCheck: h.skipCnCheck ?? false,
      };
      const reply = await this.exchange(shell, "Open-HnsSession", options, id, false);
      if (!reply.ok) {
        const refused = hnsErrorOf(reply.error);
        const code = refused.code === "E_ACCESSDENIED" ? refused.code : "TransportFailure";
        const hostKey = /Host key verification failed/i.test(refused.message);
        throw new SessionRefused(
          new HnsError({
            code,
            hresult: refused.hresult,
            message: `cannot open a ${h.kind} session to host ${h.name}: ${this.scrub(refused.message)}`,
            fix:
              code === "E_ACCESSDENIED"
                ? "check the user and credential in the host block"
                : hostKey
                  ? "the host's SSH key is not the one expected (or none is known): get its public key out of band and pin it in hostKeys or knownHostsFile; if the key changed unexpectedly, someone may be intercepting the connection"
                  : "check the address, port and that PowerShell remoting is enabled on the host",
          }),
        );
      }
    } finally {
      await dir?.remove();
    }
  }

  /** The ssh fields of Open-HnsSession: key and pinned host keys written to the private directory. */
  private async sshOptions(h: SshHost, dir: PrivateDir | undefined) {
    const keyFile = h.privateKey !== undefined ? await dir!.write("id", keyFileText(h.privateKey)) : h.keyFile;
    const knownHosts = h.hostKeys !== undefined ? await dir!.write("known_hosts", pinnedKnownHosts(h.hostKeys)) : h.knownHostsFile;
    const sshOpts = sshOptions(h, knownHosts);
    // Our own files sit in the temporary directory, whose path the user does not write: check them as the schema checks theirs.
    const unsafe = unsafeForSsh({ "the key file": keyFile, "the known_hosts file": knownHosts, ...Object.fromEntries(sshOpts.map((o) => [`ssh option ${o.name}`, o.value])) });
    if (unsafe) {
      throw new SessionRefused(
        new HnsError({ code: "InvalidInput", message: `cannot open an ssh session to host ${h.name}: ${unsafe}`, fix: "point TMPDIR (TEMP on Windows) at a directory whose path has no spaces or quotes" }),
      );
    }
    return { kind: h.kind, name: h.name, address: h.address, port: h.port ?? null, user: h.user, keyFile, sshOptions: sshOpts };
  }

  private async exchange(shell: Shell, fn: SessionFunction, payload: unknown, id: string, isCall: boolean): Promise<Reply> {
    const stdout = await this.run(shell, functionCall(fn, payload), isCall);
    try {
      return readReply(stdout, id);
    } catch (e) {
      if (!(e instanceof UnreadableReply)) throw e;
      await shell.dispose("SIGKILL");
      throw new TransportError("unreadable", isCall, `the reply could not be read: ${e.message}`);
    }
  }

  private async run(shell: Shell, command: string, isCall: boolean): Promise<string> {
    try {
      return await shell.run(command, isCall ? this.timeoutMs : Math.max(this.timeoutMs, OPEN_TIMEOUT_MS));
    } catch (e) {
      if (!(e instanceof ShellFailure)) throw e;
      await shell.dispose("SIGKILL");
      const detail = e.detail ? `: ${this.scrub(e.detail.trim()).slice(0, 500)}` : "";
      throw new TransportError(e.reason, isCall, `${e.message}${detail}`);
    }
  }

  private scrub(text: string): string {
    const h = this.host;
    return scrub(text, h.kind === "winrm" ? [h.password] : h.kind === "ssh" && h.privateKey ? [h.privateKey] : []);
  }
}

/**
 * The block is checked again before a shell starts, whoever built the client: a value that
 * would become an ssh option must never reach PowerShell, checked inputs or not.
 */
function checkHost(host: PowerShellHost): void {
  const r = Host.safeParse(host);
  if (r.success) return;
  const issues = issuesText(r.error, { at: "(host)" });
  throw new SessionRefused(new HnsError({ code: "InvalidInput", message: `host ${String(host.name)}: ${issues}`, fix: "fix the host block" }));
}

let swept = false;

/** The first session a process opens clears key directories that dead processes left (see credentials.ts). */
function sweepOnce(): void {
  if (swept) return;
  swept = true;
  sweepStaleDirs();
}

/** Letters and digits only: the agent splices the id into its reply JSON. */
function newRequestId(): string {
  return randomBytes(9).toString("hex");
}
