/**
 * The one output sanitiser: text that came from a user, a state file, an export or a host is
 * shown with every character a terminal would act on written out as a `\uXXXX` escape, so it
 * cannot move the cursor, clear the screen, set the window title (OSC), ring the bell, hide
 * itself, or reorder what is around it.
 *
 * What is escaped, and why:
 * - C0 controls U+0000-U+001F and DEL U+007F: ESC starts every escape sequence (CSI `ESC [`,
 *   OSC `ESC ]`, ECMA-48 https://ecma-international.org/publications-and-standards/standards/ecma-48/),
 *   BEL ends an OSC, CR overwrites the line.
 * - C1 controls U+0080-U+009F: single-character forms of the same introducers (CSI is U+009B,
 *   OSC U+009D, ECMA-48 section 5.3), which some terminals honour.
 * - Unicode bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A-U+202E,
 *   U+2066-U+2069; Unicode Standard Annex #9, https://www.unicode.org/reports/tr9/), which
 *   reorder what is displayed ("Trojan Source", CVE-2021-42574), and the invisible ones that
 *   hide text (zero-width U+200B-U+200D, word joiner U+2060-U+2064, BOM U+FEFF, the line and
 *   paragraph separators U+2028/U+2029, interlinear annotations U+FFF9-U+FFFB).
 * - Lone surrogates, which are not text.
 *
 * The escape `\uXXXX` is also a valid JSON string escape, so JSON output stays valid JSON after
 * passing through here. Backslashes are left alone: Windows paths and `DOMAIN\user` stay readable.
 */

const ALWAYS = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb";
/** Line break and tab escaped too: for one value that must stay on its line. */
const VALUE = new RegExp(`[\\t\\n${ALWAYS}]|\\p{Cs}`, "gu");
/** Line break and tab kept: for whole lines of output the program composed. */
const LINES = new RegExp(`[${ALWAYS}]|\\p{Cs}`, "gu");

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One value (a name, a URN, a path, an error from a host) fit to print: nothing in it acts on a terminal, and it stays on one line. */
export function printable(value: string): string {
  return value.replace(VALUE, escape);
}

/** Lines of output fit to print: as printable(), but line breaks and tabs are kept. */
export function printableLines(text: string): string {
  return text.replace(LINES, escape);
}
