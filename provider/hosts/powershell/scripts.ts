/**
 * The two PowerShell scripts we ship: session.ps1 (runs in the local shell: remoting, loading,
 * forwarding) and agent.ps1 (runs where HNS is), each sent with encoding.ps1 (the decoding both
 * need) in front of it. They are read from disk once per process.
 * From source they sit next to this module; from the compiled package (dist/provider/hosts/powershell)
 * they are found in the package's provider/hosts/powershell, which package.json `files` ships.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export type ScriptName = "agent.ps1" | "session.ps1";

/** What every script needs besides its own text, put in front of it: one file, not a copy in each. */
const SHARED = "encoding.ps1";

/**
 * Protocol version agent.ps1 reports (`$script:AgentProtocol`); a different one means a
 * mismatched agent. 2: every string in a request is base64 (wire.ts encodeStrings).
 */
export const AGENT_PROTOCOL = 2;

const cache = new Map<ScriptName, string>();

function filePath(name: string): string {
  const candidates = [path.resolve(__dirname, name), path.resolve(__dirname, "../../../../provider/hosts/powershell", name)];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`pulumi-hns: ${name} not found (looked in ${candidates.join(", ")}); reinstall the package`);
  return found;
}

/** The text sent for a script: encoding.ps1, then the script. */
export function scriptText(name: ScriptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = `${readFileSync(filePath(SHARED), "utf8")}\n${readFileSync(filePath(name), "utf8")}`;
    cache.set(name, text);
  }
  return text;
}
