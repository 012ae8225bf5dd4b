/** Every `hns-plan` command, in help order. */
import type { Command } from "./command";
import { diagram } from "./diagram";
import { doctor } from "./doctor";
import { fleet } from "./fleet";
import { host } from "./host";
import { importDockerCommand } from "./import-docker";
import { lock } from "./lock";
import { plan } from "./plan";
import { validate } from "./validate";

export const COMMANDS: Command[] = [validate, plan, lock, diagram, importDockerCommand, doctor, host, fleet];

/** The command a mistyped name most likely meant: within two edits, or the one it starts. */
export function suggestCommand(name: string): string | undefined {
  const scored = COMMANDS.map((c) => ({ name: c.name, d: c.name.startsWith(name) && name.length >= 2 ? 0 : editDistance(name.toLowerCase(), c.name) }));
  const best = scored.filter((s) => s.d <= 2).sort((a, b) => a.d - b.d)[0];
  return best?.name;
}

/** Levenshtein distance (insert, delete, substitute, each 1). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
