import type { Host } from "../provider/hosts/host";
import type { ResourceInputs } from "./inputs";

export type HostArgs = ResourceInputs<Host>;

type Options<K extends Host["kind"], Fixed extends string> = Omit<ResourceInputs<Extract<Host, { kind: K }>>, "kind" | Fixed>;

/** A host block for the embedded HNS emulator (state in `<stateDir>/<name>.json`). An `accessKey` is made a Pulumi secret if it is not one. */
export function emulatorHost(name: string, options: Options<"emulator", "name"> = {}): HostArgs {
  return { kind: "emulator", name, ...options } as HostArgs;
}

/** The Windows host Pulumi runs on (as an administrator), driven through a local PowerShell. */
export function localHost(name: string, options: Options<"local", "name"> = {}): HostArgs {
  return { kind: "local", name, ...options } as HostArgs;
}

/**
 * A Windows host reached by PowerShell remoting over SSH (PowerShell 7.3+ on the machine running
 * Pulumi). Give `keyFile` (a path) or `privateKey` (the key itself; pass it as a Pulumi secret),
 * and pin the host's key with `hostKeys` (or `knownHostsFile`): without either, a host missing
 * from your own known_hosts is refused.
 */
export function sshHost(name: string, address: string, options: Options<"ssh", "name" | "address">): HostArgs {
  return { kind: "ssh", name, address, ...options } as HostArgs;
}

/**
 * A Windows host reached by PowerShell remoting over WinRM (HTTPS by default; plain HTTP and
 * skipped certificate checks need `allowInsecure: true`). Pass `password` as a Pulumi secret
 * (a plain string is made one, with a warning).
 */
export function winrmHost(name: string, address: string, options: Options<"winrm", "name" | "address">): HostArgs {
  return { kind: "winrm", name, address, ...options } as HostArgs;
}
