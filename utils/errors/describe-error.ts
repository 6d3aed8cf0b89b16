import type { UserMessage } from '../flow/flow-state';
import { asBoundaryError, type BoundaryError } from './boundary-error';
import { redact } from './redact';

/**
 * The one function that turns any error into the sentence a user reads, with the fix.
 * Catalogue entries cite contracts.md; unknown codes fall back to a per-source sentence.
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
  return { ...entry, details: redact(details) };
}

type Entry = { title: string; fix: string };

function lookup(e: BoundaryError): Entry {
  if (e.code === 'network') return { title: e.message, fix: 'Check your network connection and the address in the extension’s options, then try again.' };
  if (e.code === 'timeout') return { title: e.message, fix: 'The service may be slow or down. Try again in a minute.' };
  if (e.code === 'malformed-response') {
    return { title: `${sourceName(e)} sent an answer the extension does not understand.`, fix: 'Check that the address points at the right service; if it does, try again later.' };
  }
  switch (e.source) {
    case 'microsoft':
      return MICROSOFT[e.code] ?? { title: 'Microsoft sign-in failed.', fix: 'Try again. If it keeps failing, run “Check setup” in the extension’s options.' };
    case 'azure-devops':
      return PAT_ERRORS[e.code] ?? AZURE_DEVOPS[e.code] ?? { title: e.message, fix: 'Check the organization name and that your account is a member of it.' };
    case 'infisical':
      return infisical(e);
    case 'extension':
      return EXTENSION[e.code] ?? { title: e.message, fix: 'Check the extension’s options.' };
  }
}

function sourceName(e: BoundaryError): string {
  return { microsoft: 'Microsoft', 'azure-devops': 'Azure DevOps', infisical: 'Infisical', extension: 'The extension' }[e.source];
}

const OPTIONS = 'in the extension’s options';

/** Entra error codes, contracts.md C.2, plus identity-API outcomes. */
const MICROSOFT: Record<string, Entry> = {
  'user-cancelled': { title: 'The Microsoft sign-in window was closed before it finished.', fix: 'Click Connect again and complete the sign-in. If the window showed an error, run “Check setup” ' + OPTIONS + '.' },
  'authorize-page-failed': { title: 'The Microsoft sign-in page could not be loaded.', fix: 'Check your network connection, then try again.' },
  timeout: { title: 'The Microsoft sign-in did not finish.', fix: 'Click Connect again and complete the sign-in within 5 minutes.' },
  AADSTS700016: { title: 'Microsoft does not know the app (client) ID set in the extension.', fix: `Copy the Application (client) ID from your Entra app registration into the options; the app must exist in (or be consented to by) this tenant.` },
  AADSTS50011: { title: 'The extension’s redirect URI is not registered on the Entra app.', fix: `Add the redirect URI shown ${OPTIONS} to the app registration as a Single-page application redirect.` },
  AADSTS9002326: { title: 'The redirect URI is registered with the wrong platform.', fix: 'In the app registration, move the extension’s redirect URI from “Web” to “Single-page application”.' },
  AADSTS9002327: { title: 'The redirect URI is registered as a Single-page application but was redeemed without an origin.', fix: 'Update the extension; this is a bug if it persists.' },
  AADSTS65001: { title: 'Nobody has consented to the app’s Azure DevOps permission yet.', fix: 'Ask a tenant admin to grant consent for Azure DevOps › user_impersonation on the app registration, or sign in and accept the consent prompt.' },
  AADSTS65004: { title: 'The consent request was declined.', fix: 'Click Connect again and accept the permission request, or ask an admin to grant consent.' },
  AADSTS50020: { title: 'Your account is not a member of this tenant.', fix: 'Sign in with an account of the organization’s tenant, or ask an admin to add you as a guest.' },
  AADSTS90072: { title: 'Your account is not a guest of this tenant.', fix: 'Ask the tenant admin to invite your account as an external user, then try again.' },
  AADSTS50148: { title: 'Microsoft rejected the sign-in proof (PKCE).', fix: 'Try again; the sign-in was started twice or interrupted.' },
  AADSTS501481: { title: 'Microsoft rejected the sign-in proof (PKCE).', fix: 'Try again; the sign-in was started twice or interrupted.' },
  AADSTS54005: { title: 'The sign-in code was already used.', fix: 'Click Connect again.' },
  AADSTS700084: { title: 'Your Microsoft session has reached its 24-hour limit.', fix: 'Click Connect again and sign in.' },
  AADSTS70011: { title: 'Microsoft rejected the requested permission.', fix: 'Make sure the app registration has the Azure DevOps › user_impersonation permission.' },
  AADSTS90002: { title: 'Microsoft does not know this tenant.', fix: 'Check the tenant ID (a GUID or a verified domain such as contoso.onmicrosoft.com).' },
  access_denied: { title: 'The sign-in was denied.', fix: 'Click Connect again and accept the request, or ask an admin to grant consent.' },
  interaction_in_progress: { title: 'Another sign-in is still open.', fix: 'Finish or close the other Microsoft sign-in window, then try again.' },
};

const AZURE_DEVOPS: Record<string, Entry> = {
  'org-not-found': { title: 'That Azure DevOps organization does not exist.', fix: 'Check the organization name: it is the part after dev.azure.com/ in your Azure DevOps address.' },
  unauthorized: { title: 'Azure DevOps did not accept your sign-in for this organization.', fix: 'Sign in with an account that is a member of the organization, and check that the organization is connected to this tenant.' },
  forbidden: { title: 'Your account may not do this in the Azure DevOps organization.', fix: 'Ask an organization administrator to give your account access.' },
  'tenant-unknown': { title: 'Azure DevOps did not say which Microsoft tenant the organization belongs to.', fix: 'Enter the tenant ID yourself (Organization settings › Microsoft Entra in Azure DevOps).' },
};

