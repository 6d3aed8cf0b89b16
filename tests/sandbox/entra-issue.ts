// Tenant resolution and token minting for the fake Entra (docs/contracts.md C.2, C.5). Tokens are recorded
// in state so the Azure DevOps fake can validate the Bearer tokens it receives.
import { createHash } from 'node:crypto';
import type { EntraAppConfig, EntraUserConfig, RedirectType, SandboxConfig, TenantConfig } from './config.ts';
import { ADO_RESOURCE_ID, ADO_RESOURCE_URI } from './fixtures.ts';
import { opaque } from './ids.ts';
import { fakeRs256 } from './jwt.ts';
import { now, type SandboxState } from './state.ts';

/** `{tenant}` may be a tenant id, a verified domain, `common` or `organizations` (docs/contracts.md C.1). */
export function resolveTenant(config: SandboxConfig, segment: string): { tenant: TenantConfig | null; generic: boolean } | null {
  const s = segment.toLowerCase();
  if (s === 'common' || s === 'organizations') return { tenant: null, generic: true };
  const tenant = Object.values(config.entra.tenants).find((t) => t.id === s || t.domains.includes(s));
  return tenant ? { tenant, generic: false } : null;
}

/** Whether `app` can be used in `tenantId`: its home tenant, or one where it has a service principal (docs/contracts.md C.6). */
export const appUsableIn = (app: EntraAppConfig, tenantId: string): boolean => app.tenantId === tenantId || (app.otherTenants ?? []).includes(tenantId);

/** The home user behind an account: itself, or the user a guest account belongs to. */
export function homeUser(config: SandboxConfig, account: EntraUserConfig): EntraUserConfig {
  return (account.guestOf ? config.entra.users[account.guestOf] : undefined) ?? account;
}

/**
 * The signed-in person's account in `tenantId`: their own in their home tenant, or their guest
 * account there; null when they have none, which Entra refuses with AADSTS50020 (docs/contracts.md C.6).
 */
