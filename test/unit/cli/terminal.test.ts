/**
 * The one output sanitiser (provider/vocabulary/printable.ts) and the terminal built on it: text from a
 * file or a host never reaches a terminal as a control character or escape sequence; the
 * colour this program adds still does, and cannot be forged by the text it prints.
 */
import { PassThrough } from "node:stream";
import { printable, printableLines } from "../../../provider/vocabulary/printable";
import { terminal } from "../../../provider/cli/terminal";

/** Examples of each class: C0 (ESC, BEL, CR, BS, NUL), DEL, CSI/OSC/DCS sequences, their C1 forms, bidi and invisible formatting, lone surrogates. */
const HOSTILE: [string, string][] = [
  ["\u001b[2J", "\\u001b[2J"], // CSI: clear screen
  ["\u001b]0;pwned\u0007", "\\u001b]0;pwned\\u0007"], // OSC: window title, ended by BEL
  ["\u001b]8;;http://x\u001b\\", "\\u001b]8;;http://x\\u001b\\"], // OSC 8 hyperlink, ended by ST
  ["\u001bP+q\u001b\\", "\\u001bP+q\\u001b\\"], // DCS
  ["\u009b31m", "\\u009b31m"], // C1 CSI
  ["\u009d0;x\u009c", "\\u009d0;x\\u009c"], // C1 OSC and ST
  ["a\rb", "a\\u000db"], // CR: overwrite the line
  ["a\bb\u0000\u007f", "a\\u0008b\\u0000\\u007f"],
  ["\u202eevil\u202c", "\\u202eevil\\u202c"], // RLO ... PDF
  ["\u2066x\u2069\u200f\u061c", "\\u2066x\\u2069\\u200f\\u061c"], // isolates, RLM, ALM
  ["in\u200bvisible\ufeff\u2028", "in\\u200bvisible\\ufeff\\u2028"],
  ["\ud800", "\\ud800"], // lone surrogate
];

test.each(HOSTILE)("printable escapes %j", (raw, shown) => {
  expect(printable(raw)).toBe(shown);
  expect(printableLines(raw)).toBe(shown);
});

test("a value stays on its line; whole lines keep their breaks; ordinary text, paths and non-Latin text are unchanged", () => {
  expect(printable("a\nb\tc")).toBe("a\\u000ab\\u0009c");
  expect(printableLines("a\nb\tc")).toBe("a\nb\tc");
  for (const plain of ["C:\\ProgramData\\docker", "DOMAIN\\user", "10.0.0.1/24 → 80", "сеть-1", "网络", "✓ valid"]) expect(printable(plain)).toBe(plain);
});

test("the escapes keep JSON valid: JSON output passed through printableLines parses to the same value", () => {
  const value = { name: HOSTILE.map(([raw]) => raw).join("") };
  const text = printableLines(JSON.stringify(value, null, 2));
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  expect(JSON.parse(text)).toEqual(value);
});

function capture(color: boolean) {
  const stream = () => Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream & PassThrough;
  const stdout = stream();
  const stderr = stream();
  const got = { out: "", err: "" };
  stdout.on("data", (d) => (got.out += d));
  stderr.on("data", (d) => (got.err += d));
  return { term: terminal({ stdout, stderr, env: {}, color }), got };
}

test("out, err and progress escape what they print; paint's colour gets through and its markers cannot be forged", () => {
  const { term, got } = capture(true);
  const red = term.paint("red", "x");
  term.out(`${red} \u001b[31mforged\u001b]0;t\u0007`);
  // Text that copies a marker's shape cannot turn into a real sequence: the nonce is unknown to it.
  term.err(`\ue000deadbeefdeadbeef:0:o\ue001y \u009b2J`);
  term.progress("p\u001b[2J");
  expect(got.out).toBe("\u001b[31mx\u001b[39m \\u001b[31mforged\\u001b]0;t\\u0007\n");
  expect(got.err).toBe("\ue000deadbeefdeadbeef:0:o\ue001y \\u009b2J\n\r\u001b[Kp\\u001b[2J");
});

test("negative control: a terminal without the sanitiser would pass the sequences through (what the checks above detect)", () => {
  const raw = "\u001b]0;pwned\u0007";
  expect(raw).toMatch(/[\u0000-\u001f]/);
  expect(printable(raw)).not.toMatch(/[\u0000-\u001f]/);
});

test("provider messages go through it too: an HnsError carrying a host's or a file's text is escaped, the same after a round trip as data", () => {
  const { HnsError } = require("../../../provider/vocabulary/errors") as typeof import("../../../provider/vocabulary/errors");
  const e = new HnsError({ code: "E_FAIL", message: "network \u001b]0;pwned\u0007x\u202e failed\r\nsecond line" });
  expect(e.message).toBe("network \\u001b]0;pwned\\u0007x\\u202e failed\nsecond line");
  expect(e.problem().reason).toBe(e.message);
  expect(new HnsError(e.toJSON()).message).toBe(e.message);
});
