/**
 * Generates docs/reference/*.md from the code: zod schemas (types via z.toJSONSchema, text
 * from the JSDoc comments beside each field), the SDK classes' outputs, the host union, the
 * HCN policy unions, the CLI's commands and exit codes, and the planner's rule catalog.
 *
 *   ts-node scripts/gen-docs.ts          write the files
 *   ts-node scripts/gen-docs.ts --check  exit 1 if a committed file differs (CI)
 *
 * Fails, writing nothing, when a field has no description: every field needs a JSDoc comment
 * where it is declared.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resetSources } from "./docs/jsdoc";
import { buildPages, REPO } from "./docs/pages";

export const DOCS_DIR = path.join(REPO, "docs", "reference");

export class UndocumentedError extends Error {}

/** Every reference page by file name; throws UndocumentedError listing each gap. */
export function generateDocs(): Map<string, string> {
  resetSources();
  const { pages, ctx } = buildPages();
  const problems = ctx.missing.map((m) => `no description for ${m}: add a JSDoc comment where the field is declared`);
  if (problems.length) throw new UndocumentedError(`reference docs not generated:\n  ${problems.join("\n  ")}`);
  return new Map(pages.map((p) => [p.file, p.text]));
}

/** Files whose committed text differs from the generated one (missing and extra files included). */
export function staleDocs(generated: Map<string, string>, dir = DOCS_DIR): string[] {
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".md")) : [];
  const stale = [...generated].filter(([file, text]) => !fs.existsSync(path.join(dir, file)) || fs.readFileSync(path.join(dir, file), "utf8") !== text).map(([f]) => f);
  return [...stale, ...present.filter((f) => !generated.has(f))].sort();
}

if (require.main === module) {
  try {
    const docs = generateDocs();
    if (process.argv.includes("--check")) {
      const stale = staleDocs(docs);
      if (stale.length) {
        console.error(`docs/reference is out of date (${stale.join(", ")}): run \`npm run docs\``);
        process.exitCode = 1;
      }
    } else {
      fs.mkdirSync(DOCS_DIR, { recursive: true });
      for (const f of staleDocs(docs)) if (!docs.has(f)) fs.rmSync(path.join(DOCS_DIR, f));
      for (const [file, text] of docs) fs.writeFileSync(path.join(DOCS_DIR, file), text);
      console.log(`wrote ${docs.size} files to ${path.relative(process.cwd(), DOCS_DIR) || DOCS_DIR}`);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
