/**
 * `docker network connect [options] NETWORK CONTAINER` → one more endpoint of a container that
 * an earlier `docker run --name CONTAINER` line started. That container is running, so the
 * endpoint is attached while it runs (hotAdd), which rule hyperv-hot-add refuses for a Hyper-V
 * isolated one. Options follow the Docker CLI's `network connect` reference
 * (docs.docker.com/reference/cli/docker/network/connect/).
 */
import { DockerImportError, isDocker } from "./flags";
import { joinWords, type ShellCommand } from "./shell-words";

export interface DockerConnect {
  line: number;
  command: string;
  network: string;
  container: string;
  ip?: string;
  ip6?: string;
  /** Docker-only flags dropped with a note. */
  dropped: string[];
}

const MAPPED = ["ip", "ip6"] as const;
const DROPPED: Record<string, string> = { alias: "a name in Docker's embedded DNS", link: "a name in Docker's embedded DNS" };
const REFUSED: Record<string, string> = {
  "link-local-ip": "HNS endpoints take no link-local addresses: remove it",
  "driver-opt": "driver options of one endpoint have no topology field: remove it",
};

export function isNetworkConnect(words: readonly string[]): boolean {
  return isDocker(words[0]) && words[1] === "network" && words[2] === "connect";
}

export function parseConnect(cmd: ShellCommand): DockerConnect {
  const fail = (message: string): never => {
    throw new DockerImportError(message, cmd.line);
  };
  const out: DockerConnect = { line: cmd.line, command: joinWords(cmd.words), network: "", container: "", dropped: [] };
  const positionals: string[] = [];
  const args = cmd.words.slice(3);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--") || arg === "--") {
      if (arg.startsWith("-") && arg !== "--") fail(`unknown docker network connect option "${arg}"`);
      if (arg !== "--") positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const known = (MAPPED as readonly string[]).includes(name) || name in DROPPED || name in REFUSED;
    if (!known) fail(`unknown docker network connect option "--${name}"`);
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) fail(`--${name} needs a value`);
    if (name in REFUSED) fail(`docker network connect --${name} is not imported: ${REFUSED[name]}`);
    if (name in DROPPED) out.dropped.push(`--${name} ${value} dropped: it is ${DROPPED[name]}, Docker's own and not part of HNS`);
    else out[name as (typeof MAPPED)[number]] = value;
  }
  if (positionals.length !== 2) fail(`docker network connect takes a network and a container, got ${positionals.length ? positionals.map((p) => `"${p}"`).join(", ") : "none"}`);
  [out.network, out.container] = positionals;
  return out;
}
