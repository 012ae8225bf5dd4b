/**
 * `docker run` command lines → the container's networking, flag by flag, with no judgement
 * about Windows yet (that is ./to-endpoint.ts). The flag table follows the Docker CLI's `run`
 * reference (docs.docker.com/reference/cli/docker/container/run/): options come before the
 * image, short booleans group (`-dit`), a value follows its flag, `=`, or (short) the letter.
 * Options that do not touch networking are read only so the image is found; any other word
 * that looks like an option is an error naming it.
 */
import { DockerImportError, isDocker, parseGoBool, readFlags } from "./flags";
import { joinWords, type ShellCommand } from "./shell-words";

export interface DockerRun {
  /** Line of the command in its input, for messages. */
  line: number;
  /** The command as one line of shell text (continuations joined), for comments and messages. */
  command: string;
  image: string;
  /** --name. */
  name?: string;
  /** --network / --net, every occurrence. */
  networks: string[];
  ip?: string;
  ip6?: string;
  /** -p / --publish values, as written. */
  publish: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  macAddress?: string;
  isolation?: string;
  /** Networking flags Docker keeps to itself (its embedded DNS, /etc/hosts), dropped with a note. */
  dropped: string[];
}

type Kind = "string" | "bool";
interface Flag {
  long: string;
  short?: string;
  kind: Kind;
  /** The DockerRun field it fills; none: a flag that does not touch networking. */
  field?: "name" | "networks" | "ip" | "ip6" | "publish" | "dns" | "dnsSearch" | "dnsOptions" | "macAddress" | "isolation" | "dropped" | "refused";
}

/** Networking flags: mapped, dropped (Docker's own bookkeeping) or refused (no HNS counterpart). */
const NETWORK_FLAGS: Flag[] = [
  { long: "name", kind: "string", field: "name" },
  { long: "network", kind: "string", field: "networks" },
  { long: "net", kind: "string", field: "networks" },
  { long: "ip", kind: "string", field: "ip" },
  { long: "ip6", kind: "string", field: "ip6" },
  { long: "publish", short: "p", kind: "string", field: "publish" },
  { long: "dns", kind: "string", field: "dns" },
  { long: "dns-search", kind: "string", field: "dnsSearch" },
  { long: "dns-option", kind: "string", field: "dnsOptions" },
  { long: "dns-opt", kind: "string", field: "dnsOptions" },
  { long: "mac-address", kind: "string", field: "macAddress" },
  { long: "isolation", kind: "string", field: "isolation" },
  { long: "network-alias", kind: "string", field: "dropped" },
  { long: "net-alias", kind: "string", field: "dropped" },
  { long: "link", kind: "string", field: "dropped" },
  { long: "add-host", kind: "string", field: "dropped" },
  { long: "hostname", short: "h", kind: "string", field: "dropped" },
  { long: "domainname", kind: "string", field: "dropped" },
  { long: "expose", kind: "string", field: "dropped" },
  { long: "publish-all", short: "P", kind: "bool", field: "refused" },
  { long: "link-local-ip", kind: "string", field: "refused" },
];

/** Why a refused networking flag cannot be imported, and what to write instead. */
export const REFUSED_RUN_FLAGS: Record<string, string> = {
  "publish-all": "it publishes the image's ports on host ports Docker picks when the container starts, which a plan cannot know: publish each port with -p <host port>:<container port>",
  "link-local-ip": "HNS endpoints take no link-local addresses: remove it",
};

/** What each dropped flag was for, for the note. */
const DROPPED_WHY: Record<string, string> = {
  "network-alias": "a name in Docker's embedded DNS",
  "net-alias": "a name in Docker's embedded DNS",
  link: "a name in Docker's embedded DNS",
  "add-host": "a line in the container's hosts file",
  hostname: "the container's own host name",
  domainname: "the container's own domain name",
  expose: "image metadata; nothing is published",
};

const bool = (long: string, short?: string): Flag => ({ long, short, kind: "bool" });
const value = (long: string, short?: string): Flag => ({ long, short, kind: "string" });

