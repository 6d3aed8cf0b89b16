import type { BoundaryError } from '../boundary-error';

/** What a user reads: one sentence saying what happened, and what to do about it. */
export type Entry = { title: string; fix: string };

/** A catalogue value: a fixed entry, or one built from the error (to name a connection, a wait). */
export type Describe = (e: BoundaryError) => Entry;
export type Catalogue = Readonly<Record<string, Entry | Describe>>;

/** The catalogue's entry for `code`, ignoring inherited keys such as `constructor`. */
export function entryFor(catalogue: Catalogue, e: BoundaryError): Entry | null {
  if (!Object.hasOwn(catalogue, e.code)) return null;
  const value = catalogue[e.code];
  if (value === undefined) return null;
  return typeof value === 'function' ? value(e) : value;
}

/** Server or thrower text as one tidy sentence: trimmed, shortened, ending with a full stop. */
export function asSentence(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const short = oneLine.length > max ? `${oneLine.slice(0, max - 1).trimEnd()}…` : oneLine;
  return /[.!?]$/.test(short) ? short : `${short}.`;
}

/** The first quoted name in a message: `'x'`, `"x"` or `“x”`. */
export function quotedName(text: string): string | null {
  return /['"“‘]([^'"”’]{1,100})['"”’]/.exec(text)?.[1] ?? null;
}

export const OPTIONS = 'in the extension’s options';
export const APP_REGISTRATION = 'Entra admin center › App registrations › your app';
export const PAT_PAGE = 'Azure DevOps › User settings › Personal access tokens';
export const ROLES = 'Infisical › Organization settings › Access control › Roles';
export const IDENTITIES = 'Infisical › Organization settings › Access control › Identities';

/** The four scopes Infisical needs, as the PAT page labels them and as scope names (docs/contracts.md B.2). */
export const SCOPE_LABELS = 'Variable Groups (read, create and manage), Release (read, write and execute), Project and Team (read) and Service Endpoints (read and query)';
export const SCOPES = 'vso.variablegroups_manage vso.release_execute vso.project vso.serviceendpoint_query';

/** How each Infisical connection method is offered in the extension. */
export { INFISICAL_METHOD_NAMES as METHOD_NAMES } from '../../flow/method-names';
