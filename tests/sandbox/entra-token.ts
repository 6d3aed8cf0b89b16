// POST /{tenant}/oauth2/v2.0/token (docs/contracts.md C.2): authorization_code (+PKCE), refresh_token and
// client_credentials, with Entra's client-type rules for SPA vs web redirects and the Origin header.
import { createHash } from 'node:crypto';
import type { EntraAppConfig, RedirectType } from './config.ts';
import { E, ENTRA_CORS, entraError, type EntraErrorInfo } from './entra-errors.ts';
import { appUsableIn, issueAppToken, issueUserTokens, resolveTenant, resourceOf, resourceScopes } from './entra-issue.ts';
import { bodyForm, header, json, type RequestContext, type SandboxResponse } from './http.ts';
import { isoNow, now, type TokenExchangeLog } from './state.ts';

type Outcome = EntraErrorInfo | Record<string, unknown>;
const isError = (o: Outcome): o is EntraErrorInfo => typeof (o as EntraErrorInfo).code === 'number' && 'error' in o;

/**
 * Client-type rules (docs/contracts.md C.2): SPA redirects must be redeemed cross-origin (Origin header),
 * anything else must not be, and client credentials are refused whenever an Origin is present.
 */
function checkClient(app: EntraAppConfig, redirectType: RedirectType, origin: string | null, secret: string | null): EntraErrorInfo | null {
  if (origin && secret) return E.secretWithOrigin();
  if (redirectType === 'spa') return origin ? null : E.spaWithoutOrigin();
  if (origin) return E.crossOriginNotSpa(origin);
  if (!secret) return E.missingSecret();
  return secret === app.clientSecret ? null : E.wrongSecret(app.clientId);
}

const invalidGrant = (code: number, text: string): EntraErrorInfo => ({ status: 400, error: 'invalid_grant', code, text });

