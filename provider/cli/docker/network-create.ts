/**
 * `docker network create` command lines → what they ask for, flag by flag, with no judgement
 * about Windows yet (that is ./to-topology.ts). The flag table follows the Docker CLI's
 * `network create` reference (docs.docker.com/reference/cli/docker/network/create/): long and
 * short forms, `--flag value`, `--flag=value`, `-dvalue`, booleans with an optional
 * `=true|false`, and comma-separated lists for the slice flags (pflag StringSlice).
 */
import { DockerImportError, isDocker, parseGoBool, readFlags } from "./flags";
import { joinWords, type ShellCommand } from "./shell-words";

export interface DockerNetworkCreate {
  /** Line of the command in its input, for messages. */
  line: number;
  /** The command as one line of shell text (continuations joined), for comments and messages. */
  command: string;
  /** The Docker network name (the positional argument). */
  name: string;
  /** -d / --driver, as written (lower-cased). */
  driver?: string;
  subnets: string[];
  gateways: string[];
  ipRanges: string[];
  auxAddresses: Record<string, string>;
  ipamDriver?: string;
  ipamOptions: Record<string, string>;
  ipv6?: boolean;
  internal?: boolean;
  /** -o / --opt key=value pairs, in order; a key given twice keeps the last value, as Docker does. */
  options: Map<string, string>;
  labels: Record<string, string>;
  /** Flags Docker knows that only matter to Swarm or to Docker's own bookkeeping. */
  swarmFlags: string[];
}

type Kind = "string" | "list" | "map" | "bool";
interface Flag {
  long: string;
  short?: string;
  kind: Kind;
}

const FLAGS: Flag[] = [
  { long: "driver", short: "d", kind: "string" },
  { long: "subnet", kind: "list" },
  { long: "gateway", kind: "list" },
  { long: "ip-range", kind: "list" },
  { long: "aux-address", kind: "map" },
  { long: "ipam-driver", kind: "string" },
  { long: "ipam-opt", kind: "map" },
  { long: "ipv6", kind: "bool" },
  { long: "internal", kind: "bool" },
  { long: "opt", short: "o", kind: "map" },
  { long: "label", kind: "map" },
  // Swarm-scoped or config-network flags: recognised so the error can say what they are.
  { long: "attachable", kind: "bool" },
  { long: "ingress", kind: "bool" },
  { long: "scope", kind: "string" },
  { long: "config-from", kind: "string" },
  { long: "config-only", kind: "bool" },
];
const SWARM_FLAGS = new Set(["attachable", "ingress", "scope", "config-from", "config-only"]);

/** Parses one command; throws DockerImportError naming the word that is not understood. */
export function parseNetworkCreate(cmd: ShellCommand): DockerNetworkCreate {
  const [docker, network, create, ...args] = cmd.words;
  const fail = (message: string): never => {
    throw new DockerImportError(message, cmd.line);
  };
  if (!isDocker(docker) || network !== "network" || create !== "create") {
    const shown = cmd.words.slice(0, 3).join(" ");
    if (isDocker(docker) && network?.startsWith("-")) fail(`global docker option "${network}" is not imported: write "docker network create …" without it`);
    fail(`only "docker network create", "docker run" and "docker network connect" commands can be imported, not "${shown}"`);
  }
  const out: DockerNetworkCreate = {
    line: cmd.line,
    command: joinWords(cmd.words),
    name: "",
    subnets: [],
    gateways: [],
    ipRanges: [],
    auxAddresses: {},
    ipamOptions: {},
    options: new Map(),
    labels: {},
    swarmFlags: [],
  };
  const positionals = readFlags(args, {
    flags: FLAGS,
    command: "network create",
    interspersed: true,
    fail,
    apply: (flag, value, written) => applyFlag(out, flag, value, written, fail),
  });
  if (positionals.length !== 1) {
    fail(positionals.length ? `one network name expected, got ${positionals.map((p) => `"${p}"`).join(", ")}` : "the network name is missing");
  }
  out.name = positionals[0];
  return out;
}

function applyFlag(out: DockerNetworkCreate, flag: Flag, value: string | undefined, written: string, fail: (message: string) => never): void {
  if (SWARM_FLAGS.has(flag.long)) out.swarmFlags.push(`--${flag.long}`);
  if (flag.kind === "bool") {
    const b = value === undefined ? true : parseGoBool(value);
    if (b === undefined) fail(`${written} takes true or false, not "${value}"`);
    if (flag.long === "ipv6") out.ipv6 = b;
    if (flag.long === "internal") out.internal = b;
    return;
  }
  if (value === undefined) return fail(`${written} needs a value`);
  switch (flag.kind) {
    case "string":
      // scope, config-from: only recorded as swarm flags
      if (flag.long === "driver") out.driver = value.toLowerCase();
      if (flag.long === "ipam-driver") out.ipamDriver = value;
      return;
    case "list": {
      const list = value.split(",").filter((v) => v !== "");
      ({ subnet: out.subnets, gateway: out.gateways, "ip-range": out.ipRanges })[flag.long as "subnet" | "gateway" | "ip-range"].push(...list);
      return;
    }
    default: {
      const [k, v] = keyValue(flag.long, value, fail);
      if (flag.long === "opt") {
        out.options.delete(k); // re-insert so order follows the last occurrence
        out.options.set(k, v);
        return;
      }
      ({ "aux-address": out.auxAddresses, "ipam-opt": out.ipamOptions, label: out.labels })[flag.long as "aux-address" | "ipam-opt" | "label"][k] = v;
    }
  }
}

function keyValue(flag: string, text: string, fail: (message: string) => never): [string, string] {
  const eq = text.indexOf("=");
  // `--opt encrypted` has no value: Docker stores the key with an empty value.
  if (eq < 0) return flag === "opt" ? [text, ""] : fail(`--${flag} takes key=value, not "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}
