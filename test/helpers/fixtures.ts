/**
 * The fixture module of the provider tests: argument builders for the resource kinds, the
 * "check a resource" set-up (checkResource, checkedInputs, failuresOf), how a test captures a failure (`errorOf`, `rejectsWith`,
 * `failureOf`) and what "has a fix" means (`expectFix`). Tests share these instead of writing
 * their own copies. It imports only types from provider/, so moving a provider module does not
 * move this file's imports.
 */
import type { HnsError } from "../../provider";
import { seedOf as seedOfIdentity } from "../../provider/kinds/identity";

// ---- Resource arguments -------------------------------------------------------------------

/** A host block as a resource takes it (test/doubles/hosts.ts testHost makes one with state). */
export type HostBlock = object;
type Args = Record<string, unknown>;

/** Pulumi's auto-name seed for a resource, "<project>/<stack>/<Type>/<name>" (the engine's form). */
export const seedOf = (type: "Network" | "Endpoint" | "Namespace" | "Policy", name: string, project = "proj", stack = "dev") => seedOfIdentity({ project, stack }, type, name);

/** A NAT network "web" on 172.20.0.0/24 with its seed; `over` replaces any field. */
export function networkArgs(host: HostBlock, over: Args = {}): Args {
  const name = (over.name as string | undefined) ?? "web";
  return { host, name, type: "nat", subnets: [{ prefix: "172.20.0.0/24" }], __seed: seedOf("Network", name), ...over };
}

/** An endpoint "app" on `network` (its ID) with its seed; `over` replaces any field. */
export function endpointArgs(host: HostBlock, network: string, over: Args = {}): Args {
  const name = (over.name as string | undefined) ?? "app";
  return { host, network, name, __seed: seedOf("Endpoint", name), ...over };
}

/** A namespace "pod" with its seed; `over` replaces any field. */
export function namespaceArgs(host: HostBlock, over: Args = {}): Args {
  const name = (over.name as string | undefined) ?? "pod";
  return { host, name, __seed: seedOf("Namespace", name), ...over };
}

/** A load balancer on `endpoints` (IDs), VIP 10.96.0.10, port 80 to 80; `over` replaces any field. */
export function loadBalancerArgs(host: HostBlock, endpoints: string[], over: Args = {}): Args {
  return { kind: "loadBalancer", host, endpoints, frontendVips: ["10.96.0.10"], portMappings: [{ internalPort: 80, externalPort: 80 }], ...over };
}

// ---- Checking a resource --------------------------------------------------------------------

/** A failure of `check`, as Pulumi takes it. */
export interface CheckFailure {
  property: string;
  reason: string;
}
/** What a provider's `check` returns. */
export interface CheckResult {
  inputs?: Args;
  failures?: CheckFailure[];
}
/** Anything with the dynamic provider's `check` (a resource's provider, or `providers[kind]`). */
export interface Checks {
  check(olds: Args, news: Args): Promise<CheckResult>;
}

/** `check` as the engine calls it for a new resource: no old inputs. */
export function checkResource<P extends Checks>(p: P, args: Args): ReturnType<P["check"]> {
  return p.check({}, args) as ReturnType<P["check"]>;
}

/** The inputs a provider's `check` returns, typed as that provider types them. */
type InputsOf<P extends Checks> = NonNullable<Awaited<ReturnType<P["check"]>>["inputs"]>;

/** The inputs `check` returns for args it must accept; its failures, if any, fail the test. */
export async function checkedInputs<P extends Checks>(p: P, args: Args): Promise<InputsOf<P>> {
  const r = await checkResource(p, args);
  if (r.failures?.length) throw new Error(`check refused the args: ${JSON.stringify(r.failures)}`);
  return r.inputs as InputsOf<P>;
}

/** The failures `check` gives for args ([] when it accepts them). */
export async function failuresOf(p: Checks, args: Args): Promise<CheckFailure[]> {
  return (await checkResource(p, args)).failures ?? [];
}

/** The one failure of a check result at `property` (or its first failure); none fails the test. */
export function failureOf(r: CheckResult, property?: string): CheckFailure {
  const f = (r.failures ?? []).find((x) => property === undefined || x.property === property);
  if (!f) throw new Error(`expected a failure${property === undefined ? "" : ` at ${property}`}, got ${JSON.stringify(r.failures ?? [])}`);
  return f;
}

// ---- Capturing an error ---------------------------------------------------------------------

/** What a promise rejected with, or undefined when it resolved. */
export function errorOf<E = unknown>(p: Promise<unknown>): Promise<E | undefined> {
  return p.then(
    () => undefined,
    (err: unknown) => err as E,
  );
}

