import { createHash, randomBytes } from 'node:crypto';
import type { FetchLike } from '../../utils/http/request';
import type { EntraToken } from '../../utils/microsoft/types';

const b64url = (buf: Buffer) => buf.toString('base64url');

/**
 * Stands in for MSAL in Node-only tests: a real auth code + PKCE exchange against the sandbox's
 * Entra (authorize → code → token with the verifier and the extension's Origin), so the token the
 * flow receives is one the Azure DevOps fake accepts.
 */
export async function obtainEntraToken(
  fetchFn: FetchLike,
  request: { clientId: string; tenant: string; redirectUri: string; scope: string },
): Promise<EntraToken> {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(8));
  const authorize = new URL(`https://login.microsoftonline.com/${request.tenant}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: request.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    scope: `${request.scope} openid profile offline_access`,
    state,
    nonce: 'n',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    response_mode: 'query',
  })) {
    authorize.searchParams.set(k, v);
  }
  const redirect = await fetchFn(authorize.toString(), { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (!location) throw new Error(`authorize did not redirect (${redirect.status})`);
  const back = new URL(location);
  const params = new URLSearchParams(back.hash ? back.hash.slice(1) : back.search);
  const code = params.get('code');
  if (!code) throw new Error(`authorize failed: ${params.get('error_description')}`);
  if (params.get('state') !== state) throw new Error('state mismatch');

  const response = await fetchFn(`https://login.microsoftonline.com/${request.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: request.clientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: request.redirectUri,
      code_verifier: verifier,
      scope: request.scope,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!body.access_token) throw new Error(`token failed: ${body.error_description}`);
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString()) as { tid: string; upn?: string };
  return {
    accessToken: body.access_token,
    expiresOn: new Date(Date.now() + (body.expires_in ?? 3600) * 1000).toISOString(),
    tenantId: claims.tid,
    username: claims.upn ?? '',
  };
}
