/** A provider process that opens no session: it only loads the provider, as the engine does, and says so. */
"use strict";
const path = require("node:path");
const root = path.resolve(__dirname, "../../../..");
require(path.join(root, "test/doubles/ts-loader")).registerTypeScript(path.join(root, "node_modules", ".cache", "pwsh-double"));
require(path.join(root, "provider"));
process.stdout.write("loaded\n");
