// Credential checks Infisical runs before storing a connection (docs/contracts.md A.3 "Server-side
// validation for each method"). They are real HTTPS calls back into this sandbox, under the real
// hostnames, so faults, latency and the request log apply to them as to the extension's own calls.
import https from 'node:https';
import { httpsRequest, type SandboxHttpResponse } from './client.ts';
import { badRequest, infError } from './infisical-errors.ts';
import type { RequestContext, SandboxResponse } from './http.ts';
import type { ConnectionMethod } from './state.ts';
import { now } from './state.ts';

const ADO_DEFAULT_SCOPE = 'https://app.vssps.visualstudio.com/.default';

type Call = (url: string, init: Parameters<typeof httpsRequest>[2]) => Promise<SandboxHttpResponse>;
// Like Infisical's own HTTP client, keep connections to Azure DevOps and Entra open between calls:
// the validation then costs its round trip, not a TLS handshake each time (docs/performance.md).
const agent = new https.Agent({ keepAlive: true });
const caller = (ctx: RequestContext): Call => async (url, init) => {
  const started = performance.now();
  try {
    return await httpsRequest({ port: ctx.env.port, caPem: ctx.env.caPem, agent }, url, init);
  } finally {
    ctx.upstreamMs += performance.now() - started;
  }
};

/** The upstream message an axios-based client would surface: body.message, else axios' own text. */
function upstreamMessage(res: SandboxHttpResponse, field: 'message' | 'error_description'): string {
  try {
    const body = res.json() as Record<string, unknown>;
    const m = body[field] ?? body['message'];
    if (typeof m === 'string' && m) return m;
  } catch { /* not JSON */ }
  return `Request failed with status code ${res.status}`;
}

const projectsUrl = (orgName: string) =>
  `https://dev.azure.com/${encodeURIComponent(orgName)}/_apis/projects?api-version=7.2-preview.2&$top=1`;

async function accessToken(call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const orgName = c['orgName'] ?? '';
  const fail = (m: string) => badRequest(`Failed to validate access token for organization '${orgName}': ${m}`);
  try {
    const res = await call(projectsUrl(orgName), { headers: { authorization: `Basic ${Buffer.from(`:${c['accessToken']}`).toString('base64')}` } });
    if (res.status !== 200) return fail(upstreamMessage(res, 'message'));
  } catch (e) {
    return fail((e as Error).message);
  }
  return { accessToken: c['accessToken'], orgName };
}

async function oauth(ctx: RequestContext, call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const { oauthClientId, oauthClientSecret } = ctx.config.infisical;
  if (!oauthClientId || !oauthClientSecret) return infError(500, 'InternalServerError', 'Azure OAuth environment variables have not been configured');
  const form = new URLSearchParams({
    grant_type: 'authorization_code', code: c['code'] ?? '', scope: ADO_DEFAULT_SCOPE, client_id: oauthClientId,
    client_secret: oauthClientSecret, redirect_uri: 'https://infisical.sandbox.test/organization/app-connections/azure/oauth/callback',
  });
  try {
    const res = await call(`https://login.microsoftonline.com/${encodeURIComponent(c['tenantId'] || 'common')}/oauth2/v2.0/token`, { method: 'POST', body: form });
    if (res.status !== 200) return badRequest(`Failed to get access token: ${upstreamMessage(res, 'error_description')}`);
    const t = res.json() as { access_token: string; refresh_token?: string; expires_in: number };
    return { tenantId: c['tenantId'], orgName: c['orgName'], accessToken: t.access_token, refreshToken: t.refresh_token ?? null, expiresAt: now(ctx.state) + t.expires_in * 1000 };
  } catch (e) {
    return badRequest(`Failed to get access token: ${(e as Error).message}`);
  }
}

async function clientSecret(call: Call, c: Record<string, string>): Promise<SandboxResponse | Record<string, unknown>> {
  const fail = (m: string) => badRequest(`Failed to authenticate with Azure DevOps using client credentials: ${m}`);
  try {
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: ADO_DEFAULT_SCOPE, client_id: c['clientId'] ?? '', client_secret: c['clientSecret'] ?? '' });
    const res = await call(`https://login.microsoftonline.com/${encodeURIComponent(c['tenantId'] ?? '')}/oauth2/v2.0/token`, { method: 'POST', body: form });
    if (res.status !== 200) return fail(upstreamMessage(res, 'error_description'));
    const token = (res.json() as { access_token: string }).access_token;
    const probe = await call(projectsUrl(c['orgName'] ?? ''), { headers: { authorization: `Bearer ${token}` } });
    if (probe.status !== 200) return fail(upstreamMessage(probe, 'message'));
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

export const isResponse = (v: SandboxResponse | Record<string, unknown>): v is SandboxResponse =>
  typeof v['status'] === 'number' && ('body' in v || 'headers' in v);
