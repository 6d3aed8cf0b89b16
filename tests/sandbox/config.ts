// The sandbox's "world": tenants, users, apps, orgs, policies and behaviour switches. Tests change it
// with `sandbox.config` or `POST /__sandbox/config` (deep merge; arrays are replaced, not merged).
import * as F from './fixtures.ts';

export type RedirectType = 'spa' | 'web';
export type AuthorizeMode = 'auto' | 'login-page' | 'error';
export type UnusablePatAnswer = 'unauthorized' | 'sign-in-page' | 'redirect';

export interface TenantConfig {
  id: string;
  name: string;
  domains: string[];
}
export interface EntraUserConfig {
  oid: string;
  tenantId: string;
  upn: string;
  name: string;
  profileId: string;
  /**
   * For a B2B guest account: the oid of the home user it belongs to. That user signs in with their
   * own credentials and gets this account's oid in tokens for this tenant (docs/contracts.md C.6).
   */
  guestOf?: string;
}
export interface EntraAppConfig {
  clientId: string;
  displayName: string;
  /** Home tenant, where the app is registered. */
  tenantId: string;
  /**
   * Other tenants where this multi-tenant app has a service principal (an enterprise application,
   * made there by consent): authorize and token accept it in these too. Absent or empty: a
   * single-tenant app, usable in its home tenant only (docs/contracts.md C.6).
   */
  otherTenants?: string[];
  redirectUris: { uri: string; type: RedirectType }[];
  /** Confidential clients only. */
  clientSecret: string | null;
  /** Delegated consent for Azure DevOps (user_impersonation) exists in the tenant. */
  consented: boolean;
  /** Set for apps whose service principal may use client_credentials (docs/contracts.md A.3 client-secret). */
  servicePrincipalObjectId: string | null;
}
/** Forces the token endpoint to fail: a plain status, or a specific AADSTS error. */
export interface EntraTokenFault {
  status?: number;
  error?: string;
  code?: number;
  description?: string;
}

export interface AdoOrgConfig {
  name: string;
  accountId: string;
  /** Entra tenant id, or the all-zero GUID for an MSA-backed org (docs/contracts.md B.4). */
  tenantId: string;
  /** oids of users and service principals that belong to the org. */
  members: string[];
  projects: { id: string; name: string; description: string }[];
  policy: PatPolicy;
}
/**
 * PAT policies (docs/contracts.md B.1). The first three are tenant policies in Azure DevOps; the sandbox
 * keeps them per org so one test can set them for one org. disablePatCreation is the org policy
 * "Restrict personal access token creation".
 */
export interface PatPolicy {
  restrictGlobalPats: boolean;
  restrictFullScope: boolean;
  maxLifespanDays: number | null;
  disablePatCreation: boolean;
}

export interface IdentityConfig {
  identityId: string;
  clientId: string;
  clientSecret: string;
  clientSecretId: string;
  orgId: string;
  /** CASL actions on "app-connections" (docs/contracts.md A.7): ADMIN_ACTIONS, MEMBER_ACTIONS or custom. */
  actions: string[];
  /** Ids of the Infisical projects the identity is a member of (docs/contracts.md A.11); default: every fixture project but Legacy Billing. */
  projectIds: string[];
  /**
   * Project-level CASL actions per subject (`secret-syncs`, `app-connections`) in every project the
   * identity is a member of (docs/contracts.md A.7, A.11); default PROJECT_ADMIN_ACTIONS. Narrow
   * one subject with e.g. `projectActions['secret-syncs'] = ['read']`.
   */
  projectActions: Record<string, string[]>;
  /** Per-project replacement of `projectActions` (project id → subject → actions), for a role that differs by project. */
  projectActionsById: Record<string, Record<string, string[]>>;
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
}

