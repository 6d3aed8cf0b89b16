// Test helpers that play the client side of the fakes' protocols over real HTTPS: PKCE sign-in
// (authorize → code → token) and Universal Auth login. For the sandbox's own tests and others.
import { createHash, randomBytes } from 'node:crypto';
import { sandboxFetch, type SandboxHttpResponse } from './client.ts';
import { ADO_RESOURCE_ID, EXTENSION_APP, INFISICAL, TENANT } from './fixtures.ts';

type Target = { port: number; caPem: string };

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeOptions {
  tenant?: string;
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  challenge?: string | null;
  responseMode?: 'query' | 'fragment';
  extra?: Record<string, string>;
}

export const ADO_SCOPE = `${ADO_RESOURCE_ID}/.default`;

export function authorizeUrl(o: AuthorizeOptions = {}): string {
  const url = new URL(`https://login.microsoftonline.com/${o.tenant ?? TENANT.id}/oauth2/v2.0/authorize`);
  const p: Record<string, string> = {
    client_id: o.clientId ?? EXTENSION_APP.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri ?? EXTENSION_APP.chromiumRedirect,
    scope: o.scope ?? `${ADO_SCOPE} openid profile offline_access`,
    state: o.state ?? 'state-1',
    nonce: o.nonce ?? 'nonce-1',
    response_mode: o.responseMode ?? 'query',
    ...o.extra,
  };
  if (o.challenge !== null && o.challenge !== undefined) {
    p['code_challenge'] = o.challenge;
    p['code_challenge_method'] = 'S256';
  }
  for (const [k, v] of Object.entries(p)) url.searchParams.set(k, v);
  return url.toString();
}

/** The params Entra put on the redirect (query or fragment). */
export function redirectParams(res: SandboxHttpResponse): URLSearchParams {
  if (!res.location) throw new Error(`Expected a redirect, got ${res.status}: ${res.text.slice(0, 200)}`);
  return new URLSearchParams(res.location.hash ? res.location.hash.slice(1) : res.location.search);
}

/** Runs /authorize (auto mode) and returns the code and the verifier that goes with it. */
export async function getCode(sb: Target, o: AuthorizeOptions = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const res = await sandboxFetch(sb, authorizeUrl({ challenge, ...o }));
  const code = redirectParams(res).get('code');
  if (!code) throw new Error(`No code: ${res.location?.toString()}`);
  return { code, verifier };
}

export function redeem(sb: Target, form: Record<string, string>, origin: string | null = `chrome-extension://caiekacklhaldebomccfigafhmmkpmla`, tenant: string = TENANT.id) {
  return sandboxFetch(sb, `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: origin ? { origin } : {},
  });
}

/**
 * A full extension-style PKCE sign-in with the `https://login.microsoftonline.com/<tenant>`
 * authority (contoso unless told); returns the token response JSON.
 */
export async function signIn(sb: Target, scope = ADO_SCOPE, tenant: string = TENANT.id): Promise<{ access_token: string; refresh_token?: string; id_token?: string; scope: string }> {
  const { code, verifier } = await getCode(sb, { tenant, scope: `${scope} openid profile offline_access` });
  const res = await redeem(
    sb,
    {
      client_id: EXTENSION_APP.clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: EXTENSION_APP.chromiumRedirect,
      scope: `${scope} openid profile offline_access`,
    },
    undefined,
    tenant,
  );
  if (res.status !== 200) throw new Error(`Token exchange failed: ${res.text}`);
  return res.json();
}

/** Universal Auth login with the default machine identity; returns the access token. */
export async function infisicalLogin(sb: Target): Promise<string> {
  const res = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v1/auth/universal-auth/login`, {
    method: 'POST',
    body: { clientId: INFISICAL.clientId, clientSecret: INFISICAL.clientSecret },
  });
  if (res.status !== 200) throw new Error(`Universal Auth login failed: ${res.text}`);
  return res.json().accessToken;
}