export function accountIn(config: SandboxConfig, tenantId: string): EntraUserConfig | null {
  const session = config.entra.users[config.entra.signedInUser];
  if (!session) return null;
  if (session.tenantId === tenantId) return session;
  return Object.values(config.entra.users).find((u) => u.guestOf === session.oid && u.tenantId === tenantId) ?? null;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
export const splitScopes = (scope: string): string[] => scope.split(' ').filter(Boolean);
export const resourceScopes = (scope: string): string[] => splitScopes(scope).filter((s) => !OIDC_SCOPES.has(s));

/** The resource a scope belongs to: everything before the last "/"; Azure DevOps' two names unify. */
export function resourceOf(scope: string): string {
  const i = scope.lastIndexOf('/');
  const resource = i > 0 ? scope.slice(0, i) : scope;
  return resource === ADO_RESOURCE_URI || resource === ADO_RESOURCE_ID ? ADO_RESOURCE_ID : resource;
}

/** `scp` claim: `.default` expands to the consented permission (user_impersonation for Azure DevOps). */
const scpOf = (scopes: string[]): string =>
  [
    ...new Set(
      scopes.map((s) => {
        const p = s.slice(s.lastIndexOf('/') + 1);
        return p === '.default' ? 'user_impersonation' : p;
      }),
    ),
  ].join(' ');

export interface IssueRequest {
  clientId: string;
  oid: string;
  tid: string;
  scope: string;
  redirectType: RedirectType;
  nonce: string | null;
  clientInfo: boolean;
  refreshExpiresAt?: number | null;
  /** Scopes granted at /authorize: offline_access / openid there still yield refresh / id tokens. */
  grantedScope?: string;
}

/** Mints access, id and refresh tokens for a user and returns the token-endpoint success JSON. */
export function issueUserTokens(state: SandboxState, config: SandboxConfig, r: IssueRequest): Record<string, unknown> {
  const at = now(state);
  const iat = Math.floor(at / 1000);
  const life = config.entra.accessTokenLifetimeSec;
  const user = config.entra.users[r.oid];
  // A guest account: the tokens carry its oid and the resource tenant, but name the person by
  // their home account (preferred_username, client_info) and their home directory (idp), as
  // Entra does for B2B guests (docs/contracts.md C.6).
  const home = user ? homeUser(config, user) : undefined;
  const guest = user !== undefined && home !== user;
  const requested = splitScopes(r.scope);
  const granted = new Set([...requested, ...splitScopes(r.grantedScope ?? '')]);
  const resources = resourceScopes(r.scope);
  const aud = resources[0] ? resourceOf(resources[0]) : '00000003-0000-0000-c000-000000000000';
  const scp = resources.length ? scpOf(resources) : 'User.Read';
  const accessToken = fakeRs256({
    aud,
    iss: `https://sts.windows.net/${r.tid}/`,
    iat,
    nbf: iat,
    exp: iat + life,
    appid: r.clientId,
    tid: r.tid,
    oid: r.oid,
    scp,
    ...(guest ? { unique_name: home?.upn, idp: `https://sts.windows.net/${home?.tenantId}/` } : { upn: user?.upn }),
    name: user?.name,
    ver: '1.0',
  });
  state.accessTokens.push({ token: accessToken, kind: 'user', clientId: r.clientId, oid: r.oid, tid: r.tid, aud, scp, issuedAt: at, expiresAt: at + life * 1000 });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    // Echo the resource scopes exactly as requested (see docs/browsers.md "MSAL and the granted scope").
    scope: resources.length ? resources.join(' ') : requested.join(' '),
    expires_in: life,
    ext_expires_in: life,
    access_token: accessToken,
  };
  if (granted.has('offline_access')) {
    const token = `1.sandbox.${opaque(64)}`;
    const expiresAt = r.refreshExpiresAt !== undefined ? r.refreshExpiresAt : r.redirectType === 'spa' ? at + config.entra.spaRefreshTokenLifetimeSec * 1000 : null;
    state.refreshTokens.push({ token, clientId: r.clientId, oid: r.oid, tid: r.tid, scope: r.scope, redirectType: r.redirectType, expiresAt, revoked: false });
    body['refresh_token'] = token;
    if (expiresAt !== null) body['refresh_token_expires_in'] = Math.max(0, Math.floor((expiresAt - at) / 1000));
  }
  if (granted.has('openid')) {
    body['id_token'] = fakeRs256({
      aud: r.clientId,
      iss: `https://login.microsoftonline.com/${r.tid}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + life,
      name: user?.name,
      oid: r.oid,
      preferred_username: home?.upn,
      ...(guest ? { idp: `https://sts.windows.net/${home?.tenantId}/`, email: home?.upn } : {}),
      sub: createHash('sha256').update(`${r.oid}|${r.clientId}`).digest('base64url').slice(0, 43),
      tid: r.tid,
      ver: '2.0',
      ...(r.nonce ? { nonce: r.nonce } : {}),
    });
  }
  if (r.clientInfo) body['client_info'] = clientInfoOf(r.oid, r.tid, home);
  return body;
}

/** `client_info`: base64url `{ uid, utid }` of the home account (MSAL's homeAccountId), also for a guest. */
export function clientInfoOf(oid: string, tid: string, home: EntraUserConfig | undefined): string {
  return Buffer.from(JSON.stringify(home ? { uid: home.oid, utid: home.tenantId } : { uid: oid, utid: tid })).toString('base64url');
}

/** client_credentials: an app-only token for the service principal (no scp, no refresh token). */
export function issueAppToken(state: SandboxState, config: SandboxConfig, clientId: string, spOid: string, tid: string, scope: string): Record<string, unknown> {
  const at = now(state);
  const iat = Math.floor(at / 1000);
  const life = config.entra.accessTokenLifetimeSec;
  const aud = resourceOf(scope);
  const accessToken = fakeRs256({ aud, iss: `https://sts.windows.net/${tid}/`, iat, nbf: iat, exp: iat + life, appid: clientId, tid, oid: spOid, idtyp: 'app', ver: '1.0' });
  state.accessTokens.push({ token: accessToken, kind: 'app', clientId, oid: spOid, tid, aud, scp: null, issuedAt: at, expiresAt: at + life * 1000 });
  return { token_type: 'Bearer', expires_in: life, ext_expires_in: life, access_token: accessToken };
}
