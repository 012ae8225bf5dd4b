import type { Host } from "../provider/hosts/host";
import type { ResourceInputs } from "./inputs";

export type HostArgs = ResourceInputs<Host>;

/** A host block for the embedded HNS emulator (state in `<stateDir>/<name>.json`). */
export function emulatorHost(name: string, options: Omit<ResourceInputs<Extract<Host, { kind: "emulator" }>>, "kind" | "name"> = {}): HostArgs {
  return { kind: "emulator", name, ...options } as HostArgs;
}
