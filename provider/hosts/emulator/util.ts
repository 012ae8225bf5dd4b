import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { HnsError } from "../../errors";

export function findById<T>(table: Record<string, T>, id: string): T | undefined {
  return table[id.toLowerCase()];
}

/** Any kind's table, for code that only needs IDs. */
export type AnyTable = Record<string, { ID?: string }>;

/** A body that does not fit HNS's schema: 0x803B001B with the first problems named. */
export function invalidJson(error: z.ZodError): HnsError {
  const what = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(document)"}: ${i.message}`)
    .join("; ");
  const policyType = error.issues.some((i) => i.path.includes("Policies") && i.path.at(-1) === "Type");
  return new HnsError({
    code: policyType ? "HCN_E_INVALID_POLICY_TYPE" : "HCN_E_INVALID_JSON",
    message: `${policyType ? "Invalid policy type" : "The JSON document is invalid"}: ${what}`,
  });
}

/** Policies are equal when their Type and Settings are (HNS compares the JSON it stored). */
export function samePolicy(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}
