/**
 * The value the Pulumi engine sends for an input not known yet during a preview
 * (rpc.unknownValue in @pulumi/pulumi's runtime/rpc.ts: "04da6b54-80e4-46f7-96ec-b56ff0331ba9").
 * Checks, the judge and both front doors compare against it, so it lives at the bottom.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value (or any part of it) is the engine's placeholder for one not known yet. */
export function hasUnknown(v: unknown): boolean {
  return JSON.stringify(v ?? null).includes(UNKNOWN);
}
