import { CLIENT_INVALID_FIX, CLIENT_NO_FALLBACK, CLIENT_UNKNOWN, clientFallback, clientUsed } from '../errors/catalogue/setup';
import { firstIssue, guidSchema } from '../inputs';
import type { CheckResult } from './check-items';

/** The Entra app the sign-in uses: the one set in the options, or the instance's OAuth app. */
export type SignInClient = { clientId: string; source: 'options' | 'instance' } | null;

/**
 * Check 6: the Entra app the Microsoft sign-in uses. With none set in the options the sign-in
 * falls back to the instance's OAuth app (`instanceClientId`; null: it has none; undefined: the
 * Infisical checks could not tell), whose administrator must register this browser's redirect.
 */
export function checkMicrosoftClient(configured: string, instanceClientId: string | null | undefined, redirectUri: string): { result: CheckResult; client: SignInClient } {
  const value = configured.trim();
  if (value) {
    const parsed = guidSchema('The Microsoft app (client) ID').safeParse(value);
    if (!parsed.success) return { result: { status: 'fail', summary: firstIssue(parsed.error), fix: CLIENT_INVALID_FIX }, client: null };
    return { result: { status: 'pass', summary: clientUsed(parsed.data) }, client: { clientId: parsed.data, source: 'options' } };
  }
  if (instanceClientId) return { result: { status: 'warn', ...clientFallback(instanceClientId, redirectUri) }, client: { clientId: instanceClientId, source: 'instance' } };
  if (instanceClientId === null) return { result: { status: 'fail', ...CLIENT_NO_FALLBACK }, client: null };
  return { result: { status: 'warn', ...CLIENT_UNKNOWN }, client: null };
}
