/**
 * A provider process stand-in: creates endpoints on one emulated host, one call at a time,
 * and prints their IDs as JSON. Started twice at once by journal.test.ts.
 * Usage: node -r ts-node/register/transpile-only writer-process.ts <state file> <network id> <count> <prefix> [parallel]
 * With `parallel`, all creates are sent at once, as the engine sends a deployment's creates.
 * With `after-lock`, it waits until another process holds the host's lock, then creates one at a time.
 */
import { existsSync } from "node:fs";
import { HnsEmulator } from "../../../../../provider/hosts/emulator";

async function main() {
  const [file, network, count, prefix, mode] = process.argv.slice(2);
  const hns = new HnsEmulator(file);
  if (mode === "after-lock") {
    while (!existsSync(`${file}.lock`)) await new Promise((r) => setTimeout(r, 5));
  }
  if (mode === "parallel") {
    const made = await Promise.all(Array.from({ length: Number(count) }, (_, i) => hns.create("endpoint", { Name: `${prefix}${i}`, HostComputeNetwork: network })));
    process.stdout.write(JSON.stringify(made.map((e) => e.ID!)));
    return;
  }
  const ids: string[] = [];
  for (let i = 0; i < Number(count); i++) {
    ids.push((await hns.create("endpoint", { Name: `${prefix}${i}`, HostComputeNetwork: network })).ID!);
    // Read back between writes, as a provider's read after create does: the other process's records come in here.
    await hns.list("endpoint", { VirtualNetwork: network });
  }
  process.stdout.write(JSON.stringify(ids));
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
