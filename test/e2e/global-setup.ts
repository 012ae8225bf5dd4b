/**
 * Makes the Pulumi CLI available for the end-to-end suite: reuses one on PATH or in the cache,
 * or builds it from the Go module proxy (scripts/setup-pulumi.sh; minutes the first time).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function globalSetup(): void {
  if (process.env.PULUMI_HNS_BIN) return;
  const script = path.resolve(__dirname, "../../scripts/setup-pulumi.sh");
  const out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const bin = out.trim().split("\n").pop()!;
  process.env.PULUMI_HNS_BIN = bin;
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
}
