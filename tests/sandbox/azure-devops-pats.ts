// PAT Lifecycle Management API on vssps.dev.azure.com/{org}/_apis/tokens/pats (docs/contracts.md B.1):
// Entra Bearer tokens only; policy violations come back as HTTP 200 with patTokenError set.
import { adoError, authenticate, checkApiVersion, findOrg, orgNotFound } from './azure-devops-auth.ts';
import { isValidScope } from './azure-devops-scopes.ts';
import type { AdoOrgConfig } from './config.ts';
import { bodyJson, json, redirect, type RequestContext, type SandboxResponse } from './http.ts';
import { patSecret, uuid } from './ids.ts';
import { isoNow, now, type EntraAccessToken, type PatRecord } from './state.ts';

const DAY = 86_400_000;
const EMPTY_DATE = '0001-01-01T00:00:00';
const EMPTY_PAT = {
  displayName: null,
  validTo: EMPTY_DATE,
  scope: null,
  targetAccounts: null,
  validFrom: EMPTY_DATE,
  authorizationId: '00000000-0000-0000-0000-000000000000',
  token: null,
};

const view = (p: PatRecord, withSecret: boolean) => ({
  displayName: p.displayName,
  validTo: p.validTo,
  scope: p.scope,
  targetAccounts: p.targetAccounts,
  validFrom: p.validFrom,
  authorizationId: p.authorizationId,
  token: withSecret ? p.token : null,
});

/** PatTokenResult; the 7.2 spec adds patTokenErrorMessage (docs/contracts.md B.1). */
function result(ctx: RequestContext, patToken: object, error = 'none'): SandboxResponse {
  const is72 = (ctx.query.get('api-version') ?? '').startsWith('7.2');
  const message = error === 'none' ? null : `The personal access token request failed: ${error}.`;
  return json(200, { patToken, patTokenError: error, ...(is72 ? { patTokenErrorMessage: message } : {}) });
}
const failure = (ctx: RequestContext, error: string) => result(ctx, EMPTY_PAT, error);

/** Checks the mutable fields shared by create and update; returns a patTokenError or null. */
function validateFields(ctx: RequestContext, org: AdoOrgConfig, body: Record<string, unknown>, creating: boolean): string | null {
  const forced = ctx.config.azureDevOps.forcePatTokenError;
  if (forced && forced !== 'none') return forced;
  if (creating || body['displayName'] !== undefined) {
    if (typeof body['displayName'] !== 'string' || !body['displayName'].trim()) return 'displayNameRequired';
  }
  if ((creating || body['scope'] !== undefined) && !isValidScope(body['scope'])) return 'invalidScope';
  if (body['validTo'] !== undefined && body['validTo'] !== null) {
    const t = typeof body['validTo'] === 'string' ? Date.parse(body['validTo']) : NaN;
    if (Number.isNaN(t) || t <= now(ctx.state)) return 'invalidValidTo';
  }
  const policy = org.policy;
  if (body['allOrgs'] === true && policy.restrictGlobalPats) return 'globalPatPolicyViolation';
  if (policy.restrictFullScope && typeof body['scope'] === 'string' && body['scope'].split(/\s+/).includes('app_token')) return 'fullScopePatPolicyViolation';
  return null;
}

/** "Enforce maximum PAT lifespan" clamps silently (7.2 spec text): create from now, update from creation. */
function clampValidTo(org: AdoOrgConfig, requested: number, from: number): string {
  const max = org.policy.maxLifespanDays;
  return new Date(max !== null && requested > from + max * DAY ? from + max * DAY : requested).toISOString();
}

function create(ctx: RequestContext, org: AdoOrgConfig, token: EntraAccessToken, body: Record<string, unknown>): SandboxResponse {
  if (org.policy.disablePatCreation) return failure(ctx, 'disablePatCreationPolicyViolation');
  const error = validateFields(ctx, org, body, true);
  if (error) return failure(ctx, error);
  const at = now(ctx.state);
  const requested = typeof body['validTo'] === 'string' ? Date.parse(body['validTo']) : at + 30 * DAY;
  const allOrgs = body['allOrgs'] === true;
  const pat: PatRecord = {
    authorizationId: uuid(),
    token: patSecret(),
    displayName: String(body['displayName']).trim(),
    scope: String(body['scope']).trim(),
    validFrom: new Date(at).toISOString(),
    validTo: clampValidTo(org, requested, at),
    allOrgs,
    targetAccounts: allOrgs ? null : [org.accountId],
    org: org.name,
    ownerOid: token.oid,
    status: 'active',
  };
  ctx.state.pats.push(pat);
  return result(ctx, view(pat, true));
}

function update(ctx: RequestContext, org: AdoOrgConfig, pat: PatRecord | undefined, body: Record<string, unknown>): SandboxResponse {
  if (!pat) return failure(ctx, 'authorizationNotFound');
  if (pat.status === 'revoked') return failure(ctx, 'invalidAuthorizationId');
  const error = validateFields(ctx, org, body, false);
  if (error) return failure(ctx, error);
  if (typeof body['displayName'] === 'string') pat.displayName = body['displayName'].trim();
  if (typeof body['scope'] === 'string') pat.scope = body['scope'].trim();
  if (typeof body['validTo'] === 'string') pat.validTo = clampValidTo(org, Date.parse(body['validTo']), Date.parse(pat.validFrom));
  if (typeof body['allOrgs'] === 'boolean') {
    pat.allOrgs = body['allOrgs'];
    pat.targetAccounts = pat.allOrgs ? null : [findOrgAccount(ctx, pat.org)];
  }
  return result(ctx, view(pat, false));
}

