import type { BoundaryError } from '../boundary-error';
import { APP_REGISTRATION, PAT_PAGE, quotedName, SCOPE_LABELS, SCOPES, type Catalogue, type Entry } from './entry';

const BUG_FIX = 'Update the extension; meanwhile, connect with “Paste a personal access token”.';
const TRY_LATER = 'Try again in a few minutes.';
const APP_PERMISSION = `In ${APP_REGISTRATION} › API permissions, add the delegated permission Azure DevOps › user_impersonation and grant consent, then click Connect again.`;
const TOKEN_GONE: Entry = { title: 'Azure DevOps could not find that personal access token.', fix: `It may already be revoked or expired: check ${PAT_PAGE}, then connect again to create a new one.` };
const POLICIES = 'Azure DevOps › Organization settings › Policies';
const TENANT_POLICIES = 'Azure DevOps › Organization settings › Microsoft Entra › Policies';

/** Azure DevOps REST outcomes (utils/azure-devops/client.ts) and pasted-PAT checks. */
export const AZURE_DEVOPS: Catalogue = {
  'org-not-found': (e) => {
    const org = quotedName(e.message);
    return {
      title: org ? `There is no Azure DevOps organization named “${org}”.` : 'That Azure DevOps organization does not exist.',
      fix: 'Check the organization name: it is the part after dev.azure.com/ in your Azure DevOps address.',
    };
  },
  unauthorized: { title: 'Azure DevOps did not accept your sign-in for this organization.', fix: 'Sign in with an account that is a member of the organization, and check that the organization is connected to this tenant (Azure DevOps › Organization settings › Microsoft Entra).' },
  forbidden: { title: 'Your account may not do this in the Azure DevOps organization.', fix: 'Ask an organization administrator to give your account access (Azure DevOps › Organization settings › Users).' },
  'not-found': { title: 'Azure DevOps could not find what the extension asked for in this organization.', fix: 'Check the organization name and that your account can see its projects.' },
  // A 3xx, not followed (utils/http/request.ts), usually to a sign-in page.
  redirected: { title: 'Azure DevOps answered with a redirect to another address; the extension did not send your credentials there.', fix: 'Click Connect again and sign in; if it happens again, check that no proxy or browser add-on redirects dev.azure.com.' },
  'tenant-unknown': { title: 'Azure DevOps did not say which Microsoft tenant the organization belongs to.', fix: 'Enter the tenant ID yourself (Azure DevOps › Organization settings › Microsoft Entra shows it).' },
  'pat-unauthorized': { title: 'Azure DevOps did not accept the personal access token: it has expired, was revoked, or belongs to another organization.', fix: `Create a new token for this organization in ${PAT_PAGE} with ${SCOPE_LABELS}, then paste it again.` },
  'pat-forbidden': { title: 'The personal access token lacks a scope Infisical needs, such as Project and Team (read).', fix: `In ${PAT_PAGE}, edit the token to select ${SCOPE_LABELS}, then paste it again; their scope names are ${SCOPES}.` },
};

/**
 * `patTokenError` values of the 7.1 and 7.2 tokens specs (docs/contracts.md B.1), except `none`.
 * A token refused by policy arrives as HTTP 200 with one of these.
 */
