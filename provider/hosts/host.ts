/**
 * Host blocks: where a resource's HNS lives and how to reach it. The emulator is a file-backed
 * HNS; local, ssh and winrm reach a real Windows host through PowerShell (./powershell).
 * Credentials (accessKey, password, privateKey) are meant to be Pulumi secrets; they never
 * take part in a host's identity, so rotating one is an update, not a new host.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { HNS_VERSION_PRESETS, parseHnsVersion } from "../vocabulary/features";
import { LocalPath as LocalPathField, Port } from "../vocabulary/fields";
import { addressProblem, dnsNameProblem, localPathProblem } from "../vocabulary/values";

export const EMULATOR_DIR_ENV = "PULUMI_HNS_EMULATOR_DIR";
/** The emulator's state directory when neither stateDir nor $PULUMI_HNS_EMULATOR_DIR names one. */
export const DEFAULT_EMULATOR_DIR = ".hns-emulator";

/** A label for logs, messages and emulator file names. */
const HostName = z
  .string()
  .min(1)
  // It names the emulator's state file (with ".json" and a journal suffix) under a 255-byte file-name limit.
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' or '-' (it names a file)");

export const EmulatorHost = z
  .object({
    kind: z.literal("emulator"),
    /** Host name; also names the emulator's state file `<stateDir>/<name>.json`. */
    name: HostName,
    /** Where state files live. Defaults to $PULUMI_HNS_EMULATOR_DIR, else `.hns-emulator` in the working directory. */
    stateDir: LocalPathField.superRefine((v, ctx) => {
      const p = notADirectory(v);
      if (p) ctx.addIssue({ code: "custom", message: p });
    }).optional(),
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
    .refine((v) => !/[\r\n\0]/.test(v), "is more than one line: give a command name or a path on one line")
    .optional(),
  /**
   * Seconds one HNS call may take before it is abandoned and the session restarted. Defaults
   * to 120. Opening the session (starting PowerShell, logging in, loading the agent) gets at least 60.
   */
  timeoutSeconds: z.number().positive().max(3600).optional(),
  /**
   * Let `check` read this host in a preview (read-only: it lists networks and endpoints once per
   * run) so that a resource is also judged against what the host already holds and the stack
   * does not: another stack's network, Docker's `nat`, a published port. Defaults to false: a
   * preview contacts no real host unless asked, so a pull-request preview with no host reachable
   * still succeeds. A host that cannot be read then judges nothing and the preview goes on.
   */
  previewReadsHost: z.boolean().optional(),
};

/**
 * The grammar of every value that can reach the ssh command line PowerShell builds for
 * `New-PSSession -HostName`: it splices `-l <user>`, `-i "<keyFile>"`, `-p <port>`,
 * `-o <option>=<value>` and the host name into one command line and splits it again at spaces
 * and quotes (SSHConnectionInfo.StartSSHProcess in https://github.com/PowerShell/PowerShell,
 * src/System.Management.Automation/engine/remoting/common/RunspaceConnectionInfo.cs), so a user
 * `admin -oProxyCommand=...` would become an ssh option that runs a local command. A value is
 * accepted only if it cannot become more than one word, nor an option: no leading '-', no
 * whitespace, no control character, no quote, no trailing backslash (which would escape the
 * closing quote on Windows). The WinRM user follows it too, so one rule covers every user name.
 */
export function commandLineWordProblem(value: string): string | undefined {
  if (value.startsWith("-")) return "must not start with '-' (ssh would read it as an option)";
  if (/\s/u.test(value)) return "must not contain whitespace (PowerShell splits the ssh command line at spaces)";
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(value)) return "must not contain control characters";
  if (/["'`]/u.test(value)) return "must not contain quotes (PowerShell's ssh command line treats them as word boundaries)";
  if (value.endsWith("\\")) return "must not end with a backslash (on Windows it would escape the closing quote)";
  return undefined;
}

const commandLineWord = (fix: string, max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((v, ctx) => {
      const problem = commandLineWordProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: `${problem}; ${fix}` });
    });

/** An account name: one command-line word (see commandLineWordProblem). */
const UserName = commandLineWord("give the account name alone, as `user` or `DOMAIN\\user`", 256);
/** A path on the machine running Pulumi that ssh reads: a local path (relative ones to the project directory) and one command-line word. */
const LocalPath = commandLineWord("use a path without spaces or quotes (or, for a key, give its content as privateKey)", 4096).superRefine((v, ctx) => {
  const p = localPathProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

/**
 * A stateDir that exists must be a directory: a file or a device (/dev/null) would fail only at
 * the first create, with a raw EEXIST or ENOTDIR. Read-only: check stats the path and makes nothing.
 */
function notADirectory(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : "names something that is not a directory: give a directory (it is made when missing)";
  } catch {
    return undefined;
  }
}

/**
 * An address as PowerShell remoting takes it: a DNS name or an IP literal, nothing else. Text
 * of only digits and dots is read as IPv4 (so "1.2.3.4.5" is a broken address, not a name).
 */
export function remoteAddressProblem(v: string): string | undefined {
  // inet_aton also reads hex, octal and short forms ("0x7f000001", "0177.1", "127.1") as IPv4:
  // such a "name" would reach an address nobody wrote down.
  if (/^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$/i.test(v) && !/^[0-9.]+$/.test(v)) {
    return `${JSON.stringify(v)} reads as an IPv4 address in hex or octal notation: write the address in four dotted decimals, e.g. "192.168.1.10"`;
  }
  if (/^[0-9.]+$/.test(v) || v.includes(":")) return addressProblem(v, "remoteHost");
  const p = dnsNameProblem(v);
  return p && `use a host name or an IP address: ${JSON.stringify(v)} ${p.replace(/^is empty:.*/, "is empty").replace(/: use labels/, ", whose labels must be")}`;
}

const Address = z.string().superRefine((v, ctx) => {
  const p = remoteAddressProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

/**
 * SSH host key algorithms a pinned key may use (OpenSSH's public key types). A fingerprint
 * cannot be pinned: OpenSSH checks host keys against known_hosts entries, which hold keys.
 */
export const SSH_HOST_KEY_TYPES = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** What is wrong with a public key line `<type> <base64> [comment]`, if anything. */
export function hostKeyProblem(line: string): string | undefined {
  // Checked on the whole entry before any splitting: a line break would start a known_hosts line
  // of its own (a "* key" or "@cert-authority" line) that no check below would ever see.
  if (/[\u0000-\u001f\u007f]/u.test(line)) return "contains a line break or another control character: give one key per entry";
  const [type, blob] = line.trim().split(/[ ]+/);
  if ((SSH_HOST_KEY_TYPES as readonly string[]).includes(blob ?? "") && !(SSH_HOST_KEY_TYPES as readonly string[]).includes(type)) {
    return "starts with a host name: give only the key type and the key, without the host name that ssh-keyscan prints first";
  }
  if (!(SSH_HOST_KEY_TYPES as readonly string[]).includes(type)) return `has key type "${type.slice(0, 40)}": use one of ${SSH_HOST_KEY_TYPES.join(", ")}`;
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || blob.length % 4 !== 0) return "has no base64 key after its type";
  // The key blob starts with its own type name (RFC 4253 section 6.6): a pasted key of another type is caught here.
  const bytes = Buffer.from(blob, "base64");
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 0 || bytes.subarray(4, 4 + length).toString("latin1") !== type) return `is not a ${type} key (its data names another type)`;
  return undefined;
}

const HostKey = z
  .string()
  .max(16_384)
  .superRefine((v, ctx) => {
    const problem = hostKeyProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: `the key ${problem} (e.g. "ssh-ed25519 AAAAC3Nza...", as in the host's /etc/ssh or ProgramData\\ssh ssh_host_*_key.pub)` });
  });

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
    /**
     * Account to log in as; it needs administrator rights on the host (HNS refuses others).
     * One word: no leading '-', whitespace, control characters, quotes or trailing backslash
     * (PowerShell splices it into the ssh command line).
     */
    user: UserName,
    /**
     * Path of a private key file on the machine running Pulumi (`-KeyFilePath`), absolute or
     * relative to the project directory. Give exactly one of keyFile and privateKey. Same grammar
     * as user: no leading '-', whitespace, control characters or quotes.
     */
    keyFile: LocalPath.optional(),
    /**
     * The private key itself (OpenSSH format), as a Pulumi secret. It is written to a file only
     * readable by this user, in a private temporary directory, for as long as the session takes
     * to open, and removed on exit or SIGINT/SIGTERM (after a SIGKILL, by the next provider
     * process). Give exactly one of keyFile and privateKey.
     */
    privateKey: z.string().min(1).optional(),
    /**
     * The host's SSH public keys, each `<type> <base64>` (a line of the host's
     * ssh_host_*_key.pub, or of `ssh-keyscan` output without the host name; check it out of
     * band). The session opens only if the host presents one of them: they are written to a
     * private known_hosts file and ssh runs with StrictHostKeyChecking=yes. Exclusive with
     * knownHostsFile. With neither, ssh checks the host against your own known_hosts files,
     * strictly: a host not in them is refused. Needs PowerShell 7.3 or later (`-Options`).
     */
    hostKeys: z.array(HostKey).min(1).max(32).optional(),
    /**
     * A known_hosts file to check the host's key against (StrictHostKeyChecking=yes; it is used
     * instead of your own and the system's known_hosts files). Same grammar as keyFile.
     * Exclusive with hostKeys.
     */
    knownHostsFile: LocalPath.optional(),
    ...shellOptions,
  })
  .strict()
  .refine((h) => (h.keyFile === undefined) !== (h.privateKey === undefined), {
    message: "give exactly one of keyFile (a path) or privateKey (the key, as a secret)",
    path: ["keyFile"],
  })
  .refine((h) => h.hostKeys === undefined || h.knownHostsFile === undefined, {
    message: "give hostKeys (the keys themselves) or knownHostsFile (a file of them), not both",
    path: ["knownHostsFile"],
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
    /**
     * Account to log in as (`DOMAIN\\user` or `user`); it needs administrator rights on the host.
     * Same grammar as the ssh user: no leading '-', whitespace, control characters, quotes or trailing backslash.
     */
    user: UserName,
    /** The account's password, as a Pulumi secret. Sent to the local shell over stdin only. */
    password: z.string().min(1),
    /** Use HTTPS (`-UseSSL`). Defaults to true; false needs allowInsecure. */
    useSsl: z.boolean().optional(),
    /** `-Authentication`. Defaults to Negotiate. */
    authentication: WinrmAuthentication.optional(),
    /** Accept a certificate not signed by a trusted CA (`-SkipCACheck`). Defaults to false; true needs allowInsecure. */
    skipCaCheck: z.boolean().optional(),
    /** Accept a certificate whose name differs from the address (`-SkipCNCheck`). Defaults to false; true needs allowInsecure. */
    skipCnCheck: z.boolean().optional(),
    /**
     * Accept useSsl: false, skipCaCheck or skipCnCheck, which are refused without it; every
     * `pulumi preview` and `up` then warns. See docs/security.md. Defaults to false.
     */
    allowInsecure: z.boolean().optional(),
    ...shellOptions,
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.allowInsecure) return;
    for (const [field, risk] of winrmInsecurities(h)) {
      ctx.addIssue({ code: "custom", path: [field], message: `${risk}; use HTTPS with a certificate the machine running Pulumi trusts, or set allowInsecure: true to accept the risk (every run then warns)` });
    }
  });
