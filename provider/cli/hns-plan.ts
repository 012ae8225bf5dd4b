#!/usr/bin/env node
/** The `hns-plan` executable (package.json "bin"). */
import { run } from "./run";

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 70; // internal error (EX_SOFTWARE): a bug, not bad input
  },
);
