/**
 * Generates schema/schema.json, the Pulumi package schema of the native plugin
 * (https://www.pulumi.com/docs/iac/using-pulumi/extending-pulumi/schema/), from the same sources
 * as the reference docs: the kinds of provider/kinds/registry.ts (one resource each, with its
 * zod args and outputs schemas, typed through `z.toJSONSchema`), the JSDoc comment beside each
 * field (descriptions) and the SDK classes' comments
 * (resource descriptions).
 *
 *   ts-node scripts/gen-schema.ts          write schema/schema.json
 *   ts-node scripts/gen-schema.ts --check  exit 1 if the committed file differs (CI)
 *
 * Pulumi's type system has no discriminated unions of objects: a union of objects (a host
 * kind, a policy kind, an HCN policy Type) becomes one object type with every member's fields,
 * the discriminator required, and each field's description naming the kinds it belongs to;
 * check still enforces the exact shape. A field whose members disagree on its type is `Any`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { z } from "zod";
import type { KindSpec } from "../provider/kinds/registry";
import { objectLiteralOf, propertiesOf, referencedNames, resetSources, resolve, sourceOf, unionMemberNames } from "./docs/jsdoc";

export const REPO = path.resolve(__dirname, "..");
export const SCHEMA_FILE = path.join(REPO, "schema", "schema.json");
const INDEX = path.join(REPO, "provider", "index.ts");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ANY = { $ref: "pulumi.json#/Any" };

/** Where a schema's field comments are: the expression that builds it, in its file. */
interface Src {
  file: string;
  expr: ts.Expression;
  /** The const it was declared as, when it was (names its Pulumi type). */
  name?: string;
  doc: string;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const singular = (s: string) => (s.endsWith("ies") ? `${s.slice(0, -3)}y` : s.endsWith("s") && !s.endsWith("ss") ? s.slice(0, -1) : s);
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ").trim();

/** `export { X } from "./y"` in provider/index.ts, followed to the const's declaration. */
function exported(name: string): Src {
  for (const stmt of sourceOf(INDEX).statements) {
    if (!ts.isExportDeclaration(stmt) || !stmt.moduleSpecifier || !ts.isStringLiteral(stmt.moduleSpecifier) || !stmt.exportClause || !ts.isNamedExports(stmt.exportClause)) continue;
    const el = stmt.exportClause.elements.find((e) => e.name.text === name);
    if (!el) continue;
    const target = `${path.resolve(path.dirname(INDEX), stmt.moduleSpecifier.text)}.ts`;
    const decl = resolve(target, el.propertyName?.text ?? name);
    if (decl) return { file: decl.file, expr: decl.init, name, doc: decl.doc };
  }
  throw new Error(`provider/index.ts does not export a const ${name}`);
}

/** A kind's arguments const `<Type>Args`, in its own folder (provider/kinds/<kind>/args.ts). */
function kindArgs(r: KindSpec): Src {
  const file = path.join(REPO, "provider", "kinds", r.kind, "args.ts");
  const name = `${r.type}Args`;
  const decl = fs.existsSync(file) ? resolve(file, name) : undefined;
  if (!decl) throw new Error(`${path.relative(REPO, file)}: no const ${name} (the ${r.type} resource's arguments)`);
  return { file: decl.file, expr: decl.init, name, doc: decl.doc };
}

/** The outermost call of a chain like `z.union([...]).optional()`. */
function baseCall(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && !["union", "discriminatedUnion", "object", "strictObject", "looseObject", "array", "preprocess"].includes(e.expression.name.text)) e = e.expression.expression;
  return e;
}

function isUnionExpr(expr: ts.Expression): boolean {
  const e = baseCall(expr);
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ["union", "discriminatedUnion", "preprocess"].includes(e.expression.name.text);
}

