/**
 * Host blocks: where a resource's HNS lives and how to reach it. The emulator is a file-backed
 * HNS; local, ssh and winrm reach a real Windows host through PowerShell (./powershell).
 * Credentials (accessKey, password, privateKey) are meant to be Pulumi secrets; they never
 * take part in a host's identity, so rotating one is an update, not a new host.
 */
import * as path from "node:path";
import { z } from "zod";
import { HNS_VERSION_PRESETS, parseHnsVersion } from "../features";

export const EMULATOR_DIR_ENV = "PULUMI_HNS_EMULATOR_DIR";
/** The emulator's state directory when neither stateDir nor $PULUMI_HNS_EMULATOR_DIR names one. */
export const DEFAULT_EMULATOR_DIR = ".hns-emulator";

/** A label for logs, messages and emulator file names. */
const HostName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' or '-' (it names a file)");

export const EmulatorHost = z
  .object({
    kind: z.literal("emulator"),
    /** Host name; also names the emulator's state file `<stateDir>/<name>.json`. */
    name: HostName,
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
     * Pass it as a Pulumi secret. The host's state file keeps only a salted scrypt hash of it,
     * made when the file is first created; every call is checked against that hash.
     */
    accessKey: z.string().min(1).optional(),
    /**
     * The host runs Docker: a new state file starts with the default NAT network `nat` that
     * Docker for Windows creates at its first start (HNS picks its prefix). Adopt it with a
     * Network named "nat" and `adopt: true`. Has no effect on a host whose state file exists.
     */
    docker: z.boolean().optional(),
  })
  .strict();
export type EmulatorHost = z.infer<typeof EmulatorHost>;

/** Options every PowerShell host shares. */
const shellOptions = {
  /**
   * The PowerShell to run locally: `pwsh` (PowerShell 7, the default), `powershell.exe`
   * (Windows PowerShell 5.1, local hosts only in practice) or a path to either.
   * It is started with fixed arguments only; nothing from the host block is passed on its command line.
   */
  executable: z
    .string()
    .min(1)
    .refine((v) => !/[\r\n\0]/.test(v), "must be a single line (a command name or a path)")
    .optional(),
  /**
   * Seconds one HNS call may take before it is abandoned and the session restarted. Defaults
   * to 120. Opening the session (starting PowerShell, logging in, loading the agent) gets at least 60.
   */
  timeoutSeconds: z.number().positive().max(3600).optional(),
};

/** An address as PowerShell remoting takes it: a DNS name or an IP literal, nothing else. */
const Address = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/, "use a host name or an IP address");
const Port = z.number().int().min(1).max(65535);

export const LocalHost = z
  .object({
    kind: z.literal("local"),
    /** A label for logs and messages: the provider runs on this Windows host and drives its HNS directly. */
    name: HostName,
    ...shellOptions,
  })
  .strict();
export type LocalHost = z.infer<typeof LocalHost>;

export const SshHost = z
  .object({
    kind: z.literal("ssh"),
    /** A label for logs and messages. */
    name: HostName,
    /** DNS name or IP address of the Windows host (PowerShell remoting over SSH, `New-PSSession -HostName`). */
    address: Address,
    /** SSH port. Defaults to 22. */
    port: Port.optional(),
    /** Account to log in as; it needs administrator rights on the host (HNS refuses others). */
    user: z.string().min(1).max(256),
    /** Path of a private key file on the machine running Pulumi (`-KeyFilePath`). Exclusive with privateKey. */
    keyFile: z.string().min(1).optional(),
    /**
     * The private key itself (OpenSSH format), as a Pulumi secret. It is written to a file only
     * readable by this user, in a private temporary directory, for as long as the session takes
     * to open. Exclusive with keyFile.
     */
    privateKey: z.string().min(1).optional(),
    ...shellOptions,
  })
  .strict()
  .refine((h) => (h.keyFile === undefined) !== (h.privateKey === undefined), {
    message: "give exactly one of keyFile (a path) or privateKey (the key, as a secret)",
    path: ["keyFile"],
  });
export type SshHost = z.infer<typeof SshHost>;

export const WinrmAuthentication = z.enum(["Negotiate", "Kerberos", "Basic", "CredSSP"]);

export const WinrmHost = z
  .object({
    kind: z.literal("winrm"),
    /** A label for logs and messages. */
    name: HostName,
    /** DNS name or IP address of the Windows host (`New-PSSession -ComputerName`). */
    address: Address,
    /** WinRM port. Defaults to 5986 with useSsl, else 5985. */
    port: Port.optional(),
    /** Account to log in as (`DOMAIN\\user` or `user`); it needs administrator rights on the host. */
    user: z.string().min(1).max(256),
    /** The account's password, as a Pulumi secret. Sent to the local shell over stdin only. */
    password: z.string().min(1),
    /** Use HTTPS (`-UseSSL`). Defaults to true: Basic over plain HTTP would expose the password. */
    useSsl: z.boolean().optional(),
    /** `-Authentication`. Defaults to Negotiate. */
    authentication: WinrmAuthentication.optional(),
    /** Accept a certificate not signed by a trusted CA (`-SkipCACheck`). Defaults to false. */
    skipCaCheck: z.boolean().optional(),
    /** Accept a certificate whose name differs from the address (`-SkipCNCheck`). Defaults to false. */
    skipCnCheck: z.boolean().optional(),
    ...shellOptions,
  })
  .strict();
export type WinrmHost = z.infer<typeof WinrmHost>;

const HOST_KINDS = ["emulator", "local", "ssh", "winrm"] as const;

export const Host = z.discriminatedUnion("kind", [EmulatorHost, LocalHost, SshHost, WinrmHost], {
  error: (issue) => (issue.code === "invalid_union" ? `unsupported host kind: use one of ${HOST_KINDS.map((k) => `"${k}"`).join(", ")}` : undefined),
});
export type Host = z.infer<typeof Host>;
export type PowerShellHost = LocalHost | SshHost | WinrmHost;

export function isPowerShellHost(host: Host): host is PowerShellHost {
  return host.kind !== "emulator";
}

/** A stable identity for a host, for deterministic object IDs (no credential in it). */
export function hostKey(host: Host): string {
  return host.kind === "ssh" || host.kind === "winrm" ? `${host.kind}:${host.address.toLowerCase()}` : `${host.kind}:${host.name}`;
}

/**
 * What makes a host the same host, for replace decisions: no credential, and for PowerShell
 * hosts nothing about how we reach it (executable, timeout, user, port) either.
 */
export function hostIdentity(host: Host): Record<string, unknown> {
  if (host.kind === "emulator") {
    // docker only shapes a state file that does not exist yet: declaring it later is no new host.
    const { accessKey: _secret, docker: _atCreation, ...rest } = host;
    return rest;
  }
  return { kind: host.kind, key: hostKey(host) };
}

/** `base`: the directory a relative stateDir is relative to (the provider's is the Pulumi project's). */
export function emulatorStateFile(host: EmulatorHost, base = process.cwd()): string {
  const dir = host.stateDir ?? process.env[EMULATOR_DIR_ENV] ?? DEFAULT_EMULATOR_DIR;
  return path.resolve(base, dir, `${host.name}.json`);
}