export const PAT_ERRORS: Catalogue = {
  displayNameRequired: { title: 'Azure DevOps needs a name for the personal access token.', fix: 'Enter a connection name and try again; the token is named after it.' },
  invalidDisplayName: { title: 'Azure DevOps rejected the personal access token’s name.', fix: 'Choose a connection name of lowercase letters, digits and hyphens; the token is named after it.' },
  invalidValidTo: { title: 'Azure DevOps rejected the personal access token’s expiry date.', fix: 'Pick a shorter lifetime and try again.' },
  invalidScope: { title: 'Azure DevOps rejected the scopes the personal access token asks for.', fix: `Your organization may not offer one of the four scopes Infisical needs (${SCOPES}); update the extension, or create the token yourself and use “Paste a personal access token”.` },
  userIdRequired: { title: 'Azure DevOps could not tell which user the personal access token is for.', fix: 'Click Connect again and sign in with your own account.' },
  invalidUserId: { title: 'Azure DevOps could not tell which user the personal access token is for.', fix: 'Click Connect again and sign in with an account that is a member of the organization.' },
  invalidUserType: { title: 'Azure DevOps does not let your kind of account create personal access tokens.', fix: 'Sign in with a regular member account of the organization, or use the “Service principal” method.' },
  accessDenied: { title: 'Azure DevOps denied creating the personal access token.', fix: 'Make sure your account is a member of the organization and may create personal access tokens (Azure DevOps › Organization settings › Users).' },
  failedToIssueAccessToken: { title: 'Azure DevOps failed to issue the personal access token.', fix: TRY_LATER },
  invalidClient: { title: 'Azure DevOps does not accept the app the extension signs in with for creating tokens.', fix: APP_PERMISSION },
  invalidClientType: { title: 'Azure DevOps does not accept the kind of app the extension signs in with for creating tokens.', fix: APP_PERMISSION },
  invalidClientId: { title: 'Azure DevOps does not recognise the app the extension signs in with.', fix: `Check the Application (client) ID in the extension’s options against ${APP_REGISTRATION} › Overview, then click Connect again.` },
  invalidTargetAccounts: { title: 'Azure DevOps rejected the organization the personal access token was for.', fix: 'Check the organization name and that your account is a member of it (Azure DevOps › Organization settings › Users).' },
  hostAuthorizationNotFound: TOKEN_GONE,
  authorizationNotFound: TOKEN_GONE,
  tokenNotFound: TOKEN_GONE,
  invalidAuthorizationId: TOKEN_GONE,
  failedToUpdateAccessToken: { title: 'Azure DevOps failed to update the personal access token.', fix: TRY_LATER },
  sourceNotSupported: { title: 'Azure DevOps does not allow creating personal access tokens from this kind of request.', fix: BUG_FIX },
  invalidSource: { title: 'Azure DevOps rejected where the request to create the personal access token came from.', fix: BUG_FIX },
  invalidSourceIP: { title: 'Your organization only allows personal access tokens from certain network addresses.', fix: `Connect from your organization’s network or VPN, or ask an administrator about the IP restrictions in ${POLICIES}.` },
  duplicateHash: { title: 'Azure DevOps generated a personal access token that clashed with an existing one.', fix: 'Click Connect again to create a new token.' },
  sshPolicyDisabled: { title: 'Your organization’s policy does not allow this kind of credential.', fix: `Ask an administrator to check ${POLICIES}, or use “Paste a personal access token”.` },
  invalidToken: { title: 'Azure DevOps did not accept the Microsoft sign-in used to create the personal access token.', fix: 'Click Connect again and sign in.' },
  failedToReadTenantPolicy: { title: 'Azure DevOps could not read your tenant’s token policy.', fix: TRY_LATER },
  failedToReadOrgPolicy: { title: 'Azure DevOps could not read your organization’s token policy.', fix: TRY_LATER },
  globalPatPolicyViolation: { title: 'Your tenant blocks personal access tokens that span all organizations.', fix: 'Update the extension: it only creates tokens for one organization.' },
  fullScopePatPolicyViolation: { title: 'Your tenant blocks full-access personal access tokens.', fix: 'Update the extension: it only requests the four scopes Infisical needs.' },
  patLifespanPolicyViolation: { title: 'The personal access token’s lifetime is longer than your organization allows.', fix: `Pick a shorter lifetime and try again; administrators set the maximum in ${TENANT_POLICIES}.` },
  disablePatCreationPolicyViolation: { title: 'Your organization does not allow you to create personal access tokens.', fix: `Ask an Azure DevOps administrator to add you to the allow list of “Restrict personal access token creation” (${POLICIES}), or use the “Service principal” method.` },
  invalidTokenType: { title: 'Azure DevOps rejected the kind of token the extension asked for.', fix: BUG_FIX },
  invalidAudience: { title: 'Azure DevOps did not accept the Microsoft sign-in because it was issued for another service.', fix: APP_PERMISSION },
  invalidSubject: { title: 'Azure DevOps could not match the Microsoft sign-in to a user of the organization.', fix: 'Sign in with an account that is a member of the organization (Azure DevOps › Organization settings › Users).' },
  deploymentHostNotSupported: { title: 'This Azure DevOps deployment cannot create personal access tokens through its API.', fix: 'Create the token yourself and use “Paste a personal access token”.' },
};

/** Statuses with no code of their own (`http-429`, `http-503`, …). */
export function azureDevOpsByStatus(e: BoundaryError): Entry | null {
  if (e.status === 429) return { title: 'Azure DevOps is rate-limiting your requests.', fix: 'Wait a few minutes, then try again.' };
  if (e.status !== undefined && e.status >= 500) return { title: 'Azure DevOps had an internal problem.', fix: 'Try again in a few minutes; https://status.dev.azure.com shows outages.' };
  return null;
}
