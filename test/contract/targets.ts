/**
 * Where the contract suite runs. Without HNS_TARGET: three stand-ins, every run of `npm test`:
 * the emulator in process, the provider's PowerShell transport talking to the pwsh double,
 * and the agent's C# under Mono against the native stand-in for computenetwork.dll. With
 * HNS_TARGET: one real host and nothing else (docs/real-host.md):
 *
 *   HNS_TARGET=local                       this machine, as administrator
 *   HNS_TARGET=ssh:<user>@<address>[:port] HNS_TARGET_KEY_FILE=<private key file> [HNS_TARGET_HOST_KEY="<type> <base64>"]
 *   HNS_TARGET=winrm:<user>@<address>[:port] HNS_TARGET_PASSWORD=<password>
 *   HNS_TARGET_SHELL=pwsh|powershell.exe|<path>   the local PowerShell to start (default pwsh)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseHnsVersion } from "../../provider/vocabulary/features";
import type { HnsClient } from "../../provider/hosts/client";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { initialState } from "../../provider/hosts/emulator/state";
import { Host, type PowerShellHost } from "../../provider/hosts/host";
import { PowerShellClient } from "../../provider/hosts/powershell/client";
import { PwshDouble } from "../doubles/double";
import { agentCSharp, buildAgent, buildStandin, requireTools } from "../native-hcn/build";
import { MonoAgent, monoAgentClient } from "../native-hcn/mono-agent";
import { StandinServer } from "../native-hcn/standin-server";
import { scriptText } from "../../provider/hosts/powershell/scripts";

export interface OpenedHost {
  client: HnsClient;
  /** The emulator state behind a stand-in, for seeding (undefined on a real host). */
  emulator?: HnsEmulator;
  close(): Promise<void>;
}

export interface ContractTarget {
  name: string;
  /** A real host: objects may exist that the suite did not create, and nothing can be reset. */
  real: boolean;
  /** A fresh host (stand-ins: at this HNS version, "major.minor" or a preset; a real host ignores it). */
  open(dir: string, hnsVersion?: string): Promise<OpenedHost>;
}

let hosts = 0;
const freshName = () => `contract-${++hosts}`;
const versionOf = (v?: string) => (v ? parseHnsVersion(v) : undefined);

const emulatorTarget: ContractTarget = {
  name: "emulator",
  real: false,
  async open(dir, hnsVersion) {
    const name = freshName();
    const hns = new HnsEmulator(path.join(dir, `${name}.json`), { hostName: name, version: versionOf(hnsVersion) });
    return { client: hns, emulator: hns, close: () => hns.close() };
  },
};

const doubleTarget: ContractTarget = {
  name: "powershell-double",
  real: false,
  async open(dir, hnsVersion) {
    const name = freshName();
    const double = new PwshDouble(path.join(dir, "double"));
    const file = double.stateFile(name);
    // The double opens the state file as it finds it: a version is set by creating it first.
    if (hnsVersion) writeFileSync(file, JSON.stringify(initialState(versionOf(hnsVersion)!)));
    const client = new PowerShellClient({ kind: "local", name, executable: double.executable });
    return { client, emulator: new HnsEmulator(file, { hostName: name }), close: () => client.close() };
  },
};

let standin: string | undefined;
const agentTarget: ContractTarget = {
  name: "agent-csharp-mono",
  real: false,
  async open(dir, hnsVersion) {
    requireTools();
    standin ??= buildStandin(path.join(dir, "native"));
    const name = freshName();
    const build = buildAgent(path.join(dir, "agent", name), agentCSharp(scriptText("agent.ps1")), standin);
    const hns = new HnsEmulator(path.join(dir, `${name}.json`), { hostName: name, version: versionOf(hnsVersion) });
    const server = new StandinServer(hns, path.join(build.dir, "hcn.sock"));
    await server.listen();
    const agent = new MonoAgent(build, server);
    const client = monoAgentClient(agent, name);
    return {
      client,
      emulator: hns,
      async close() {
        await client.close();
        await server.close();
      },
    };
  },
};

/** The host block HNS_TARGET and its companions describe; a bad value names the variable and the fix. */
export function realHostFromEnv(env: NodeJS.ProcessEnv): PowerShellHost {
  const target = env.HNS_TARGET ?? "";
  const shell = env.HNS_TARGET_SHELL ? { executable: env.HNS_TARGET_SHELL } : {};
  const usage = "use HNS_TARGET=local, ssh:<user>@<address>[:port] or winrm:<user>@<address>[:port]";
  let block: Record<string, unknown>;
  if (target === "local") block = { kind: "local", name: "contract-local", ...shell };
  else {
    const m = /^(ssh|winrm):([^@]+)@(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
    if (!m) throw new Error(`HNS_TARGET="${target}" is not a host: ${usage}`);
    const [, kind, user, address, port] = m;
    block = { kind, name: "contract-remote", user, address, ...(port ? { port: Number(port) } : {}), ...shell };
    if (kind === "ssh") {
      if (!env.HNS_TARGET_KEY_FILE) throw new Error("HNS_TARGET_KEY_FILE is not set: an ssh target needs the path of the private key to log in with");
      block.keyFile = env.HNS_TARGET_KEY_FILE;
      if (env.HNS_TARGET_HOST_KEY) block.hostKeys = [env.HNS_TARGET_HOST_KEY];
    } else {
      if (!env.HNS_TARGET_PASSWORD) throw new Error("HNS_TARGET_PASSWORD is not set: a winrm target needs the account's password");
      block.password = env.HNS_TARGET_PASSWORD;
    }
  }
  const parsed = Host.safeParse(block);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`HNS_TARGET="${target}": ${issue.path.join(".") || "host"}: ${issue.message}`);
  }
  return parsed.data as PowerShellHost;
}

function realTarget(host: PowerShellHost): ContractTarget {
  return {
    name: `real host (${host.kind}${host.kind === "local" ? "" : ` ${host.address}`}, ${host.executable ?? "pwsh"})`,
    real: true,
    async open() {
      const client = new PowerShellClient(host);
      return { client, close: () => client.close() };
    },
  };
}

/** The targets this run covers: the stand-ins, or the one real host HNS_TARGET names. */
export function selectTargets(env: NodeJS.ProcessEnv): ContractTarget[] {
  if (env.HNS_TARGET === undefined || env.HNS_TARGET === "") return [emulatorTarget, doubleTarget, agentTarget];
  return [realTarget(realHostFromEnv(env))];
}

/** A directory for a target's files. */
export function targetDir(root: string, target: ContractTarget): string {
  const dir = path.join(root, target.name.replace(/[^A-Za-z0-9-]+/g, "_"));
  mkdirSync(dir, { recursive: true });
  return dir;
}