export type WinrmHost = z.infer<typeof WinrmHost>;

/**
 * The settings of a WinRM block that give up protection, each with what is lost: the schema
 * refuses them without allowInsecure, and the SDK warns about them with it.
 */
export function winrmInsecurities(h: { useSsl?: boolean; skipCaCheck?: boolean; skipCnCheck?: boolean }): [field: "useSsl" | "skipCaCheck" | "skipCnCheck", risk: string][] {
  const found: [field: "useSsl" | "skipCaCheck" | "skipCnCheck", risk: string][] = [];
  if (h.useSsl === false) found.push(["useSsl", "WinRM over plain HTTP does not authenticate the host, and Basic authentication sends the password readable by anyone on the path"]);
  if (h.skipCaCheck) found.push(["skipCaCheck", "skipCaCheck accepts any certificate, so anyone on the path can pose as the host and receive the credential"]);
  if (h.skipCnCheck) found.push(["skipCnCheck", "skipCnCheck accepts a certificate issued for another machine, so any host with a trusted certificate can pose as this one"]);
  return found;
}

/** The credential field of each host kind that has one: the SDK makes them Pulumi secrets. */
export const HOST_CREDENTIALS = { emulator: "accessKey", ssh: "privateKey", winrm: "password" } as const;

const HOST_KINDS = ["emulator", "local", "ssh", "winrm"] as const;

