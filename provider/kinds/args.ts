/**
 * Arguments every resource takes besides its own fields: adopting an existing object and the
 * seed of its deterministic ID. The field schemas themselves live in provider/vocabulary/fields.ts.
 */
import { z } from "zod";
import { Guid } from "../vocabulary/fields";

/** Take over an existing HNS object instead of creating one: `true` finds it by name, `{ id }` by ID. */
export const Adopt = z.union([
  z.boolean(),
  z
    .object({
      /** HNS ID of the object to take over. */
      id: Guid,
    })
    .strict(),
]);
export type Adopt = z.infer<typeof Adopt>;

/** Set by the SDK: `<project>/<stack>/<resource name>`, the seed of the object's deterministic ID. */
export const Seed = z.string().min(1);

/**
 * Copies the fields of `from` among `keys` that are set onto `to`: how a group of settings both
 * a resource and a topology declare (NETWORK_SETTINGS, ENDPOINT_SETTINGS) is carried between
 * them, whatever fields the group holds.
 */
export function copyDefined<T extends object, K extends keyof T>(from: T, to: Partial<Pick<T, K>>, keys: readonly K[]): void {
  for (const k of keys) if (from[k] !== undefined) to[k] = from[k];
}
