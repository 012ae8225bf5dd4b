#!/usr/bin/env node
/**
 * The PowerShell double, started through a note of how many double processes are alive: on
 * start it leaves a marker named after its pid in $PWSH_COUNT_DIR, counts the markers whose
 * process is still alive (itself included), appends that count to counts.log, then becomes
 * the double. The most processes ever alive at once is the largest count: a new peak is
 * always reached when a process starts. Counted by the processes themselves, not by the pool
 * under test. A zombie counts as alive, as it should: its slot is freed only when Node has
 * reaped it and reported its exit.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.PWSH_COUNT_DIR;
fs.writeFileSync(path.join(dir, String(process.pid)), "");
let alive = 0;
for (const name of fs.readdirSync(dir)) {
  if (!/^\d+$/.test(name)) continue;
  try {
    process.kill(Number(name), 0);
    alive++;
  } catch {
    fs.rmSync(path.join(dir, name), { force: true }); // gone: the next count need not ask again
  }
}
fs.appendFileSync(path.join(dir, "counts.log"), `${alive}\n`);
require("../../../doubles/pwsh-double.js");
