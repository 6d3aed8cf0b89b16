// Azure DevOps error bodies, tenant-discovery headers and credential checks shared by the three
// Azure DevOps hosts (docs/contracts.md B.1, B.3, B.4).
import type { AdoOrgConfig } from './config.ts';
import { ADO_RESOURCE_ID, MSA_TENANT_ID } from './fixtures.ts';
import { escapeHtml, header, html, json, page, redirect, type RequestContext, type SandboxResponse } from './http.ts';
import { now, type EntraAccessToken, type PatRecord } from './state.ts';

/** The general Azure DevOps JSON error shape (docs/contracts.md B.1, from vsts-rest-api-specs#571). */
export function adoError(status: number, message: string, typeKey: string, headers: Record<string, string> = {}): SandboxResponse {
  const ns = typeKey.startsWith('Vss') ? 'Microsoft.VisualStudio.Services.WebApi' : 'Microsoft.TeamFoundation.Framework.Server';
  return json(
    status,
    {
      $id: '1',
      innerException: null,
      message,
      typeName: `${ns}.${typeKey}, ${ns}`,
      typeKey,
      errorCode: 0,
      eventId: 3000,
    },
    headers,
  );
}

export function findOrg(ctx: RequestContext, name: string): AdoOrgConfig | null {
  return Object.values(ctx.config.azureDevOps.orgs).find((o) => o.name.toLowerCase() === name.toLowerCase()) ?? null;
}

/**
 * Tenant discovery headers (docs/contracts.md B.4): X-VSS-ResourceTenant always; the Bearer challenge
 * names the tenant for Entra orgs and no tenant for MSA orgs (clients then fall back to the header).
 */
export function tenantHeaders(org: AdoOrgConfig): Record<string, string> {
  const authority = org.tenantId === MSA_TENANT_ID ? 'https://login.microsoftonline.com/' : `https://login.microsoftonline.com/${org.tenantId}`;
  return {
    'x-vss-resourcetenant': org.tenantId,
    'www-authenticate': `Bearer authorization_uri=${authority}, Basic realm="https://tfsprodweu5.visualstudio.com/"`,
  };
}

export const orgNotFound = (name: string): SandboxResponse =>
  adoError(404, `VS800075: The organization '${name}' does not exist or you do not have permission to access it.`, 'AccountNotFoundException');

export type AdoIdentity = { kind: 'entra'; token: EntraAccessToken } | { kind: 'pat'; pat: PatRecord };
export interface AuthOptions {
  allowPat: boolean;
  allowEntra: boolean;
  scopes: string[];
}

const unauthorized = (org: AdoOrgConfig, message: string, typeKey = 'UnauthorizedRequestException'): SandboxResponse => adoError(401, message, typeKey, tenantHeaders(org));
export const anonymous = (org: AdoOrgConfig): SandboxResponse => unauthorized(org, 'TF400813: Resource not available for anonymous access. Client authentication required.');
const notAuthorized = (org: AdoOrgConfig, who: string): SandboxResponse => unauthorized(org, `TF400813: The user '${who}' is not authorized to access this resource.`);
export const notAllowed = (org: AdoOrgConfig): SandboxResponse => unauthorized(org, 'The requested operation is not allowed.', 'InvalidAccessException');
const badCredential = (org: AdoOrgConfig): SandboxResponse => unauthorized(org, 'VS30063: You are not authorized to access https://dev.azure.com.');

const signInUrl = (ctx: RequestContext) => `https://app.vssps.visualstudio.com/_signin?realm=${encodeURIComponent(ctx.host)}&reply_to=${encodeURIComponent(ctx.url.href)}`;

/**
 * A PAT Azure DevOps does not accept. Callers that send `X-TFS-FedAuthRedirect: Suppress` get the
 * 401; the others get what `azureDevOps.unusablePatAnswer` says: the 401, a 203 sign-in page (a
 * success status with HTML instead of JSON, docs/contracts.md B.3) or a 302 to that page.
 */
function unusablePat(ctx: RequestContext, org: AdoOrgConfig): SandboxResponse {
  const mode = ctx.config.azureDevOps.unusablePatAnswer;
  if (mode === 'unauthorized' || /^suppress$/i.test(header(ctx, 'x-tfs-fedauthredirect') ?? '')) return badCredential(org);
  if (mode === 'redirect') return redirect(signInUrl(ctx));
  return html(
    203,
    page(
      'Azure DevOps Services | Sign In',
      `<h1>Sign in to Azure DevOps</h1>
<p id="signin-page">Your credentials did not let you in. <a href="${escapeHtml(signInUrl(ctx))}">Sign in</a> to continue to ${escapeHtml(org.name)}.</p>`,
    ),
    { 'x-vss-resourcetenant': org.tenantId },
  );
}

/** True when a space-separated scope string grants one of `needed` (app_token = full access). */
export function hasScope(granted: string, needed: string[]): boolean {
  const have = granted.toLowerCase().split(' ');
  return have.includes('app_token') || have.includes('user_impersonation') || needed.some((n) => have.includes(n.toLowerCase()));
}

/** Authenticates a request against `org`; returns the identity or the 401 to send. */
export function authenticate(ctx: RequestContext, org: AdoOrgConfig, opts: AuthOptions): AdoIdentity | SandboxResponse {
  const auth = header(ctx, 'authorization') ?? '';
  const [scheme = '', value = ''] = auth.split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer' && value) {
    if (!opts.allowEntra) return notAllowed(org);
    const token = ctx.state.accessTokens.find((t) => t.token === value);
    if (!token || token.expiresAt <= now(ctx.state) || token.aud !== ADO_RESOURCE_ID) return badCredential(org);
    const who = ctx.config.entra.users[token.oid]?.upn ?? token.oid;
    if (token.tid !== org.tenantId || !org.members.includes(token.oid)) return notAuthorized(org, who);
    if (token.kind === 'user' && !hasScope(token.scp ?? '', opts.scopes)) return notAuthorized(org, who);
    return { kind: 'entra', token };
  }
  if (scheme.toLowerCase() === 'basic' && value) {
    // "Use any value for the user name and the token as the password" (docs/contracts.md B.3).
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const secret = decoded.slice(decoded.indexOf(':') + 1);
    if (!opts.allowPat) return notAllowed(org);
    const pat = ctx.state.pats.find((p) => p.token === secret);
    if (pat?.status !== 'active' || Date.parse(pat.validTo) <= now(ctx.state)) return unusablePat(ctx, org);
    if (pat.targetAccounts !== null && !pat.targetAccounts.includes(org.accountId)) return unusablePat(ctx, org);
    if (!hasScope(pat.scope, opts.scopes)) return notAuthorized(org, ctx.config.entra.users[pat.ownerOid]?.upn ?? pat.ownerOid);
    return { kind: 'pat', pat };
  }
  return anonymous(org);
}

/** Azure DevOps REST requires api-version (query or Accept header); preview APIs need "-preview". */
export function checkApiVersion(ctx: RequestContext, preview: boolean): SandboxResponse | null {
  const version = ctx.query.get('api-version') ?? /api-version=([^;,\s]+)/.exec(header(ctx, 'accept') ?? '')?.[1];
  if (!version) {
    return adoError(
      400,
      `No api-version was supplied for the "${ctx.method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`,
      'VssVersionNotSpecifiedException',
    );
  }
  if (preview && !version.includes('-preview')) {
    return adoError(
      400,
      `The requested version "${version}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${version}-preview"`,
      'VssInvalidPreviewVersionException',
    );
  }
  return null;
}
