#!/usr/bin/env node
/** The `hns-plan` executable (package.json "bin"). */
import { EXIT } from "./commands/command";
import { run } from "./run";

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = EXIT.internal;
  },
);