function redeemCode(ctx: RequestContext, form: URLSearchParams, app: EntraAppConfig, tenantId: string | null, origin: string | null, log: TokenExchangeLog): Outcome {
  const codeValue = form.get('code');
  if (!codeValue) return E.missingParam('code');
  const code = ctx.state.authCodes.find((c) => c.code === codeValue);
  if (!code || code.clientId !== app.clientId) return invalidGrant(70000, "The provided value for the 'code' parameter is not valid.");
  log.pkce = code.codeChallenge ? 'S256' : 'none';
  if (code.used) return invalidGrant(54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  if (now(ctx.state) - code.issuedAt > ctx.config.entra.codeLifetimeSec * 1000) {
    return invalidGrant(
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  }
  if (tenantId && tenantId !== code.tenantId) return invalidGrant(700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return E.missingParam('redirect_uri');
  if (redirectUri !== code.redirectUri) {
    return invalidGrant(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URI used to obtain the authorization code.`);
  }
  const clientError = checkClient(app, code.redirectType, origin, form.get('client_secret'));
  if (clientError) return clientError;
  if (code.codeChallenge) {
    const verifier = form.get('code_verifier');
    if (!verifier) return invalidGrant(50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
    const computed = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (computed !== code.codeChallenge) return invalidGrant(501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  }
  code.used = true;
  const clientInfo = form.get('client_info') === '1';
  const scope = form.get('scope') ?? code.scope;
  const grant = { clientId: app.clientId, oid: code.userOid, tid: code.tenantId, scope, redirectType: code.redirectType, nonce: code.nonce, clientInfo, grantedScope: code.scope };
  return issueUserTokens(ctx.state, ctx.config, grant);
}

function redeemRefresh(ctx: RequestContext, form: URLSearchParams, app: EntraAppConfig, origin: string | null): Outcome {
  const value = form.get('refresh_token');
  if (!value) return E.missingParam('refresh_token');
  const rt = ctx.state.refreshTokens.find((t) => t.token === value);
  if (!rt || rt.revoked || rt.clientId !== app.clientId) return invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (rt.expiresAt !== null && now(ctx.state) > rt.expiresAt) {
    return invalidGrant(
      700084,
      'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.',
    );
  }
  const clientError = checkClient(app, rt.redirectType, origin, form.get('client_secret'));
  if (clientError) return clientError;
  // Refreshed SPA tokens keep the original fixed expiry (docs/contracts.md C.3).
  const clientInfo = form.get('client_info') === '1';
  const scope = form.get('scope') ?? rt.scope;
  const grant = { clientId: app.clientId, oid: rt.oid, tid: rt.tid, scope, redirectType: rt.redirectType, nonce: null, clientInfo, refreshExpiresAt: rt.expiresAt };
  return issueUserTokens(ctx.state, ctx.config, grant);
}

function clientCredentials(ctx: RequestContext, form: URLSearchParams, app: EntraAppConfig, origin: string | null): Outcome {
  const secret = form.get('client_secret');
  if (origin) return E.secretWithOrigin();
  if (!secret) return E.missingSecret();
  if (secret !== app.clientSecret) return E.wrongSecret(app.clientId);
  const scope = form.get('scope') ?? '';
  if (!scope.endsWith('/.default')) {
    return {
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      text: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  if (!app.servicePrincipalObjectId) return E.appNotFound(app.clientId, ctx.config.entra.tenants[app.tenantId]?.name ?? app.tenantId);
  return issueAppToken(ctx.state, ctx.config, app.clientId, app.servicePrincipalObjectId, app.tenantId, scope);
}

export function token(ctx: RequestContext): SandboxResponse {
  const tenantPath = ctx.params[0] ?? '';
  const form = bodyForm(ctx);
  const origin = header(ctx, 'origin') ?? null;
  const grantType = form.get('grant_type') ?? '';
  const clientId = form.get('client_id');
  const log: TokenExchangeLog = {
    at: isoNow(ctx.state),
    tenant: tenantPath,
    grantType,
    clientId,
    redirectUri: form.get('redirect_uri'),
    pkce: form.get('code_verifier') ? 'S256' : 'none',
    origin,
    ok: false,
  };
  ctx.state.tokenExchanges.push(log);
  const outcome = ((): Outcome => {
    const fault = ctx.config.entra.tokenFault;
    if (fault)
      return {
        status: fault.status ?? 400,
        error: fault.error ?? 'server_error',
        code: fault.code ?? 50000,
        text: fault.description ?? 'There was an error issuing a token or an issue with our sign-in service.',
      };
    const resolved = resolveTenant(ctx.config, tenantPath);
    if (!resolved) return E.tenantNotFound(tenantPath);
    if (!grantType) return E.missingParam('grant_type');
    if (!clientId) return E.missingParam('client_id');
    const app = ctx.config.entra.apps[clientId];
    const tenantId = resolved.tenant?.id ?? null;
    if (!app || (tenantId && !appUsableIn(app, tenantId))) return E.appNotFound(clientId ?? '', resolved.tenant?.name ?? tenantPath);
    const resources = new Set(resourceScopes(form.get('scope') ?? '').map(resourceOf));
    if (resources.size > 1)
      return { status: 400, error: 'invalid_scope', code: 700022, text: 'The provided value for the input parameter scope is not valid because it contains more than one resource.' };
    if (grantType === 'authorization_code') return redeemCode(ctx, form, app, tenantId, origin, log);
    if (grantType === 'refresh_token') return redeemRefresh(ctx, form, app, origin);
    if (grantType === 'client_credentials') return clientCredentials(ctx, form, app, origin);
    return { status: 400, error: 'unsupported_grant_type', code: 70003, text: `The app requested an unsupported grant type '${grantType}'.` };
  })();
  if (isError(outcome)) {
    log.errorCode = outcome.code;
    return entraError(ctx, outcome);
  }
  log.ok = true;
  return json(200, outcome, { ...ENTRA_CORS, 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
}
