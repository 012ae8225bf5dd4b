/**
 * `docker network create` command lines → what they ask for, flag by flag, with no judgement
 * about Windows yet (that is ./to-topology.ts). The flag table follows the Docker CLI's
 * `network create` reference (docs.docker.com/reference/cli/docker/network/create/): long and
 * short forms, `--flag value`, `--flag=value`, `-dvalue`, booleans with an optional
 * `=true|false`, and comma-separated lists for the slice flags (pflag StringSlice).
 */
import { joinWords, type ShellCommand } from "./shell-words";

export class DockerImportError extends Error {
  constructor(
    /** The problem, without its place. */
    readonly detail: string,
    readonly line?: number,
  ) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
  }
}

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

/** Go's strconv.ParseBool, which Docker's flag parsing and the Windows driver both use. */
export function parseGoBool(text: string): boolean | undefined {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return false;
  return undefined;
}

export function isDocker(word: string): boolean {
  const base = word.split(/[\\/]/).pop()!.toLowerCase();
  return base === "docker" || base === "docker.exe";
}

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
  const positionals: string[] = [];

  const keyValue = (flag: string, text: string): [string, string] => {
    const eq = text.indexOf("=");
    // `--opt encrypted` has no value: Docker stores the key with an empty value.
    if (eq < 0) return flag === "opt" ? [text, ""] : fail(`--${flag} takes key=value, not "${text}"`);
    return [text.slice(0, eq), text.slice(eq + 1)];
  };

  const apply = (flag: Flag, value: string | undefined, written: string) => {
    if (SWARM_FLAGS.has(flag.long)) out.swarmFlags.push(`--${flag.long}`);
    if (flag.kind === "bool") {
      const b = value === undefined ? true : parseGoBool(value);
      if (b === undefined) fail(`${written} takes true or false, not "${value}"`);
      if (flag.long === "ipv6") out.ipv6 = b;
      if (flag.long === "internal") out.internal = b;
      return;
    }
    if (value === undefined) return fail(`${written} needs a value`);
    switch (flag.long) {
      case "driver":
        out.driver = value.toLowerCase();
        break;
      case "ipam-driver":
        out.ipamDriver = value;
        break;
      case "subnet":
      case "gateway":
      case "ip-range": {
        const list = value.split(",").filter((v) => v !== "");
        if (flag.long === "subnet") out.subnets.push(...list);
        else if (flag.long === "gateway") out.gateways.push(...list);
        else out.ipRanges.push(...list);
        break;
      }
      case "aux-address":
      case "ipam-opt":
      case "label": {
        const [k, v] = keyValue(flag.long, value);
        const target = flag.long === "aux-address" ? out.auxAddresses : flag.long === "ipam-opt" ? out.ipamOptions : out.labels;
        target[k] = v;
        break;
      }
      case "opt": {
        const [k, v] = keyValue("opt", value);
        out.options.delete(k); // re-insert so order follows the last occurrence
        out.options.set(k, v);
        break;
      }
      default: // scope, config-from: only recorded as swarm flags
        break;
    }
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const flag = FLAGS.find((f) => f.long === name);
      if (!flag) fail(`unknown docker network create option "--${name}"`);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (flag!.kind === "bool" || inline !== undefined) apply(flag!, inline, `--${name}`);
      else apply(flag!, args[++i], `--${name}`);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const letter = arg[1];
      const flag = FLAGS.find((f) => f.short === letter);
      if (!flag) fail(`unknown docker network create option "-${letter}"`);
      const rest = arg.slice(2);
      const inline = rest === "" ? undefined : rest.startsWith("=") ? rest.slice(1) : rest;
      apply(flag!, inline ?? args[++i], `-${letter}`);
      continue;
    }
    positionals.push(arg);
  }
  if (positionals.length !== 1) {
    fail(positionals.length ? `one network name expected, got ${positionals.map((p) => `"${p}"`).join(", ")}` : "the network name is missing");
  }
  out.name = positionals[0];
  return out;
}