/** `patTokenError` values (contracts.md B.1): a PAT refused by policy arrives as HTTP 200. */
const PAT_ERRORS: Record<string, Entry> = {
  disablePatCreationPolicyViolation: { title: 'Your organization does not allow you to create personal access tokens.', fix: 'Ask an Azure DevOps administrator to add you to the allow list of “Restrict personal access token creation”, or use the Service principal method.' },
  globalPatPolicyViolation: { title: 'Your tenant blocks tokens that span all organizations.', fix: 'Update the extension: it only creates organization-scoped tokens.' },
  fullScopePatPolicyViolation: { title: 'Your tenant blocks full-access tokens.', fix: 'Update the extension: it only requests the four scopes Infisical needs.' },
  patLifespanPolicyViolation: { title: 'The token lifetime is longer than your organization allows.', fix: 'Pick a shorter lifetime and try again.' },
  invalidValidTo: { title: 'Azure DevOps rejected the token’s expiry date.', fix: 'Pick another lifetime and try again.' },
  invalidScope: { title: 'Azure DevOps rejected the token’s scopes.', fix: 'Update the extension; the scopes it asks for are not accepted by this organization.' },
  accessDenied: { title: 'Azure DevOps denied creating the token.', fix: 'Make sure your account is a member of the organization and may create personal access tokens.' },
  failedToReadTenantPolicy: { title: 'Azure DevOps could not read your tenant’s token policy.', fix: 'Try again in a few minutes.' },
  failedToReadOrgPolicy: { title: 'Azure DevOps could not read your organization’s token policy.', fix: 'Try again in a few minutes.' },
  failedToIssueAccessToken: { title: 'Azure DevOps failed to issue the token.', fix: 'Try again in a few minutes.' },
};

const EXTENSION: Record<string, Entry> = {
  'not-configured': { title: 'The extension is not set up yet.', fix: 'Open the extension’s options and fill in the Infisical instance, machine identity and Microsoft app ID.' },
  'identity-missing': { title: 'No Infisical machine identity is set up.', fix: 'Enter the machine identity’s client ID and client secret in the extension’s options (the secret is forgotten when the browser closes unless you ticked “remember”).' },
  'permission-missing': { title: 'The extension may not contact your Infisical instance yet.', fix: 'Open the options and save the Infisical address again, then allow access when the browser asks.' },
  'flow-running': { title: 'A connection is already being created.', fix: 'Wait for it to finish.' },
  'invalid-input': { title: 'Some fields need attention.', fix: 'Correct the highlighted fields and try again.' },
  'name-taken': { title: 'A connection with this name already exists in Infisical.', fix: 'Choose another connection name.' },
};

/** Infisical error bodies (contracts.md A.1, A.6). */
function infisical(e: BoundaryError): Entry {
  const server = e.message;
  if (e.status === 401) {
    if (/invalid credentials/i.test(server)) return { title: 'Infisical rejected the machine identity’s client ID or secret.', fix: `Check the Universal Auth client ID and secret ${OPTIONS}; create a new client secret in Infisical if needed.` };
    if (/locked/i.test(server)) return { title: 'Infisical has temporarily locked this machine identity after failed logins.', fix: 'Wait five minutes, check the client secret, and try again.' };
    if (/expired client secret/i.test(server)) return { title: 'The machine identity’s client secret has expired.', fix: `Create a new client secret in Infisical and enter it ${OPTIONS}.` };
    if (/usage limit/i.test(server)) return { title: 'The machine identity’s client secret has reached its usage limit.', fix: `Create a new client secret in Infisical and enter it ${OPTIONS}.` };
    return { title: 'Infisical did not accept the machine identity’s token.', fix: `Check the machine identity ${OPTIONS} and try again.` };
  }
  if (e.status === 403 && e.code === 'PermissionDenied') {
    const action = /not allowed to (\w+)/i.exec(server)?.[1] ?? 'create';
    return { title: `The machine identity may not ${action} app connections in Infisical.`, fix: `In Infisical, give the identity an organization role with “App Connections: ${action}” (the Admin role has it; the Member role does not).` };
  }
  if (e.status === 403 && e.code === 'TokenError') return { title: 'The Infisical access token has expired.', fix: 'Try again; the extension logs in again automatically.' };
  if (e.status === 403) return { title: 'Infisical refused the request.', fix: 'Check the machine identity’s organization role and trusted IPs in Infisical.' };
  if (e.status === 404) return { title: 'Infisical does not have this endpoint or connection.', fix: 'Check that the address is an Infisical instance recent enough to support Azure DevOps app connections.' };
  if (e.status === 422) return { title: 'Infisical rejected the connection details.', fix: 'Check the connection name (lowercase letters, digits and hyphens) and description, then try again.' };
  if (e.status === 429) return { title: 'Infisical is rate-limiting requests.', fix: 'Wait a minute and try again.' };
  if (e.status === 400 && /already exists/i.test(server)) return EXTENSION['name-taken']!;
  if (e.status === 400 && /Failed to validate access token/i.test(server)) return { title: 'Infisical could not use the token with the organization.', fix: 'Check the organization name, and that the token has the Project and Team (read) scope.' };
  if (e.status === 400) return { title: `Infisical refused the connection: ${server}`, fix: 'Correct what Infisical names and try again.' };
  if (e.status !== undefined && e.status >= 500) return { title: 'Infisical had an internal error.', fix: 'Try again in a minute; if it persists, check the Infisical server’s logs.' };
  return { title: `Infisical answered: ${server}`, fix: `Check the Infisical settings ${OPTIONS}.` };
}
