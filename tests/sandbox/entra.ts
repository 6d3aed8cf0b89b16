// Fake Microsoft Entra ID v2 on host login.microsoftonline.com (docs/contracts.md C.1-C.3).
import { authorize, loginSubmit } from './entra-authorize.ts';
import { ENTRA_CORS, entraError } from './entra-errors.ts';
import { resolveTenant } from './entra-issue.ts';
import { token } from './entra-token.ts';
import { dispatch, escapeHtml, header, html, json, page, redirect, route, type RequestContext, type Route, type SandboxResponse } from './http.ts';

const AUTHORITY = 'https://login.microsoftonline.com';
const T = '([^/]+)';

/** OIDC metadata, in case MSAL is ever configured to fetch it (docs/browsers.md: it is not, by default). */
function openidConfiguration(ctx: RequestContext): SandboxResponse {
  const seg = ctx.params[0] ?? 'common';
  const resolved = resolveTenant(ctx.config, seg);
  if (!resolved)
    return entraError(ctx, {
      status: 400,
      error: 'invalid_tenant',
      code: 90002,
      text: `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    });
  const issuerTenant = resolved.tenant?.id ?? '{tenantid}';
  return json(
    200,
    {
      token_endpoint: `${AUTHORITY}/${seg}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${AUTHORITY}/${seg}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${AUTHORITY}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${AUTHORITY}/${seg}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${AUTHORITY}/${seg}/oauth2/v2.0/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
    },
    ENTRA_CORS,
  );
}

/** Instance discovery (`/common/discovery/instance`): this host is its own preferred alias. */
const instanceDiscovery = (ctx: RequestContext): SandboxResponse =>
  json(
    200,
    {
      tenant_discovery_endpoint: `${AUTHORITY}/${ctx.query.get('tenant') ?? 'common'}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'login.microsoftonline.com',
          preferred_cache: 'login.windows.net',
          aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
        },
      ],
    },
    ENTRA_CORS,
  );

const preflight = (ctx: RequestContext): SandboxResponse => ({
  status: 200,
  headers: { ...ENTRA_CORS, 'access-control-allow-headers': header(ctx, 'access-control-request-headers') ?? '*', 'access-control-max-age': '86400' },
  body: '',
});

const logout = (ctx: RequestContext): SandboxResponse => {
  const target = ctx.query.get('post_logout_redirect_uri');
  return target ? redirect(target) : { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>You signed out of your account.</p>' };
};

const routes: Route[] = [
  route('OPTIONS', /.*/, preflight),
  route('GET', new RegExp(`^/${T}/oauth2/v2\\.0/authorize/?$`), authorize),
  route('POST', new RegExp(`^/${T}/login/?$`), loginSubmit),
  route('POST', new RegExp(`^/${T}/oauth2/v2\\.0/token/?$`), token),
  route('*', new RegExp(`^/${T}/oauth2/v2\\.0/token/?$`), (ctx) =>
    entraError(ctx, { status: 400, error: 'invalid_request', code: 900561, text: `The endpoint only accepts POST, OPTIONS requests. Received a ${ctx.method} request.` }),
  ),
  route('GET', new RegExp(`^/${T}/v2\\.0/\\.well-known/openid-configuration/?$`), openidConfiguration),
  route('GET', /^\/common\/discovery\/instance\/?$/, instanceDiscovery),
  route('GET', new RegExp(`^/${T}/discovery/v2\\.0/keys/?$`), () => json(200, { keys: [] }, ENTRA_CORS)),
  route(['GET', 'POST'], new RegExp(`^/${T}/oauth2/v2\\.0/logout/?$`), logout),
];

export async function handleEntra(ctx: RequestContext): Promise<SandboxResponse> {
  const res = await dispatch(routes, ctx);
  if (res) return res;
  return html(404, page('Sign in to your account', `<h1>Page not found</h1><p>The path ${escapeHtml(ctx.path)} is not a Microsoft identity platform endpoint.</p>`));
}
