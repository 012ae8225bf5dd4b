/**
 * What `ConvertFrom-Json` in PowerShell 7 hands a script, for the PowerShell double.
 *
 * PowerShell 7 parses with Newtonsoft.Json and its default DateParseHandling.DateTime, so a
 * string value that looks like an ISO-8601 date-time ("2024-05-01T10:00:00Z") or a Microsoft
 * JSON date ("/Date(1714557600000)/") arrives as a DateTime, and `[string]` turns it back into
 * text in the invariant culture ("05/01/2024 10:00:00"), offset and fraction gone. Windows
 * PowerShell 5.1 (JavaScriptSerializer) keeps such strings. Public reports:
 * https://github.com/PowerShell/PowerShell/issues/3378 and /issues/13592 (ConvertFrom-Json
 * converts date strings), and PowerShell 7.5 added `-DateKind String` to opt out
 * (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json).
 *
 * Every value the scripts read goes through a `[string]`, `[int]` or `[bool]` cast, so the double
 * hands them the values those casts produce: date-shaped strings come back in their `[string]` form.
 */
"use strict";

/** Newtonsoft's ISO reader: date, 'T', time, optional fraction, optional Z or offset; nothing else. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
/** Newtonsoft's Microsoft-format reader: /Date(ms)/ with an optional ±hhmm offset. */
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** `[string]` of a DateTime in PowerShell: the invariant culture's short date and long time. */
function invariant(y, mo, d, h, mi, s) {
  return `${pad(mo)}/${pad(d)}/${pad(y, 4)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** DateTimeZoneHandling.RoundtripKind: an offset becomes this machine's local time. */
function local(ms) {
  const t = new Date(ms);
  return invariant(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds());
}

function utc(ms) {
  const t = new Date(ms);
  return invariant(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
}

/** The `[string]` form of what Newtonsoft read from a JSON string, or undefined if it stays a string. */
function dateForm(s) {
  let m = ISO.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
    const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || sec > 59) return undefined;
    const zone = m[8];
    if (!zone) return invariant(y, mo, d, h, mi, sec); // DateTimeKind.Unspecified: as written
    const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
    if (zone === "Z") return utc(ms);
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    return local(ms - offset * 60_000);
  }
  m = MS_DATE.exec(s);
  if (m) return m[2] ? local(Number(m[1])) : utc(Number(m[1]));
  return undefined;
}

/** JSON text as a PowerShell 7 script sees it after `ConvertFrom-Json` and a `[string]` cast. */
function convertFromJson(text) {
  return JSON.parse(text, (_key, value) => (typeof value === "string" ? (dateForm(value) ?? value) : value));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The scripts' ConvertFrom-HnsEncodedValue: every string is base64 of UTF-16LE, decoded right
 * after ConvertFrom-Json. [Convert]::FromBase64String throws on anything else (a DateTime's
 * text among them), which fails the command.
 */
function decodeEncodedValue(value) {
  if (typeof value === "string") {
    const text = value.replace(/\s/g, "");
    if (!BASE64.test(text) || text.length % 4 !== 0) throw new Error("The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters.");
    return Buffer.from(text, "base64").toString("utf16le");
  }
  if (Array.isArray(value)) return value.map(decodeEncodedValue);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeEncodedValue(v)]));
  return value;
}

module.exports = { convertFromJson, decodeEncodedValue, dateForm };
