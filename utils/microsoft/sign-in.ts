import { AZURE_DEVOPS_SCOPE, type Endpoints } from '../config/endpoints';
import { MicrosoftError } from '../errors/boundary-error';
import { createSerial } from '../serial';
import { errorFromResponseUrl } from './aadsts';
import type { EntraToken, IdentityApi, MsalBeginRequest, MsalHost } from './types';

/** A person may take a while to sign in; past this the window is assumed abandoned. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * MSAL's own steps (building the request, redeeming the code) take well under a second; past this
 * something is stuck, and sign-ins queued behind this one must not wait for ever.
 */
const MSAL_STEP_TIMEOUT_MS = 60_000;
const stuck = () => new MicrosoftError('msal-failed', 'The Microsoft sign-in stopped responding inside the browser.');

/**
 * How long after handing over the token the MSAL document is closed: by then the caller's next
 * request has gone out, and the teardown overlaps the wait for its answer instead of its start.
 */
const CLOSE_AFTER_MS = 50;

/** Chromium and Firefox words for a closed or refused sign-in window. */
const CANCELLED = /did not approve|cancel|denied|closed/i;

/**
 * Microsoft sign-in with auth code + PKCE: MSAL builds the request and redeems the code, the
 * browser's identity API shows the page (docs/browsers.md "MSAL on Chromium").
 * @throws MicrosoftError: `user-cancelled`, `authorize-page-failed`, `timeout`, an AADSTS code,
 * or an MSAL error code.
 */
export function createMicrosoftSignIn(options: { identity: IdentityApi; host: MsalHost; endpoints: Endpoints }) {
  const { identity, host, endpoints } = options;
  // MSAL holds one interaction at a time (its PKCE state in the document's web storage): flows
  // running side by side sign in one after the other.
  const serial = createSerial();

  /** The same request for `prepare` and the sign-in, so a prepared one is used. */
  const beginRequest = (request: { clientId: string; tenant: string; loginHint?: string }): MsalBeginRequest => ({
    clientId: request.clientId,
    authority: `${endpoints.microsoftAuthority}/${encodeURIComponent(request.tenant)}`,
    redirectUri: identity.getRedirectURL(),
    scopes: [AZURE_DEVOPS_SCOPE],
    ...(request.loginHint ? { loginHint: request.loginHint } : {}),
  });

  /**
   * One sign-in at a time. The caller gets the token (or the error) as soon as MSAL has it; the
   * document holding MSAL is closed right after, inside the queue (the next sign-in waits for it)
   * but off the caller's path: closing a document keeps the browser busy for a few ms, which
   * delayed the flow's next request (docs/performance.md).
   */
  const signIn = (request: Parameters<SignIn>[0]): Promise<EntraToken> =>
    new Promise<EntraToken>((resolve, reject) => {
      void serial(async () => {
        await signInOnce(request).then(resolve, reject);
        await new Promise((r) => setTimeout(r, CLOSE_AFTER_MS));
        await within(host.end(), MSAL_STEP_TIMEOUT_MS, stuck).catch(() => undefined);
      });
    });

  async function signInOnce(request: { clientId: string; tenant: string; interactive?: boolean; loginHint?: string }): Promise<EntraToken> {
    const redirectUri = identity.getRedirectURL();
    const { authorizeUrl } = await within(host.begin(beginRequest(request)), MSAL_STEP_TIMEOUT_MS, stuck);
    if (new URL(authorizeUrl).origin !== new URL(endpoints.microsoftAuthority).origin) {
      throw new MicrosoftError('unexpected-authority', 'The sign-in page is not on the Microsoft authority.');
    }
    const responseUrl = await launch(identity, authorizeUrl, request.interactive ?? true);
    if (!responseUrl?.startsWith(redirectUri)) {
      throw new MicrosoftError('no-response', 'The sign-in window closed without an answer from Microsoft.');
    }
    const serverError = errorFromResponseUrl(responseUrl);
    if (serverError) throw serverError;
    return await within(host.complete({ responseUrl }), MSAL_STEP_TIMEOUT_MS, stuck);
  }

  /**
   * Get MSAL ready for a sign-in that is likely to follow (the popup knows the tenant before the
   * click), so its start-up is not on the click's path. Never signs in by itself.
   */
  async function prepare(request: { clientId: string; tenant: string }): Promise<void> {
    // Warming builds a fresh MSAL instance, which would wipe the state of a sign-in under way.
    if (serial.busy()) return;
    await host.warm?.(beginRequest(request));
  }

  return Object.assign(signIn, { prepare });
}

async function launch(identity: IdentityApi, url: string, interactive: boolean): Promise<string | undefined> {
  try {
    return await within(identity.launchWebAuthFlow({ url, interactive }), SIGN_IN_TIMEOUT_MS, () => new MicrosoftError('timeout', 'The Microsoft sign-in did not finish in 5 minutes.'));
  } catch (error) {
    if (error instanceof MicrosoftError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (CANCELLED.test(message)) {
      throw new MicrosoftError('user-cancelled', 'The Microsoft sign-in window was closed.', { detail: message });
    }
    throw new MicrosoftError('authorize-page-failed', 'The Microsoft sign-in page could not be shown.', { detail: message });
  }
}

/** `work`, or `error()` once `ms` have passed. */
async function within<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type MicrosoftSignIn = ReturnType<typeof createMicrosoftSignIn>;
/** Just the sign-in, for code that never prepares one (token cache, setup check, tests). */
export type SignIn = (request: { clientId: string; tenant: string; interactive?: boolean; loginHint?: string }) => Promise<EntraToken>;
