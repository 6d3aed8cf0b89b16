import { OPTIONS, ROLES } from './entry';

/**
 * The sentences of the options page's setup check (utils/setup/run-setup-check.ts), in the order
 * of its checks. Failures that are plain errors read as `describeError` words them (utils/setup/
 * from-error.ts); what is here is only what the check adds: labels, findings, and the fixes that
 * differ because the check, not a flow, met the problem. Parameters are what the check found (an
 * origin, a client ID), never a secret. Named constants rather than one object: the worker's
 * bundle is size-budgeted (docs/performance.md) and the minifier shortens names, not keys.
 */

/** What a check found and what to do about it: the text of a setup check item. */
export type Finding = { summary: string; fix: string };

const SEE_ABOVE = '(see above).';
const LOGIN_FAILED = `Not checked: the machine identity login did not pass ${SEE_ABOVE}`;
const EDIT_NOTE = 'Connecting also needs the “app-connections: create” permission, and updating an existing connection needs “app-connections: edit”.';
const REGISTER = `Register an app in Microsoft Entra (App registrations › New registration), add the redirect URI below as a Single-page application redirect and the API permission Azure DevOps › user_impersonation, then enter its Application (client) ID ${OPTIONS}.`;

// 1. host-permission
export const HOST_LABEL = 'Access to the Infisical instance';
export const HOST_NOT_AN_ADDRESS: Finding = { summary: 'The saved Infisical address is not a web address.', fix: `Enter the address of your Infisical instance ${OPTIONS} again (for example https://app.infisical.com) and save.` };
export const HOST_NO_ADDRESS: Finding = { summary: 'No Infisical address is saved.', fix: `Enter the address of your Infisical instance ${OPTIONS} (for example https://app.infisical.com), save, and allow access when the browser asks.` };
export const hostGranted = (origin: string) => `The extension may contact ${origin}.`;
export const hostNotGranted = (origin: string): Finding => ({ summary: `The extension may not contact ${origin} yet.`, fix: `Save the Infisical address again ${OPTIONS} and allow access when the browser asks.` });

// 2. instance
export const INSTANCE_LABEL = 'Infisical instance reachable';
export const INSTANCE_SKIPPED = `Not checked: the extension may not contact the Infisical instance yet ${SEE_ABOVE}`;
export const instanceAnswers = (origin: string) => `${origin} answers as an Infisical instance.`;
export const instanceUnreachable = (origin: string, why: string) => `${origin} could not be reached. ${why}`;
export const instanceServerError = (origin: string, status: number) => `${origin} answered with a server error (HTTP ${status}).`;
export const notInfisical = (origin: string): Finding => ({
  summary: `${origin} answered, but it is not an Infisical instance (GET /api/status did not answer “Ok”).`,
  fix: `Check the Infisical address ${OPTIONS}: it is the address you open Infisical at, for example https://app.infisical.com or your self-hosted origin, without a path.`,
});
export const statusNotOk = (answer: string) => `GET /api/status answered “${answer.slice(0, 200)}” instead of “Ok”.`;

// 3. identity-login (its fix for a missing client ID or secret is catalogue/extension.ts `identity-missing`)
export const LOGIN_LABEL = 'Machine identity login (Universal Auth)';
export const TOKEN_LABEL = 'Machine identity access token accepted';
export const LOGIN_SKIPPED = `Not checked: the Infisical instance check did not pass ${SEE_ABOVE}`;
export const loginMissing = (what: 'client ID' | 'client secret') => `The machine identity’s ${what} is not saved.`;
export const LOGGED_IN = 'The machine identity logged in with Universal Auth.';
export const NO_TOKEN: Finding = { summary: 'No identity access token is saved.', fix: `Paste the machine identity’s access token ${OPTIONS} and save. It is kept only until the browser closes unless you ticked “remember”.` };
export const TOKEN_ACCEPTED = 'Infisical accepted the pasted identity access token.';
export const tokenRefused = (why: string): Finding => ({
  summary: `Infisical did not accept the pasted identity access token: ${why}`,
  fix: `The token is expired, revoked, malformed or from another instance. Create a new access token for the machine identity in Infisical (Token Auth) and paste it ${OPTIONS}, or switch to Universal Auth.`,
});