const findOrgAccount = (ctx: RequestContext, name: string): string => findOrg(ctx, name)?.accountId ?? '';

function list(ctx: RequestContext, mine: PatRecord[]): SandboxResponse {
  const q = ctx.query;
  const at = now(ctx.state);
  const expired = (p: PatRecord) => p.status === 'active' && Date.parse(p.validTo) <= at;
  const filter = (q.get('displayFilterOption') ?? 'active').toLowerCase();
  const selected = mine.filter((p) => filter === 'all' || (filter === 'revoked' ? p.status === 'revoked' : filter === 'expired' ? expired(p) : p.status === 'active' && !expired(p)));
  const sortBy = (q.get('sortByOption') ?? 'displayName').toLowerCase();
  const key = (p: PatRecord) => (sortBy === 'displaydate' ? p.validTo : sortBy === 'status' ? p.status : p.displayName.toLowerCase());
  selected.sort((a, b) => key(a).localeCompare(key(b)) * (q.get('isSortAscending') === 'false' ? -1 : 1));
  const top = Math.max(1, Math.min(Number(q.get('$top') ?? 100) || 100, 100));
  const start = Number(Buffer.from(q.get('continuationToken') ?? '', 'base64url').toString() || 0) || 0;
  const page = selected.slice(start, start + top);
  const next = start + top < selected.length ? Buffer.from(String(start + top)).toString('base64url') : '';
  return json(200, { continuationToken: next, patTokens: page.map((p) => view(p, false)) });
}

export function handlePats(ctx: RequestContext): SandboxResponse {
  const m = /^\/([^/]+)\/_apis\/tokens\/pats\/?$/i.exec(ctx.path);
  if (!m) return adoError(404, `The controller for path '${ctx.path}' was not found or does not implement IController.`, 'HttpException');
  const org = findOrg(ctx, decodeURIComponent(m[1] ?? ''));
  if (!org) return orgNotFound(m[1] ?? '');
  const who = authenticate(ctx, org, { allowPat: false, allowEntra: true, scopes: ['vso.pats', 'vso.pats_manage'] });
  if ('status' in who) return who;
  if (who.kind !== 'entra') return adoError(401, 'The requested operation is not allowed.', 'InvalidAccessException');
  // Client-credential tokens are not valid for this API: they get the sign-in redirect (docs/contracts.md B.1).
  if (who.token.kind === 'app') return redirect(`https://app.vssps.visualstudio.com/_signin?realm=vssps.dev.azure.com&reply_to=${encodeURIComponent(ctx.url.href)}`);
  const versionError = checkApiVersion(ctx, true);
  if (versionError) return versionError;
  const writes = ['POST', 'PUT', 'DELETE'].includes(ctx.method);
  if (writes && !/(^| )(user_impersonation|vso\.pats_manage)( |$)/.test(who.token.scp ?? '')) {
    return adoError(401, 'The requested operation is not allowed.', 'InvalidAccessException');
  }
  const mine = ctx.state.pats.filter((p) => p.ownerOid === who.token.oid && (p.org === org.name || p.allOrgs));
  const byId = (id: unknown) => mine.find((p) => p.authorizationId === id);
  const body = bodyJson(ctx);
  const obj = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if ((ctx.method === 'POST' || ctx.method === 'PUT') && (typeof body !== 'object' || body === null)) {
    return adoError(400, 'Value cannot be null.\r\nParameter name: patTokenRequest', 'ArgumentNullException');
  }
  switch (ctx.method) {
    case 'POST':
      return create(ctx, org, who.token, obj);
    case 'PUT':
      return update(ctx, org, byId(obj['authorizationId']), obj);
    case 'GET': {
      const id = ctx.query.get('authorizationId');
      if (!id) return list(ctx, mine);
      const pat = byId(id);
      // A PatToken has no status field: a revoked token reads like an active one unless the
      // sandbox is told to answer it as gone (docs/contracts.md B.1 "Revoked and expired PATs").
      if (pat?.status === 'revoked' && ctx.config.azureDevOps.revokedPatGet === 'not-found') return failure(ctx, 'authorizationNotFound');
      return pat ? result(ctx, view(pat, false)) : failure(ctx, 'authorizationNotFound');
    }
    case 'DELETE': {
      const pat = byId(ctx.query.get('authorizationId'));
      if (!pat) return adoError(404, `The personal access token with authorization id '${ctx.query.get('authorizationId') ?? ''}' was not found.`, 'SessionTokenNotFoundException');
      pat.status = 'revoked';
      return { status: 204, headers: { 'x-sandbox-revoked-at': isoNow(ctx.state) } };
    }
    default:
      return adoError(405, `The requested resource does not support http method '${ctx.method}'.`, 'HttpException');
  }
}
