/**
 * One client per host per provider process: every operation of a deployment reuses it. A
 * client is a small object; what costs is a PowerShell host's shell, and those are capped per
 * process by the session pool (powershell/pool.ts, sized by powershell/session-limits.ts): a
 * host's session is closed when idle or needed elsewhere, and opened again by its next call.
 * Emulated hosts have no process and are not pooled. Built lazily inside provider methods,
 * never captured by the serialized provider.
 */
import { createHash } from "node:crypto";
import { parseHnsVersion } from "../vocabulary/features";
import type { HnsClient } from "./client";
import { HnsEmulator } from "./emulator";
import { emulatorStateFile, hostLocation, type EmulatorHost, type Host } from "./host";

const clients = new Map<string, HnsClient>();

export function connect(host: Host): HnsClient {
  const key = cacheKey(host);
  let client = clients.get(key);
  if (!client) {
    client = host.kind === "emulator" ? emulator(host) : powershell(host);
    clients.set(key, client);
    watchProcessEnd();
  }
  return client;
}

/**
 * The PowerShell transport (node-powershell, the session scripts) is loaded on first use: a
 * provider process that only talks to emulated hosts never pays for it.
 */
function powershell(host: Exclude<Host, EmulatorHost>): HnsClient {
  const transport = require("./powershell") as typeof import("./powershell");
  return new transport.PowerShellClient(host);
}

function emulator(host: EmulatorHost): HnsClient {
  return new HnsEmulator(emulatorStateFile(host), {
    hostName: host.name,
    version: host.hnsVersion ? parseHnsVersion(host.hnsVersion) : undefined,
    accessKey: host.accessKey,
    docker: host.docker,
  });
}

/**
 * Where the host's objects live, and a digest of what reaching them takes (the emulator's
 * access key; a PowerShell host's whole block, credentials included), so a changed block gets
 * its own session while the key itself holds no credential.
 */
function cacheKey(host: Host): string {
  return `${hostLocation(host)}\0${digest(host.kind === "emulator" ? (host.accessKey ?? "") : JSON.stringify(host))}`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Closes every open client (end of the provider process, or tests). */
export async function disconnectAll(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map((c) => c.close()));
}

let watching = false;

/**
 * Shells and the pool's idle timers never keep the provider alive (they are unref'd); when the
 * event loop empties, the sessions still open are closed politely. A process that exits any
 * other way kills its shells (shell.ts).
 */
function watchProcessEnd(): void {
  if (watching) return;
  watching = true;
  process.once("beforeExit", () => void disconnectAll().catch(() => undefined));
}