/** Options that do not touch networking (read so the image is found, then ignored). */
const OTHER_FLAGS: Flag[] = [
  bool("detach", "d"),
  bool("interactive", "i"),
  bool("tty", "t"),
  bool("rm"),
  bool("init"),
  bool("privileged"),
  bool("read-only"),
  bool("sig-proxy"),
  bool("no-healthcheck"),
  bool("oom-kill-disable"),
  bool("disable-content-trust"),
  bool("quiet", "q"),
  value("attach", "a"),
  value("env", "e"),
  value("env-file"),
  value("volume", "v"),
  value("volumes-from"),
  value("mount"),
  value("tmpfs"),
  value("workdir", "w"),
  value("entrypoint"),
  value("user", "u"),
  value("group-add"),
  value("restart"),
  value("memory", "m"),
  value("memory-reservation"),
  value("memory-swap"),
  value("cpus"),
  value("cpu-shares", "c"),
  value("cpu-count"),
  value("cpu-percent"),
  value("cpuset-cpus"),
  value("io-maxbandwidth"),
  value("io-maxiops"),
  value("label", "l"),
  value("label-file"),
  value("log-driver"),
  value("log-opt"),
  value("health-cmd"),
  value("health-interval"),
  value("health-retries"),
  value("health-timeout"),
  value("health-start-period"),
  value("stop-signal"),
  value("stop-timeout"),
  value("platform"),
  value("pull"),
  value("device"),
  value("gpus"),
  value("storage-opt"),
  value("security-opt"),
  value("shm-size"),
  value("ulimit"),
  value("cidfile"),
  value("detach-keys"),
  value("runtime"),
  value("cap-add"),
  value("cap-drop"),
  value("pid"),
  value("ipc"),
  value("uts"),
  value("userns"),
  value("cgroupns"),
];

const FLAGS = [...NETWORK_FLAGS, ...OTHER_FLAGS];

/** `docker run` or `docker container run`: the words after the subcommand, or undefined. */
export function runArguments(words: readonly string[]): string[] | undefined {
  const [docker, a, b] = words;
  if (!isDocker(docker)) return undefined;
  if (a === "run") return words.slice(2);
  if (a === "container" && b === "run") return words.slice(3);
  return undefined;
}

/** Parses one `docker run`; throws DockerImportError naming the word that is not understood. */
export function parseRun(cmd: ShellCommand): DockerRun {
  const args = runArguments(cmd.words);
  const fail = (message: string): never => {
    throw new DockerImportError(message, cmd.line);
  };
  if (!args) return fail(`not a docker run command: "${cmd.words.slice(0, 3).join(" ")}"`);
  const out: DockerRun = { line: cmd.line, command: joinWords(cmd.words), image: "", networks: [], publish: [], dns: [], dnsSearch: [], dnsOptions: [], dropped: [] };
  const rest = readFlags(args, { flags: FLAGS, command: "run", interspersed: false, fail, apply: (flag, text, written) => applyFlag(out, flag, text, written, fail) });
  if (rest.length === 0) fail("the image is missing (docker run [options] IMAGE [command])");
  out.image = rest[0];
  return out;
}

function applyFlag(out: DockerRun, flag: Flag, text: string | undefined, written: string, fail: (message: string) => never): void {
  if (flag.kind === "bool") {
    if (text !== undefined && parseGoBool(text) === undefined) fail(`${written} takes true or false, not "${text}"`);
    if (flag.field === "refused" && parseGoBool(text ?? "true")) fail(`docker run ${written} is not imported: ${REFUSED_RUN_FLAGS[flag.long]}`);
    return;
  }
  if (text === undefined) return fail(`${written} needs a value`);
  switch (flag.field) {
    case undefined:
      return;
    case "refused":
      return fail(`docker run ${written} is not imported: ${REFUSED_RUN_FLAGS[flag.long]}`);
    case "dropped":
      out.dropped.push(`${written} ${text} dropped: it is ${DROPPED_WHY[flag.long]}, Docker's own and not part of HNS`);
      return;
    case "networks":
    case "publish":
    case "dns":
    case "dnsSearch":
    case "dnsOptions":
      out[flag.field].push(text);
      return;
    default:
      // A repeated single-value flag keeps the last value, as pflag does.
      out[flag.field] = text;
  }
}
