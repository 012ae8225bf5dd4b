/**
 * Where credentials sit in a resource's arguments: the host block's credential field of each
 * host kind (provider/hosts/host.ts HOST_CREDENTIALS). Both front doors mark these secret, each on
 * its own kind of value: the SDK wraps Pulumi Outputs (sdk/secrets.ts), the native plugin wraps
 * wire values (provider/native/secrets.ts). They share the list and the look-up of which are
 * present; the wrapping stays with each, since an Output and a wire secret have nothing in common.
 */
import { HOST_CREDENTIALS } from "../hosts/host";

/** The argument that holds the host block, where every credential is. */
export const CREDENTIALS_AT = "host";

/** Every credential field a host block may hold, whatever its kind. */
export const CREDENTIAL_FIELDS: readonly string[] = Object.values(HOST_CREDENTIALS);

/** The credential fields a host block holds (set, not undefined), in CREDENTIAL_FIELDS order. */
export function credentialsIn(host: Record<string, unknown> | null | undefined): string[] {
  if (!host || typeof host !== "object") return [];
  return CREDENTIAL_FIELDS.filter((f) => host[f] !== undefined);
}
