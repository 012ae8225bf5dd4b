/** How the contract suites say "this call must fail so": by the error's code, never its text. */
import { isCode, isNotFound, type HnsErrorCode } from "../../provider/vocabulary/errors";
import { errorOf } from "../helpers/fixtures";

/** The error codes a promise must fail with (several where HNS's choice is not documented). */
export async function failsWith(p: Promise<unknown>, ...codes: HnsErrorCode[]): Promise<void> {
  const e = await errorOf(p);
  if (!isCode(e, ...codes)) throw new Error(`expected ${codes.join(" or ")}, got ${e === undefined ? "success" : String(e)}`);
}

/** Any not-found code (HCN's per kind, or Win32 "Element not found"). */
export async function failsNotFound(p: Promise<unknown>): Promise<void> {
  const e = await errorOf(p);
  if (!isNotFound(e)) throw new Error(`expected a not-found error, got ${e === undefined ? "success" : String(e)}`);
}

/** Any failure at all: where the peer's test only checks that HNS refused. */
export async function fails(p: Promise<unknown>): Promise<unknown> {
  const e = await errorOf(p);
  if (e === undefined) throw new Error("expected the call to fail, it succeeded");
  return e;
}
