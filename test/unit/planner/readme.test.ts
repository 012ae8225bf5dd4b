/** The README's rule table is generated from the catalog: this fails when they drift. */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../../provider/planner";

const README = path.resolve(__dirname, "../../../README.md");

function ruleTable(): string {
  const rows = RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.title.replace(/\|/g, "\\|")} |`);
  return ["| Rule | Severity | Checks that |", "|---|---|---|", ...rows].join("\n");
}

test(`the README lists every planner rule (UPDATE_README=1 rewrites the table)`, () => {
  const text = fs.readFileSync(README, "utf8");
  const block = /<!-- rules -->\n([\s\S]*?)<!-- \/rules -->/;
  const want = `${ruleTable()}\n`;
  if (process.env.UPDATE_README === "1") fs.writeFileSync(README, text.replace(block, `<!-- rules -->\n${want}<!-- /rules -->`));
  expect(block.exec(fs.readFileSync(README, "utf8"))?.[1]).toBe(want);
});
