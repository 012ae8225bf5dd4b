/**
 * docs/reference is generated from the code (scripts/gen-docs.ts): the committed files must be
 * what the generator makes now, every schema field must have a description, and the pages
 * must cover everything the code defines (host kinds, commands, rules, arguments).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { COMMANDS } from "../../../provider/cli/commands";
import { Host } from "../../../provider/hosts/host";
import { RULES } from "../../../provider/planner";
import { NetworkArgs } from "../../../provider/kinds/network/args";
import { findConst } from "../../../scripts/docs/jsdoc";
import { documentConst, newContext } from "../../../scripts/docs/schema-docs";
import { generateDocs, staleDocs } from "../../../scripts/gen-docs";
import { tempDir } from "../../helpers/tmp";

const docs = generateDocs();

test("the committed reference docs are what the generator makes (run `npm run docs` to update)", () => {
  expect(staleDocs(docs)).toEqual([]);
});

test("every host kind of the Host union has a section", () => {
  const kinds = Host.options.map((o) => o.shape.kind.value);
  expect(kinds.length).toBeGreaterThan(0);
  for (const k of kinds) expect(docs.get("hosts.md")).toContain(`| \`kind\` | "${k}" |`);
});

test("every command and exit code, every rule with its failing example, every Network argument", () => {
  for (const c of COMMANDS) expect(docs.get("cli.md")).toContain(`## ${c.name}\n\n${c.summary}`);
  for (const r of RULES) expect(docs.get("rules.md")).toContain(`## ${r.id}\n\n**${r.severity}**: ${r.title}`);
  const fields = Object.keys(NetworkArgs.shape).filter((k) => !k.startsWith("__"));
  for (const f of fields) expect(docs.get("network.md")).toMatch(new RegExp(`^\\| \`${f}\` \\|`, "m"));
});

test("a field without a JSDoc comment is reported, with its place, instead of left blank", () => {
  const tmp = tempDir("hns-docs-");
  try {
    const file = path.join(tmp.dir, "schema.ts");
    writeFileSync(file, 'export const Thing = z.object({\n  /** Documented, defaults to 3. */\n  a: z.number().optional(),\n  b: z.string(),\n});\n');
    const ctx = newContext();
    documentConst(ctx, findConst(file, "Thing")!, z.object({ a: z.number().optional(), b: z.string() }));
    expect(ctx.missing).toEqual([`Thing.b (${file}:4)`]);
    expect(ctx.tables[0].rows.map((r) => [r.name, r.type, r.default])).toEqual([
      ["a", "number", "3"],
      ["b", "string", "required"],
    ]);
  } finally {
    tmp.cleanup();
  }
});
