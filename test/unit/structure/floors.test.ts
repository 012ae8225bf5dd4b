/**
 * The floors of provider/ and sdk/ (issue 26, item 6): every file stands on a floor by its
 * folder, and may import only from its own folder or from folders on lower floors, so no
 * arrow points up and no two folders import each other, however indirectly. The floors are
 * declared once, here; docs/development.md ("Floors") shows the same list, and a test below
 * holds the two equal. Each check also runs on a planted violation, so a scan that finds
 * nothing cannot pass by being blind.
 */
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";
import { ROOT, productionFiles } from "../../helpers/code-shape";

/** Bottom to top. A folder ends in "/"; a single file stands for itself. */
const FLOORS: readonly (readonly string[])[] = [
  ["provider/vocabulary/"],
  ["provider/hcn/"],
  ["provider/hosts/"],
  ["provider/kinds/"],
  ["provider/planner/"],
  ["provider/judge/"],
  ["provider/resources/"],
  ["provider/index.ts", "provider/topology-files.ts"],
  ["sdk/", "provider/native/"],
  ["provider/policy-pack/", "provider/fleet/"],
  ["provider/cli/"],
];

/**
 * Arrows that still point up, each "from -> to" by file. The test requires exactly these, so
 * one fixed and not struck off here fails as loudly as a new one.
 */
const KNOWN_UPWARD: readonly string[] = [];

/** The folder (or root file) a file belongs to: the longest declared prefix, or undefined. */
function folderOf(file: string, floors: readonly (readonly string[])[] = FLOORS): string | undefined {
  const matches = floors.flat().filter((f) => (f.endsWith("/") ? file.startsWith(f) : file === f));
  return matches.sort((a, b) => b.length - a.length)[0];
}

function floorOf(folder: string, floors: readonly (readonly string[])[] = FLOORS): number {
  return floors.findIndex((f) => f.includes(folder));
}

interface Arrow {
  from: string;
  to: string;
}

/** tsconfig.json's `paths`: a specifier the compiler maps into the repository (the examples' "pulumi-hns"). */
const PATHS = (JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { paths?: Record<string, string[]> } }).compilerOptions.paths ?? {};

/** Where a non-relative specifier lands in the repository, if the compiler's `paths` (exact or "prefix/*") or a root-relative path would take it there. */
function intoRepo(fileName: string, paths: Readonly<Record<string, string[]>> = PATHS): string | undefined {
  for (const [pattern, [target]] of Object.entries(paths)) {
    if (pattern.endsWith("/*")) {
      const prefix = pattern.slice(0, -1);
      if (fileName.startsWith(prefix)) return posix.normalize(target.replace(/\*$/, fileName.slice(prefix.length)));
    } else if (fileName === pattern || fileName.startsWith(`${pattern}/`)) return posix.normalize(posix.join(target, fileName.slice(pattern.length)));
  }
  return /^(provider|sdk|dist|tools|test|scripts|examples)(\/|$)/.test(fileName) ? fileName : undefined;
}

/**
 * Every import, export-from, import() and require() of each file, resolved to a file of `files`
 * as the compiler would (the path, then .ts, then /index.ts). Imports of a package, or of a file
 * outside `files` (schema/schema.json), are not arrows between floors; a relative import that
 * resolves to nothing is reported, so a resolver gone wrong cannot hide arrows. A non-relative
 * specifier that lands in provider/ or sdk/ (through tsconfig `paths`, or a path from the root)
 * is an arrow too, and reported as `bare`: code of the floors imports its own files relatively.
 */
function arrowsOf(files: ReadonlyMap<string, string>, outside: (path: string) => boolean): { arrows: Arrow[]; unresolved: string[]; bare: string[] } {
  const arrows: Arrow[] = [];
  const unresolved: string[] = [];
  const bare: string[] = [];
  for (const [from, text] of files) {
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      const relative = fileName.startsWith(".");
      const base = relative ? posix.normalize(posix.join(posix.dirname(from), fileName)) : intoRepo(fileName);
      if (base === undefined) continue;
      if (!relative) bare.push(`${from} -> ${fileName}`);
      const to = [base, `${base}.ts`, `${base}/index.ts`].find((c) => files.has(c));
      if (to) arrows.push({ from, to });
      else if (!outside(base)) unresolved.push(`${from} -> ${fileName}`);
    }
  }
  return { arrows, unresolved, bare };
}

/** Arrows to a higher floor, or to another folder of the same floor. */
function upward(arrows: readonly Arrow[], floors: readonly (readonly string[])[] = FLOORS): string[] {
  return arrows
    .filter(({ from, to }) => {
      const [a, b] = [folderOf(from, floors)!, folderOf(to, floors)!];
      return a !== b && floorOf(b, floors) >= floorOf(a, floors);
    })
    .map(({ from, to }) => `${from} -> ${to}`)
    .sort();
}

