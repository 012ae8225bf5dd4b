/**
 * Builds what the native tests run: the C stand-in for computenetwork.dll (cc), the agent's C#
 * taken out of agent.ps1 (mcs, as Add-Type would compile it on the host) and the driver that
 * calls it (mcs), wired together with Mono dllmap files so `computenetwork.dll` and
 * `vmcompute.dll` resolve to the stand-in.
 *
 * A missing tool fails the test that needs it (never a skip): Debian's mono-mcs and
 * mono-runtime provide mcs and mono, and scripts/setup.sh (the first step of the README's test command) installs them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const HERE = __dirname;
const ADD_TYPE_OPEN = "Add-Type -Language CSharp -TypeDefinition @'\n";
const HERE_STRING_CLOSE = "\n'@";

/**
 * The C# version Add-Type compiles on Windows PowerShell 5.1: it goes through .NET Framework's
 * CodeDom CSharpCodeProvider, i.e. the csc.exe under %WINDIR%\Microsoft.NET\Framework64\v4.0.30319,
 * which "only supports language versions up to C# 5" (its own banner; Add-Type's 5.1 reference,
 * https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.utility/add-type?view=powershell-5.1:
 * its -CodeDomProvider parameter, "the default is the C# compiler"). mcs accepts C# 6 and later by default, so the agent's C# is
 * held to 5 here: string interpolation, `?.` or `nameof` would compile under Mono and break
 * the agent on every 5.1 host.
 */
export const ADD_TYPE_LANGVERSION = "5";

const INSTALL_HINT: Record<string, string> = {
  cc: "install a C compiler (Debian: apt-get install -y gcc; `bash scripts/setup.sh` does)",
  mcs: "install Mono's C# compiler (Debian: apt-get install -y mono-mcs mono-runtime; `bash scripts/setup.sh` does)",
  mono: "install the Mono runtime (Debian: apt-get install -y mono-runtime; `bash scripts/setup.sh` does)",
};

function run(tool: string, args: string[], cwd: string): void {
  const r = spawnSync(tool, args, { cwd, encoding: "utf8" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${tool} is not installed: ${INSTALL_HINT[tool]}`);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** Fails with the install hint when a tool is missing. */
export function requireTools(): void {
  for (const tool of ["cc", "mcs", "mono"]) {
    const r = spawnSync(tool, ["--version"], { encoding: "utf8" });
    if (r.error) throw new Error(`${tool} is not installed: ${INSTALL_HINT[tool]}`);
  }
}

/** The C# source agent.ps1 hands to Add-Type: the single-quoted here-string after `Add-Type ... @'`. */
export function agentCSharp(agentPs1: string): string {
  const start = agentPs1.indexOf(ADD_TYPE_OPEN);
  const end = start < 0 ? -1 : agentPs1.indexOf(HERE_STRING_CLOSE, start + ADD_TYPE_OPEN.length);
  if (start < 0 || end < 0) throw new Error("agent.ps1 has no `Add-Type -Language CSharp -TypeDefinition @'...'@` block");
  return agentPs1.slice(start + ADD_TYPE_OPEN.length, end);
}

/** Compiles the stand-in library into `dir`; returns its path. */
export function buildStandin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const lib = path.join(dir, "libhcnstandin.so");
  run("cc", ["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", lib, path.join(HERE, "computenetwork.c"), "-ldl", "-lpthread"], dir);
  return lib;
}

export interface AgentBuild {
  dir: string;
  driver: string;
  standin: string;
}

/** Compiles `csharp` (the agent's C#, or a deliberately broken copy) and the driver into `dir`. */
export function buildAgent(dir: string, csharp: string, standin: string): AgentBuild {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "Agent.cs"), csharp);
  run("mcs", ["-nologo", `-langversion:${ADD_TYPE_LANGVERSION}`, "-target:library", "-out:agent.dll", "Agent.cs"], dir);
  run("mcs", ["-nologo", "-r:agent.dll", "-out:driver.exe", path.join(HERE, "Driver.cs")], dir);
  // Mono resolves a DllImport name through the assembly's <name>.config dllmap before probing.
  const map = (names: string[]) => `<configuration>\n${names.map((n) => `  <dllmap dll="${n}" target="${standin}"/>\n`).join("")}</configuration>\n`;
  writeFileSync(path.join(dir, "agent.dll.config"), map(["computenetwork.dll", "vmcompute.dll"]));
  writeFileSync(path.join(dir, "driver.exe.config"), map(["hcnstandin"]));
  return { dir, driver: path.join(dir, "driver.exe"), standin };
}
