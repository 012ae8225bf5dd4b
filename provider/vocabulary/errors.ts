/**
 * Errors are values with a stable code. Where HNS has an HRESULT we keep it, so the emulator
 * and the PowerShell transport raise the same error for the same condition, and callers
 * branch on codes, never on message text.
 *
 * HRESULT values: HCN facility 0x803B00xx (Microsoft HCNHResult reference, golang/sys
 * zerrors_windows.go); Win32 ones are facility 7 (0x8007xxxx).
 */
import { printableLines } from "./printable";
import type { CheckFailure } from "./issues";

// The one formatter of zod issues, in words for a user's input or for a document (kept in
// ./issues.ts for its length): callers take it from here.
// ./issues.ts also declares CheckFailure, what it produces, so the two do not import each other.
export { issuePaths, issuesText, zodFailures, type CheckFailure, type IssuesTextOptions } from "./issues";

/** HRESULTs we produce or recognise, by the name Windows gives them. */
export const HResult = {
  E_FAIL: 0x80004005,
  E_NOTIMPL: 0x80004001,
  E_ACCESSDENIED: 0x80070005,
  E_INVALIDARG: 0x80070057,
  ERROR_NOT_FOUND: 0x80070490, // "Element not found. "
  ERROR_ALREADY_EXISTS: 0x800700b7, // "Cannot create a file when that file already exists. "
  ERROR_OBJECT_ALREADY_EXISTS: 0x80071392, // "The object already exists. " (Win32 5010)
  HCN_E_NETWORK_NOT_FOUND: 0x803b0001,
  HCN_E_ENDPOINT_NOT_FOUND: 0x803b0002,
  HCN_E_SUBNET_NOT_FOUND: 0x803b0005,
  HCN_E_ADAPTER_NOT_FOUND: 0x803b0006,
  HCN_E_POLICY_NOT_FOUND: 0x803b0008,
  HCN_E_INVALID_NETWORK: 0x803b000a,
  HCN_E_INVALID_NETWORK_TYPE: 0x803b000b,
  HCN_E_INVALID_ENDPOINT: 0x803b000c,
  HCN_E_INVALID_POLICY: 0x803b000d,
  HCN_E_INVALID_POLICY_TYPE: 0x803b000e,
  HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION: 0x803b000f,
  HCN_E_NETWORK_ALREADY_EXISTS: 0x803b0010,
  HCN_E_POLICY_ALREADY_EXISTS: 0x803b0012,
  HCN_E_PORT_ALREADY_EXISTS: 0x803b0013,
  HCN_E_ENDPOINT_ALREADY_ATTACHED: 0x803b0014,
  HCN_E_REQUEST_UNSUPPORTED: 0x803b0015,
  HCN_E_INVALID_JSON: 0x803b001b,
  HCN_E_INVALID_JSON_REFERENCE: 0x803b001c,
  HCN_E_INVALID_IP: 0x803b001e,
  HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: 0x803b002b,
  HCN_E_ENTITY_HAS_REFERENCES: 0x803b002c,
  HCN_E_INVALID_INTERNAL_PORT: 0x803b002d,
  HCN_E_ADDR_INVALID_OR_RESERVED: 0x803b002f,
  HCN_E_INVALID_PREFIX: 0x803b0030,
  HCN_E_INVALID_SUBNET: 0x803b0032,
  HCN_E_ENDPOINT_NOT_ATTACHED: 0x803b0034,
} as const;
export type HResultName = keyof typeof HResult;

