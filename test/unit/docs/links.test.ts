/**
 * The documentation's relative links lead somewhere: every link in README.md, CHANGELOG.md,
 * docs/ and the examples' READMEs names a file or directory of this repository, and a
 * "#fragment" names a heading of the target page, slugged the way GitHub renders headings
 * (https://github.com/Flet/github-slugger: lower case, punctuation other than "-" and "_"
 * dropped, each space a "-", a repeated heading gets "-1", "-2", ...). And nothing points
 * outside the repository: no relative path climbs above its root, and no code or doc names a
 * directory beside the repository (a clone has only the repository).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");
const SKIP_DIRS = new Set(["node_modules", "dist", "coverage", ".git", ".pulumi-state", ".hns-emulator"]);

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

const markdown = (p: string) => p.endsWith(".md");
const DOC_FILES = [
  path.join(REPO, "README.md"),
  path.join(REPO, "CHANGELOG.md"),
  ...walk(path.join(REPO, "docs"), markdown),
  ...walk(path.join(REPO, "examples"), markdown),
].filter((f) => existsSync(f));

/** The text outside fenced code blocks and inline code spans, where links render. */
export function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`+[^`\n]*`+/g, "");
}

/** Inline links `[text](target "title")`, images included, and reference definitions `[x]: target`. */
export function linkTargets(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const defined = [...body.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]);
  return [...inline, ...defined];
}

/** GitHub's heading anchor. */
export function slug(heading: string): string {
  const text = heading
    .replace(/<[^>]+>/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "");
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/\s/g, "-");
}

/** Every anchor a page offers: its headings (with GitHub's -1, -2 for repeats) and explicit ids. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  // A heading's inline code is part of its anchor (GitHub drops only the backticks), so only
  // fenced blocks are left out here, not inline code as prose() does.
  const withoutFences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1].replace(/`/g, ""));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]);
  return out;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with one link of `file`, or undefined when it resolves. */
function problem(file: string, target: string): string | undefined {
  const [rawPath, fragment] = target.split("#", 2);
  const linkPath = decodeURIComponent(rawPath);
  const resolved = linkPath ? path.resolve(path.dirname(file), linkPath) : file;
  if (path.relative(REPO, resolved).startsWith("..")) return "points outside the repository";
  if (!existsSync(resolved)) return "no such file";
  if (fragment === undefined || fragment === "") return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) return `#${fragment} on a page that is not markdown`;
  if (!anchors(readFileSync(resolved, "utf8")).has(decodeURIComponent(fragment))) return `no heading #${fragment}`;
  return undefined;
}

describe("documentation links", () => {
  test("the pages this test reads are there", () => {
    expect(DOC_FILES.map((f) => path.relative(REPO, f))).toEqual(expect.arrayContaining(["README.md", "docs/reference/topology.md"]));
  });

  test("every relative link names a file of the repository and, with a #fragment, a heading of it", () => {
    const broken: string[] = [];
    for (const file of DOC_FILES) {
      for (const target of linkTargets(readFileSync(file, "utf8"))) {
        if (isExternal(target)) continue;
        const why = problem(file, target);
        if (why) broken.push(`${path.relative(REPO, file)}: (${target}) ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("the checker finds what it is meant to find", () => {
    expect(slug("`hns-plan validate`")).toBe("hns-plan-validate");
    expect(slug("TopologyNetwork.macPool")).toBe("topologynetworkmacpool");
    expect(slug("When a deployment was interrupted")).toBe("when-a-deployment-was-interrupted");
    expect([...anchors("# A\n## B c\n## B c\n```\n# not a heading\n```\n")]).toEqual(["a", "b-c", "b-c-1"]);
    expect(linkTargets("[a](x.md) `[b](y.md)` ![i](img.png \"t\")\n[r]: docs/z.md\n```\n[c](w.md)\n```\n")).toEqual(["x.md", "img.png", "docs/z.md"]);
    const readme = path.join(REPO, "README.md");
    expect(problem(readme, "docs/no-such-page.md")).toBe("no such file");
    expect(problem(readme, "../outside.md")).toBe("points outside the repository");
    expect(problem(readme, "#no-such-heading")).toBe("no heading #no-such-heading");
    expect(problem(readme, "docs/reference/")).toBeUndefined();
  });
});

describe("nothing outside the repository", () => {
  // The directory beside the repository that a working copy may have and a clone has not:
  // "shared/" as a path of its own (possibly after "../" steps), not the end of a longer name.
  const SIBLING = /(^|[^\w/.-])(\.\.\/)*shared\//;
  const FILES = walk(REPO, (p) => /\.(ts|md)$/.test(p)).filter(
    // The corpus index lists the public URLs its documents came from; URLs are not paths.
    (p) => path.relative(REPO, p) !== path.join("test", "fixtures", "hns-corpus", "INDEX.md") && p !== __filename,
  );

  test("no code or doc names a directory beside the repository", () => {
    const hits: string[] = [];
    for (const file of FILES) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (SIBLING.test(line.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, ""))) hits.push(`${path.relative(REPO, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  test("the pattern catches what it is meant to catch", () => {
    // The samples are assembled, so this file does not itself name the directory it looks for.
    const up = (n: number) => "../".repeat(n);
    for (const line of [`see ${up(1)}shared/hcn/notes.md`, `require("${up(2)}shared/x")`, "in shared/hcn/", "(shared/docs)", "the shared/ folder"]) expect(SIBLING.test(line)).toBe(true);
    for (const line of ["sharedState/x", "provider/shared/x.ts", "provider/shared.ts", "a shared cache", "not-shared/x"]) expect(SIBLING.test(line)).toBe(false);
  });
});
