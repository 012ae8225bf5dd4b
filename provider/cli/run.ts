/** `hns-plan <command>`: argument parsing, help, and the mapping of failures to exit codes. */
import { parseArgs } from "node:util";
import { COMMANDS, suggestCommand } from "./commands";
import { EXIT } from "./commands/command";
import { InputError } from "../topology-files";
import { LocalStateError } from "../vocabulary/errors";
import { terminal, type Terminal } from "./terminal";

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "hns-plan: plan, validate and draw Windows container networking (HNS) topologies offline",
    "",
    "usage: hns-plan <command> [options]    (hns-plan <command> --help for its options)",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "exit codes: 0 ok · 1 topology invalid · 2 usage or input error · 3 lock file out of date (--frozen-lock) · 4 doctor: something to recover",
    "colour: on when stdout is a terminal; NO_COLOR=1 or --no-color turns it off, FORCE_COLOR=1 on",
  ].join("\n");
}

/** An input error told from its problem (errors.ts): what is wrong, then what to do. */
function describe(e: Error): string {
  if (!(e instanceof InputError)) return e.message;
  const p = e.problem();
  return `${p.reason}${p.fix ? `: ${p.fix}` : ""}`;
}

export async function run(argv: string[], term?: Terminal): Promise<number> {
  const [name, ...rest] = argv;
  const t0 = term ?? terminal({ color: argv.includes("--no-color") ? false : undefined });
  if (!name || name === "--help" || name === "-h" || name === "help") {
    t0.out(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const meant = suggestCommand(name);
    t0.err(`hns-plan: unknown command "${name}"${meant ? `; did you mean "${meant}"?` : ""}\n\n${help()}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean", short: "h" }, "no-color": { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      t0.out(command.usage);
      return EXIT.ok;
    }
    return await command.run(values as Record<string, string | boolean | undefined>, positionals, t0);
  } catch (e) {
    t0.done();
    if (e instanceof InputError || e instanceof LocalStateError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      t0.err(`hns-plan ${name}: ${describe(e as Error)}\n(see npx hns-plan ${name} --help)`);
      return EXIT.usage;
    }
    const file = fileProblem(e);
    if (file) {
      t0.err(`hns-plan ${name}: ${file}\n(see npx hns-plan ${name} --help)`);
      return EXIT.usage;
    }
    // A bug, not bad input: the stack is for the report, and goes through the terminal like
    // everything else, since its message may quote a file's text.
    t0.err(`hns-plan ${name}: internal error (please report it with what follows):\n${(e as Error).stack ?? String(e)}`);
    return EXIT.internal;
  }
}

/** The file errors a path given on the command line can cause: the user's to fix, not a bug. */
const FILE_CODES: Readonly<Record<string, string>> = {
  ENOENT: "there is no such file or directory",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links",
  EROFS: "the file system is read-only",
};

function fileProblem(e: unknown): string | undefined {
  const x = e as NodeJS.ErrnoException;
  const why = typeof x?.code === "string" ? FILE_CODES[x.code] : undefined;
  if (!why || typeof x.path !== "string") return undefined;
  return `cannot ${x.syscall ?? "use"} ${JSON.stringify(x.path)}: ${why}: check the path`;
}
