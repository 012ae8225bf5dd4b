/** The shape of an `hns-plan` command, and the options most of them share. */
import type { ParseArgsConfig } from "node:util";
import type { Terminal } from "../terminal";
import { FLEET_EXIT } from "../../fleet/report";

/** Documented exit codes (docs/reference/cli.md is generated from this table). */
export const EXIT = {
  ok: 0,
  /** The topology breaks a rule (or its schema). */
  invalid: 1,
  /** Bad command line, or an unreadable / unparsable file. */
  usage: 2,
  /** --frozen-lock: the plan would change the lock file. */
  lockOutdated: 3,
  /** doctor: orphans, gone entries, pending operations or an unreachable host remain. */
  recover: 4,
  /** fleet: some stacks failed or were skipped, every other stack succeeded (the summary names them). */
  fleetSomeFailed: FLEET_EXIT.someFailed,
  /** fleet: no stack succeeded. */
  fleetAllFailed: FLEET_EXIT.allFailed,
  /** An internal error: a bug in hns-plan, not bad input (EX_SOFTWARE of BSD sysexits.h). Please report it with the printed stack. */
  internal: 70,
} as const;

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  run(values: Values, positionals: string[], term: Terminal): Promise<number> | number;
}

export const TOPOLOGY_OPTIONS: Options = {
  file: { type: "string", short: "f" },
  lock: { type: "string" },
  "frozen-lock": { type: "boolean" },
};

export const TOPOLOGY_USAGE = `  -f, --file <path>   topology (YAML or JSON); default hns.topology.yaml|yml|json here
  --lock <path>       lock file; default hns.lock.json next to the topology
  --frozen-lock       fail (exit 3) when the plan would change the lock file`;
