/**
 * Text a user writes as a name: HNS network names, endpoint names, namespace labels, topology
 * names. HNS stores any string, but a name is printed by every tool that lists objects
 * (Get-HnsNetwork, docker network ls, this project's CLI), so characters that change how
 * text is shown or read are refused: controls (Cc, U+0085 included), format characters (Cf:
 * bidi overrides such as U+202E, zero-width characters, the BOM; Unicode TR #36 §2 lists them
 * as the spoofing risk), line and paragraph separators, lone surrogates, private-use and
 * unassigned code points, and every blank but the ordinary space (HNS's own "Default Switch"
 * has one). Text must be in NFC so that two names that look alike are one name.
 */
import { NAME_MAX_LENGTH } from "../facts/ranges";
import { quote, valueType } from "./spec";

// Default-ignorable code points (Hangul fillers U+3164, U+115F, U+FFA0, variation selectors,
// U+034F, U+17B4) render as nothing; U+2800 (braille blank) and U+FFFC render as a blank or a box.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800\uFFFC]/u;
/** A combining mark first has no character to combine with: it shows over whatever precedes the name. */
const LEADING_MARK = /^\p{M}/u;
const OTHER_BLANK = /[^\S ]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function codePointName(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Problems of display text, whatever else a name must be. */
export function displayTextProblem(v: string, max: number = NAME_MAX_LENGTH): string | undefined {
  if (v.length === 0) return "is empty: give a name of at least 1 character";
  if (LONE_SURROGATE.test(v)) return "contains a lone surrogate (broken UTF-16): give the name as proper Unicode text";
  const bad = FORBIDDEN.exec(v) ?? OTHER_BLANK.exec(v);
  if (bad) {
    return `contains ${codePointName(bad[0])}, a control, format, separator or invisible character that changes how the name is shown: use printable characters and ordinary spaces only`;
  }
  if (LEADING_MARK.test(v)) return "starts with a combining mark, which shows over whatever text precedes the name: start it with a letter, digit or symbol";
  if (v !== v.normalize("NFC")) return `is not in Unicode NFC (composed) form: write ${quote(v.normalize("NFC"))}, which looks the same`;
  if (v.trim() !== v) return "starts or ends with a space: remove it (tools that print the name would hide it)";
  const length = [...v].length;
  if (length > max) return `is ${length} characters long: use at most ${max}`;
  return undefined;
}

export const DisplayName = valueType<string>(
  {
    name: "DisplayName",
    summary: `An HNS object name (network, endpoint) or a namespace label: 1-${NAME_MAX_LENGTH} characters of printable Unicode in NFC.`,
    accepts: ["letters, digits, punctuation and symbols of any script", "an ordinary space (U+0020) between words"],
    refuses: [
      "control characters (U+0000-U+001F, U+007F-U+009F, U+0085 included)",
      "format characters: bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width characters (U+200B-U+200D), U+FEFF, soft hyphen",
      "default-ignorable characters that render as nothing (Hangul fillers U+3164, U+115F, U+FFA0; variation selectors; U+034F), U+2800 (braille blank), U+FFFC, and a combining mark at the start",
      "line and paragraph separators (U+2028, U+2029) and every blank but U+0020 (no-break space, ideographic space, tab)",
      "lone surrogates, private-use and unassigned code points",
      "text not in Unicode NFC, a leading or trailing space, an empty name, more than the length limit",
    ],
    examples: ["web", "Default Switch", "réseau-1"],
  },
  (v) => displayTextProblem(v),
);

/** A name inside a topology: it is also part of lock-file keys ("host/network/endpoint") and resource names. */
export const TopologyName = valueType<string>(
  {
    name: "TopologyName",
    summary: "A name in a topology document: a DisplayName without '/' (the lock file's key separator) and without spaces (it becomes part of resource names).",
    accepts: ["what DisplayName accepts, without '/' or spaces"],
    refuses: ["what DisplayName refuses", "'/' and spaces"],
    examples: ["node-1", "web"],
  },
  (v) => displayTextProblem(v) ?? (/[/ ]/.test(v) ? 'contains "/" or a space: use a name without them (it is part of lock-file keys and resource names)' : undefined),
);

/**
 * A DNS name (RFC 1123 §2.1 host names: labels of letters, digits and '-', not starting or
 * ending with '-', at most 63 characters each, 253 in all; '_' is allowed too because service
 * names use it, RFC 2782). An optional final dot makes it absolute.
 */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

export function dnsNameProblem(v: string): string | undefined {
  if (v.length === 0) return 'is empty: give a DNS name such as "corp.example.com"';
  const body = v.endsWith(".") ? v.slice(0, -1) : v;
  if (body.length > 253) return `is ${body.length} characters long: a DNS name has at most 253 (RFC 1035 §2.3.4)`;
  const labels = body.split(".");
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) {
    return `has the label ${quote(bad)}: use labels of 1-63 letters, digits, '-' and '_' between dots, not starting or ending with '-' (RFC 1123), e.g. "corp.example.com"`;
  }
  return undefined;
}

export const DnsName = valueType<string>(
  {
    name: "DnsName",
    summary: "A DNS name or search suffix (RFC 1123 labels, at most 253 characters).",
    accepts: ["labels of 1-63 letters, digits, '-' and '_' between dots", "a final dot"],
    refuses: ["blanks, empty labels (a..b), a label starting or ending with '-'", "labels over 63 or names over 253 characters", "any other character"],
    examples: ["corp.example.com", "svc.cluster.local"],
  },
  dnsNameProblem,
);