/** The source of a field's type: its own inline object or union, or the const it refers to. */
function typeSrc(file: string, init: ts.Expression): Src | undefined {
  if (isUnionExpr(init) || objectLiteralOf(init)) return { file, expr: init, doc: "" };
  for (const n of referencedNames(init)) {
    const decl = resolve(file, n);
    if (decl && (objectLiteralOf(decl.init) || isUnionExpr(decl.init) || unionMemberNames(decl.init).length)) return { file: decl.file, expr: decl.init, name: n, doc: decl.doc };
  }
  return undefined;
}

/** Field name → its comment and type source, for an object schema's source. */
function fieldsOf(src: Src | undefined): Map<string, { doc: string; type?: Src }> {
  const out = new Map<string, { doc: string; type?: Src }>();
  const literal = src && objectLiteralOf(src.expr);
  if (!src || !literal) return out;
  for (const p of propertiesOf(src.file, literal)) {
    const type = typeSrc(src.file, p.init);
    const refDoc = referencedNames(p.init).map((n) => resolve(src.file, n)?.doc).find((d) => d);
    out.set(p.name, { doc: p.doc || refDoc || "", type });
  }
  return out;
}

/** The members of a union schema's source, in declaration order (as z.toJSONSchema lists them). */
function membersOf(src: Src | undefined): (Src | undefined)[] {
  if (!src) return [];
  return unionMemberNames(src.expr).map((m) => {
    if (ts.isIdentifier(m)) {
      const decl = resolve(src.file, m.text);
      return decl ? { file: decl.file, expr: decl.init, name: m.text, doc: decl.doc } : undefined;
    }
    return { file: src.file, expr: m, doc: "" };
  });
}

const alternatives = (js: Json): Json[] | undefined => (js.anyOf ?? js.oneOf)?.filter((a: Json) => a.type !== "null");
const isObject = (js: Json) => js.type === "object" && !!js.properties;
const constOf = (js: Json | undefined): unknown => js?.const ?? (js?.enum?.length === 1 ? js.enum[0] : undefined);

class SchemaBuilder {
  readonly types: Record<string, Json> = {};
  private readonly secretFields: ReadonlySet<string>;

  constructor(secretFields: readonly string[]) {
    this.secretFields = new Set(secretFields);
  }

  /** A Pulumi type spec for a JSON schema node; objects become named types. */
  typeOf(js: Json | undefined, src: Src | undefined, hint: string): Json {
    if (!js || Object.keys(js).length === 0) return ANY;
    const alts = alternatives(js);
    if (alts) {
      if (alts.length === 1) return this.typeOf(alts[0], src, hint);
      if (alts.every((a) => a.type === "string" || typeof constOf(a) === "string")) return { type: "string" };
      if (alts.every(isObject)) return this.named(src?.name ?? hint, this.flatten(alts, membersOf(src)));
      const members = membersOf(src);
      return { oneOf: alts.map((a, i) => this.typeOf(a, members[i], isObject(a) ? `${src?.name ?? hint}${pascal(Object.keys(a.properties)[0])}` : hint)) };
    }
    const c = constOf(js);
    if (c !== undefined) return { type: typeof c === "number" ? (Number.isInteger(c) ? "integer" : "number") : typeof c };
    if (js.enum) return { type: typeof js.enum[0] === "number" ? "integer" : typeof js.enum[0] };
    switch (js.type) {
      case "string":
      case "boolean":
      case "integer":
      case "number":
        return { type: js.type };
      case "array":
        return { type: "array", items: this.typeOf(js.items, src, singular(hint)) };
      case "object":
        if (js.properties) return this.named(src?.name ?? hint, this.objectSpec(js, fieldsOf(src), hint));
        return { type: "object", additionalProperties: typeof js.additionalProperties === "object" ? this.typeOf(js.additionalProperties, undefined, hint) : ANY };
      default:
        return ANY;
    }
  }

  /** Registers an object type under `hns:index:<name>` (a different shape of the same name gets a numbered one). */
  private named(name: string, spec: Json): Json {
    for (let i = 1; ; i++) {
      const token = `hns:index:${pascal(name)}${i === 1 ? "" : i}`;
      const have = this.types[token];
      if (!have) this.types[token] = spec;
      if (!have || JSON.stringify(have) === JSON.stringify(spec)) return { $ref: `#/types/${token}` };
    }
  }

