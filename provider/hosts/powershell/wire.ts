/**
 * The wire between the provider and the PowerShell side. Data crosses into PowerShell only as
 * base64 JSON handed to one of a few fixed functions, so no value (a name, a DNS suffix, a
 * password) is ever part of script text. Inside that JSON every string is itself base64, so
 * `ConvertFrom-Json` never sees a value it could reinterpret (PowerShell 7 turns date-shaped
 * strings into DateTime; see encodeStrings). Replies come back as one tagged line of base64
 * JSON, so stray output can never be mistaken for data, and are validated with zod.
 */
import { z } from "zod";
import { HnsError, hnsErrorFromHResult, issuesText } from "../../vocabulary/errors";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The functions session.ps1 defines; the only commands besides loading the prelude itself. */
export type SessionFunction = "Open-HnsSession" | "Import-HnsAgent" | "Invoke-HnsAgent";

/** UTF-8 JSON as base64; asserts the alphabet, since the result is the one thing spliced into command text. */
export function toBase64Json(value: unknown): string {
  return assertBase64(Buffer.from(JSON.stringify(value), "utf8").toString("base64"));
}

export function assertBase64(text: string): string {
  if (!BASE64.test(text)) throw new Error("internal error: a PowerShell argument is not base64");
  return text;
}

/** `Fn '<base64>'`: single quotes cannot be closed from inside the base64 alphabet. */
export function functionCall(fn: SessionFunction, payload: unknown): string {
  return `${fn} '${toBase64Json(encodeStrings(payload))}'`;
}

/**
 * Every string in a payload (at any depth; keys are ours and stay as they are) replaced by
 * the base64 of its UTF-16LE code units: .NET strings are UTF-16 too, so any JavaScript string
 * (a lone surrogate included) arrives unit for unit. PowerShell 7's ConvertFrom-Json reads a string such as
 * "2024-05-01T10:00:00Z" or "/Date(0)/" as a DateTime, and `[string]` then gives
 * "05/01/2024 10:00:00" (https://github.com/PowerShell/PowerShell/issues/3378); Windows
 * PowerShell 5.1 does not, and only PowerShell 7.5 can opt out (`-DateKind String`). A base64
 * string has neither '-' nor ':' nor '(', so neither version converts it; the scripts decode
 * every string right after ConvertFrom-Json (ConvertFrom-HnsEncodedValue).
 */
export function encodeStrings(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf16le").toString("base64");
  if (Array.isArray(value)) return value.map(encodeStrings);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeStrings(v)]));
  return value;
}

/** Dot-sources a script of ours, passed as base64 so that multi-line text arrives as one stdin line. */
export function dotSourceCommand(script: string): string {
  const b64 = assertBase64(Buffer.from(script, "utf8").toString("base64"));
  return `. ([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}'))))`;
}

export const REPLY_TAG = "hns-reply:";

/** What an HNS call (or opening the session) failed with, as the agent reports it. */
export const AgentFailure = z.object({
  /** The function that failed: HcnCreateNetwork, HNSCall, New-PSSession, or "agent" for the script itself. */
  fn: z.string(),
  hresult: z.number().int().min(0).max(0xffffffff),
  /** HNS's error record, as the JSON text HNS returned (it may be absent). */
  record: z.string().nullable(),
  /** A message when there is no record (a PowerShell exception). */
  message: z.string().nullable(),
});
export type AgentFailure = z.infer<typeof AgentFailure>;

const Reply = z.discriminatedUnion("ok", [
  z.object({ v: z.literal(1), id: z.string(), ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ v: z.literal(1), id: z.string(), ok: z.literal(false), error: AgentFailure }).strict(),
]);
export type Reply = z.infer<typeof Reply>;

/** Why a reply could not be used; the session that produced it is not trusted again. */
export class UnreadableReply extends Error {}

/**
 * The reply line in a command's stdout. Untagged lines (a profile's banner, a warning) are
 * ignored; exactly one tagged line must be there, decode to JSON and answer this request.
 */
export function readReply(stdout: string, requestId: string): Reply {
  const tagged = stdout.split(/\r?\n/).filter((l) => l.startsWith(REPLY_TAG));
  if (tagged.length !== 1) {
    throw new UnreadableReply(tagged.length === 0 ? `no reply line in the output (${describe(stdout)})` : `${tagged.length} reply lines in the output`);
  }
  const b64 = tagged[0].slice(REPLY_TAG.length).trim();
  if (!BASE64.test(b64) || b64.length % 4 !== 0) throw new UnreadableReply("the reply line is not base64 (cut short?)");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
  } catch {
    throw new UnreadableReply("the reply is not JSON (cut short?)");
  }
  const r = Reply.safeParse(json);
  if (!r.success) throw new UnreadableReply(`the reply has an unexpected shape (${issuesText(r.error, { at: false, limit: 1 })})`);
  if (r.data.id !== requestId) throw new UnreadableReply(`the reply answers request ${r.data.id}, not ${requestId}`);
  return r.data;
}

/** Length and a hint of the text, never the text itself (it could echo a command). */
function describe(stdout: string): string {
  const t = stdout.trim();
  return t.length === 0 ? "empty" : `${t.length} characters of other text`;
}

const ErrorRecord = z.object({ Success: z.literal(false).optional(), Error: z.string(), ErrorCode: z.number().int() }).loose();

/**
 * The same HnsError the emulator raises for the same condition: the code comes from the
 * HRESULT (or the record's ErrorCode when HNS reported success with a record, which hcsshim
 * also treats as a failure), the text from HNS's record.
 */
export function hnsErrorOf(failure: AgentFailure): HnsError {
  let record: z.infer<typeof ErrorRecord> | undefined;
  if (failure.record) {
    try {
      const parsed = ErrorRecord.safeParse(JSON.parse(failure.record));
      if (parsed.success) record = parsed.data;
    } catch {
      // Not JSON: the HRESULT alone decides.
    }
  }
  const failed = (failure.hresult & 0x80000000) !== 0;
  const hresult = failed || !record ? failure.hresult : record.ErrorCode;
  // The fix for a code a user can act on comes from errors.ts: a host sends only its text.
  return hnsErrorFromHResult(hresult, record?.Error ?? failure.message ?? undefined);
}

