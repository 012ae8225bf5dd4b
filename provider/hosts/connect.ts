/**
 * One client per host per provider process: every operation of a deployment reuses it.
 * Built lazily inside provider methods, never captured by the serialized provider.
 */
import { parseHnsVersion } from "../features";
import type { HnsClient } from "./client";
import { HnsEmulator } from "./emulator";
import { emulatorStateFile, type Host } from "./host";

const clients = new Map<string, HnsClient>();

export function connect(host: Host): HnsClient {
  const file = emulatorStateFile(host);
  const key = `${host.kind}\0${file}\0${host.accessKey ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    client = new HnsEmulator(file, {
      hostName: host.name,
      version: host.hnsVersion ? parseHnsVersion(host.hnsVersion) : undefined,
      accessKey: host.accessKey,
    });
    clients.set(key, client);
  }
  return client;
}

/** Closes every open client (end of the provider process, or tests). */
export async function disconnectAll(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map((c) => c.close()));
}