export interface SandboxConfig {
  entra: {
    tenants: Record<string, TenantConfig>;
    users: Record<string, EntraUserConfig>;
    apps: Record<string, EntraAppConfig>;
    /** oid of the user with a Microsoft session (used by 'auto' and after "Sign in"). */
    signedInUser: string;
    authorizeMode: AuthorizeMode;
    errorRedirect: { error: string; description: string };
    tokenFault: EntraTokenFault | null;
    codeLifetimeSec: number;
    accessTokenLifetimeSec: number;
    /** SPA refresh tokens have a fixed 24 h lifetime (docs/contracts.md C.3). */
    spaRefreshTokenLifetimeSec: number;
  };
  azureDevOps: {
    orgs: Record<string, AdoOrgConfig>;
    /** Any patTokenError enum value returned by create/update instead of success; null = off. */
    forcePatTokenError: string | null;
    /**
     * How a PAT Azure DevOps does not accept (unknown, revoked, expired, other org) is answered
     * when the caller did not send `X-TFS-FedAuthRedirect: Suppress` (docs/contracts.md B.3):
     * `unauthorized` = 401 VS30063 JSON, `sign-in-page` = 203 with the HTML sign-in page,
     * `redirect` = 302 to the sign-in page.
     */
    unusablePatAnswer: UnusablePatAnswer;
    /**
     * What a PAT Lifecycle get by authorizationId answers for a revoked PAT, which Microsoft does
     * not document (docs/contracts.md B.1 "Revoked and expired PATs"): `unchanged` (default) = 200
     * with the token's fields as before, nothing saying revoked; `not-found` = 200 with
     * `patTokenError: authorizationNotFound`. A client that reads the state from the list
     * (`displayFilterOption=revoked`) is right under both.
     */
    revokedPatGet: 'unchanged' | 'not-found';
  };
  infisical: {
    orgId: string;
    /** The machine identity with Universal Auth. */
    identity: IdentityConfig;
    /** INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_ID; null = not configured (absent from options). */
    oauthClientId: string | null;
    oauthClientSecret: string | null;
    methods: string[];
    /**
     * Whether a PATCH that changes credentials raises the connection's `version`. Infisical's code
     * never raises it (only `updatedAt` and `credentialsHash` move, docs/contracts.md A.3 "Update"),
     * so off by default; on, for a server that would.
     */
    patchBumpsVersion: boolean;
    /**
     * Whether the server knows project-scoped app connections (docs/contracts.md A.12). true
     * (default): `projectId` on create, list and name lookup, and in every answer. false = an
     * older build: answers have no `projectId` key, and a `projectId` in a create body is dropped
     * by the schema (an organization connection is made).
     */
    projectConnections: boolean;
    lockout: { enabled: boolean; threshold: number; durationSec: number; counterResetSec: number };
    jwtSecret: string;
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer _U)[] ? T[K] : T[K] extends object | null ? DeepPartial<T[K]> : T[K] };

