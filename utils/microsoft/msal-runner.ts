import { AuthError, PublicClientApplication } from '@azure/msal-browser';
import { MicrosoftError } from '../errors/boundary-error';
import { redact } from '../errors/redact';
import { createSerial } from '../serial';
import { aadstsCode } from './aadsts';
import { beginRequestKey, type EntraToken, type MsalBeginRequest, type MsalConfig, type MsalHost } from './types';

/**
 * MSAL in a context with a DOM (Chromium offscreen document, Firefox background page).
 * A fresh PublicClientApplication per sign-in (made ahead by `warm`, or at `begin`): MSAL's
 * persistent cache does not survive in extension pages anyway (docs/browsers.md "MSAL on Chromium"),
 * and a fresh one cannot inherit a stale "interaction in progress" flag.
 */
export function createMsalRunner(): MsalHost {
  let app: PublicClientApplication | null = null;
  /**
   * Made ahead of the click by `warm` (the popup knows the tenant): an instance whose authorize
   * URL is already built, PKCE pair and state stored, so the click goes straight to the window.
   * Used once: after a sign-in its interaction state is spent.
   */
  let armed: { key: string; ready: Promise<{ app: PublicClientApplication; authorizeUrl: string }> } | null = null;
  let capture: (url: string) => void = () => undefined;
  // warm and begin each build an instance and clear web storage: never two at once.
  const serial = createSerial();

  async function create(config: MsalConfig): Promise<PublicClientApplication> {
    clearMsalStorage();
    const created = new PublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        redirectUri: config.redirectUri,
        // Stop MSAL from navigating; the worker opens the URL with identity.launchWebAuthFlow.
        onRedirectNavigate: (url) => {
          capture(url);
          return false;
        },
      },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await created.initialize();
    return created;
  }

  /** A new instance and its authorize URL (MSAL's redirect request, captured instead of followed). */
  async function prepareRequest(request: MsalBeginRequest): Promise<{ app: PublicClientApplication; authorizeUrl: string }> {
    const made = await create(request);
    const captured = new Promise<string>((resolve) => {
      capture = resolve;
    });
    const redirect = made.acquireTokenRedirect({
      scopes: request.scopes,
      ...(request.loginHint ? { loginHint: request.loginHint } : {}),
    });
    return { app: made, authorizeUrl: await Promise.race([captured, redirect.then(() => captured)]) };
  }

  return {
    warm: (request: MsalBeginRequest) =>
      serial(async () => {
        if (armed?.key !== beginRequestKey(request)) armed = { key: beginRequestKey(request), ready: prepareRequest(request) };
        try {
          return { authorizeUrl: (await armed.ready).authorizeUrl };
        } catch (error) {
          armed = null;
          throw toMicrosoftError(error);
        }
      }),

    begin: (request: MsalBeginRequest) =>
      serial(async () => {
        try {
          const ready = armed?.key === beginRequestKey(request) ? armed.ready : prepareRequest(request);
          armed = null;
          const prepared = await ready;
          app = prepared.app;
          return { authorizeUrl: prepared.authorizeUrl };
        } catch (error) {
          throw toMicrosoftError(error);
        }
      }),

    async complete({ responseUrl }) {
      if (!app) throw new MicrosoftError('no-interaction', 'No Microsoft sign-in is in progress.');
      const url = new URL(responseUrl);
      try {
        const result = await app.handleRedirectPromise({
          hash: url.hash || url.search,
          navigateToLoginRequestUrl: false,
        });
        if (!result?.accessToken) throw new MicrosoftError('no-token', 'Microsoft returned no access token.');
        const token: EntraToken = {
          accessToken: result.accessToken,
          expiresOn: result.expiresOn ? result.expiresOn.toISOString() : null,
          tenantId: result.tenantId,
          username: result.account.username,
        };
        return token;
      } catch (error) {
        throw toMicrosoftError(error);
      }
    },

    async end() {
      app = null;
      armed = null;
      clearMsalStorage();
    },
  };
}

/** MSAL v5 puts a docs link in `message`; the code and server text are in errorCode/errorMessage. */
function toMicrosoftError(error: unknown): MicrosoftError {
  if (error instanceof MicrosoftError) return error;
  if (error instanceof AuthError) {
    const code = aadstsCode(error.errorMessage) ?? error.errorCode;
    return new MicrosoftError(code, `Microsoft sign-in failed: ${error.errorCode}.`, {
      detail: redact((error.errorMessage || error.errorCode).split(/\r?\n/)[0] ?? ''),
    });
  }
  return new MicrosoftError('msal-failed', 'Microsoft sign-in failed.', { detail: redact(String(error)) });
}

/**
 * Web storage holds MSAL's state and nothing else: Chromium's offscreen document is MSAL's alone,
 * and in Firefox, where the background page shares its origin with the extension's other pages,
 * no other code uses web storage (a conventions test keeps it so).
 */
function clearMsalStorage(): void {
  sessionStorage.clear();
  localStorage.clear();
}
