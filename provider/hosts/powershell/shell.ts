/**
 * One local PowerShell process, driven by node-powershell (5.0.1): commands go to its stdin
 * framed by markers, the text between the markers comes back. This module adds what the
 * provider needs on top: a per-call deadline that kills a hung shell, a clear account of how
 * a call failed (the shell exited, timed out, or wrote to stderr), no hold on the Node event
 * loop between calls, no command text kept in memory or debug logs (commands carry base64
 * credentials while a session opens), and no orphan shell when the provider process exits.
 */
import type { ChildProcess } from "node:child_process";
import { PowerShell } from "node-powershell";

/** How a command failed at the shell level (HNS errors are replies, not failures here). */
export type ShellFailureReason = "exited" | "timeout" | "stderr";

export class ShellFailure extends Error {
  constructor(
    readonly reason: ShellFailureReason,
    message: string,
    /** stderr text (for "stderr"), unfiltered: callers scrub it before showing it. */
    readonly detail = "",
  ) {
    super(message);
  }
}

/**
 * The parts of node-powershell's Shell this module relies on beyond its typed API
 * (pinned at 5.0.1): the child process, the exit promise that
 * rejects when nobody listens, the command history and the debug loggers.
 */
interface ShellInternals {
  process: ChildProcess;
  exitPromise: Promise<void>;
  history: unknown[];
  debuggers: { command: (text: string) => void };
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills shells still running when the provider process ends, whatever the reason. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

export class Shell {
  private readonly ps: PowerShell;
  private readonly internals: ShellInternals;
  private exited = false;
  private startError?: string;
  /** Resolves once the process has exited, or failed to start: what frees its pool slot. */
  readonly gone: Promise<void>;

  constructor(executable: string) {
    installExitHook();
    // Fixed arguments only (node-powershell adds -NoLogo -NoExit -Command -): nothing from a
    // host block but the executable's name reaches the command line.
    this.ps = new PowerShell({
      executable,
      executableOptions: { "-NoProfile": true, "-NonInteractive": true },
      throwOnInvocationError: false,
    });
    this.internals = this.ps as unknown as ShellInternals;
    const child = this.internals.process;
    live.add(child);
    let ended!: () => void;
    this.gone = new Promise((resolve) => (ended = resolve));
    child.once("exit", () => {
      this.exited = true;
      live.delete(child);
      ended();
    });
    // The executable could not be started (not installed, not executable): no "exit" follows.
    child.once("error", (e) => {
      this.exited = true;
      this.startError = e.message;
      live.delete(child);
      // "error" also reports a failed kill: a process that started is gone only at its "exit".
      if (child.pid === undefined) ended();
    });
    // Writing to a shell that just died fails with EPIPE; node-powershell listens only once.
    this.ps.streams.stdin.on("error", () => undefined);
    // node-powershell's exit promise rejects on a non-zero exit; we learn that from the child.
    this.internals.exitPromise.catch(() => undefined);
    // An idle shell must not keep the provider process alive; a pending call keeps it alive
    // through its deadline timer.
    child.unref();
    for (const s of [this.ps.streams.stdin, this.ps.streams.stdout, this.ps.streams.stderr]) (s as { unref?: () => void }).unref?.();
    // With DEBUG=* node-powershell would print every command, credentials included.
    this.internals.debuggers.command = (text: string) => void text;
  }

  get pid(): number | undefined {
    return this.internals.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Runs one command (a single line) and returns its stdout; throws ShellFailure. */
  async run(command: string, timeoutMs: number): Promise<string> {
    if (command.includes("\n") || command.includes("\r")) throw new Error("internal error: a PowerShell command must be one line");
    if (this.exited) throw this.exitFailure();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const invocation = this.ps.invoke(command);
    invocation.catch(() => undefined);
    try {
      const outcome = await Promise.race([invocation.then((r) => r, (e: unknown) => e as Error), deadline]);
      if (outcome === "timeout") {
        // The shell is still inside the call: its output would answer a later command. Kill it.
        await this.dispose("SIGKILL");
        throw new ShellFailure("timeout", `no answer within ${timeoutMs / 1000} s`);
      }
      if (outcome instanceof Error || this.exited) {
        const stdout = outcome instanceof Error ? "" : outcome.stdout?.toString("utf8") ?? "";
        // A complete reply read before the exit is still a reply; anything else is a drop.
        if (!stdout.trim()) throw this.exitFailure();
        return stdout;
      }
      if (outcome.hadErrors) {
        throw new ShellFailure("stderr", "PowerShell reported an error", outcome.stderr?.toString("utf8") ?? outcome.raw);
      }
      return outcome.stdout?.toString("utf8") ?? outcome.raw;
    } finally {
      clearTimeout(timer);
      // node-powershell keeps every command; ours carry base64 data, credentials among them.
      this.internals.history.length = 0;
    }
  }

  private exitFailure(): ShellFailure {
    return new ShellFailure("exited", this.startError ? `cannot start PowerShell: ${this.startError}` : "the PowerShell process exited during the call");
  }

  async dispose(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.exited) return;
    const child = this.internals.process;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // Whoever awaits the exit must not see the process end first: hold the event loop until then.
    child.ref();
    // A shell that ignores the polite signal is killed after a grace period.
    const grace = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await this.ps.dispose(signal).catch(() => undefined);
    await exited;
    clearTimeout(grace);
  }
}
