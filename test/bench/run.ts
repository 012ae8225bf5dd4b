/** `npm run bench`: benchmarks print ratios against a baseline run in the same process. */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { benchCheck } from "./check";
import { benchEmulator } from "./emulator";
import { benchEngine } from "./engine";
import { benchFleet } from "./fleet";
import { benchPlanner } from "./planner";

async function main() {
  const bin =
    process.env.PULUMI_HNS_BIN ??
    execFileSync("bash", [path.resolve(__dirname, "../../scripts/setup-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .pop()!;
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  benchPlanner();
  await benchCheck();
  await benchEmulator();
  await benchEngine(bin, sizes.length ? sizes : undefined);
  await benchFleet(bin);
  await (await import("./transport")).benchTransport();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
