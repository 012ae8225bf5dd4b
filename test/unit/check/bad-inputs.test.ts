// A corpus of bad inputs (./bad-inputs.ts): every one is refused by the resource's `check`
// with the field as the user wrote it, a reason and a fix, and without any host being touched
// (check runs in preview, where no host may be reachable).
import { existsSync, mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providers } from "../../../provider";
import { BAD_INPUTS as OLDER, STATE_DIR_PLACEHOLDER, type BadInput } from "./bad-inputs";
import { BAD_VALUES } from "./bad-values";

const BAD_INPUTS = [...OLDER, ...BAD_VALUES];

const root = mkdtempSync(path.join(os.tmpdir(), "bad-inputs-"));
const stateDir = path.join(root, "never-created");

function withStateDir(v: unknown, depth = 0): unknown {
  if (v === STATE_DIR_PLACEHOLDER) return stateDir;
  // The placeholder sits near the top; a deliberately deep case is passed on as it is.
  if (depth > 16) return v;
  if (Array.isArray(v)) return v.map((x) => withStateDir(x, depth + 1));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withStateDir(x, depth + 1)]));
  return v;
}

/** A fix tells the user what to write or do instead. */
const FIX = /\b(want|use|remove|give|set|pick|choose|needs?|must|only|instead|write|put|move|add|split|declare|target|drop|keep|list|merge|omit|swap|allowInsecure)\b/i;

describe("bad inputs are refused at check", () => {
  it("the corpus holds at least 150 cases, and the value-type corpus 250 more", () => {
    expect(OLDER.length).toBeGreaterThanOrEqual(150);
    expect(BAD_VALUES.length).toBeGreaterThanOrEqual(250);
  });

  it.each(BAD_INPUTS.map((c): [string, BadInput] => [`${c.kind}: ${c.name}`, c]))("%s", async (_name, c) => {
    const r = await providers[c.kind].check({}, withStateDir(c.args) as Record<string, unknown>);
    const failures = r.failures ?? [];
    expect(failures.map((f) => f.property)).toContain(c.property);
    for (const f of failures) {
      expect(f.reason.length).toBeGreaterThan(10);
      expect(f.reason).toMatch(FIX);
    }
  });

  it("no check touched a host", () => {
    expect(existsSync(stateDir)).toBe(false);
  });
});
