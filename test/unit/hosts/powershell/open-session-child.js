/**
 * A provider-like process for the key lifetime tests: it opens a session to the host given as
 * JSON in argv[2] (through the PowerShell double) and waits. With argv[3] "exit-when-key-written"
 * it calls process.exit(0) as soon as its private key file exists (a normal exit mid-open).
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "../../../..");
require(path.join(root, "test/doubles/ts-loader")).registerTypeScript(path.join(root, "node_modules", ".cache", "pwsh-double"));
const { PowerShellClient } = require(path.join(root, "provider/hosts/powershell"));

const client = new PowerShellClient(JSON.parse(process.argv[2]), { retry: { attempts: 1, backoffMs: 1 } });
client.version().then(
  () => process.stdout.write("opened\n"),
  (e) => process.stdout.write(`failed: ${e.message}\n`),
);
if (process.argv[3] === "exit-when-key-written") {
  const mine = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`pulumi-hns-${process.pid}-`));
  const timer = setInterval(() => {
    if (mine().some((d) => fs.existsSync(path.join(os.tmpdir(), d, "id")))) process.exit(0);
  }, 20);
  timer.unref();
}
// Stay alive while the session hangs (the shell itself is unref'd).
setInterval(() => undefined, 1000);
