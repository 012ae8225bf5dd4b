/**
 * The split's stacks for the engines users run at scale (`hns-plan fleet manifests`): a GitHub
 * Actions matrix workflow or Pulumi Kubernetes Operator Stack objects, from manifests.ts. The
 * groups and the fleet's name come from the split; every other option of the generator comes
 * from an options file (docs/fleet-engines.md lists them), judged by the generator itself.
 */
import { isHnsError } from "../vocabulary/errors";
import { InputError, readBounded, parseTopologyText } from "../topology-files";
import { githubWorkflow, operatorStacksYaml } from "./manifests";
import type { FleetGroup } from "./split";

export const ENGINES = ["github", "operator"] as const;
export type Engine = (typeof ENGINES)[number];

/** An options file is a few lines of settings: far below this. */
const MAX_OPTIONS_BYTES = 256 * 1024;

export function engineOf(given: string | undefined): Engine {
  if (!(ENGINES as readonly string[]).includes(given ?? "")) {
    throw new InputError(given === undefined ? "fleet manifests needs --engine" : `--engine ${JSON.stringify(given)} is not an engine fleet manifests writes for`, `give --engine ${ENGINES.join(" or --engine ")}`);
  }
  return given as Engine;
}

/** The generator's options from a YAML or JSON file (none: {}), without what the split decides. */
export function readEngineOptions(file: string | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  const text = readBounded(file, MAX_OPTIONS_BYTES, () => new InputError(`${file} is larger than ${MAX_OPTIONS_BYTES} bytes`, "an options file holds a few settings: check it is the right file"));
  const options = parseTopologyText(text, file);
  if (!options || typeof options !== "object" || Array.isArray(options)) throw new InputError(`${file} is not a mapping of options`, "write the generator's options as keys and values (docs/fleet-engines.md)");
  for (const key of ["groups", "fleet"]) {
    if (key in options) throw new InputError(`${file}: ${key} comes from the split, not the options file`, key === "fleet" ? "remove it and give --fleet" : "remove it: the groups are the split of --by or --hosts-per-stack");
  }
  return options as Record<string, unknown>;
}

/** The manifest text; the generator's own refusal (every bad option named) as an input error. */
export function engineManifest(engine: Engine, groups: FleetGroup[], fleet: string, options: Record<string, unknown>, optionsFile: string): string {
  const input = { ...options, groups, fleet };
  try {
    // The generators judge every field of `input` with their own schemas before writing.
    return engine === "github" ? githubWorkflow(input as Parameters<typeof githubWorkflow>[0]) : operatorStacksYaml(input as Parameters<typeof operatorStacksYaml>[0]);
  } catch (e) {
    if (isHnsError(e) && e.code === "InvalidInput") throw new InputError(`${optionsFile}: ${e.message}`, e.fix ?? "fix those fields (docs/fleet-engines.md lists each option)");
    throw e;
  }
}
