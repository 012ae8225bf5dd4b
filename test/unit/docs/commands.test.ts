/**
 * The commands the user-facing pages print paste as printed: every hns-plan in a shell block
 * runs through npx (a project's own bin is not on PATH), names a command hns-plan has, with
 * options it takes; every `npx hns-plan …` in prose does too; scripts a block runs exist, and
 * `npm run` scripts are in package.json. (The blocks that set up and deploy are run for real by
 * test/e2e/install.test.ts, quickstart.test.ts and import.test.ts.)
 */
import { readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { COMMANDS } from "../../../provider/cli/commands";
import { codeBlocks, oneLine } from "../../helpers/doc-blocks";

const REPO = path.resolve(__dirname, "../../..");
const PAGES = ["README.md", "docs/templates.md", "docs/front-doors.md", "docs/development.md"];
const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));

/** Simple commands of a shell block: continuations joined, split at && || ; | and newlines, heredoc bodies left out. */
function shellCommands(text: string): string[] {
  // Heredoc bodies are data; a command substitution's command is a command of its own.
  const withoutHeredocs = text.replace(/<<'?(\w+)'?\n[\s\S]*?\n\1\n/g, "\n").replace(/\$\(/g, "\n").replace(/(^|\s)#[^\n]*/g, "$1");
  return oneLine(withoutHeredocs)
    .split(/\n|&&|\|\||;|\|/)
    .map((c) => c.replace(/^\s*\(?\s*/, "").replace(/\)?\s*$/, "").trim())
    .filter((c) => c && !c.startsWith("#"));
}

/** Words of a command, quotes removed (no expansion: the docs' values are plain). */
const words = (command: string): string[] => (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ""));

const blocks = PAGES.flatMap((page) => codeBlocks(page).filter((b) => b.lang === "sh").map((b) => ({ page, ...b })));
const commands = blocks.flatMap((b) => shellCommands(b.text).map((command) => ({ page: b.page, command })));
/** `run:` steps of the workflow users copy: they run hns-plan too. */
const PIPELINE = "examples/gitops/pipeline.github-actions.yml";
const pipeline = Object.values((parseYaml(readFileSync(path.join(REPO, PIPELINE), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> }).jobs)
  .flatMap((j) => j.steps.flatMap((st) => (st.run ? shellCommands(st.run) : [])))
  .filter((c) => /hns-plan/.test(c))
  .map((command) => ({ page: PIPELINE, command: command.replace(/^\{\s*/, "") }));
const prose = PAGES.flatMap((page) => [...readFileSync(path.join(REPO, page), "utf8").matchAll(/`(npx hns-plan [^`]+)`/g)].map((m) => ({ page, command: m[1] })));

/** Throws when argv (after "hns-plan") is not a command hns-plan would accept. */
function checkHnsPlan(argv: string[]): void {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`no hns-plan command "${name}"`);
  parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean", short: "h" }, "no-color": { type: "boolean" } }, allowPositionals: true, strict: true });
}

test("the pages have commands to check", () => {
  expect(commands.length).toBeGreaterThan(15);
  expect(prose.length).toBeGreaterThan(4);
  expect(pipeline.length).toBeGreaterThan(4);
});

test.each([...commands, ...pipeline])("$page: `$command` runs as printed", ({ command }) => {
  const w = words(command).filter((x, i, all) => !(i < all.findIndex((y) => !/^\w+=/.test(y)) && /^\w+=/.test(x))); // leading VAR=value
  expect(w[0]).not.toBe("hns-plan"); // not on PATH in a project: npx hns-plan
  if (w[0] === "npx" && w[1] === "hns-plan") expect(() => checkHnsPlan(w.slice(2))).not.toThrow();
  if (w[0] === "bash" && /scripts\//.test(w[1])) expect(existsSync(path.join(REPO, "scripts", w[1].split("scripts/").pop()!))).toBe(true);
  if (w[0] === "npm" && w[1] === "run") expect(Object.keys(pkg.scripts)).toContain(w[2]);
});

test.each(prose)("$page: `$command` (in the text) names a command and options hns-plan takes", ({ command }) => {
  expect(() => checkHnsPlan(words(command).slice(2))).not.toThrow();
});

test("negative controls: a bare hns-plan, an unknown command or option, a missing script are caught", () => {
  expect(words("hns-plan doctor --stack dev")[0]).toBe("hns-plan");
  expect(() => checkHnsPlan(["docter"])).toThrow(/no hns-plan command "docter"/);
  expect(() => checkHnsPlan(["validate", "--frozen"])).toThrow(/Unknown option '--frozen'/);
  expect(existsSync(path.join(REPO, "scripts", "setup-everything.sh"))).toBe(false);
  expect(shellCommands("a && b \\\n  | c; d # a comment; not a command\ncat > f <<'EOF'\nnot a command\nEOF\ne $(f | g)")).toEqual(["a", "b", "c", "d", "cat > f", "e", "f", "g"]);
});
