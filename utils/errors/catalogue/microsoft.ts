import { APP_REGISTRATION, OPTIONS, type Catalogue, type Entry } from './entry';

const BUG_FIX = 'Update the extension and report the problem if it persists; meanwhile, connect with “Paste a personal access token”.';
const PKCE_MISMATCH: Entry = {
  title: 'Microsoft rejected the sign-in because its proof of origin (PKCE) did not match.',
  fix: 'Click Connect again and finish the sign-in in the window it opens, without using an older sign-in window.',
};

/**
 * Microsoft sign-in outcomes: Entra AADSTS codes (docs/contracts.md C.2), OAuth `error` values (C.1),
 * MSAL `errorCode`s (D) and the extension's own sign-in window codes (utils/microsoft/sign-in.ts).
 */
export const MICROSOFT: Catalogue = {
  // The sign-in window.
  'user-cancelled': { title: 'The Microsoft sign-in window was closed before it finished.', fix: `Click Connect again and complete the sign-in. If the window showed an error, run “Check setup” ${OPTIONS}.` },
  'authorize-page-failed': { title: 'The Microsoft sign-in page could not be loaded.', fix: 'Check your network connection and that login.microsoftonline.com is reachable, then try again.' },
  timeout: { title: 'The Microsoft sign-in did not finish in time.', fix: 'Click Connect again and complete the sign-in within 5 minutes.' },
  'no-response': { title: 'The Microsoft sign-in window closed without an answer from Microsoft.', fix: 'Click Connect again and complete the sign-in; if the window closes by itself, check that pop-ups are allowed for the extension.' },
  'unexpected-authority': { title: 'The sign-in window left Microsoft’s sign-in site, so the extension stopped it.', fix: 'Click Connect again; if it happens again, check that no proxy or browser add-on redirects login.microsoftonline.com.' },
  'no-interaction': { title: 'The Microsoft sign-in was lost before it finished.', fix: 'Click Connect again to start a new sign-in.' },
  'no-token': { title: 'Microsoft finished the sign-in but returned no access token for Azure DevOps.', fix: `Check that ${APP_REGISTRATION} › API permissions lists Azure DevOps › user_impersonation, then click Connect again.` },
  'msal-failed': { title: 'The Microsoft sign-in library failed.', fix: 'Click Connect again; if it keeps failing, reload the extension from the browser’s extensions page.' },

  // Entra AADSTS codes (C.2).
  AADSTS700016: { title: 'Microsoft does not know the app (client) ID the extension signs in with.', fix: `Copy the Application (client) ID from ${APP_REGISTRATION} › Overview into the extension’s options; an app from another tenant must be multi-tenant and consented to in this one.` },
  AADSTS50011: { title: 'The extension’s redirect URI is not registered on the Entra app.', fix: `Add the redirect URI shown ${OPTIONS} in ${APP_REGISTRATION} › Authentication under “Single-page application”.` },
  AADSTS9002326: { title: 'The extension’s redirect URI is registered on the Entra app under the wrong platform.', fix: `In ${APP_REGISTRATION} › Authentication, remove the redirect URI from “Web” and add it under “Single-page application”.` },
  AADSTS9002327: { title: 'Microsoft refused to redeem the sign-in because the request carried no browser origin.', fix: BUG_FIX },
  AADSTS9002325: { title: 'Microsoft requires a proof of origin (PKCE) that the sign-in request did not carry.', fix: BUG_FIX },
  AADSTS90023: { title: 'Microsoft refused a client secret sent from the browser, where secrets are not allowed.', fix: `Check that the redirect URI in ${APP_REGISTRATION} › Authentication is under “Single-page application”, then update the extension if it persists.` },
  AADSTS50148: PKCE_MISMATCH,
  AADSTS501481: PKCE_MISMATCH,
  AADSTS50147: { title: 'Microsoft rejected the length of the sign-in’s proof of origin (PKCE).', fix: BUG_FIX },
  AADSTS50149: { title: 'Microsoft rejected the way the sign-in’s proof of origin (PKCE) was computed.', fix: BUG_FIX },
  AADSTS65001: { title: 'Nobody has consented yet to the app’s Azure DevOps permission.', fix: `Accept the consent prompt when you sign in, or ask a tenant admin to open ${APP_REGISTRATION} › API permissions and grant admin consent for Azure DevOps › user_impersonation.` },
  AADSTS65004: { title: 'The permission request was declined during sign-in.', fix: 'Click Connect again and accept the permission request, or ask a tenant admin to grant consent for the app.' },
  AADSTS50020: { title: 'Your account is not a member of this tenant.', fix: 'Sign in with an account of the organization’s tenant, or ask a tenant admin to invite you as a guest (Entra admin center › Users › Invite external user).' },
  AADSTS90072: { title: 'Your account is not a guest of this tenant, so it cannot complete the tenant’s sign-in checks.', fix: 'Ask a tenant admin to invite your account as an external user (Entra admin center › Users › Invite external user), then try again.' },
  AADSTS700084: { title: 'Your Microsoft sign-in is more than 24 hours old and has expired.', fix: 'Click Connect again and sign in; sign-ins made in the browser last at most 24 hours.' },
  AADSTS54005: { title: 'The Microsoft sign-in was already used once.', fix: 'Click Connect again to start a fresh sign-in.' },
  AADSTS700005: { title: 'The Microsoft sign-in belongs to a different tenant than the one the extension asked for.', fix: 'Check the tenant ID (Azure DevOps › Organization settings › Microsoft Entra shows the organization’s tenant), then click Connect again.' },
  AADSTS70011: { title: 'Microsoft rejected the permission the extension asked for.', fix: `In ${APP_REGISTRATION} › API permissions, add the delegated permission Azure DevOps › user_impersonation, then click Connect again.` },
  AADSTS700022: { title: 'Microsoft rejected a sign-in request that asked for more than one service at once.', fix: BUG_FIX },
  AADSTS90002: { title: 'Microsoft does not know this tenant.', fix: 'Check the tenant ID: a GUID or a verified domain such as contoso.onmicrosoft.com, shown in Azure DevOps › Organization settings › Microsoft Entra.' },

  // OAuth `error` values when no AADSTS code came with them (C.1, C.2).
  access_denied: { title: 'The sign-in was denied.', fix: 'Click Connect again and accept the request, or ask a tenant admin to grant consent for the app.' },
  consent_required: { title: 'The app needs your consent before it can act for you in Azure DevOps.', fix: 'Click Connect again and accept the consent prompt, or ask a tenant admin to grant consent for the app.' },
  interaction_required: { title: 'Microsoft needs you to sign in again.', fix: 'Click Connect again and complete the sign-in, including any multi-factor prompt.' },
  login_required: { title: 'Microsoft needs you to sign in again.', fix: 'Click Connect again and complete the sign-in.' },
  invalid_grant: { title: 'Your Microsoft sign-in is no longer valid.', fix: 'Click Connect again and sign in; a password change, a revoked session or the 24-hour limit ends a sign-in.' },
  invalid_scope: { title: 'Microsoft rejected the permission the extension asked for.', fix: `In ${APP_REGISTRATION} › API permissions, add the delegated permission Azure DevOps › user_impersonation.` },
  invalid_client: { title: 'Microsoft did not accept the app registration the extension signs in with.', fix: `Check the Application (client) ID ${OPTIONS} and that its redirect URI is under “Single-page application”.` },
  unauthorized_client: { title: 'The Entra app is not allowed to sign in this way.', fix: `In ${APP_REGISTRATION} › Authentication, register the redirect URI shown ${OPTIONS} under “Single-page application”.` },
  server_error: { title: 'Microsoft’s sign-in service had an internal error.', fix: 'Try again in a minute.' },
  temporarily_unavailable: { title: 'Microsoft’s sign-in service is temporarily unavailable.', fix: 'Try again in a few minutes.' },

  // MSAL-browser errorCodes.
  interaction_in_progress: { title: 'Another Microsoft sign-in is still open.', fix: 'Finish or close the other Microsoft sign-in window, then try again.' },
  user_cancelled: { title: 'The Microsoft sign-in was cancelled.', fix: 'Click Connect again and complete the sign-in.' },
  state_mismatch: { title: 'The answer from Microsoft did not match the sign-in the extension started, so it was rejected.', fix: 'Close any other Microsoft sign-in windows and click Connect again.' },
  nonce_mismatch: { title: 'The identity Microsoft returned did not match the sign-in the extension started, so it was rejected.', fix: 'Close any other Microsoft sign-in windows and click Connect again.' },
  no_network_connectivity: { title: 'The browser is offline, so the Microsoft sign-in could not start.', fix: 'Reconnect to the network, then click Connect again.' },
  post_request_failed: { title: 'The extension could not reach Microsoft to finish the sign-in.', fix: 'Check your network connection and that login.microsoftonline.com is reachable (a proxy or firewall may block it), then try again.' },
  endpoints_resolution_error: { title: 'The extension could not load Microsoft’s sign-in settings for this tenant.', fix: 'Check the tenant ID and your network connection, then try again.' },
  hash_empty_error: { title: 'The answer from Microsoft reached the extension empty.', fix: 'Click Connect again and complete the sign-in in the window it opens.' },
  no_account_error: { title: 'No Microsoft account is signed in to the extension.', fix: 'Click Connect again and sign in.' },
  timed_out: { title: 'The Microsoft sign-in did not finish in time.', fix: 'Click Connect again and complete the sign-in promptly.' },
};