/** What check says of a resource without a host, in both front doors (the native plugin adds its provider default). */
export const HOST_REQUIRED = 'is required: give a host block, e.g. { kind: "emulator", name: "node1" } (in TypeScript, hns.emulatorHost("node1")); docs/reference/hosts.md lists the kinds';

export const Host = z.discriminatedUnion("kind", [EmulatorHost, LocalHost, SshHost, WinrmHost], {
  error: (issue) => {
    if (issue.input === undefined) return HOST_REQUIRED;
    if (issue.input === null) return HOST_REQUIRED.replace(/^is required:/, "got null:");
    if (issue.code === "invalid_union") return `unsupported host kind: use one of ${HOST_KINDS.map((k) => `"${k}"`).join(", ")}`;
    return undefined;
  },
});
export type Host = z.infer<typeof Host>;
export type PowerShellHost = LocalHost | SshHost | WinrmHost;

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

/**
 * Where a host's objects live: the emulator's state file (resolved against `base`), or the
 * machine (hostKey). Two host blocks with one location reach the same objects.
 */
export function hostLocation(host: Host, base = process.cwd()): string {
  return host.kind === "emulator" ? `emulator:${emulatorStateFile(host, base)}` : hostKey(host);
}

/** `base`: the directory a relative stateDir is relative to (the provider's is the Pulumi project's). */
export function emulatorStateFile(host: EmulatorHost, base = process.cwd()): string {
  const dir = host.stateDir ?? process.env[EMULATOR_DIR_ENV] ?? DEFAULT_EMULATOR_DIR;
  return path.resolve(base, dir, `${host.name}.json`);
}
