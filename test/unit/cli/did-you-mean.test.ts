/** A mistyped hns-plan command gets the command it most likely meant; a far-off word gets none. */
import { EXIT } from "../../../provider/cli/commands/command";
import { COMMANDS, suggestCommand } from "../../../provider/cli/commands";
import { run } from "../../../provider/cli/run";
import type { Terminal } from "../../../provider/cli/terminal";

test.each([
  ["valdiate", "validate"],
  ["lokc", "lock"],
  ["import-dokcer", "import-docker"],
  ["import", "import-docker"],
  ["docter", "doctor"],
  ["PLAN", "plan"],
])("%s → did you mean %s", async (typed, meant) => {
  expect(suggestCommand(typed)).toBe(meant);
  const err: string[] = [];
  const term: Terminal = { out: () => undefined, err: (t) => void err.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
  expect(await run([typed], term)).toBe(EXIT.usage);
  expect(err.join("\n")).toContain(`unknown command "${typed}"; did you mean "${meant}"?`);
});

test("no suggestion for a word near no command", () => {
  expect(suggestCommand("kubernetes")).toBeUndefined();
  expect(suggestCommand("x")).toBeUndefined();
});

test("every command suggests itself", () => {
  for (const c of COMMANDS) expect(suggestCommand(c.name)).toBe(c.name);
});

test("a usage error points at the command's help as it pastes (npx)", async () => {
  const err: string[] = [];
  const term: Terminal = { out: () => undefined, err: (t) => void err.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
  expect(await run(["validate", "--frozen"], term)).toBe(EXIT.usage);
  expect(err.join("\n")).toContain("(see npx hns-plan validate --help)");
});
