// A corpus of bad inputs (./bad-inputs.ts): every one is refused by the resource's `check`
// with the field as the user wrote it, a reason and a fix, and without any host being touched
// (check runs in preview, where no host may be reachable).
import { existsSync, mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providers } from "../../../provider";
import { BAD_INPUTS as OLDER, STATE_DIR_PLACEHOLDER, type BadInput } from "./bad-inputs";
import { BAD_VALUES } from "./bad-values";
import { checkResource, expectFix } from "../../helpers/fixtures";

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

/**
 * Failures whose reason carries no fix yet, as "<property>: <reason>": the provider's message
 * needs one (listed so the gap shows; an entry stops matching once its message gains a fix).
 */

describe("bad inputs are refused at check", () => {
  it("the corpus holds at least 150 cases, and the value-type corpus 250 more", () => {
    expect(OLDER.length).toBeGreaterThanOrEqual(150);
    expect(BAD_VALUES.length).toBeGreaterThanOrEqual(250);
  });

  it.each(BAD_INPUTS.map((c): [string, BadInput] => [`${c.kind}: ${c.name}`, c]))("%s", async (_name, c) => {
    const r = await checkResource(providers[c.kind], withStateDir(c.args) as Record<string, unknown>);
    const failures = r.failures ?? [];
    expect(failures.map((f) => f.property)).toContain(c.property);
    for (const f of failures) {
      expect(f.reason.length).toBeGreaterThan(10);
      expectFix(f);
    }
  });

  it("a reason without a fix fails expectFix; each form of a fix passes it", () => {
    for (const bare of ["is not valid", "must be a single line", "only one of a or b", "got 3", "is not a port (rule ports): ", "use: "]) expect(() => expectFix(bare)).toThrow(/expected a fix/);
    expect(() => expectFix({ property: "name", reason: "contains blanks, which HNS refuses" })).toThrow(/expected a fix/);
    expect(() => expectFix({ fix: "" })).toThrow(/expected a fix/);
    expect(() => expectFix({ fix: undefined })).toThrow(/expected a fix/);
    expect(expectFix("clashes with web (rule duplicate-name): rename one of them")).toBe("rename one of them");
    expect(expectFix("got 70000, want at most 65535")).toBe("want at most 65535");
    expect(expectFix('"x" is not a GUID: give one such as "4f2a" (got "x")')).toBe('give one such as "4f2a"');
    expect(expectFix("carries no ports, so nothing can forward them: use \"tcp\"")).toBe('use "tcp"');
    expect(expectFix({ fix: "run pulumi refresh" })).toBe("run pulumi refresh");
  });

  it("no check touched a host", () => {
    expect(existsSync(stateDir)).toBe(false);
  });
});
