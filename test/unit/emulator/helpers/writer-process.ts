/**
 * A provider process stand-in: creates endpoints on one emulated host, one call at a time,
 * and prints their IDs as JSON. Started twice at once by journal.test.ts.
 * Usage: node -r ts-node/register/transpile-only writer-process.ts <state file> <network id> <count> <prefix>
 */
import { HnsEmulator } from "../../../../provider/hosts/emulator";

async function main() {
  const [file, network, count, prefix] = process.argv.slice(2);
  const hns = new HnsEmulator(file);
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
