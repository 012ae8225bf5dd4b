/**
 * How many PowerShell processes a provider process runs at once, and how long an unused one
 * stays open: set from the environment of `pulumi up` (the engine passes it on to the
 * provider), read once, when the first PowerShell session opens.
 */
import { HnsError } from "../../vocabulary/errors";
import { SessionPool } from "./pool";

export const MAX_SESSIONS_ENV = "PULUMI_HNS_MAX_SESSIONS";
export const SESSION_IDLE_ENV = "PULUMI_HNS_SESSION_IDLE_SECONDS";

/**
 * 8 processes: a pwsh process holds roughly 80-140 MB resident on Linux
 * (https://github.com/PowerShell/PowerShell/issues/1953: ~80 MB each;
 * https://github.com/PowerShell/PowerShell/issues/19397: 119-143 MB for pwsh 7), so 8 stay
 * near 1 GB on a developer laptop, and starting more at once than the laptop has cores only
 * slows each start (.NET runtime start-up). It also matches the engine: `pulumi up` runs 4
 * operations per CPU at once by default (pulumi/pulumi cmd/pulumi/operations/up.go,
 * defaultParallel), 8 on a 2-core machine.
 */
export const DEFAULT_MAX_SESSIONS = 8;
/** The most a user may ask for: a typo such as 80000 must not start a process per host of a fleet. */
export const MAX_SESSIONS_LIMIT = 1024;

/**
 * 30 s: longer than the gap between one resource's operations in one `pulumi up` (the engine
 * sends them as soon as their inputs resolve), shorter than a person takes between two runs.
 */
export const DEFAULT_SESSION_IDLE_SECONDS = 30;
/** An hour, as for a host's timeoutSeconds: a longer wait is more likely a slip (milliseconds for seconds) than a wish. */
export const SESSION_IDLE_LIMIT_SECONDS = 3600;

export interface SessionLimits {
  maxSessions: number;
  idleSeconds: number;
}

/** The limits the environment sets; an unusable value is an input error naming the variable and the fix. */
export function sessionLimits(env: NodeJS.ProcessEnv = process.env): SessionLimits {
  return {
    maxSessions: read(env, MAX_SESSIONS_ENV, DEFAULT_MAX_SESSIONS, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_SESSIONS_LIMIT, `a whole number from 1 to ${MAX_SESSIONS_LIMIT}`, "PowerShell processes this provider may run at once"),
    idleSeconds: read(env, SESSION_IDLE_ENV, DEFAULT_SESSION_IDLE_SECONDS, (n) => n > 0 && n <= SESSION_IDLE_LIMIT_SECONDS, `a number of seconds above 0 and at most ${SESSION_IDLE_LIMIT_SECONDS}`, "seconds an unused PowerShell session stays open"),
  };
}

function read(env: NodeJS.ProcessEnv, name: string, fallback: number, ok: (n: number) => boolean, expected: string, meaning: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  // Decimal only: Number() would also take "0x8", "0b11" and "1e2", which no one means here.
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (Number.isFinite(n) && ok(n)) return n;
  throw new HnsError({
    code: "InvalidInput",
    path: name,
    message: `environment variable ${name} is ${JSON.stringify(raw)}: it must be ${expected}`,
    fix: `set ${name} to the ${meaning} (default ${fallback}), or unset it`,
  });
}

let shared: SessionPool | undefined;

/** The one pool of this provider process, made with the environment's limits on first use. */
export function processPool(): SessionPool {
  if (!shared) {
    const limits = sessionLimits();
    shared = new SessionPool(limits.maxSessions, limits.idleSeconds * 1000);
  }
  return shared;
}
