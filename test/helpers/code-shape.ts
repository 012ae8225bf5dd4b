/**
 * Measures the shape of the code with the TypeScript compiler API: file lengths, function
 * lengths, `as never` casts, and exports that only tests use. test/unit/code-shape.test.ts
 * holds the limits; this module only measures, so a script can print the same numbers.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

export const ROOT = join(__dirname, "..", "..");

/** Every .ts file below `dir` (relative to the repository root), in a stable order. */
export function tsFilesUnder(dir: string, root = ROOT): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(join(root, d), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p.split(sep).join("/"));
    }
  };
  walk(dir);
  return out;
}

/** Files the package ships: provider/** and sdk/**, tests excluded. */
export function productionFiles(root = ROOT): string[] {
  return ["provider", "sdk"].flatMap((d) => (existsSync(join(root, d)) ? tsFilesUnder(d, root) : [])).filter((f) => !f.endsWith(".test.ts"));
}

export function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

export interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(sf);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
    return parent.name.getText(sf);
  }
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "(anonymous)";
}

/** Every function-like node of a source text with its length in lines (from its first to its last line). */
export function functionSpans(text: string, fileName = "snippet.ts"): FunctionSpan[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      spans.push({ name: nameOf(node, sf), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return spans;
}

/** Positions of `x as never` and `<never>x` casts in a source text. */
export function neverCasts(text: string, fileName = "snippet.ts"): number[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && unparenthesized(node.type).kind === ts.SyntaxKind.NeverKeyword) {
      lines.push(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return lines;
}

/** `(never)` is `never`. */
function unparenthesized(type: ts.TypeNode): ts.TypeNode {
  return ts.isParenthesizedTypeNode(type) ? unparenthesized(type.type) : type;
}

export function read(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/**
 * The package's entry points (package.json "exports" and "bin"): what they export is public
 * API, used by programs outside this repository, so it counts as used.
 */
const ENTRY_POINTS = ["sdk/index.ts", "provider/index.ts", "provider/planner/index.ts", "provider/hosts/emulator/index.ts", "provider/cli/hns-plan.ts"];

/** Code outside provider/ that runs in production or at build time and may use provider's exports. */
const OTHER_USERS = ["sdk", "scripts"];

function isUse(id: ts.Identifier): boolean {
  const p = id.parent;
  // The names in `import { x }` / `export { x }` only route a symbol; a real use is elsewhere.
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isShorthandPropertyAssignment(p)) return true;
  // `ns.x` uses x (a PropertyAccessExpression's `name` is the accessed member, not a declaration).
  if (ts.isPropertyAccessExpression(p)) return true;
  // The declaration's own name is not a use of it.
  const decl = p as ts.Node & { name?: ts.Node };
  return decl.name !== id;
}

/**
 * Exports of provider/** that no production code uses (not even in their own file) while
 * some test does: test-only helpers living in the product. Entry points' exports are public
 * API and do not count. Builds one program over provider, sdk, scripts and test.
 */
export function testOnlyExports(includeUnused = false, root = ROOT): string[] {
  const under = (d: string) => (existsSync(join(root, d)) ? tsFilesUnder(d, root) : []);
  const production = new Set([...productionFiles(root), ...OTHER_USERS.flatMap(under)].map((f) => join(root, f)));
  const testFiles = new Set([...under("test"), ...["provider", "sdk"].flatMap(under).filter((f) => f.endsWith(".test.ts"))].map((f) => join(root, f)));
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([...production, ...testFiles], { ...config!.options, noEmit: true });
  const checker = program.getTypeChecker();
  const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

  const usedBy = { production: new Set<ts.Symbol>(), test: new Set<ts.Symbol>() };
  for (const sf of program.getSourceFiles()) {
    const bucket = production.has(sf.fileName) ? usedBy.production : testFiles.has(sf.fileName) ? usedBy.test : undefined;
    if (!bucket) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && isUse(node)) {
        // `{ x }` names the property and uses the variable x: the variable is the one used.
        const s = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
        if (s) bucket.add(resolve(s));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  for (const entry of ENTRY_POINTS) {
    const sf = program.getSourceFile(join(root, entry));
    const mod = sf && checker.getSymbolAtLocation(sf);
    if (mod) for (const s of checker.getExportsOfModule(mod)) usedBy.production.add(resolve(s));
  }

  const found: string[] = [];
  for (const file of productionFiles(root).filter((f) => f.startsWith("provider/"))) {
    const sf = program.getSourceFile(join(root, file));
    const mod = sf && checker.getSymbolAtLocation(sf);
    if (!mod) continue;
    for (const exported of checker.getExportsOfModule(mod)) {
      const s = resolve(exported);
      // Only symbols declared in this file: a re-export is judged where it is declared.
      if (!s.declarations?.some((d) => d.getSourceFile() === sf)) continue;
      if (!usedBy.production.has(s) && (includeUnused || usedBy.test.has(s))) found.push(`${relative(root, sf.fileName)}: ${exported.name}`);
    }
  }
  return found.sort();
}

/** The PowerShell scripts we ship (provider/hosts/powershell/*.ps1). */
export function powershellFiles(root = ROOT): string[] {
  const dir = "provider/hosts/powershell";
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".ps1"))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/**
 * Top-level PowerShell functions, from `function Name {` at the start of a line to the first
 * `}` alone at the start of a line after it: the layout every shipped script keeps.
 */
export function powershellFunctionSpans(text: string): FunctionSpan[] {
  const lines = text.split("\n");
  const spans: FunctionSpan[] = [];
  lines.forEach((l, i) => {
    const m = /^function ([\w-]+) \{/.exec(l);
    if (!m) return;
    const end = lines.findIndex((x, j) => j > i && /^\}\s*$/.test(x));
    spans.push({ name: m[1], line: i + 1, lines: (end < 0 ? lines.length - 1 : end) - i + 1 });
  });
  return spans;
}
