import * as fs from "node:fs";
import * as path from "node:path";
import { disconnectAll } from "../../hosts/connect";
import { InputError, readTopology } from "../../topology-files";
import { exportStack, readStateFile } from "../doctor/export";
import { deleteOrphans, diagnose, type Deletion, type Reach } from "../doctor/inspect";
import { report } from "../doctor/render";
import { readStackExport, type Owner } from "../doctor/state";
import { stepsFor } from "../doctor/steps";
import { EXIT, type Command } from "./command";

export const doctor: Command = {
  name: "doctor",
  summary: "after an interrupted pulumi up or destroy: list (and --delete) the objects a stack left on its hosts outside its state, and the state entries whose objects are gone",
  usage: `hns-plan doctor --stack <name> [options]
  -s, --stack <name>  the stack to look after ([<org>/[<project>/]]<stack>): its objects are those whose IDs carry
                      its tag, whatever the export says; doctor runs \`pulumi stack export --show-secrets --stack=<name>\`
  --state <file>      read the stack's export from a file instead ("-": stdin, so no plaintext secret lands on disk)
  --fleet <name>      the stack is one host group of hns-plan fleet <name> (stacks <name>-<group>): its objects
                      carry the fleet's tag, the IDs one stack named <name> would make (docs/fleets.md)
  -C, --cwd <dir>     the Pulumi project directory (default: here); relative emulator stateDirs resolve against it
  --project <name>    the Pulumi project (default: the name in <dir>/Pulumi.yaml, or the <project> part of --stack)
  --pulumi <path>     the pulumi executable (default: pulumi on PATH)
  --connect           also contact the local, ssh and winrm hosts the export names (without it they are only shown);
                      an export's \`executable\` is never run: doctor starts pwsh, or --pwsh
  --pwsh <path>       the PowerShell doctor runs for those hosts (default: pwsh on PATH)
  --delete            delete every orphan: load balancers and routes, then endpoints (detached first), namespaces, networks
  --adopt             delete only the orphans a pending create does not account for; keep the rest for the next
                      pulumi up to re-find by their deterministic IDs (only if its arguments are unchanged)
  --json              the report as JSON on stdout
an orphan carries the stack's tag (the first 8 hex digits of its ID) and is not in the state; an entry of the
export whose URN or seed names another stack is reported as suspicious and never acted on;
see docs/interrupted-deployment.md for the steps around it (pulumi cancel, refresh --clear-pending-creates)
it also lists the deployment processes (pulumi-language-*, pulumi-resource-*, the Node.js program and dynamic provider) still
running in the project directory (Linux: read from /proc): stop them before anything else
exit codes: 0 nothing to recover · 4 left-over processes, orphans, gone entries, pending operations, suspicious entries or a host not inspected remain · 2 usage`,
  options: {
    stack: { type: "string", short: "s" },
    state: { type: "string" },
    cwd: { type: "string", short: "C" },
    project: { type: "string" },
    fleet: { type: "string" },
    pulumi: { type: "string" },
    connect: { type: "boolean" },
    pwsh: { type: "string" },
    delete: { type: "boolean" },
    adopt: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(values, _positionals, term) {
    const stack = values.stack as string | undefined;
    const stateFile = values.state as string | undefined;
    if (!stack) throw new InputError("give --stack <name>: doctor looks for the objects of the stack you name (with --state <file>, too: the export does not decide whose objects are whose)");
    if (values.delete && values.adopt) throw new InputError("--delete and --adopt exclude each other: --delete removes every orphan, --adopt keeps the adoptable ones");
    const cwd = path.resolve((values.cwd as string | undefined) ?? ".");
    const project = projectFile(cwd);
    const owner = ownerOf(stack, (values.project as string | undefined) ?? project?.name, cwd, values.fleet as string | undefined);
    const base = project?.programDir ?? cwd;
    const reach: Reach = { connect: values.connect === true, ...(values.pwsh ? { pwsh: values.pwsh as string } : {}) };
    const steps = stepsFor({
      stack,
      cwd: values.cwd as string | undefined,
      state: stateFile,
      project: values.project as string | undefined,
      fleet: values.fleet as string | undefined,
      pulumi: values.pulumi as string | undefined,
      connect: reach.connect,
      pwsh: reach.pwsh,
    });

    term.progress(stateFile ? `reading ${stateFile}` : `pulumi stack export --stack=${stack}`);
    const text = stateFile ? readStateFile(stateFile) : await exportStack({ stack, cwd, pulumi: (values.pulumi as string | undefined) ?? "pulumi" });
    const state = readStackExport(text, stateFile ? (stateFile === "-" ? "stdin" : stateFile) : `stack ${stack}`, owner);
    try {
      term.progress("inspecting hosts");
      const diagnosis = await diagnose(state, base, reach, [cwd, base]);
      let deletion: Deletion | undefined;
      if (values.delete || values.adopt) {
        term.progress("deleting orphans");
        deletion = await deleteOrphans(diagnosis.orphans.filter((o) => values.delete || !o.adoptable), state, base, reach);
      }
      term.done();
      if (values.json) term.out(JSON.stringify({ ...diagnosis, ...(deletion ? { deleted: deletion.deleted, failed: deletion.failed } : {}) }, null, 2));
      else for (const line of report(diagnosis, term, steps, deletion)) term.out(line);
      const left = diagnosis.orphans.length - (deletion?.deleted.length ?? 0);
      const clean = left === 0 && !diagnosis.processes?.length && diagnosis.gone.length === 0 && diagnosis.pending.length === 0 && diagnosis.suspicious.length === 0 && !diagnosis.hosts.some((h) => h.error || h.skipped);
      return clean ? EXIT.ok : EXIT.recover;
    } finally {
      await disconnectAll();
    }
  },
};

/** Pulumi's rule for stack and project names (letters, digits, '-', '_', '.'). */
const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The stack as the user named it: `<stack>`, `<org>/<stack>` or `<org>/<project>/<stack>`
 * (https://www.pulumi.com/docs/iac/concepts/stacks/#fully-qualified-stack-names); the project
 * from --project, the fully qualified name, or the project file in the project directory.
 */
function ownerOf(given: string, project: string | undefined, cwd: string, fleet?: string): Owner {
  const parts = given.split("/");
  const stack = parts[parts.length - 1];
  if (parts.length > 3 || !NAME.test(stack)) throw new InputError(`--stack ${JSON.stringify(given)} is not a stack name: give <stack>, <org>/<stack> or <org>/<project>/<stack>`);
  const named = project ?? (parts.length === 3 ? parts[1] : undefined);
  if (named === undefined) throw new InputError(`no Pulumi.yaml in ${cwd}: pass the project directory with -C <dir>, or --project <name>`);
  if (!NAME.test(named)) throw new InputError(`project name ${JSON.stringify(named)} is not a Pulumi project name: pass --project <name>`);
  if (fleet === undefined) return { project: named, stack };
  // hns-plan fleet names each group's stack <fleet>-<group> (provider/fleet/split.ts).
  if (!NAME.test(fleet)) throw new InputError(`--fleet ${JSON.stringify(fleet)} is not a fleet name: give the --fleet hns-plan fleet ran with (letters, digits, '-', '_', '.')`);
  if (!stack.startsWith(`${fleet}-`)) throw new InputError(`stack ${stack} is not a stack of fleet ${fleet}, whose stacks are named ${fleet}-<group>: give one of them with --stack, or the fleet it belongs to with --fleet`);
  return { project: named, stack, fleet };
}

/**
 * What the project file says: the project's name, and the directory its program runs in,
 * which is where the provider runs and so what a relative emulator stateDir is relative to:
 * the engine runs a program whose `main` names a file in that file's directory, and one whose
 * `main` names a directory in it (https://www.pulumi.com/docs/iac/concepts/projects/project-file/,
 * "main"). Read with the topology limits (topology-files.ts): it is YAML the user owns, but a
 * directory pointed at may not be.
 */
function projectFile(cwd: string): { name: string; programDir: string } | undefined {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const doc = readTopology(file) as { name?: unknown; main?: unknown } | null;
  if (typeof doc?.name !== "string") throw new InputError(`${file} has no project name: pass --project <name>`);
  if (typeof doc.main !== "string") return { name: doc.name, programDir: cwd };
  const main = path.resolve(cwd, doc.main);
  const isDir = fs.existsSync(main) && fs.statSync(main).isDirectory();
  return { name: doc.name, programDir: isDir ? main : path.dirname(main) };
}
