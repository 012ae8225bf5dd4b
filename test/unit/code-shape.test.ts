/**
 * The shape the code keeps (issue 14): no production file over 400 lines, no function over 60,
 * no `as never` cast in the tests (HnsClient and the providers take what callers hold), and no
 * export in provider/ that only tests use. Each check also runs on a snippet that must fail it,
 * so a broken measurement cannot pass by finding nothing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { functionSpans, lineCount, neverCasts, powershellFiles, powershellFunctionSpans, productionFiles, read, testOnlyExports, tsFilesUnder } from "../helpers/code-shape";
import { tempDir } from "../helpers/tmp";

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;

const production = productionFiles();

test("the measurement sees the production files", () => {
  expect(production).toContain("provider/hosts/client.ts");
  expect(production).toContain("sdk/index.ts");
  expect(production.some((f) => f.endsWith(".test.ts"))).toBe(false);
});

test(`no production file is over ${MAX_FILE_LINES} lines`, () => {
  const long = production.map((f) => `${f}: ${lineCount(read(f))}`).filter((row) => Number(row.split(": ")[1]) > MAX_FILE_LINES);
  expect(long).toEqual([]);
});

test(`no production function is over ${MAX_FUNCTION_LINES} lines`, () => {
  const long = production.flatMap((f) => functionSpans(read(f), f).filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => `${f}:${s.line} ${s.name} (${s.lines} lines)`));
  expect(long).toEqual([]);
});

test("the function check catches a 61-line function, and counts methods and arrows", () => {
  const body = Array.from({ length: 59 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const snippet = `export function tooLong() {\n${body}\n}\nclass C {\n  m() {\n    return 1;\n  }\n}\nconst f = () => {\n  return 2;\n};\n`;
  const spans = functionSpans(snippet);
  expect(spans.find((s) => s.name === "tooLong")).toEqual({ name: "tooLong", line: 1, lines: 61 });
  expect(spans.find((s) => s.name === "m")?.lines).toBe(3);
  expect(spans.find((s) => s.name === "f")?.lines).toBe(3);
  expect(spans.filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => s.name)).toEqual(["tooLong"]);
});

test(`the shipped PowerShell scripts keep the same limits: files up to ${MAX_FILE_LINES} lines, functions up to ${MAX_FUNCTION_LINES}`, () => {
  const scripts = powershellFiles();
  expect(scripts).toEqual(expect.arrayContaining(["provider/hosts/powershell/agent.ps1", "provider/hosts/powershell/session.ps1"]));
  expect(scripts.filter((f) => lineCount(read(f)) > MAX_FILE_LINES)).toEqual([]);
  const spans = scripts.flatMap((f) => powershellFunctionSpans(read(f)).map((s) => ({ ...s, file: f })));
  expect(spans.map((s) => s.name)).toContain("Invoke-HnsAgentCall");
  expect(spans.filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => `${s.file}:${s.line} ${s.name} (${s.lines} lines)`)).toEqual([]);
});

test("the PowerShell function check measures a function to its closing brace", () => {
  const body = Array.from({ length: 59 }, (_, i) => `    $v${i} = ${i}`).join("\n");
  const spans = powershellFunctionSpans(`function Too-Long {\n${body}\n}\n\nfunction Short {\n    if ($x) {\n    }\n}\n`);
  expect(spans).toEqual([
    { name: "Too-Long", line: 1, lines: 61 },
    { name: "Short", line: 63, lines: 4 },
  ]);
});

test("no test casts to never (jest's test files beside the code included)", () => {
  const testFiles = [...tsFilesUnder("test"), ...["provider", "sdk"].flatMap((d) => tsFilesUnder(d).filter((f) => f.endsWith(".test.ts")))];
  const casts = testFiles.flatMap((f) => neverCasts(read(f), f).map((line) => `${f}:${line}`));
  expect(casts).toEqual([]);
});

test("the cast check finds both cast forms and not the word in a comment or string", () => {
  const snippet = `// as never\nconst a = f(x as never);\nconst b = <never>y;\nconst c = "as never";\nconst d = z as (never);\n`;
  expect(neverCasts(snippet)).toEqual([2, 3, 5]);
});

// One program over provider, sdk, scripts and test: the slowest check here (~20 s on 2 cores).
test("no export in provider/ is used only by tests", () => {
  expect(testOnlyExports()).toEqual([]);
}, 120_000);

test("the export check names an export only a test uses, and not one production uses or its own file uses", () => {
  const tmp = tempDir();
  try {
    const write = (file: string, text: string) => {
      mkdirSync(join(tmp.dir, file, ".."), { recursive: true });
      writeFileSync(join(tmp.dir, file), text);
    };
    write("provider/a.ts", "export const used = 1;\nexport const onlyTested = 2;\nexport const local = 3;\nexport const view = { local };\n");
    write("provider/b.ts", 'import { used, view } from "./a";\nexport const sum = used + view.local;\n');
    write("sdk/index.ts", 'import { sum } from "../provider/b";\nexport const total = sum;\n');
    write("test/a.test.ts", 'import { onlyTested, used } from "../provider/a";\nexport const seen = onlyTested + used;\n');
    expect(testOnlyExports(false, tmp.dir)).toEqual(["provider/a.ts: onlyTested"]);
  } finally {
    tmp.cleanup();
  }
}, 60_000);