  /** An object type's properties (internal `__` fields left out) with their descriptions. */
  objectSpec(js: Json, fields: Map<string, { doc: string; type?: Src }>, hint: string, notes: Record<string, string> = {}): Json {
    const properties: Record<string, Json> = {};
    for (const [name, p] of Object.entries<Json>(js.properties)) {
      if (name.startsWith("__")) continue;
      const f = fields.get(name);
      const doc = [f?.doc, notes[name]].filter(Boolean).join(" ");
      properties[name] = {
        ...this.typeOf(p, f?.type, `${hint}${pascal(name)}`),
        ...(doc ? { description: doc } : {}),
        ...(this.secretFields.has(name) ? { secret: true } : {}),
      };
    }
    const required = (js.required ?? []).filter((r: string) => properties[r]);
    return { type: "object", properties, ...(required.length ? { required } : {}) };
  }

  /**
   * One object type for a union of objects: every member's fields; the discriminator (a field
   * that is a constant in every member) required and documented with its values; a field of
   * only some members says which.
   */
  flatten(alts: Json[], members: (Src | undefined)[], hint = ""): Json {
    const names = [...new Set(alts.flatMap((a) => Object.keys(a.properties)))];
    const discriminator = names.find((n) => alts.every((a) => constOf(a.properties[n]) !== undefined));
    const values = discriminator ? alts.map((a) => constOf(a.properties[discriminator])) : [];
    const properties: Json = {};
    const fields = new Map<string, { doc: string; type?: Src }>();
    const notes: Record<string, string> = {};
    for (const n of names) {
      const having = alts.map((a, i) => ({ js: a.properties[n] as Json | undefined, i })).filter((x) => x.js);
      const shapes = new Set(having.map((x) => JSON.stringify(x.js)));
      properties[n] = n === discriminator ? { type: "string" } : shapes.size === 1 ? having[0].js : {};
      const memberFields = having.map((x) => fieldsOf(members[x.i]).get(n));
      fields.set(n, { doc: memberFields.find((f) => f?.doc)?.doc ?? "", type: shapes.size === 1 ? memberFields[0]?.type : undefined });
      if (n === discriminator) notes[n] = `One of ${values.map((v) => JSON.stringify(v)).join(", ")}: selects which fields apply.`;
      else if (discriminator && having.length < alts.length) notes[n] = `(${discriminator} ${having.map((x) => JSON.stringify(values[x.i])).join(", ")})`;
    }
    const required = names.filter((n) => n === discriminator || alts.every((a) => (a.required ?? []).includes(n)));
    return this.objectSpec({ properties, required }, fields, hint, notes);
  }
}

/** The outputs the host resolves: the zod schema `<Type>Outputs` declared beside `<Type>Args`, typed and documented like the arguments. */
function outputsOf(b: SchemaBuilder, argsFile: string, type: string, schema: z.ZodType): { properties: Record<string, Json>; required: string[] } {
  const decl = resolve(argsFile, `${type}Outputs`);
  if (!decl) throw new Error(`${path.relative(REPO, argsFile)}: no const ${type}Outputs (the resource's outputs)`);
  const spec = b.objectSpec(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json, fieldsOf({ file: decl.file, expr: decl.init, doc: decl.doc }), type);
  return { properties: spec.properties, required: spec.required ?? [] };
}

/**
 * Inputs that take a resource as well as its ID (KindSpec.references): a union of the ID's
 * type and the resource (`network: ${web}` in YAML), which the plugin turns into the ID at check
 * (provider/native/refs.ts). The state keeps the ID, so `properties` keep the ID's type.
 */
