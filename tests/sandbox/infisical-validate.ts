// Credential checks Infisical runs before storing a connection (docs/contracts.md A.3 "Credential
// checks the server runs"). They are real HTTPS calls back into this sandbox, under the real
// hostnames, so faults, latency and the request log apply to them as to the extension's own calls.
import https from 'node:https';
import { httpsRequest, type SandboxHttpResponse } from './client.ts';
import { badRequest, internalError } from './infisical-errors.ts';
import type { RequestContext, SandboxResponse } from './http.ts';
import type { ConnectionMethod } from './state.ts';
import { now } from './state.ts';

const ADO_DEFAULT_SCOPE = 'https://app.vssps.visualstudio.com/.default';

type Call = (url: string, init: Parameters<typeof httpsRequest>[2]) => Promise<SandboxHttpResponse>;
// Like Infisical's own HTTP client, keep connections to Azure DevOps and Entra open between calls:
// the validation then costs its round trip, not a TLS handshake each time (docs/performance.md).
const agent = new https.Agent({ keepAlive: true });
const caller =
  (ctx: RequestContext): Call =>
  async (url, init) => {
    const started = performance.now();
    try {
      return await httpsRequest({ port: ctx.env.port, caPem: ctx.env.caPem, agent }, url, init);
    } finally {
      ctx.upstreamMs += performance.now() - started;
    }
  };

/**
 * Infisical's HTTP client is axios with `maxRedirects: 0`: any status outside 2xx (a 302 included)
 * is an error whose text is `field` of the JSON body when there is one, else axios' own sentence
 * (docs/contracts.md A.3 "Credential checks").
 */
const isAxiosError = (res: SandboxHttpResponse) => res.status < 200 || res.status >= 300;
function axiosMessage(res: SandboxHttpResponse, field: 'message' | 'error_description', otherwise = `Request failed with status code ${res.status}`): string {
  try {
    const m = (res.json() as Record<string, unknown>)[field];
    if (typeof m === 'string' && m) return m;
  } catch {
    /* HTML or empty: no field */
  }
  return otherwise;
}

const projectsUrl = (orgName: string) => `https://dev.azure.com/${encodeURIComponent(orgName)}/_apis/projects?api-version=7.2-preview.2&$top=1`;

/**
 * `access-token`: only a 200 passes. An axios error names the organization; any other 2xx (such as
 * Azure DevOps' 203 sign-in page) is the server's own refusal, which its catch-all rewrites.
 */
async function accessToken(call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const orgName = c['orgName'] ?? '';
  const fail = (m: string) => badRequest(`Failed to validate access token for organization '${orgName}': ${m}`);
  try {
    const res = await call(projectsUrl(orgName), { headers: { authorization: `Basic ${Buffer.from(`:${c['accessToken']}`).toString('base64')}` } });
    if (isAxiosError(res)) return fail(axiosMessage(res, 'message'));
    if (res.status !== 200) return badRequest('Unable to validate Azure DevOps token');
  } catch (e) {
    return fail((e as Error).message);
  }
  return { accessToken: c['accessToken'], orgName };
}

async function oauth(ctx: RequestContext, call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const { oauthClientId, oauthClientSecret } = ctx.config.infisical;
  if (!oauthClientId || !oauthClientSecret) return internalError('Azure OAuth environment variables have not been configured');
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: c['code'] ?? '',
    scope: ADO_DEFAULT_SCOPE,
    client_id: oauthClientId,
    client_secret: oauthClientSecret,
    redirect_uri: 'https://infisical.sandbox.test/organization/app-connections/azure/oauth/callback',
  });
  try {
    const res = await call(`https://login.microsoftonline.com/${encodeURIComponent(c['tenantId'] || 'common')}/oauth2/v2.0/token`, { method: 'POST', body: form });
    if (isAxiosError(res)) return badRequest(`Failed to get access token: ${axiosMessage(res, 'error_description', 'Unknown error')}`);
    const t = res.json() as { access_token: string; refresh_token?: string; expires_in: number };
    return { tenantId: c['tenantId'], orgName: c['orgName'], accessToken: t.access_token, refreshToken: t.refresh_token ?? null, expiresAt: now(ctx.state) + t.expires_in * 1000 };
  } catch {
    // No answer at all is still an axios error, one without a body to read.
    return badRequest('Failed to get access token: Unknown error');
  }
}

/**
 * `client-secret`: the client-credentials grant, then the projects call with its token. Either
 * call's axios error → 400 with Entra's `error_description` or axios' sentence (Azure DevOps' JSON
 * has no `error_description`); a projects answer that is 2xx but not 200 → 500.
 */
async function clientSecret(call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const fail = (m: string) => badRequest(`Failed to authenticate with Azure DevOps using client credentials: ${m}`);
  try {
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: ADO_DEFAULT_SCOPE, client_id: c['clientId'] ?? '', client_secret: c['clientSecret'] ?? '' });
    const res = await call(`https://login.microsoftonline.com/${encodeURIComponent(c['tenantId'] || 'common')}/oauth2/v2.0/token`, { method: 'POST', body: form });
    if (isAxiosError(res)) return fail(axiosMessage(res, 'error_description'));
    const token = (res.json() as { access_token: string }).access_token;
    const probe = await call(projectsUrl(c['orgName'] ?? ''), { headers: { authorization: `Bearer ${token}` } });
    if (isAxiosError(probe)) return fail(axiosMessage(probe, 'error_description'));
    if (probe.status !== 200) return internalError('Failed to validate Azure DevOps client credentials');
  } catch (e) {
    return fail((e as Error).message);
  }
  return { ...c };
}

/** Validates credentials for `method`; returns the secret credentials to store, or the error to send. */
export function validateCredentials(ctx: RequestContext, method: ConnectionMethod, credentials: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const call = caller(ctx);
  if (method === 'access-token') return accessToken(call, credentials);
  if (method === 'oauth') return oauth(ctx, call, credentials);
  return clientSecret(call, credentials);
}

export const isResponse = (v: SandboxResponse | Record<string, unknown>): v is SandboxResponse => typeof v['status'] === 'number' && ('body' in v || 'headers' in v);