/** The text HNS puts in its error record for each code (texts end with ". " as HNS prints them). */
const hnsText: Partial<Record<HResultName, string>> = {
  E_FAIL: "Unspecified error. ",
  E_NOTIMPL: "Not implemented. ",
  E_ACCESSDENIED: "Access is denied. ",
  E_INVALIDARG: "The parameter is incorrect. ",
  ERROR_NOT_FOUND: "Element not found. ",
  ERROR_ALREADY_EXISTS: "Cannot create a file when that file already exists. ",
  ERROR_OBJECT_ALREADY_EXISTS: "The object already exists. ",
  HCN_E_NETWORK_NOT_FOUND: "The network was not found. ",
  HCN_E_ENDPOINT_NOT_FOUND: "The endpoint was not found. ",
  HCN_E_INVALID_NETWORK_TYPE: "The network type is invalid. ",
  HCN_E_INVALID_POLICY: "The provided policy configuration is invalid or missing parameters. ",
  HCN_E_INVALID_POLICY_TYPE: "Invalid policy type. ",
  HCN_E_NETWORK_ALREADY_EXISTS: "A network with this name already exists. ",
  HCN_E_PORT_ALREADY_EXISTS: "A port with the same configuration already exists. ",
  HCN_E_ENDPOINT_ALREADY_ATTACHED: "This endpoint is already attached to the switch. ",
  HCN_E_REQUEST_UNSUPPORTED: "The specified request is unsupported. ",
  HCN_E_INVALID_JSON: "The JSON document is invalid. ",
  HCN_E_INVALID_JSON_REFERENCE: "The JSON document has a reference that is invalid. ",
  HCN_E_INVALID_IP: "The IP address is not part of any configured subnet(s). ",
  HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: "The endpoint is already part of a namespace. ",
  HCN_E_ENTITY_HAS_REFERENCES: "The entity has references and cannot be deleted. ",
  HCN_E_INVALID_INTERNAL_PORT: "The internal port must exist and cannot be zero. ",
  HCN_E_ADDR_INVALID_OR_RESERVED: "The address is invalid or reserved. ",
  HCN_E_INVALID_PREFIX: "The prefix is invalid. ",
  HCN_E_INVALID_SUBNET: "The subnet is invalid. ",
  HCN_E_ENDPOINT_NOT_ATTACHED: "The endpoint is not attached to the namespace. ",
};

/**
 * What to do about the HNS errors a user can fix: an HnsError of one of these codes carries
 * this fix unless it is raised with a more specific one. A real host sends only its text, so
 * the transport and the emulator both rely on this table.
 */
const hnsFix: Partial<Record<HResultName, string>> = {
  HCN_E_PORT_ALREADY_EXISTS: "pick another external port",
  HCN_E_NETWORK_ALREADY_EXISTS: "choose another name or adopt that network",
  HCN_E_ENTITY_HAS_REFERENCES: "delete what refers to it first",
  HCN_E_REQUEST_UNSUPPORTED: "this host's HNS does not support the request; remove it or target a newer Windows host",
  E_ACCESSDENIED: "HNS needs an administrator: run the provider (or log in) as one",
};

const nameByValue = new Map<number, HResultName>(
  (Object.entries(HResult) as [HResultName, number][]).map(([k, v]) => [v, k]),
);

/**
 * The one shape a problem is told in, wherever it is found: a resource's check, a planner
 * finding, an HNS error, the CLI. Each of those converts to it (HnsError.problem(),
 * planner/rules/rule.ts problemOf) and is rendered from it (checkFailureOf, the CLI's errors).
 */
export interface Problem {
  /** A planner rule id, an HRESULT name or a local code. */
  code: string;
  /** Dotted input path; "" when it is about the input as a whole. */
  path: string;
  /** What is wrong, and why HNS or Windows cares. */
  reason: string;
  /** What to do instead. */
  fix?: string;
}

/** A problem as a check failure: "reason (rule code): fix". */
export function checkFailureOf(p: Problem): CheckFailure {
  return { property: p.path || "(inputs)", reason: `${p.reason} (rule ${p.code})${p.fix ? `: ${p.fix}` : ""}` };
}

/** Codes for failures that are not HNS's own: the transport, our validation, our choices. */
export type LocalCode =
  | "InvalidInput" // caught before anything touched a host
  | "TransportFailure" // the session dropped, the shell died, garbage on the wire
  | "ReplyLost" // the call may have committed but no reply arrived
  | "Timeout"
  | "Conflict"; // the object on the host is not the one we expected

export type HnsErrorCode = HResultName | LocalCode;

/** The error record HNS returns next to a failing HRESULT. */
export interface HnsErrorRecord {
  Success: false;
  Error: string;
  ErrorCode: number;
}

export interface HnsErrorInit {
  code: HnsErrorCode;
  message?: string;
  /** What the user can do about it. */
  fix?: string;
  /** Dotted input path when the error is about one field. */
  path?: string;
  hresult?: number;
  cause?: unknown;
}

