/**
 * How ssh checks the host's key, as `New-PSSession -Options` entries (PowerShell 7.3+ passes
 * each as `-o <key>=<value>`; ssh_config(5), https://man.openbsd.org/ssh_config). Always strict:
 * a host whose key is unknown or different is refused before any credential is offered.
 * - hostKeys: written to a private known_hosts file under a fixed alias (HostKeyAlias), so the
 *   port and the address form do not matter, and that file is the only one consulted.
 * - knownHostsFile: that file is the only one consulted.
 * - neither: the user's own and the system's known_hosts files, as ssh reads them by default.
 */
import { commandLineWordProblem, type SshHost } from "../host";

export interface SshOption {
  name: string;
  value: string;
}

/** The name pinned keys are filed under in the private known_hosts file. */
export const PINNED_HOST_ALIAS = "pulumi-hns-pinned-host";

export function pinnedKnownHosts(keys: readonly string[]): string {
  return keys.map((k) => `${PINNED_HOST_ALIAS} ${k.trim()}`).join("\n") + "\n";
}

/** The options for a host; `knownHostsFile` is the pinned file written for hostKeys, or the host's own. */
export function sshOptions(host: Pick<SshHost, "hostKeys">, knownHostsFile: string | undefined): SshOption[] {
  const options: SshOption[] = [
    { name: "StrictHostKeyChecking", value: "yes" },
    // Never prompt (for a passphrase, a password, a host key): fail instead.
    { name: "BatchMode", value: "yes" },
  ];
  if (knownHostsFile !== undefined) {
    options.push(
      { name: "UserKnownHostsFile", value: knownHostsFile },
      { name: "GlobalKnownHostsFile", value: knownHostsFile },
      // ssh must not add keys to a file it was given to check against.
      { name: "UpdateHostKeys", value: "no" },
    );
  }
  if (host.hostKeys !== undefined) options.push({ name: "HostKeyAlias", value: PINNED_HOST_ALIAS }, { name: "CheckHostIP", value: "no" });
  return options;
}

/** A value bound for the ssh command line that is not one safe word: the reason, else undefined. */
export function unsafeForSsh(values: Record<string, string | undefined>): string | undefined {
  for (const [what, value] of Object.entries(values)) {
    const problem = value === undefined ? undefined : commandLineWordProblem(value);
    if (problem) return `${what} ${value} ${problem}`;
  }
  return undefined;
}
