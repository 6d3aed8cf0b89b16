import type { UserMessage } from '../flow/flow-state';
import { asBoundaryError, type BoundaryError, type ErrorSource, type TransportCode } from './boundary-error';
import { AZURE_DEVOPS, PAT_ERRORS, azureDevOpsByStatus } from './catalogue/azure-devops';
import { asSentence, entryFor, OPTIONS, type Catalogue, type Entry } from './catalogue/entry';
import { EXTENSION } from './catalogue/extension';
import { describeInfisical, infisicalFallback } from './catalogue/infisical';
import { MICROSOFT } from './catalogue/microsoft';
import { describeSecretSyncAnswer, SECRET_SYNC_AZURE_DEVOPS, SECRET_SYNC_EXTENSION } from './catalogue/secret-sync';
import { redact } from './redact';

/**
 * The one function that turns any error into the sentence a user reads, with the fix.
 * Catalogues live in ./catalogue and cite docs/contracts.md; unknown codes fall back to a per-source
 * sentence. `details` (status · code · server text) is always redacted.
 */
export function describeError(error: unknown): UserMessage {
  const e = asBoundaryError(error);
  if (!e) {
    return {
      title: 'Something went wrong inside the extension.',
      fix: 'Try again. If it keeps happening, reload the extension from the browser’s extensions page.',
      details: redact(error instanceof Error ? error.message : String(error)),
    };
  }
  const entry = lookup(e);
  const details = [e.status ? `HTTP ${e.status}` : '', e.code, e.detail ?? ''].filter(Boolean).join(' · ');
  return { ...entry, details: redact(details), ...(e.field ? { field: e.field } : {}) };
}

/** Code catalogues by source; Infisical is matched on status and message instead (catalogue/infisical.ts). */
export const CATALOGUES: Readonly<Record<Exclude<ErrorSource, 'infisical'>, Catalogue>> = {
  microsoft: MICROSOFT,
  'azure-devops': { ...AZURE_DEVOPS, ...PAT_ERRORS, ...SECRET_SYNC_AZURE_DEVOPS },
  extension: { ...EXTENSION, ...SECRET_SYNC_EXTENSION },
};

function lookup(e: BoundaryError): Entry {
  // Catalogues first: Microsoft's `timeout` is its own sign-in window, not a transport timeout.
  const known = e.source === 'infisical' ? null : entryFor(CATALOGUES[e.source], e);
  if (known) return known;
  if (isTransport(e.code)) return TRANSPORT[e.code](e);
  // Sync answers first: the general rules word "already exists" and 403s as about connections.
  if (e.source === 'infisical') return describeSecretSyncAnswer(e) ?? describeInfisical(e);
  if (e.source === 'azure-devops') return azureDevOpsByStatus(e) ?? fallback(e);
  return fallback(e);
}

const SOURCE_NAMES: Record<ErrorSource, string> = { microsoft: 'Microsoft', 'azure-devops': 'Azure DevOps', infisical: 'Infisical', extension: 'The extension' };

/** What to check when a source cannot be reached. */
const REACH: Record<ErrorSource, string> = {
  microsoft: 'that login.microsoftonline.com is reachable (a proxy or firewall may block it)',
  'azure-devops': 'that dev.azure.com is reachable (a proxy or firewall may block it)',
  infisical: `the Infisical address ${OPTIONS}, and that this browser trusts its HTTPS certificate (a self-hosted instance with a private certificate authority needs it installed)`,
  extension: `the addresses ${OPTIONS}`,
};

export const TRANSPORT_CODES = ['network', 'timeout', 'malformed-response'] as const satisfies readonly TransportCode[];
const isTransport = (code: string): code is TransportCode => (TRANSPORT_CODES as readonly string[]).includes(code);

/** Transport failures shared by every boundary (utils/http/request.ts); the message names the host. */
const TRANSPORT: Record<TransportCode, (e: BoundaryError) => Entry> = {
  network: (e) => ({
    title: asSentence(e.message || `Could not reach ${SOURCE_NAMES[e.source]}`),
    fix: `Check your network connection and ${REACH[e.source]}, then try again.`,
  }),
  timeout: (e) => ({
    title: asSentence(e.message || `${SOURCE_NAMES[e.source]} did not answer in time`),
    fix: 'The service may be slow or down: try again in a minute.',
  }),
  'malformed-response': (e) => ({
    title: `${SOURCE_NAMES[e.source]} sent an answer the extension does not understand.`,
    fix:
      e.source === 'infisical'
        ? `Check that the address ${OPTIONS} is your Infisical instance and not a proxy or sign-in page, then try again.`
        : 'Try again later; if it keeps happening, update the extension.',
  }),
};

/** The sentence for a code no catalogue knows. Exported so tests can check entries differ from it. */
export function fallback(e: BoundaryError): Entry {
  switch (e.source) {
    case 'microsoft':
      return { title: 'Microsoft sign-in failed.', fix: `Try again. If it keeps failing, run “Check setup” ${OPTIONS}.` };
    case 'azure-devops':
      return { title: asSentence(e.message || 'Azure DevOps refused the request'), fix: 'Check the organization name and that your account is a member of it.' };
    case 'infisical':
      return infisicalFallback(e);
    case 'extension':
      return { title: asSentence(e.message || 'The extension stopped'), fix: 'Check the extension’s options.' };
  }
}
