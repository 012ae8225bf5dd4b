/**
 * Host blocks: where a resource's HNS lives. Only the emulator transport exists in this
 * version; the PowerShell kinds (local, ssh, winrm) arrive with the transport and are refused
 * with a clear message until then.
 */
import * as path from "node:path";
import { z } from "zod";
import { HNS_VERSION_PRESETS, parseHnsVersion } from "../features";

export const EMULATOR_DIR_ENV = "PULUMI_HNS_EMULATOR_DIR";

export const EmulatorHost = z
  .object({
    kind: z.literal("emulator"),
    /** Host name; also names the emulator's state file `<stateDir>/<name>.json`. */
    name: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' or '-' (it names a file)"),
    /** Where state files live. Defaults to $PULUMI_HNS_EMULATOR_DIR, else `.hns-emulator` in the working directory. */
    stateDir: z.string().min(1).optional(),
    /**
     * HNS version the emulated host reports, as "major.minor" or a preset
     * (ws2019, win10-2004, ws2022, ws2025). Used when the state file is first created. Defaults to ws2025.
     */
    hnsVersion: z
      .string()
      .refine((v) => parseHnsVersion(v) !== undefined, {
        message: `use "major.minor" or one of ${Object.keys(HNS_VERSION_PRESETS).join(", ")}`,
      })
      .optional(),
    /**
     * Access key the emulated host demands (a stand-in for a remote host's credential).
     * Pass it as a Pulumi secret; it is checked against the key stored with the host's state.
     */
    accessKey: z.string().min(1).optional(),
  })
  .strict();
export type EmulatorHost = z.infer<typeof EmulatorHost>;

export const Host = z.discriminatedUnion("kind", [EmulatorHost], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? 'unsupported host kind: this version of pulumi-hns reaches hosts through the emulator only (kind: "emulator"); local, ssh and winrm PowerShell hosts are not available yet'
      : undefined,
});
export type Host = z.infer<typeof Host>;

/** A stable identity for a host, for deterministic object IDs (no credential in it). */
export function hostKey(host: Host): string {
  return `${host.kind}:${host.name}`;
}

export function emulatorStateFile(host: EmulatorHost): string {
  const dir = host.stateDir ?? process.env[EMULATOR_DIR_ENV] ?? ".hns-emulator";
  return path.resolve(dir, `${host.name}.json`);
}
