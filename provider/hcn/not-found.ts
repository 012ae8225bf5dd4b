/**
 * The not-found errors of HNS objects, one set per kind, declared beside the kind's schema
 * (networkNotFound in network.ts, ...), as hcsshim's hcn/hcnerrors.go gives each object its own
 * not-found error (NetworkNotFoundError, EndpointNotFoundError, NamespaceNotFoundError) carrying
 * what was looked for. Each carries its kind's HNS code, so isNotFound and the callers that
 * branch on codes treat it as HNS's own; the text and the fix depend on why it was looked for.
 */
import { HnsError, type HResultName } from "../vocabulary/errors";

/**
 * What to do about an object that should be there and is not (deleted by hand, or a NAT network
 * and what hangs on it lost in a reboot): refresh drops it from the state, the next up makes it
 * again.
 */
export const REFRESH_FIX = "run pulumi refresh, then pulumi up to re-create it";

/** What adopt named: an object's ID, or its name. */
export type AdoptTarget = { id: string } | { name: string };

/** An HnsError whose code is known from its type: the one of its kind. */
export type NotFoundError<C extends HResultName> = HnsError & { readonly code: C };

export interface NotFound<C extends HResultName> {
  /** The code HNS answers with when an object of this kind is not there. */
  readonly code: C;
  /** The object a resource's state holds, missing on its host (an update found it gone). */
  gone(id: string, host: string): NotFoundError<C>;
  /** An object a resource names by ID (an endpoint's network, a policy set's target), missing on the host. */
  named(id: string, host: string): NotFoundError<C>;
  /** Nothing under what adopt named, looked for on `where` ("host h1", "network <ID>"). */
  toAdopt(target: AdoptTarget, where: string): NotFoundError<C>;
}

/** The not-found errors of one kind; `adoptFix` says what to do when adopt found nothing. */
export function notFoundErrors<C extends HResultName>(kind: string, code: C, adoptFix = "remove adopt to create it"): NotFound<C> {
  const error = (message: string, fix: string) => new HnsError({ code, message, fix }) as NotFoundError<C>;
  return {
    code,
    gone: (id, host) => error(`${kind} ${id} is gone from host ${host}`, REFRESH_FIX),
    named: (id, host) => error(`${kind} ${id} does not exist on host ${host}`, REFRESH_FIX),
    toAdopt: (target, where) => error(`no ${kind} with ${"id" in target ? `ID ${target.id}` : `name "${target.name}"`} on ${where} to adopt`, adoptFix),
  };
}