/** What a function threw, or undefined when it returned. */
export function thrownBy<E = unknown>(fn: () => unknown): E | undefined {
  try {
    fn();
  } catch (e) {
    return e as E;
  }
  return undefined;
}

/** An HnsError, by its name as the provider marks it (an error sent as data and rebuilt keeps it). */
export function isHnsErrorLike(e: unknown): e is HnsError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "HnsError" && typeof (e as { code?: unknown }).code === "string";
}

/**
 * The HnsError a promise must reject with, with one of `codes` (any code when none is given);
 * a success or another error fails the test, naming what came instead.
 */
export async function rejectsWith(p: Promise<unknown>, ...codes: string[]): Promise<HnsError> {
  const e = await errorOf(p);
  if (!isHnsErrorLike(e)) throw new Error(`expected an HnsError${codes.length ? ` ${codes.join(" or ")}` : ""}, got ${e === undefined ? "success" : String(e)}`);
  if (codes.length && !codes.includes(e.code)) throw new Error(`expected ${codes.join(" or ")}, got ${e.code}: ${e.message}`);
  return e;
}

// ---- "Has a fix" ----------------------------------------------------------------------------

/**
 * How a fix starts: a verb telling the user what to write or do. The provider's messages put
 * the fix last, after the reason (provider/vocabulary/errors.ts checkFailureOf appends "(rule <code>): <fix>";
 * value types write "<reason>: <fix>", "; <fix>" or ", so <fix>", as provider/planner/plan.ts
 * FIX_CLAUSE reads them; provider/vocabulary/issues.ts reasonOf writes "got X, want Y").
 */
const FIX_VERB = "(?:use|write|give|remove|pick|choose|set|keep|put|move|add|swap|list|declare|omit|split|drop|merge|target|pass|want)";
/** checkFailureOf's form: the planner rule's reason, its code, then the fix. */
const RULE_FORM = /^(.+?) \(rule [^)\s]+\): (.+)$/s;
/** reasonOf's form: what was given (or that it is missing), then what to write. */
const GOT_WANT_FORM = /^((?:got|is required).*?),? ((?:want|give) .+)$/s;
/** A reason, then the fix as the last clause (greedy: the last separator a fix verb follows). */
const CLAUSE_FORM = new RegExp(`^(.+)(?:: |; |, so )(${FIX_VERB} \\S.*)$`, "s");
/** A message that is all fix: the field it names is the reason (a value type's one-clause message). */
const FIX_ONLY_FORM = new RegExp(`^(${FIX_VERB} \\S.*)$`, "s");
/** What reasonOf appends after the message: the value given, or the list a port sits in. */
const TRAILER = /^(.*?)((?: \((?:got|in the list) .*\))+)$/s;

/** A message split into its reason and its fix, or no fix when none sits where one belongs. */
export function splitFix(text: string): { reason: string; fix?: string } {
  const body = TRAILER.exec(text)?.[1] ?? text;
  for (const form of [RULE_FORM, GOT_WANT_FORM, CLAUSE_FORM]) {
    const m = form.exec(body);
    if (m && m[1]!.trim() && m[2]!.trim()) return { reason: m[1]!, fix: m[2]! };
  }
  const only = FIX_ONLY_FORM.exec(body);
  return only ? { reason: "", fix: only[1]! } : { reason: body };
}

/**
 * Asserts `x` carries a non-empty fix where its kind keeps one: the `fix` field of an HnsError,
 * a Problem or a planner finding; the last clause of a check failure's reason (or of a message
 * given as text). Returns the fix.
 */
export function expectFix(x: string | CheckFailure | { fix?: unknown }): string {
  if (typeof x === "object" && x !== null && !("reason" in x && "property" in x)) {
    const fix = (x as { fix?: unknown }).fix;
    if (typeof fix !== "string" || !fix.trim()) throw new Error(`expected a fix, got none on ${String(x)}`);
    return fix;
  }
  const text = typeof x === "string" ? x : x.reason;
  const { fix } = splitFix(text);
  if (!fix?.trim()) throw new Error(`expected a fix after the reason, got none in: ${text}`);
  return fix;
}

// ---- Waiting for an event -------------------------------------------------------------------

/**
 * Polls `ok` until it holds, for an event the code under test gives no promise for (a process
 * gone from /proc, a file appearing). A condition, never a fixed wait; no clock budget of its
 * own: jest's per-test timeout bounds it.
 */
export async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 25));
}
