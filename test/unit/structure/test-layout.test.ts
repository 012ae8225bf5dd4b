/**
 * Tests as a spec (issue 26, item 5): the folders of test/unit mirror provider/, so the spec of a
 * module is found beside its path (provider/hosts/emulator/ is specified in
 * test/unit/hosts/emulator/). A folder of test/unit is a folder of provider/, or sdk, or one of a
 * few declared folders about the repository rather than its code; docs/development.md ("Layout")
 * names the same folders (checked below). A negative control runs the checker on folders named
 * after areas, not code.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { ROOT } from "../../helpers/code-shape";

/** Folders of test/unit about the repository, not about code under provider/ or sdk/. */
const REPOSITORY_FOLDERS: Readonly<Record<string, string>> = {
  docs: "the documentation: its links, the commands it shows, the generated reference pages",
  package: "what npm publish ships (package.json, the files list)",
  scripts: "the shell scripts under scripts/ (setup.sh, setup-pulumi.sh, setup-actionlint.sh)",
  structure: "rules over the whole tree: floors, facts declared once, the registry, this layout",
  workflows: "the GitHub Actions workflows (.github/workflows and the examples' copies)",
};

/** Files directly in test/unit: checks of the test code itself, not of a module. */
const TOP_LEVEL_FILES: Readonly<Record<string, string>> = {
  "code-shape.test.ts": "the shape of all code: file and function lengths, casts, test-only exports",
  "fixtures.test.ts": "the test helpers of test/helpers/fixtures.ts fail when they should",
};

/** Folders that belong to the suites beside them, not to a module: jest's snapshots, a suite's child processes. */
const SUPPORT_FOLDERS: ReadonlySet<string> = new Set(["__snapshots__", "helpers"]);

/**
 * The folders of `testFolders` (paths relative to test/unit, "/"-separated) that mirror nothing:
 * not a folder of `codeFolders` (provider/'s folders relative to provider/, and sdk), not in a
 * declared repository folder, and not a support folder. Each comes back as a sentence naming it.
 */
function misplaced(testFolders: readonly string[], codeFolders: ReadonlySet<string>): string[] {
  const mirrors = (folder: string) => folder.split("/")[0] in REPOSITORY_FOLDERS || codeFolders.has(folder);
  return testFolders
    .filter((folder) => {
      const parts = folder.split("/");
      // A support folder belongs to the suites of the folder it sits in, which must mirror code itself.
      const support = parts.findIndex((p) => SUPPORT_FOLDERS.has(p));
      if (support >= 0) return support === 0 || !mirrors(parts.slice(0, support).join("/"));
      return !mirrors(folder);
    })
    .map((folder) => `test/unit/${folder}: there is no provider/${folder} (nor sdk/${folder}); move it to the folder of the code it tests, or declare it a repository folder`);
}

/** Every folder under `dir`, relative to it, "/"-separated. */
function foldersUnder(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const sub = rel ? posix.join(rel, e.name) : e.name;
      return [sub, ...foldersUnder(dir, sub)];
    });
}

const UNIT = join(ROOT, "test", "unit");
const CODE_FOLDERS: ReadonlySet<string> = new Set([...foldersUnder(join(ROOT, "provider")), "sdk", ...foldersUnder(join(ROOT, "sdk")).map((f) => `sdk/${f}`)]);

test("every folder of test/unit mirrors a folder of provider/ or sdk, or is a declared repository folder", () => {
  const folders = foldersUnder(UNIT);
  expect(folders).toEqual(expect.arrayContaining(["hosts/emulator", "hosts/powershell", "judge", "vocabulary/facts", "sdk", "docs"]));
  expect(misplaced(folders, CODE_FOLDERS)).toEqual([]);
});

test("the declared repository folders are there and are not also folders of provider/", () => {
  const top = readdirSync(UNIT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const [folder, reason] of Object.entries(REPOSITORY_FOLDERS)) {
    expect([folder, top.includes(folder)]).toEqual([folder, true]);
    expect([folder, CODE_FOLDERS.has(folder)]).toEqual([folder, false]);
    expect(reason).not.toBe("");
  }
});

test("docs/development.md names the same repository folders", () => {
  const doc = readFileSync(join(ROOT, "docs", "development.md"), "utf8");
  const paragraph = doc.split(/\n\s*\n/).find((p) => p.includes("test-layout.test.ts"));
  expect(paragraph).toBeDefined();
  const named = [...paragraph!.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]);
  expect(named.sort()).toEqual(Object.keys(REPOSITORY_FOLDERS).sort());
});

test("no test file sits beside the code: the spec of provider/<path> is in test/unit/<path>", () => {
  const beside = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.test\.[cm]?[jt]s$/.test(e.name))
      .map((e) => posix.join(posix.relative(ROOT, e.parentPath.split("\\").join("/")), e.name));
  expect([...beside("provider"), ...beside("sdk")]).toEqual([]);
});

test("the files directly in test/unit are the declared ones", () => {
  const files = readdirSync(UNIT, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  expect(files.sort()).toEqual(Object.keys(TOP_LEVEL_FILES).sort());
});

test("negative control: folders named after areas (check, transport) or after no code are refused, by name", () => {
  const planted = ["judge", "check", "hosts", "hosts/emulator", "hosts/emulator/helpers", "transport", "hosts/ssh", "resources/__snapshots__", "docs", "sdk", "helpers", "transport/helpers"];
  const found = misplaced(planted, CODE_FOLDERS);
  expect(found).toEqual([
    expect.stringMatching(/^test\/unit\/check: there is no provider\/check /),
    expect.stringMatching(/^test\/unit\/transport: there is no provider\/transport /),
    expect.stringMatching(/^test\/unit\/hosts\/ssh: there is no provider\/hosts\/ssh /),
    // A support folder at the top, or inside a folder that mirrors nothing, is not a way around the rule.
    expect.stringMatching(/^test\/unit\/helpers: /),
    expect.stringMatching(/^test\/unit\/transport\/helpers: /),
  ]);
  // The checker does not pass by seeing nothing: with no code folders, a mirrored folder is refused too.
  expect(misplaced(["hosts/emulator"], new Set())).toEqual([expect.stringContaining("test/unit/hosts/emulator:")]);
});
