import { PUBLIC_CLOUD } from '../config/endpoints';
import { ExtensionError } from '../errors/boundary-error';
import { errorFromResponseUrl } from '../microsoft/aadsts';
import type { ConnectRequest } from './connect-request';
import { lookupEarly, type ConnectDeps, type ConnectOutcome } from './deps';
import { resolveTarget, saveConnection } from './save-connection';

type OAuthRequest = Extract<ConnectRequest, { method: 'infisical-oauth' }>;

/** The scope Infisical's backend redeems the code for (contracts.md A.3 `oauth`), plus a refresh token. */
const OAUTH_SCOPE = 'https://app.vssps.visualstudio.com/.default offline_access';

/**
 * Infisical's own OAuth app (contracts.md A.3/A.5 and "Key cross-cutting consequences" 1): the
 * code must be issued to the instance's client ID for its SITE_URL callback, so the extension opens
 * the authorize page in a tab, catches the callback before the instance's page can load, checks
 * `state`, and hands the code to Infisical, which redeems it.
 */
export async function connectWithInfisicalOAuth(request: OAuthRequest, deps: ConnectDeps): Promise<ConnectOutcome> {
  const existing = lookupEarly(deps, request.connectionName);
  const clientId = await deps.session.withToken((token) => deps.infisical.azureDevOpsOAuthClientId(token));
  if (!clientId) throw new ExtensionError('oauth-unavailable', 'This Infisical instance has no Azure DevOps OAuth app.');
  const target = resolveTarget(await existing, request, 'oauth');

  await deps.onStep('oauth-consent');
  const callbackUrl = `${deps.infisical.baseUrl}/organization/app-connections/azure/oauth/callback`;
  const state = deps.random();
  const authorize = new URL(`${PUBLIC_CLOUD.microsoftAuthority}/${encodeURIComponent(request.tenant)}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: callbackUrl,
    response_mode: 'query',
    scope: OAUTH_SCOPE,
    state,
  }).toString();
  const returned = await deps.oauthConsent(authorize.toString(), callbackUrl);

  const serverError = errorFromResponseUrl(returned);
  if (serverError) throw serverError;
  const params = new URL(returned).searchParams;
  if (params.get('state') !== state) {
    throw new ExtensionError('oauth-state-mismatch', 'The answer from Microsoft does not belong to this sign-in.');
  }
  const code = params.get('code');
  if (!code) throw new ExtensionError('oauth-no-code', 'Microsoft did not return an authorization code.');

  await deps.onStep('save');
  const connection = await saveConnection(deps, target, request, 'oauth', { code, tenantId: request.tenant, orgName: request.org });
  return { connection, tenantId: request.tenant, updated: target.kind === 'update', pat: null, expiryClamped: false };
}
