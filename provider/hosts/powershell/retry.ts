/**
 * When a call may be sent again. A failure before the request reached the shell (the session
 * could not be opened) is always safe to retry. After that, only calls whose repetition
 * cannot change the outcome are resent: reads, replace-style modifies, and deletes (a resent
 * delete that finds nothing means the first one worked). Creates and Add/Remove modifies are
 * never resent here: a create is made safe one level up, where the resource controller looks
 * for the object under its deterministic ID after an indeterminate failure.
 */
import { SessionRefused, TransportError } from "./session";

export type Safety = "idempotent" | "delete" | "once";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Pause before the second attempt; doubled for each one after. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 200 };

export function backoff(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** (attempt - 1);
}

export function mayRetry(safety: Safety, error: unknown): boolean {
  if (error instanceof SessionRefused) return false;
  if (!(error instanceof TransportError)) return false;
  return !error.sent || safety !== "once";
}
