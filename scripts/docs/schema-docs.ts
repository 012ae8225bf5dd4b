/**
 * A zod object schema → reference tables: one row per field with its type (from
 * `z.toJSONSchema`), whether it is required, its default and example (from the text of its
 * JSDoc comment) and its description (the JSDoc comment itself). Nested objects get tables of
 * their own, linked from the parent's type column.
 *
 * A field with no comment is a failure, not a blank cell: it is recorded in `missing`, and the
 * generator refuses to write docs until it is documented where it is declared.
 */
import * as ts from "typescript";
import { z } from "zod";
import { objectLiteralOf, propertiesOf, referencedNames, resolve, type ConstDecl } from "./jsdoc";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Row {
  name: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
  example: string;
}

export interface Table {
  key: string;
  anchor: string;
  doc: string;
  rows: Row[];
}

export interface DocContext {
  tables: Table[];
  /** "Schema.field (file:line)" of every field without a description. */
  missing: string[];
  /** Schemas documented on another page, by const name: their link. */
  external: Record<string, string>;
}

export function newContext(external: Record<string, string> = {}): DocContext {
  return { tables: [], missing: [], external };
}

/** The anchor GitHub gives a heading of this text: lower case, punctuation but "-" and "_" dropped, spaces as "-". */
export const anchorOf = (key: string) => key.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/\s/g, "-");

export function toJson(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
}

/** The object schema inside arrays, optionals and unions. */
function objectIn(js: Json | undefined): Json | undefined {
  if (!js) return undefined;
  if (js.type === "object" && js.properties) return js;
  if (js.items) return objectIn(js.items);
  for (const alt of js.anyOf ?? js.oneOf ?? []) {
    const o = objectIn(alt);
    if (o) return o;
  }
  return undefined;
}

function typeText(js: Json | undefined, link?: string): string {
  if (!js || Object.keys(js).length === 0) return "any";
  if (js.const !== undefined) return JSON.stringify(js.const);
  if (js.enum) return js.enum.map((v: unknown) => JSON.stringify(v)).join(" \\| ");
  const alts = js.anyOf ?? js.oneOf;
  if (alts) return [...new Set(alts.map((a: Json) => typeText(a, link)))].join(" \\| ");
  switch (js.type) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "integer":
    case "number": {
      // zod's int() states the safe-integer bounds; they say nothing to a reader.
      const lo = js.minimum !== undefined && js.minimum > Number.MIN_SAFE_INTEGER ? js.minimum : js.exclusiveMinimum !== undefined ? `>${js.exclusiveMinimum}` : undefined;
      const hi = js.maximum !== undefined && js.maximum < Number.MAX_SAFE_INTEGER ? js.maximum : undefined;
      const range = lo !== undefined && hi !== undefined ? ` ${lo}–${hi}` : lo !== undefined ? ` ≥ ${String(lo).replace(">", "")}` : "";
      return `${js.type}${range}`;
    }
    case "array":
      return `${typeText(js.items, link)}[]`;
    case "object":
      if (js.properties) return link ?? "object";
      if (js.additionalProperties && typeof js.additionalProperties === "object") return `map of string → ${typeText(js.additionalProperties, link)}`;
      return "object";
    default:
      return "any";
  }
}

/** "Defaults to X." / "Default: X." in a description. */
function defaultIn(doc: string): string | undefined {
  const m = /\bDefaults? (?:to|is|:)\s*([^;]+?)(?:\.(?:\s|$)|;|$)/i.exec(doc);
  return m?.[1].trim();
}

/** `e.g. X` or `such as X` in a description. */
function exampleIn(doc: string): string | undefined {
  const m = /\b(?:e\.g\.,?|such as)\s+([^;)]+?)(?:[;)]|\.(?:\s|$)|,\s|$)/.exec(doc);
  return m?.[1].trim();
}