export class HnsError extends Error {
  override readonly name = "HnsError";
  readonly code: HnsErrorCode;
  readonly hresult?: number;
  readonly fix?: string;
  readonly path?: string;

  constructor(init: HnsErrorInit) {
    const hresult = init.hresult ?? (init.code in HResult ? HResult[init.code as HResultName] : undefined);
    const raw = init.message ?? (init.code in hnsText ? hnsText[init.code as HResultName]!.trim() : init.code);
    // A message may carry a host's text, a name or a path: shown escaped wherever it is printed
    // (the engine's output, hns-plan), through the one sanitiser (printable.ts). Idempotent, so
    // an error sent as data and rebuilt (toJSON) reads the same.
    const text = printableLines(raw.replace(/\r\n/g, "\n"));
    super(text, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.hresult = hresult;
    this.fix = init.fix ?? (init.code in hnsFix ? hnsFix[init.code as HResultName] : undefined);
    this.path = init.path;
  }

  /** HNS's own record for this error, as a host prints it. */
  record(): HnsErrorRecord | undefined {
    if (this.hresult === undefined) return undefined;
    return { Success: false, Error: this.message.endsWith(". ") ? this.message : `${this.message} `, ErrorCode: this.hresult };
  }

  problem(): Problem {
    return { code: this.code, path: this.path ?? "", reason: this.message, ...(this.fix ? { fix: this.fix } : {}) };
  }

  /** A plain object that survives JSON (the transport sends errors as data). */
  toJSON(): HnsErrorInit {
    return { code: this.code, message: this.message, fix: this.fix, path: this.path, hresult: this.hresult };
  }

  override toString(): string {
    const hr = this.hresult === undefined ? "" : ` (0x${this.hresult.toString(16).toUpperCase().padStart(8, "0")})`;
    const p = this.problem();
    return `${p.path ? `${p.path}: ` : ""}${p.reason}${hr}${p.fix ? `. ${p.fix}` : ""}`;
  }
}

/** An HNS error from an HRESULT as a host reports it (the code name comes from the table). */
export function hnsErrorFromHResult(hresult: number, text?: string): HnsError {
  const unsigned = hresult >>> 0;
  const name = nameByValue.get(unsigned);
  return new HnsError({ code: name ?? "E_FAIL", hresult: unsigned, message: text?.trim() || undefined });
}

/** Build an HNS error by name, with HNS's text unless a more specific one is given. */
export function hnsError(code: HResultName, message?: string, fix?: string): HnsError {
  return new HnsError({ code, message, fix });
}

export function isHnsError(e: unknown): e is HnsError {
  return e instanceof HnsError || (typeof e === "object" && e !== null && (e as { name?: unknown }).name === "HnsError");
}

const notFoundCodes: ReadonlySet<HnsErrorCode> = new Set<HnsErrorCode>([
  "ERROR_NOT_FOUND",
  "HCN_E_NETWORK_NOT_FOUND",
  "HCN_E_ENDPOINT_NOT_FOUND",
  "HCN_E_POLICY_NOT_FOUND",
]);

/** Both the Win32 "Element not found" and the HCN-specific codes mean not found (hcsshim hcn/hcnerrors.go treats ERROR_NOT_FOUND and the HCN_E_*_NOT_FOUND codes alike). */
export function isNotFound(e: unknown): boolean {
  return isHnsError(e) && notFoundCodes.has(e.code);
}

export function isCode(e: unknown, ...codes: HnsErrorCode[]): e is HnsError {
  return isHnsError(e) && codes.includes(e.code);
}

/** Failures after which the request may or may not have been applied on the host. */
export function isIndeterminate(e: unknown): boolean {
  return isCode(e, "ReplyLost", "Timeout", "TransportFailure");
}

/**
 * A problem with the files the emulator keeps on this machine (a link, a FIFO or a damaged
 * document in a state file's place, a state directory others can write): the user's to fix, as
 * the message says, not a bug. The CLI reports it like bad input (exit 2).
 */
export class LocalStateError extends Error {
  override readonly name = "LocalStateError";
}
