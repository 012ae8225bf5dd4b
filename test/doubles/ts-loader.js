/**
 * Lets a plain Node process (the PowerShell double) require the project's TypeScript sources.
 * Each file is transpiled once (TypeScript's transpileModule, no type check) and cached by
 * content hash under node_modules/.cache, so a double starts in about the time Node needs to
 * load the compiled emulator.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

function registerTypeScript(cacheDir) {
  fs.mkdirSync(cacheDir, { recursive: true });
  let ts;
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto.createHash("sha256").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let output;
    try {
      output = fs.readFileSync(cached, "utf8");
    } catch {
      ts ??= require("typescript");
      output = ts.transpileModule(source, {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
      }).outputText;
      // Several doubles may start at once: write aside, then rename (atomic).
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, output);
      fs.renameSync(tmp, cached);
    }
    module._compile(output, filename);
  };
}

module.exports = { registerTypeScript };