/** An example value the field's JSON schema itself admits (enums, booleans, bounded numbers). */
function exampleFromSchema(js: Json | undefined): string | undefined {
  if (!js) return undefined;
  if (js.const !== undefined) return JSON.stringify(js.const);
  if (js.enum) return JSON.stringify(js.enum[js.enum.length > 1 ? 1 : 0]);
  if (js.type === "boolean") return "true";
  if ((js.type === "integer" || js.type === "number") && js.minimum !== undefined && js.minimum > Number.MIN_SAFE_INTEGER) return String(js.minimum);
  if (js.type === "array") {
    const item = exampleFromSchema(js.items);
    return item && `[${item}]`;
  }
  for (const alt of js.anyOf ?? js.oneOf ?? []) {
    const e = exampleFromSchema(alt);
    if (e) return e;
  }
  return undefined;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * Documents the object schema `literal` (declared in `file`) under `key`, whose JSON schema is
 * `json`; recurses into the objects its fields use. Returns the table's anchor.
 */
export function documentObject(ctx: DocContext, key: string, file: string, literal: ts.ObjectLiteralExpression, json: Json, doc = ""): string {
  const anchor = anchorOf(key);
  if (ctx.tables.some((t) => t.key === key)) return anchor;
  const table: Table = { key, anchor, doc, rows: [] };
  ctx.tables.push(table); // before recursing, so cycles terminate
  for (const p of propertiesOf(file, literal)) {
    if (p.name.startsWith("__")) continue; // set by the SDK itself, not by programs
    const js: Json | undefined = json.properties?.[p.name];
    const refs = referencedNames(p.init)
      .map((n) => ({ n, decl: resolve(p.file, n) }))
      .filter((r): r is { n: string; decl: ConstDecl } => r.decl !== undefined);

    // The type column links to the nested object's table (or to another page).
    let link: string | undefined;
    const external = refs.find((r) => ctx.external[r.n]);
    if (external) link = `[${external.n}](${ctx.external[external.n]})`;
    else {
      const inline = objectLiteralOf(p.init);
      const nested = objectIn(js);
      if (inline && nested) link = `[${key}.${p.name}](#${documentObject(ctx, `${key}.${p.name}`, p.file, inline, nested)})`;
      else if (nested) {
        const ref = refs.find((r) => objectLiteralOf(r.decl.init));
        if (ref) link = `[${ref.n}](#${documentObject(ctx, ref.n, ref.decl.file, objectLiteralOf(ref.decl.init)!, nested, ref.decl.doc)})`;
      }
    }

    const id = `${key}.${p.name}`;
    const refDoc = refs.map((r) => r.decl.doc).find((d) => d);
    let description = p.doc || refDoc || "";
    if (!description && js?.const !== undefined) description = `Always ${JSON.stringify(js.const)}: selects this variant.`;
    if (!description) ctx.missing.push(`${id} (${p.file}:${p.line})`);

    const required = (json.required ?? []).includes(p.name);
    table.rows.push({
      name: p.name,
      type: typeText(js, link),
      required,
      default: required ? "required" : (defaultIn(description) ?? "—"),
      description,
      example: p.example ?? exampleIn(description) ?? exampleFromSchema(js) ?? "—",
    });
  }
  return anchor;
}

/** Documents a named const schema (an object, or a union whose members are object consts). */
export function documentConst(ctx: DocContext, decl: ConstDecl, schema: z.ZodType): string {
  const literal = objectLiteralOf(decl.init);
  if (!literal) throw new Error(`${decl.file}: ${decl.name} is not an object schema`);
  const json = objectIn(toJson(schema));
  if (!json) throw new Error(`${decl.name}: no object in its JSON schema`);
  return documentObject(ctx, decl.name, decl.file, literal, json, decl.doc);
}

export function renderTables(tables: Table[], level = "###"): string {
  return tables
    .map((t) => {
      const lines = [`${level} ${t.key}`, ""];
      if (t.doc) lines.push(t.doc, "");
      lines.push("| Field | Type | Default | Description | Example |", "|---|---|---|---|---|");
      for (const r of t.rows) lines.push(`| \`${r.name}\` | ${r.type} | ${cell(r.default)} | ${cell(r.description)} | ${cell(r.example)} |`);
      return lines.join("\n");
    })
    .join("\n\n");
}