/** Folders that reach each other through imports (strongly connected, Tarjan), each loop sorted. */
function folderCycles(arrows: readonly Arrow[], floors: readonly (readonly string[])[] = FLOORS): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of arrows) {
    const [a, b] = [folderOf(from, floors)!, folderOf(to, floors)!];
    if (a === b) continue;
    next.set(a, (next.get(a) ?? new Set()).add(b));
    if (!next.has(b)) next.set(b, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1) cycles.push(scc.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The floors as docs/development.md's "Floors" table lists them: the folders of each row, in order. */
function documentedFloors(markdown: string): string[][] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Floors\n")) ?? "";
  return section
    .split("\n")
    .filter((line) => /^\|\s*\d+\s*\|/.test(line))
    .map((line) => [...line.split("|")[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

const FILES = new Map(productionFiles().map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));
const OUTSIDE = (path: string): boolean => !path.startsWith("provider/") && !path.startsWith("sdk/");

/**
 * What the floors' code may import from the rest of the repository, with why: anything else (a
 * file of dist/, tools/ or test/ that re-exports a floor) would be a way around the floors.
 */
const OUTSIDE_ALLOWED: Readonly<Record<string, string>> = {
  "schema/schema.json": "the native plugin's generated schema, served to the engine",
};

/** Each import of `files` that lands in the repository outside provider/ and sdk/ and is not allowed. */
function outsideImports(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [from, text] of files) {
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      const base = fileName.startsWith(".") ? posix.normalize(posix.join(posix.dirname(from), fileName)) : intoRepo(fileName);
      if (base !== undefined && OUTSIDE(base) && !base.startsWith("..") && !(base in OUTSIDE_ALLOWED)) out.push(`${from} -> ${fileName}`);
    }
  }
  return out;
}

/** Loads by a name the scan cannot read: require or import() of a non-literal, `require` passed around, createRequire. */
const DYNAMIC_ALLOWED: Readonly<Record<string, string>> = {
  "provider/native/serve.ts": "loads a package of the Pulumi SDK's own install by name (require.resolve with its paths)",
  "provider/fleet/stacks.ts": "asks whether pulumi-hns resolves from the project directory (createRequire), as the engine's provider will",
};

function dynamicLoads(file: string, text: string): string[] {
  const out: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literal = (n: ts.Node | undefined) => n !== undefined && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require")) && !literal(n.arguments[0])) {
      out.push(`${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${n.getText().slice(0, 60)}`);
    } else if (ts.isIdentifier(n) && (n.text === "createRequire" || (n.text === "require" && !(ts.isCallExpression(n.parent) && n.parent.expression === n) && !ts.isPropertyAccessExpression(n.parent)))) {
      if (!ts.isImportSpecifier(n.parent)) out.push(`${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${n.parent.getText().slice(0, 60)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}
const REAL = arrowsOf(FILES, OUTSIDE);

test("every file of provider/ and sdk/ stands on a floor, and every relative import resolves", () => {
  expect(FILES.size).toBeGreaterThan(150);
  expect([...FILES.keys()].filter((f) => folderOf(f) === undefined)).toEqual([]);
  expect(REAL.unresolved).toEqual([]);
  // The scan sees the arrows it must: the planner's facts, a controller's judge, the CLI's planner.
  expect(REAL.arrows).toEqual(expect.arrayContaining([{ from: "provider/planner/model.ts", to: "provider/vocabulary/features.ts" }]));
  expect(REAL.arrows.length).toBeGreaterThan(500);
});

test("provider/ and sdk/ import their own files by relative path only (no tsconfig paths, no path from the root)", () => {
  expect(REAL.bare).toEqual([]);
});

test("provider/ and sdk/ import nothing else of the repository (a re-export in dist/, tools/ or test/ would launder an arrow) beyond the listed files", () => {
  expect(outsideImports(FILES)).toEqual([]);
});

test("provider/ and sdk/ load nothing by a name the scan cannot read, beyond the listed files", () => {
  const found = [...FILES].flatMap(([f, text]) => (f in DYNAMIC_ALLOWED ? [] : dynamicLoads(f, text)));
  expect(found).toEqual([]);
  for (const f of Object.keys(DYNAMIC_ALLOWED)) expect([f, dynamicLoads(f, FILES.get(f) ?? "").length > 0]).toEqual([f, true]);
});

test("provider/ and sdk/ hold TypeScript only as .ts: a .tsx, .mts, .cts or .js file would be built but not scanned", () => {
  const { readdirSync } = require("node:fs") as typeof import("node:fs");
  const other = ["provider", "sdk"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(?:tsx|mts|cts|js|mjs|cjs|jsx)$/.test(e.name))
      .map((e) => posix.join(dir, posix.relative(join(ROOT, dir), e.parentPath.split("\\").join("/")), e.name)),
  );
  expect(other).toEqual([]);
});

test("no import points up a floor or across to another folder of its floor (beyond the listed ones)", () => {
  expect(upward(REAL.arrows)).toEqual([...KNOWN_UPWARD].sort());
});

test("no two folders import each other, directly or around a loop", () => {
  expect(folderCycles(REAL.arrows)).toEqual([]);
});

test("docs/development.md lists the same floors, in the same order", () => {
  const documented = documentedFloors(readFileSync(join(ROOT, "docs/development.md"), "utf8"));
  expect(documented).toEqual(FLOORS.map((f) => [...f]));
});

describe("negative controls (in memory)", () => {
  const planted = new Map([
    ["provider/vocabulary/words.ts", 'import { defineResource } from "../resources/define";\nexport const W = 1;'],
    ["provider/resources/define.ts", 'import { W } from "../vocabulary/words";\nexport const defineResource = W;'],
    ["provider/hcn/network.ts", 'import type { HnsClient } from "../hosts/client";\nexport type N = HnsClient;'],
    ["provider/hosts/client.ts", 'import type { N } from "../hcn/network";\nexport type HnsClient = N;'],
    ["sdk/index.ts", 'export * from "../provider/native/serve";\nimport "../schema/schema.json";'],
    ["provider/native/serve.ts", 'export const serve = (await import("../resources/define")).defineResource;'],
  ]);
  const { arrows, unresolved } = arrowsOf(planted, OUTSIDE);

  test("an upward import (vocabulary -> resources) and a sideways one (sdk -> native) are caught", () => {
    expect(unresolved).toEqual([]);
    expect(upward(arrows)).toEqual([
      "provider/hcn/network.ts -> provider/hosts/client.ts",
      "provider/vocabulary/words.ts -> provider/resources/define.ts",
      "sdk/index.ts -> provider/native/serve.ts",
    ]);
  });

  test("a folder cycle (hcn <-> hosts, vocabulary <-> resources) is caught", () => {
    expect(folderCycles(arrows)).toEqual(
      expect.arrayContaining([
        ["provider/hcn/", "provider/hosts/"],
        ["provider/resources/", "provider/vocabulary/"],
      ]),
    );
    expect(folderCycles(arrows)).toHaveLength(2);
  });

  test("an import by package name or from the root that lands in the repository is an arrow, and bare", () => {
    const sneaky = new Map([
      ["provider/vocabulary/sneak.ts", 'import type { Plan } from "provider/planner/plan";\nimport type { Network } from "pulumi-hns";'],
      ["provider/planner/plan.ts", "export type Plan = 1;"],
      ["sdk/index.ts", "export type Network = 1;"],
    ]);
    const found = arrowsOf(sneaky, OUTSIDE);
    expect(found.bare).toEqual(["provider/vocabulary/sneak.ts -> provider/planner/plan", "provider/vocabulary/sneak.ts -> pulumi-hns"]);
    expect(upward(found.arrows)).toEqual(["provider/vocabulary/sneak.ts -> provider/planner/plan.ts", "provider/vocabulary/sneak.ts -> sdk/index.ts"]);
  });

  test("a wildcard path alias, a re-export outside the floors and loads by a computed name are caught", () => {
    expect(intoRepo("provider/planner/plan")).toBe("provider/planner/plan");
    expect(intoRepo("@hns/planner/plan", { "@hns/*": ["./provider/*"] })).toBe("provider/planner/plan");
    expect(intoRepo("pulumi-hns/topology", { "pulumi-hns": ["./sdk"] })).toBe("sdk/topology");
    expect(intoRepo("zod")).toBeUndefined();
    const laundering = new Map([
      ["provider/vocabulary/a.ts", 'export * from "../../tools/launder";\nimport type { P } from "../../dist/provider/planner/plan";'],
      ["provider/vocabulary/b.ts", 'const r = require;\nr("../planner/plan");\nrequire("pulumi-" + "hns");\nconst m = await import(name);\nimport { createRequire } from "node:module";\ncreateRequire(__filename)("x");'],
    ]);
    expect(outsideImports(laundering)).toEqual(["provider/vocabulary/a.ts -> ../../tools/launder", "provider/vocabulary/a.ts -> ../../dist/provider/planner/plan"]);
    expect(dynamicLoads("provider/vocabulary/b.ts", laundering.get("provider/vocabulary/b.ts")!)).toHaveLength(4);
  });

  test("a relative import that resolves to no file is reported, not skipped", () => {
    expect(arrowsOf(new Map([["provider/hcn/a.ts", 'import { x } from "./gone";']]), OUTSIDE).unresolved).toEqual(["provider/hcn/a.ts -> ./gone"]);
  });

  test("a file in no declared folder is seen, and the doc's table is read row by row", () => {
    expect(folderOf("provider/attic/old.ts")).toBeUndefined();
    const doc = "## Floors\n\n| Floor | Folders |\n|---|---|\n| 0 | `provider/vocabulary/` |\n| 1 | `a/`, `b.ts` |\n\n## Layout\n| 2 | `not/` |";
    expect(documentedFloors(doc)).toEqual([["provider/vocabulary/"], ["a/", "b.ts"]]);
  });
});