// 4. read-connections (a denial's finding is catalogue/infisical.ts's PermissionDenied sentence)
export const READ_LABEL = 'Identity may read app connections';
export const READ_SKIPPED = LOGIN_FAILED;
export const READ_EDIT_NOTE = EDIT_NOTE;
export const readCount = (n: number) => `The identity may read app connections (${n} Azure DevOps ${n === 1 ? 'connection' : 'connections'} in the organization). ${EDIT_NOTE}`;
export const READ_DENIED_FIX = `In ${ROLES}, give the machine identity’s organization role the “app-connections: read” permission, or give the identity the Admin role (the built-in Member role lacks it). ${EDIT_NOTE}`;

// 5. oauth-client-id
export const OAUTH_LABEL = 'Infisical’s Azure DevOps OAuth app';
export const OAUTH_SKIPPED = LOGIN_FAILED;
export const oauthUnreadable = (why: string) => `Could not read the instance’s app connection options: ${why}`;
export const oauthPresent = (clientId: string) => `The instance has its own Azure DevOps OAuth app (client ID ${clientId}). The “Infisical’s OAuth app” method is offered, and the Microsoft sign-in can use this app when no Microsoft app (client) ID is set ${OPTIONS}.`;
export const OAUTH_ABSENT = 'The instance has no Azure DevOps OAuth app configured, so the “Infisical’s OAuth app” method is hidden. The other methods work without it.';
export const OAUTH_ABSENT_DETAILS = 'A self-hosted administrator enables it with INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_ID and INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_SECRET.';

// 6. microsoft-client-id
export const CLIENT_LABEL = 'Microsoft app (client) ID';
export const CLIENT_INVALID_FIX = `Copy the Application (client) ID from the Overview page of your Entra app registration ${OPTIONS}.`;
export const clientUsed = (clientId: string) => `The sign-in uses the Entra app ${clientId}.`;
export const clientFallback = (instanceClientId: string, redirectUri: string): Finding => ({
  summary: `No Microsoft app (client) ID is set, so the sign-in falls back to the instance’s OAuth app ${instanceClientId}.`,
  fix: `Ask the administrator of that Entra app to add ${redirectUri} as a Single-page application redirect (Authentication › Add a platform) with the API permission Azure DevOps › user_impersonation; or enter your own app’s client ID ${OPTIONS}.`,
});
export const CLIENT_NO_FALLBACK: Finding = { summary: 'No Microsoft app (client) ID is set, and the instance has no OAuth app to fall back to.', fix: REGISTER };
export const CLIENT_UNKNOWN: Finding = { summary: 'No Microsoft app (client) ID is set, and whether the instance’s OAuth app can stand in is unknown until the Infisical checks above pass.', fix: REGISTER };

// 7. redirect-uri
export const redirectLabel = (browser: 'Chromium' | 'Firefox') => `Redirect URI to register (${browser})`;
/** Said in place of the URI when the browser cannot give it. */
export const REDIRECT_UNKNOWN = 'the redirect URI shown on this page';
export const redirectApp = (clientId: string | null, instance: boolean) => (instance ? `the instance’s OAuth app ${clientId}` : clientId ? `the Entra app ${clientId}` : 'your Entra app registration');
export const redirectFix = (app: string) => `On ${app}: Authentication › Add a platform › register as Single-page application with this URI; then API permissions › Add › Azure DevOps › user_impersonation.`;
export const REDIRECT_DETAILS = 'It must be the Single-page application platform: Microsoft lets a browser redeem sign-in codes only for those redirects (AADSTS9002326 otherwise). Each browser has its own URI.';

// 8. test-sign-in
export const SIGN_IN_LABEL = 'Test sign-in with Microsoft';
export const SIGN_IN_NOT_ASKED = 'Not run: it opens a Microsoft sign-in window. Tick “Include a test sign-in” and check again to run it.';
export const SIGN_IN_NO_CLIENT = `Not run: there is no Microsoft app (client) ID to sign in with ${SEE_ABOVE}`;
export const SIGN_IN_BAD_TENANT = 'The tenant for the test sign-in is not valid.';
export const signedIn = (username: string, tenantId: string) => `Signed in as ${username || 'an unnamed account'}${tenantId ? ` (tenant ${tenantId})` : ''}. The app registration works for this browser.`;
/** catalogue/microsoft.ts's `user-cancelled` fix says "Click Connect", which is not what the user was doing here. */
export const SIGN_IN_CANCELLED_FIX = 'Click “Check setup” again and complete the sign-in in the window. If the window showed a Microsoft error, that error names the problem; the checks above say how to fix the app registration.';