export function defaultConfig(): SandboxConfig {
  const member = (
    o: { name: string; accountId: string; projects: readonly { id: string; name: string; description: string }[] },
    tenantId: string,
    members: string[],
  ): AdoOrgConfig => ({
    name: o.name,
    accountId: o.accountId,
    tenantId,
    members,
    projects: o.projects.map((p) => ({ ...p })),
    // Global PAT creation is blocked from 2026-03-15 (docs/contracts.md B.1), so restrictGlobalPats is on.
    policy: { restrictGlobalPats: true, restrictFullScope: false, maxLifespanDays: null, disablePatCreation: false },
  });
  return {
    entra: {
      tenants: {
        [F.TENANT.id]: { id: F.TENANT.id, name: F.TENANT.name, domains: [F.TENANT.domain] },
        [F.TAILSPIN_TENANT.id]: { id: F.TAILSPIN_TENANT.id, name: F.TAILSPIN_TENANT.name, domains: [F.TAILSPIN_TENANT.domain] },
        [F.WOODGROVE_TENANT.id]: { id: F.WOODGROVE_TENANT.id, name: F.WOODGROVE_TENANT.name, domains: [F.WOODGROVE_TENANT.domain] },
        [F.ADATUM_TENANT.id]: { id: F.ADATUM_TENANT.id, name: F.ADATUM_TENANT.name, domains: [F.ADATUM_TENANT.domain] },
      },
      users: {
        [F.ADA.oid]: { ...F.ADA, tenantId: F.TENANT.id },
        [F.ADA_TAILSPIN_GUEST.oid]: { ...F.ADA_TAILSPIN_GUEST, tenantId: F.TAILSPIN_TENANT.id, guestOf: F.ADA.oid },
        [F.ADA_WOODGROVE_GUEST.oid]: { ...F.ADA_WOODGROVE_GUEST, tenantId: F.WOODGROVE_TENANT.id, guestOf: F.ADA.oid },
        [F.ADA_ADATUM_GUEST.oid]: { ...F.ADA_ADATUM_GUEST, tenantId: F.ADATUM_TENANT.id, guestOf: F.ADA.oid },
      },
      apps: {
        [F.EXTENSION_APP.clientId]: {
          clientId: F.EXTENSION_APP.clientId,
          displayName: F.EXTENSION_APP.displayName,
          tenantId: F.TENANT.id,
          // Multi-tenant: one client id for every tenant the person signs in to (renew-all).
          otherTenants: [F.TAILSPIN_TENANT.id, F.WOODGROVE_TENANT.id, F.ADATUM_TENANT.id],
          redirectUris: [
            { uri: F.EXTENSION_APP.chromiumRedirect, type: 'spa' },
            { uri: F.EXTENSION_APP.firefoxRedirect, type: 'spa' },
          ],
          clientSecret: null,
          consented: true,
          servicePrincipalObjectId: null,
        },
        [F.INFISICAL_OAUTH_APP.clientId]: {
          clientId: F.INFISICAL_OAUTH_APP.clientId,
          displayName: F.INFISICAL_OAUTH_APP.displayName,
          tenantId: F.TENANT.id,
          redirectUris: [{ uri: F.INFISICAL_OAUTH_APP.redirectUri, type: 'web' }],
          clientSecret: F.INFISICAL_OAUTH_APP.clientSecret,
          consented: true,
          servicePrincipalObjectId: null,
        },
        [F.SERVICE_PRINCIPAL.clientId]: {
          clientId: F.SERVICE_PRINCIPAL.clientId,
          displayName: F.SERVICE_PRINCIPAL.displayName,
          tenantId: F.TENANT.id,
          redirectUris: [],
          clientSecret: F.SERVICE_PRINCIPAL.clientSecret,
          consented: true,
          servicePrincipalObjectId: F.SERVICE_PRINCIPAL.objectId,
        },
      },
      signedInUser: F.ADA.oid,
      authorizeMode: 'auto',
      errorRedirect: {
        error: 'access_denied',
        description: `AADSTS65001: The user or administrator hasn't consented to use the application with ID '${F.EXTENSION_APP.clientId}'. Send an interactive authorization request for this user and resource.`,
      },
      tokenFault: null,
      codeLifetimeSec: 600,
      accessTokenLifetimeSec: 3599,
      spaRefreshTokenLifetimeSec: 86400,
    },
    azureDevOps: {
      orgs: {
        contoso: member(F.ORGS.contoso, F.TENANT.id, [F.ADA.oid, F.SERVICE_PRINCIPAL.objectId]),
        'fabrikam-msa': member(F.ORGS.fabrikamMsa, F.MSA_TENANT_ID, [F.GRACE_MSA.oid]),
        northwind: member(F.ORGS.northwind, F.TENANT.id, []),
        tailspin: member(F.ORGS.tailspin, F.TAILSPIN_TENANT.id, [F.ADA_TAILSPIN_GUEST.oid]),
        woodgrove: member(F.ORGS.woodgrove, F.WOODGROVE_TENANT.id, [F.ADA_WOODGROVE_GUEST.oid]),
        adatum: member(F.ORGS.adatum, F.ADATUM_TENANT.id, [F.ADA_ADATUM_GUEST.oid]),
      },
      forcePatTokenError: null,
      unusablePatAnswer: 'unauthorized',
      revokedPatGet: 'unchanged',
    },
    infisical: {
      orgId: F.INFISICAL.orgId,
      identity: {
        identityId: F.INFISICAL.identityId,
        clientId: F.INFISICAL.clientId,
        clientSecret: F.INFISICAL.clientSecret,
        clientSecretId: F.INFISICAL.clientSecretId,
        orgId: F.INFISICAL.orgId,
        actions: [...F.ADMIN_ACTIONS],
        projectIds: [F.INFISICAL_PROJECTS.payments.id, F.INFISICAL_PROJECTS.platform.id, F.INFISICAL_PROJECTS.signingKeys.id],
        projectActions: Object.fromEntries(Object.entries(F.PROJECT_ADMIN_ACTIONS).map(([subject, actions]) => [subject, [...actions]])),
        projectActionsById: {},
        accessTokenTTL: F.INFISICAL.accessTokenTTL,
        accessTokenMaxTTL: F.INFISICAL.accessTokenMaxTTL,
      },
      oauthClientId: F.INFISICAL_OAUTH_APP.clientId,
      oauthClientSecret: F.INFISICAL_OAUTH_APP.clientSecret,
      methods: ['oauth', 'access-token', 'client-secret'],
      patchBumpsVersion: false,
      projectConnections: true,
      // Universal Auth lockout defaults (docs/contracts.md A.1).
      lockout: { enabled: true, threshold: 3, durationSec: 300, counterResetSec: 30 },
      jwtSecret: 'infisical-sandbox-auth-secret',
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);

/** Deep-merges `patch` into `target` in place. Arrays and null replace; `undefined` is skipped. */
export function mergeConfig<T extends object>(target: T, patch: unknown): T {
  if (!isPlainObject(patch)) return target;
  const t = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === '__proto__' || key === 'constructor') continue;
    if (isPlainObject(value) && isPlainObject(t[key])) mergeConfig(t[key] as object, value);
    else t[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
  return target;
}

/** Replaces every top-level section of `target` with a copy of `source`'s, keeping identity. */
export function replaceConfig(target: SandboxConfig, source: SandboxConfig): void {
  const copy = structuredClone(source);
  target.entra = copy.entra;
  target.azureDevOps = copy.azureDevOps;
  target.infisical = copy.infisical;
}
