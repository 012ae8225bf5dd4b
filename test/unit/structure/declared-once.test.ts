/**
 * Issue 26 item 3 as structure: a resource controller builds no not-found error of its own (each
 * kind's is declared beside its HCN schema, provider/hcn/<kind>.ts, with one refresh fix), and
 * only the one formatter (provider/vocabulary/issues.ts, re-exported by provider/vocabulary/errors.ts) reads a zod
 * error's issues. Plain source scans; each also runs on a planted violation, so a scan that
 * finds nothing cannot pass by being blind.
 */
import { HResult, isNotFound } from "../../../provider/vocabulary/errors";
import { REFRESH_FIX, endpointNotFound, namespaceNotFound, networkNotFound } from "../../../provider/hcn";
import { read, tsFilesUnder } from "../../helpers/code-shape";

/** A not-found made by hand: the refresh fix written out, or an HnsError / hnsError given a *_NOT_FOUND code. */
function handMadeNotFound(text: string): string[] {
  const patterns = [/run pulumi refresh/g, /new HnsError\(\s*\{[^}]*?code:\s*"[A-Z_]*NOT_FOUND"/g, /hnsError\(\s*"[A-Z_]*NOT_FOUND"/g];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}

/**
 * Lines that read or word a zod error's issues: `r.error.issues`, `e?.issues`, a destructured
 * `{ issues } = error`, or zod's own wordings (`z.prettifyError`, `flattenError`, `treeifyError`,
 * `error.format()`, `error.flatten()`). A refinement that passes a nested parse's issues on to its
 * own context (`ctx.issues.push`) words nothing, so it is not one.
 */
function zodIssueReads(text: string): string[] {
  const reads = [
    /\b(?:\w*error|err|e)[?!]?\.issues\b/i,
    /\b(?:\w*error|err|e)[?!]?\.?\[\s*["'`]issues["'`]\s*\]/i,
    /\berror\s*:\s*\{\s*issues\b/,
    /\{\s*issues\b[^}]*\}\s*=\s*[\w.?]*(?:error|err|\be)\b/i,
    /\b(?:prettifyError|flattenError|treeifyError|formatError)\s*\(/,
    /\b\w*(?:error|err)\??\.(?:format|flatten)\(/i,
  ];
  return text.split("\n").filter((line) => reads.some((r) => r.test(line)) && !/\bctx\.issues\.push\(/.test(line));
}

/** The formatter itself: provider/vocabulary/issues.ts, re-exported by provider/vocabulary/errors.ts. */
const FORMATTER = ["provider/vocabulary/issues.ts", "provider/vocabulary/errors.ts"];

test("no file under provider/resources builds a not-found error or writes the refresh fix", () => {
  const files = tsFilesUnder("provider/resources");
  expect(files).toEqual(expect.arrayContaining(["provider/resources/network/controller.ts", "provider/resources/policy/sets.ts"]));
  expect(files.flatMap((f) => handMadeNotFound(read(f)).map((hit) => `${f}: ${hit}`))).toEqual([]);
});

test("the not-found scan catches each form of a hand-made one, and not the declared ones in use", () => {
  const planted = [
    'if (!doc) throw new HnsError({ code: "HCN_E_NETWORK_NOT_FOUND", fix: "run pulumi refresh, then pulumi up to re-create it" });',
    'throw new HnsError({\n  code: "ERROR_NOT_FOUND",\n  message: `namespace ${id} is gone`,\n});',
    'throw hnsError("HCN_E_ENDPOINT_NOT_FOUND");',
  ];
  expect(planted.map((t) => handMadeNotFound(t).length)).toEqual([2, 1, 1]);
  expect(handMadeNotFound('if (!doc) throw networkNotFound.gone(id, client.hostName);\nnew HnsError({ code: "Conflict", message: "differs" });')).toEqual([]);
});

test("only the formatter reads a zod error's issues (provider/ and sdk/)", () => {
  const files = [...tsFilesUnder("provider"), ...tsFilesUnder("sdk")].filter((f) => !FORMATTER.includes(f));
  expect(files).toEqual(expect.arrayContaining(["sdk/inputs.ts"]));
  expect(files).toEqual(expect.arrayContaining(["provider/hosts/emulator/state.ts", "provider/planner/lock.ts", "provider/cli/commands/host.ts"]));
  expect(files.flatMap((f) => zodIssueReads(read(f)).map((line) => `${f}: ${line.trim()}`))).toEqual([]);
});

test("the zod-issue scan catches a formatter written in place, and lets a refinement relay issues", () => {
  const planted = [
    "const issue = parsed.error.issues[0];",
    'const text = e.issues.map((i) => i.message).join("; ");',
    "const what = error.issues.slice(0, 3);",
    "const first = parsed.error?.issues.map((i) => i.path);",
    "const { issues } = result.error;",
    "throw new Error(z.prettifyError(r.error));",
    "const tree = z.treeifyError(err);",
    "const flat = r.error.flatten();",
    "const shown = parsed.error?.format();",
    "const bang = parsed.error!.issues;",
    'const bracket = r.error?.["issues"];',
    "const { error: { issues } } = parsed;",
    "const old = z.formatError(r.error);",
  ].join("\n");
  expect(zodIssueReads(planted)).toHaveLength(13);
  expect(zodIssueReads("for (const issue of r.error.issues) ctx.issues.push({ ...issue, input: v });\nresult.issues.push(x);")).toEqual([]);
});

describe.each([
  ["network", networkNotFound, "HCN_E_NETWORK_NOT_FOUND"],
  ["endpoint", endpointNotFound, "HCN_E_ENDPOINT_NOT_FOUND"],
  ["namespace", namespaceNotFound, "ERROR_NOT_FOUND"],
] as const)("a %s not found", (kind, notFound, code) => {
  const id = "11111111-2222-3333-4444-555555555555";
  test("carries its kind's HNS code and HRESULT, so it reads as HNS's own not-found", () => {
    for (const e of [notFound.gone(id, "h1"), notFound.named(id, "h1"), notFound.toAdopt({ id }, "host h1")]) {
      expect(e.code).toBe(code);
      expect(e.hresult).toBe(HResult[code]);
      expect(isNotFound(e)).toBe(true);
    }
  });

  test("gone from the state's host, or named and missing: the one refresh fix, naming the object and the host", () => {
    expect(notFound.gone(id, "h1").toString()).toBe(`${kind} ${id} is gone from host h1 (0x${HResult[code].toString(16).toUpperCase()}). ${REFRESH_FIX}`);
    expect(notFound.named(id, "h1").message).toBe(`${kind} ${id} does not exist on host h1`);
    expect(notFound.named(id, "h1").fix).toBe(REFRESH_FIX);
  });

  test("nothing to adopt: says what adopt named and where it looked, and the fix is not refresh", () => {
    expect(notFound.toAdopt({ name: "web" }, "host h1").message).toBe(`no ${kind} with name "web" on host h1 to adopt`);
    expect(notFound.toAdopt({ id }, "host h1").fix).toMatch(/remove adopt/);
    expect(notFound.toAdopt({ id }, "host h1").fix).not.toBe(REFRESH_FIX);
  });
});