function withReferences(properties: Record<string, Json>, r: KindSpec, all: readonly KindSpec[], tokenOf: (r: KindSpec) => string): Record<string, Json> {
  const out = { ...properties };
  for (const [field, { type }] of Object.entries(r.references ?? {})) {
    const { description, ...idType } = out[field];
    const target = all.find((t) => t.type === type)!;
    const note = `Takes the ${type} resource itself as well (\`${field}: \${<${type.toLowerCase()}>}\` in YAML): then the endpoint is judged against it at preview even while its ID is not known yet.`;
    out[field] = { oneOf: [idType, { $ref: `#/resources/${tokenOf(target)}` }], description: [description, note].filter(Boolean).join(" ") };
  }
  return out;
}

/** The SDK class's comment: what the resource is. */
function resourceDoc(kind: string, type: string): string {
  const file = path.join(REPO, "sdk", `${kind}.ts`);
  if (!fs.existsSync(file)) return "";
  const cls = sourceOf(file).statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === type);
  return cls ? oneLine(ts.getJSDocCommentsAndTags(cls).filter(ts.isJSDoc).map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").pop() ?? "") : "";
}

/** The schema as it should be, from the code as it is now. */
export function generateSchema(): Json {
  resetSources();
  // Loaded from the source (not dist/), so the schema follows the code being edited.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const provider = require(INDEX) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PACKAGE, tokenOf } = require(path.join(REPO, "provider", "native", "resources.ts")) as typeof import("../provider/native/resources");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KINDS } = require(path.join(REPO, "provider", "kinds", "registry.ts")) as typeof import("../provider/kinds/registry");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CREDENTIAL_FIELDS } = require(path.join(REPO, "provider", "kinds", "secrets.ts")) as typeof import("../provider/kinds/secrets");
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  const b = new SchemaBuilder(CREDENTIAL_FIELDS);
  const toJson = (s: z.ZodType): Json => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Json;

  const hostSrc = exported("Host");
  const hostType = b.typeOf(toJson(provider.Host), hostSrc, "Host");
  const hostDoc = "The host whose HNS holds the resource's objects, and how to reach it (docs/reference/hosts.md).";

  const resources: Record<string, Json> = {};
  for (const r of KINDS) {
    const src = kindArgs(r);
    const js = toJson(r.args);
    const alts = alternatives(js);
    const spec = alts && alts.every(isObject) ? b.flatten(alts, membersOf(src), r.type) : b.objectSpec(js, fieldsOf(src), r.type);
    // The provider fills these in: host from the provider config, name from the resource name.
    const optional = new Set(["host", ...(r.defaultName ? ["name"] : [])]);
    const requiredInputs = (spec.required ?? []).filter((n: string) => !optional.has(n));
    const outputs = outputsOf(b, src.file, r.type, r.outputs);
    resources[tokenOf(r)] = {
      description: resourceDoc(r.kind, r.type),
      inputProperties: withReferences(spec.properties, r, KINDS, tokenOf),
      ...(requiredInputs.length ? { requiredInputs } : {}),
      properties: { ...spec.properties, ...outputs.properties },
      required: [...new Set([...(spec.required ?? []), ...(r.defaultName ? ["name"] : []), "host", ...outputs.required])],
    };
  }

  return {
    name: PACKAGE,
    displayName: "Windows HNS",
    version: pkg.version,
    description: pkg.description,
    keywords: pkg.keywords,
    license: pkg.license,
    meta: { moduleFormat: "(.*)" },
    config: { variables: { host: { ...hostType, description: `Default host of every resource that names none. ${hostDoc}` } } },
    provider: {
      description: "The hns provider: its host is the default host of the resources it manages.",
      inputProperties: { host: { ...hostType, description: `Default host of every resource that names none. ${hostDoc}` } },
    },
    types: Object.fromEntries(Object.entries(b.types).sort(([a], [c]) => a.localeCompare(c))),
    resources,
  };
}

export const schemaText = (schema: Json) => `${JSON.stringify(schema, null, 2)}\n`;

if (require.main === module) {
  const text = schemaText(generateSchema());
  if (process.argv.includes("--check")) {
    const have = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, "utf8") : "";
    if (have !== text) {
      console.error("schema/schema.json is out of date: run `npm run schema`");
      process.exitCode = 1;
    }
  } else {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  }
}
