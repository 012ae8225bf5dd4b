/**
 * Reads schema source files with the TypeScript compiler API (parse only, no type check):
 * the properties of `z.object({...})` literals with the JSDoc comment written above each, and
 * where an identifier used in a schema comes from (a const in the same file, or an import).
 * This is how the reference docs use the comments written next to the zod schemas as the one
 * source of every field's description.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface SchemaProperty {
  name: string;
  /** The JSDoc comment text above the property ("" when none). */
  doc: string;
  /** `@example` tag text, when given. */
  example?: string;
  /** The property's initializer, e.g. `z.array(Subnet).optional()`. */
  init: ts.Expression;
  file: string;
  line: number;
}

export interface ConstDecl {
  name: string;
  file: string;
  init: ts.Expression;
  doc: string;
}

const sources = new Map<string, ts.SourceFile>();

export function sourceOf(file: string): ts.SourceFile {
  let sf = sources.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    sources.set(file, sf);
  }
  return sf;
}

/** Forget parsed files (the docs test regenerates from the files as they are now). */
export function resetSources(): void {
  sources.clear();
}

function docOf(node: ts.Node): { doc: string; example?: string } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  if (!docs.length) return { doc: "" };
  const last = docs[docs.length - 1];
  const text = ts.getTextOfJSDocComment(last.comment) ?? "";
  const example = last.tags?.find((t) => t.tagName.text === "example");
  return {
    doc: text.replace(/\s*\n\s*/g, " ").trim(),
    ...(example ? { example: (ts.getTextOfJSDocComment(example.comment) ?? "").trim() } : {}),
  };
}

export function findConst(file: string, name: string): ConstDecl | undefined {
  const sf = sourceOf(file);
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
        return { name, file, init: d.initializer, doc: docOf(stmt).doc };
      }
    }
  }
  return undefined;
}

/** Where `name`, used in `file`, is declared: a const of the same file, or one imported from a relative module. */
export function resolve(file: string, name: string): ConstDecl | undefined {
  const local = findConst(file, name);
  if (local) return local;
  for (const stmt of sourceOf(file).statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const spec = stmt.moduleSpecifier.text;
    const bindings = stmt.importClause?.namedBindings;
    if (!spec.startsWith(".") || !bindings || !ts.isNamedImports(bindings)) continue;
    const el = bindings.elements.find((e) => e.name.text === name);
    if (!el) continue;
    const base = path.resolve(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
    if (!target) return undefined;
    const original = el.propertyName?.text ?? name;
    return resolve(target, original) ?? reexported(target, original);
  }
  return undefined;
}

/** `export { X } from "./y"` / `export * from "./y"` in a barrel. */
function reexported(file: string, name: string): ConstDecl | undefined {
  for (const stmt of sourceOf(file).statements) {
    if (!ts.isExportDeclaration(stmt) || !stmt.moduleSpecifier || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const base = path.resolve(path.dirname(file), stmt.moduleSpecifier.text);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
    if (!target) continue;
    const named = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements.find((e) => e.name.text === name) : undefined;
    if (stmt.exportClause && !named) continue;
    const found = resolve(target, named?.propertyName?.text ?? name) ?? reexported(target, name);
    if (found) return found;
  }
  return undefined;
}

/** The first `z.object(...)`-like call's object literal argument inside an expression. */
export function objectLiteralOf(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ["object", "looseObject", "strictObject"].includes(n.expression.name.text)) {
      const arg = n.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) {
        found = arg;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

/** Properties of an object literal schema, following `...spread` of consts (declared in the same file or imported); each property carries the file it is declared in. */
export function propertiesOf(file: string, literal: ts.ObjectLiteralExpression): SchemaProperty[] {
  const sf = sourceOf(file);
  const out: SchemaProperty[] = [];
  for (const p of literal.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      const { doc, example } = docOf(p);
      out.push({ name: p.name.text, doc, ...(example ? { example } : {}), init: p.initializer, file, line: sf.getLineAndCharacterOfPosition(p.getStart()).line + 1 });
    } else if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) {
      const decl = resolve(file, p.expression.text);
      if (decl && ts.isObjectLiteralExpression(decl.init)) out.push(...propertiesOf(decl.file, decl.init));
    }
  }
  return out;
}

/** Identifiers an initializer refers to as values (not `z`, not method names). */
export function referencedNames(expr: ts.Expression): string[] {
  const names: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n)) {
      visit(n.expression);
      return;
    }
    if (ts.isIdentifier(n) && n.text !== "z") names.push(n.text);
    // Do not descend into nested inline objects: they are documented as their own tables.
    if (ts.isObjectLiteralExpression(n) || ts.isArrowFunction(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return names;
}

/** Names in an array literal argument of a call like `z.discriminatedUnion("kind", [A, B])`. */
export function unionMemberNames(expr: ts.Expression): ts.Expression[] {
  let members: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (members.length) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ["discriminatedUnion", "union"].includes(n.expression.name.text)) {
      const arr = n.arguments.find(ts.isArrayLiteralExpression);
      if (arr) members = [...arr.elements];
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return members;
}

export function lineOf(file: string, node: ts.Node): number {
  return sourceOf(file).getLineAndCharacterOfPosition(node.getStart()).line + 1;
}
