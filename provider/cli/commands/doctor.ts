import * as path from "node:path";
import { disconnectAll } from "../../hosts/connect";
import { InputError } from "../../topology-files";
import { exportStack, readStateFile } from "../doctor/export";
import { deleteOrphans, diagnose, type Deletion } from "../doctor/inspect";
import { report } from "../doctor/render";
import { readStackExport } from "../doctor/state";
import { EXIT, type Command } from "./command";

export const doctor: Command = {
  name: "doctor",
  summary: "after an interrupted pulumi up: list (and --delete) the objects a stack left on its hosts outside its state, and the state entries whose objects are gone",
  usage: `hns-plan doctor (--stack <name> | --state <file>) [options]
  -s, --stack <name>  run \`pulumi stack export --show-secrets --stack=<name>\` in the project directory
  --state <file>      read that export from a file instead ("-": stdin, so no plaintext secret lands on disk)
  -C, --cwd <dir>     the Pulumi project directory (default: here); relative emulator stateDirs resolve against it
  --pulumi <path>     the pulumi executable (default: pulumi on PATH)
  --delete            delete every orphan: load balancers and routes, then endpoints (detached first), then networks
  --adopt             delete only the orphans a pending create does not account for; keep the rest for the next
                      pulumi up to re-find by their deterministic IDs (only if its arguments are unchanged)
  --json              the report as JSON on stdout
an orphan carries the stack's tag (the first 8 hex digits of its ID) and is not in the state;
see docs/interrupted-deployment.md for the steps around it (pulumi cancel, refresh --clear-pending-creates)
exit codes: 0 nothing to recover · 4 orphans, gone entries, pending operations or an unreachable host remain · 2 usage`,
  options: {
    stack: { type: "string", short: "s" },
    state: { type: "string" },
    cwd: { type: "string", short: "C" },
    pulumi: { type: "string" },
    delete: { type: "boolean" },
    adopt: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(values, _positionals, term) {
    const stack = values.stack as string | undefined;
    const stateFile = values.state as string | undefined;
    if (!stack === !stateFile) throw new InputError("give exactly one of --stack <name> (doctor runs pulumi stack export) or --state <file> (an export you made)");
    if (values.delete && values.adopt) throw new InputError("--delete and --adopt exclude each other: --delete removes every orphan, --adopt keeps the adoptable ones");
    const cwd = path.resolve((values.cwd as string | undefined) ?? ".");

    term.progress(stack ? `pulumi stack export --stack=${stack}` : `reading ${stateFile}`);
    const text = stack ? await exportStack({ stack, cwd, pulumi: (values.pulumi as string | undefined) ?? "pulumi" }) : readStateFile(stateFile!);
    const state = readStackExport(text, stack ? `stack ${stack}` : stateFile === "-" ? "stdin" : stateFile!);
    try {
      term.progress("inspecting hosts");
      const diagnosis = await diagnose(state, cwd);
      let deletion: Deletion | undefined;
      if (values.delete || values.adopt) {
        term.progress("deleting orphans");
        deletion = await deleteOrphans(diagnosis.orphans.filter((o) => values.delete || !o.adoptable), state, cwd);
      }
      term.done();
      if (values.json) term.out(JSON.stringify({ ...diagnosis, ...(deletion ? { deleted: deletion.deleted, failed: deletion.failed } : {}) }, null, 2));
      else for (const line of report(diagnosis, term, deletion)) term.out(line);
      const left = diagnosis.orphans.length - (deletion?.deleted.length ?? 0);
      const clean = left === 0 && diagnosis.gone.length === 0 && diagnosis.pending.length === 0 && !diagnosis.hosts.some((h) => h.error);
      return clean ? EXIT.ok : EXIT.recover;
    } finally {
      await disconnectAll();
    }
  },
};
