/**
 * The fenced code blocks of a Markdown page, each with the heading it sits under, so a test can
 * run a page's commands exactly as printed (issue 25: commands that paste as printed).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface CodeBlock {
  /** The fence's info string ("sh", "ts", ""). */
  lang: string;
  /** The block's text, without the fences, ending in a newline. */
  text: string;
  /** The nearest heading above it, without the #s. */
  heading: string;
}

const REPO = path.resolve(__dirname, "../..");

export function codeBlocks(page: string): CodeBlock[] {
  const lines = readFileSync(path.resolve(REPO, page), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const h = /^#+\s+(.*)$/.exec(lines[i]);
    if (h) heading = h[1].trim();
    // A fence may be indented (a block inside a list item); its lines lose that indentation.
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(Math.min(indent, lines[i].length - lines[i].trimStart().length)));
    blocks.push({ lang: open[2], text: body.join("\n") + "\n", heading });
  }
  return blocks;
}

/** The one block under `heading` of language `lang` whose text contains `marker`; throws otherwise. */
export function theBlock(page: string, heading: string, lang: string, marker = ""): CodeBlock {
  const found = codeBlocks(page).filter((b) => b.heading === heading && b.lang === lang && b.text.includes(marker));
  if (found.length !== 1) throw new Error(`${page}: want one \`\`\`${lang} block under "${heading}" containing ${JSON.stringify(marker)}, found ${found.length}`);
  return found[0];
}

/** A shell block as one command line: backslash-newline continuations joined. */
export const oneLine = (text: string): string => text.replace(/\\\n\s*/g, "").trim();
