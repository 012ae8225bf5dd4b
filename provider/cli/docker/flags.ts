/**
 * Reading a Docker command's words the way the Docker CLI's flag library (spf13/pflag) does:
 * `--flag value`, `--flag=value`, booleans with an optional `=true|false`, and short flags
 * that group (`-dit`), where one that takes a value takes the rest of the word (`-dnat`,
 * `-d=nat`) or the next word. What each flag means is the caller's.
 */
import { HnsError } from "../../vocabulary/errors";

/** A command the importer cannot read or map: input that is refused before anything is planned. */
export class DockerImportError extends HnsError {
  constructor(
    /** The problem, without its place. */
    readonly detail: string,
    readonly line?: number,
  ) {
    super({ code: "InvalidInput", message: line === undefined ? detail : `line ${line}: ${detail}` });
  }
}

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

export interface FlagSpec {
  long: string;
  short?: string;
  /** A bool flag takes no value word; any other kind does. */
  kind: string;
}

export interface FlagReading<F extends FlagSpec> {
  /** The flags the command knows. */
  flags: readonly F[];
  /** "network create", "run": for the message about an unknown option. */
  command: string;
  /** Called per flag with its value (undefined: a bool written bare, or a value missing at the end) and the flag as written. */
  apply(flag: F, value: string | undefined, written: string): void;
  /** true: positionals may stand between flags (network create); false: the first one ends the flags (run's image). */
  interspersed: boolean;
  fail(message: string): never;
}

/** Applies each flag in `args`; returns the positional words (after `--`, all of them). */
export function readFlags<F extends FlagSpec>(args: readonly string[], r: FlagReading<F>): string[] {
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...positionals, ...args.slice(i + 1)];
    if (arg.startsWith("--")) {
      i = readLong(args, i, r);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      i = readShortGroup(args, i, r);
      continue;
    }
    if (!r.interspersed) return [...positionals, ...args.slice(i)];
    positionals.push(arg);
  }
  return positionals;
}

/** `--name`, `--name=value` or `--name value`; returns the index of the last word used. */
function readLong<F extends FlagSpec>(args: readonly string[], i: number, r: FlagReading<F>): number {
  const arg = args[i];
  const eq = arg.indexOf("=");
  const name = arg.slice(2, eq < 0 ? undefined : eq);
  const flag = r.flags.find((f) => f.long === name) ?? r.fail(`unknown docker ${r.command} option "--${name}"`);
  const inline = eq < 0 ? undefined : arg.slice(eq + 1);
  if (flag.kind === "bool" || inline !== undefined) r.apply(flag, inline, `--${name}`);
  else r.apply(flag, args[++i], `--${name}`);
  return i;
}

/** A group of short flags: booleans until one that takes a value, which takes the rest (or the next word). */
function readShortGroup<F extends FlagSpec>(args: readonly string[], i: number, r: FlagReading<F>): number {
  const arg = args[i];
  for (let k = 1; k < arg.length; k++) {
    const letter = arg[k];
    const flag = r.flags.find((f) => f.short === letter) ?? r.fail(`unknown docker ${r.command} option "-${letter}"`);
    if (flag.kind === "bool") {
      r.apply(flag, undefined, `-${letter}`);
      continue;
    }
    const rest = arg.slice(k + 1);
    r.apply(flag, rest === "" ? args[++i] : rest.startsWith("=") ? rest.slice(1) : rest, `-${letter}`);
    break;
  }
  return i;
}
