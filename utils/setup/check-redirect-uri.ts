import { REDIRECT_DETAILS, REDIRECT_UNKNOWN, redirectApp, redirectFix } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';
import type { SignInClient } from './check-microsoft-client';

/** This browser's redirect URI, or words that point at it when the identity API cannot give it. */
export function redirectUriOrHint(redirectUri: () => string): string {
  try {
    return redirectUri();
  } catch {
    return REDIRECT_UNKNOWN;
  }
}

/** Check 7, informational: the redirect URI to register (each browser has its own), and on which app. */
export function checkRedirectUri(redirectUri: string, client: SignInClient): CheckResult {
  const app = redirectApp(client?.clientId ?? null, client?.source === 'instance');
  return { status: 'info', summary: redirectUri, fix: redirectFix(app), details: REDIRECT_DETAILS };
}
