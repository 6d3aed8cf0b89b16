import { PUBLIC_CLOUD } from '../config/endpoints';
import { ExtensionError } from '../errors/boundary-error';
import { errorFromResponseUrl } from '../microsoft/aadsts';
import type { ConnectRequest } from './connect-request';
import { lookupEarly, type ConnectDeps, type ConnectOutcome } from './deps';
import { resolveTarget, saveConnection, type Target } from './save-connection';

export type OAuthRequest = Extract<ConnectRequest, { method: 'infisical-oauth' }>;
/** Finishing needs only Infisical: the answer is already in hand. */
export type FinishOAuthDeps = Pick<ConnectDeps, 'infisical' | 'onStep'>;
/** The consent tab and the `state` it must come back with, then what finishing needs. */
export type OAuthDeps = FinishOAuthDeps & Pick<ConnectDeps, 'oauthConsent' | 'random'>;

/**
 * What a flow waiting for Microsoft's answer needs to finish: kept by the background while the
 * consent tab is open (utils/worker/oauth-wait.ts), so a restarted worker can finish it.
 * No secret: the OAuth method has none, and the code arrives only with the answer.
 */
export interface OAuthWaitStart {
  request: OAuthRequest;
  target: Target;
  callbackUrl: string;
  state: string;
}

/** The scope Infisical's backend redeems the code for (`oauth` method of its Azure DevOps connection), plus a refresh token. */
const OAUTH_SCOPE = 'https://app.vssps.visualstudio.com/.default offline_access';

/**
 * Infisical's own OAuth app: the code must be issued to the instance's client ID for its SITE_URL
 * callback, so the extension opens the authorize page in a tab, catches the callback before the
 * instance's page can load, checks `state`, and hands the code to Infisical, which redeems it.
 */
export async function connectWithInfisicalOAuth(request: OAuthRequest, deps: OAuthDeps): Promise<ConnectOutcome> {
  const existing = lookupEarly(deps, request);
  const clientId = await deps.infisical.appConnections.oauthClientId();
  if (!clientId) throw new ExtensionError('oauth-unavailable', 'This Infisical instance has no Azure DevOps OAuth app.');
  const target = resolveTarget(await existing, request, 'oauth');

  await deps.onStep('oauth-consent');
  const wait: OAuthWaitStart = { request, target, callbackUrl: `${deps.infisical.instanceUrl}/organization/app-connections/azure/oauth/callback`, state: deps.random() };
  const authorize = new URL(`${PUBLIC_CLOUD.microsoftAuthority}/${encodeURIComponent(request.tenant)}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: wait.callbackUrl,
    response_mode: 'query',
    scope: OAUTH_SCOPE,
    state: wait.state,
  }).toString();
  return finishOAuth(wait, await deps.oauthConsent(authorize.toString(), wait), deps);
}

/**
 * Microsoft's answer (the callback URL) to the wait: `state` first, so an answer that is not this
 * sign-in's — an error answer included — ends the flow as a mismatch, never as what it claims;
 * then the error, then the code, which goes to Infisical. Also how a restarted worker finishes a
 * flow whose wait it found in storage (entrypoints/background/index.ts).
 */
export async function finishOAuth(wait: Omit<OAuthWaitStart, 'callbackUrl'>, returned: string, deps: FinishOAuthDeps): Promise<ConnectOutcome> {
  const { request, target } = wait;
  const params = new URL(returned).searchParams;
  if (params.get('state') !== wait.state) {
    throw new ExtensionError('oauth-state-mismatch', 'The answer from Microsoft does not belong to this sign-in.');
  }
  const serverError = errorFromResponseUrl(returned);
  if (serverError) throw serverError;
  const code = params.get('code');
  if (!code) throw new ExtensionError('oauth-no-code', 'Microsoft did not return an authorization code.');

  await deps.onStep('save');
  const connection = await saveConnection(deps, target, request, 'oauth', { code, tenantId: request.tenant, orgName: request.org });
  return { connection, tenantId: request.tenant, clientId: null, updated: target.kind === 'update', pat: null, expiryClamped: false };
}
