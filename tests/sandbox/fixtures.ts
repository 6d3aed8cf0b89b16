// Default test data of the sandbox. Every id is fixed so tests, screenshots and the extension's
// options page can hard-code them. Secrets here are test-only values of a local fake.

/** The real hostnames the browser maps to the sandbox (docs/browsers.md). */
export const SANDBOX_HOSTS = [
  'login.microsoftonline.com',
  'dev.azure.com',
  'vssps.dev.azure.com',
  'app.vssps.visualstudio.com',
  'infisical.sandbox.test',
  'infisical-other.sandbox.test',
] as const;

/**
 * A second Infisical address served by the same fake (same identity, same connections): what a
 * person moves to when they change the instance in the options, to see what is sent to it.
 */
export const OTHER_INFISICAL = { host: 'infisical-other.sandbox.test', siteUrl: 'https://infisical-other.sandbox.test' } as const;

/**
 * Mapped to the sandbox like the others, but not named in its certificate: every TLS handshake
 * fails, as with a self-hosted Infisical whose certificate the browser does not trust.
 */
export const UNTRUSTED_HOST = 'infisical-untrusted.sandbox.test';

/**
 * Another origin, mapped to the sandbox and named in its certificate, that answers every request
 * (CORS preflights included, as a server set up to collect credentials would) and records it in
 * `state.elsewhere`: the target of the redirect faults. Nothing the extension sends may arrive here.
 */
export const ELSEWHERE_HOST = 'elsewhere.sandbox.test';

/** A Microsoft site under *.visualstudio.com that is not an organization (utils/azure-devops/page-url.ts). */
export const MARKETPLACE_HOST = 'marketplace.visualstudio.com';

/** Hosts answered by the admin API instead of a fake. */
export const ADMIN_HOSTS = ['localhost', '127.0.0.1'] as const;

/** Azure DevOps as an Entra resource (docs/contracts.md C.5). */
export const ADO_RESOURCE_ID = '499b84ac-1321-427f-aa17-267ca6975798';
export const ADO_RESOURCE_URI = 'https://app.vssps.visualstudio.com';

/** An all-zero tenant in X-VSS-ResourceTenant marks an MSA-backed org (docs/contracts.md B.4). */
export const MSA_TENANT_ID = '00000000-0000-0000-0000-000000000000';

export const TENANT = {
  id: '7c1e5f4a-2b8d-4e36-9a0f-5d3c2b1a0e9f',
  name: 'contoso',
  domain: 'contoso.onmicrosoft.com',
} as const;

/**
 * A second Entra tenant, for work across tenants (renew-all signs in once per tenant). Ada is a
 * B2B guest here: she signs in with her contoso account and gets tailspin tokens for her guest
 * account (ADA_TAILSPIN_GUEST). The extension's app is multi-tenant, so the same client id works
 * with the `https://login.microsoftonline.com/<tailspin id>` authority (tests/sandbox/config.ts
 * `otherTenants`).
 */
export const TAILSPIN_TENANT = {
  id: 'b8d4c2a6-3e1f-4b7a-9c5d-6e2f1a0b9c8d',
  name: 'tailspin',
  domain: 'tailspin.onmicrosoft.com',
} as const;

/**
 * Two more tenants where Ada is a B2B guest, as in tailspin: with contoso and tailspin, four tenants
 * for a Renew all that signs in once per tenant (the bench's, docs/performance.md "Connections").
 */
export const WOODGROVE_TENANT = {
  id: 'c3e5d7f9-4a2b-4c8d-8e6f-7a9b0c1d2e3f',
  name: 'woodgrove',
  domain: 'woodgrove.onmicrosoft.com',
} as const;

export const ADATUM_TENANT = {
  id: 'd4f6e8a0-5b3c-4d9e-9f7a-8b0c1d2e3f4a',
  name: 'adatum',
  domain: 'adatum.onmicrosoft.com',
} as const;

export const ADA = {
  oid: '3f2a9c1e-8b7d-4a65-b4c3-2d1e0f9a8b7c',
  upn: 'ada@contoso.onmicrosoft.com',
  name: 'Ada Lovelace',
  /** Azure DevOps profile id (a VSID, deliberately not the oid). */
  profileId: '6b1d3e2f-4a5c-4d7e-8f90-a1b2c3d4e5f6',
} as const;

/**
 * Ada's guest account in tailspin (docs/contracts.md C.6): an object of its own there, with its own
 * object id and the `#EXT#` user name Entra gives invited users; tokens for tailspin carry this
 * oid and tid tailspin, while `preferred_username` and `client_info` still name her home account.
 * Azure DevOps sees a separate identity (its own profile id) and lists it as the org's member.
 */
export const ADA_TAILSPIN_GUEST = {
  oid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  upn: 'ada_contoso.onmicrosoft.com#EXT#@tailspin.onmicrosoft.com',
  name: 'Ada Lovelace',
  profileId: '7c2e4f3a-5b6d-4e8f-9a01-b2c3d4e5f607',
} as const;

/** Ada's guest accounts in woodgrove and adatum, like ADA_TAILSPIN_GUEST: objects of their own, with their own profile ids. */
export const ADA_WOODGROVE_GUEST = {
  oid: 'ab9c8d7e-6f5a-4b4c-9d3e-2f1a0b9c8d7e',
  upn: 'ada_contoso.onmicrosoft.com#EXT#@woodgrove.onmicrosoft.com',
  name: 'Ada Lovelace',
  profileId: '8d3f5a4b-6c7e-4f9a-8b12-c3d4e5f60718',
} as const;

export const ADA_ADATUM_GUEST = {
  oid: 'bc0d9e8f-7a6b-4c5d-8e4f-3a2b1c0d9e8f',
  upn: 'ada_contoso.onmicrosoft.com#EXT#@adatum.onmicrosoft.com',
  name: 'Ada Lovelace',
  profileId: '9e4a6b5c-7d8f-4a0b-9c23-d4e5f6071829',
} as const;

/** The extension's own Entra app: public client, SPA redirects only (docs/contracts.md C.3). */
export const EXTENSION_APP = {
  clientId: '5a6b7c8d-1e2f-4a3b-9c4d-0e1f2a3b4c5d',
  displayName: 'Infisical Connect (sandbox)',
  chromiumRedirect: 'https://caiekacklhaldebomccfigafhmmkpmla.chromiumapp.org/',
  firefoxRedirect: 'https://ea685bddfe79e5870f6ec955eb558f4849e669af.extensions.allizom.org/',
} as const;

/** Infisical's own Entra app: confidential client with a web redirect (docs/contracts.md A.3, A.5). */
export const INFISICAL_OAUTH_APP = {
  clientId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  clientSecret: 'sandbox-infisical-oauth-secret-7Q~xk2',
  displayName: 'Infisical (sandbox)',
  redirectUri: 'https://infisical.sandbox.test/organization/app-connections/azure/oauth/callback',
} as const;

/** The authorize request Infisical's connect page makes for Azure DevOps: its web app, no PKCE, Azure DevOps' scope. */
export const INFISICAL_OAUTH_AUTHORIZE = {
  clientId: INFISICAL_OAUTH_APP.clientId,
  redirectUri: INFISICAL_OAUTH_APP.redirectUri,
  challenge: null,
  scope: 'https://azconfig.io/.default openid offline_access',
} as const;

/** A service principal for the client-secret method; its secret fits Infisical's 50-char limit. */
export const SERVICE_PRINCIPAL = {
  clientId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  clientSecret: 'sandbox-sp-secret-8Q~d3f4g5h6j7k8l9',
  objectId: '8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3',
  displayName: 'infisical-sync-sp',
} as const;

/** A connect request of the Service principal method for contoso, with this service principal (no name: each test names its own). */
export const SERVICE_PRINCIPAL_CONNECT = {
  method: 'service-principal',
  org: 'contoso',
  tenant: TENANT.id,
  clientId: SERVICE_PRINCIPAL.clientId,
  clientSecret: SERVICE_PRINCIPAL.clientSecret,
} as const;

export const ORGS = {
  contoso: {
    name: 'contoso',
    accountId: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
    projects: [
      { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', name: 'Payments', description: 'Card payments' },
      { id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', name: 'Platform', description: 'Shared platform' },
    ],
  },
  fabrikamMsa: {
    name: 'fabrikam-msa',
    accountId: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
    projects: [{ id: 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f', name: 'Hobby', description: '' }],
  },
  northwind: {
    name: 'northwind',
    accountId: '3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c',
    projects: [{ id: 'd4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80', name: 'Logistics', description: '' }],
  },
  /** In TAILSPIN_TENANT; its member is Ada's guest account there (ADA_TAILSPIN_GUEST). */
  tailspin: {
    name: 'tailspin',
    accountId: '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d',
    projects: [
      { id: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b', name: 'Storefront', description: 'Online shop' },
      { id: 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c', name: 'Warehouse', description: '' },
    ],
  },
  /** In WOODGROVE_TENANT; its member is Ada's guest account there. */
  woodgrove: {
    name: 'woodgrove',
    accountId: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
    projects: [{ id: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d', name: 'Banking', description: '' }],
  },
  /** In ADATUM_TENANT; its member is Ada's guest account there. */
  adatum: {
    name: 'adatum',
    accountId: '6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f',
    projects: [{ id: 'b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e', name: 'Research', description: '' }],
  },
} as const;

/** The owner of the MSA-backed org (a Microsoft account, no Entra tenant). */
export const GRACE_MSA = { oid: '00000000-0000-0000-4f1e-2d3c4b5a6978', upn: 'grace@outlook.com', name: 'Grace Hopper' } as const;

/** PATs that exist before any test runs, e.g. for the "Paste a PAT" method. 52 chars each. */
export const SEEDED_PATS = {
  contosoPasted: {
    authorizationId: 'e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8091',
    token: 'contosopastedpat2345abcdefghijklmnopqrstuvwxyz234567',
    displayName: 'pasted-for-infisical',
    scope: 'vso.variablegroups_manage vso.release_execute vso.project vso.serviceendpoint_query',
  },
  fabrikamMsa: {
    authorizationId: 'f6a7b8c9-d0e1-4f2a-9b3c-5d6e7f8091a2',
    token: 'fabrikammsapat234567abcdefghijklmnopqrstuvwxyz234567',
    displayName: 'fabrikam-infisical',
    scope: 'vso.variablegroups_manage vso.release_execute vso.project vso.serviceendpoint_query',
  },
} as const;

export const INFISICAL = {
  host: 'infisical.sandbox.test',
  siteUrl: 'https://infisical.sandbox.test',
  orgId: '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e',
  identityId: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
  clientSecretId: '6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f90',
  clientId: '0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b',
  clientSecret: '4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
  accessTokenTTL: 7200,
  accessTokenMaxTTL: 2592000,
} as const;

/** CASL actions on "app-connections" per built-in org role (docs/contracts.md A.7). */
export const ADMIN_ACTIONS = ['read', 'create', 'edit', 'delete', 'connect'] as const;
export const MEMBER_ACTIONS = ['connect'] as const;

/** The PAT scopes Infisical needs (docs/contracts.md B.2). */
export const INFISICAL_PAT_SCOPE = 'vso.variablegroups_manage vso.release_execute vso.project vso.serviceendpoint_query';

/** Project-level actions of Infisical's built-in project Admin role on the two subjects the sync needs (docs/contracts.md A.7, A.11). */
export const PROJECT_ADMIN_ACTIONS = {
  'secret-syncs': ['read', 'create', 'edit', 'delete', 'sync-secrets', 'remove-secrets'],
  'app-connections': ['read', 'create', 'edit', 'delete', 'connect'],
} as const;

/** Infisical's project types (`ProjectType`, docs/contracts.md A.11); the extension lists `secret-manager` only. */
export const PROJECT_TYPES = ['secret-manager', 'cert-manager', 'kms', 'ssh', 'secret-scanning'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

export interface InfisicalFolderFixture {
  id: string;
  /** Environment slug. */
  environment: string;
  /** `/` or `/a/b`, no trailing slash. */
  path: string;
  /** Secret key → value, as the project holds them (test data). */
  secrets: Record<string, string>;
}
export interface InfisicalProjectFixture {
  id: string;
  name: string;
  slug: string;
  description: string;
  type: ProjectType;
  environments: { id: string; name: string; slug: string }[];
  /** Every environment's root folder `/` is listed, with any subfolders. */
  folders: InfisicalFolderFixture[];
}

/**
 * Infisical projects of the sandbox's organization (docs/contracts.md A.11). The identity is a
 * member of `payments`, `platform` and `signingKeys` (`config.infisical.identity.projectIds`), not
 * of `legacyBilling`; `signingKeys` is a KMS project, which `?type=secret-manager` leaves out.
 */
export const INFISICAL_PROJECTS = {
  payments: {
    id: '8a1f3c5e-7b9d-4e2f-a4c6-1d3e5f7a9b0c',
    name: 'Payments API',
    slug: 'payments-api',
    description: 'Card payments service',
    type: 'secret-manager',
    environments: [
      { id: '9b2a4d6f-8c0e-4f3a-b5d7-2e4f6a8b0c1d', name: 'Development', slug: 'dev' },
      { id: 'ac3b5e7a-9d1f-4a4b-86e8-3f5a7b9c1d2e', name: 'Staging', slug: 'staging' },
      { id: 'bd4c6f8b-0e2a-4b5c-97f9-4a6b8c0d2e3f', name: 'Production', slug: 'prod' },
    ],
    folders: [
      {
        id: 'ce5d7a9c-1f3b-4c6d-a8a0-5b7c9d1e3f4a',
        environment: 'dev',
        path: '/',
        secrets: { DATABASE_URL: 'postgres://payments:dev-pass@localhost:5432/payments', STRIPE_SECRET_KEY: 'sk_test_51Sandbox0DevKey' },
      },
      { id: 'df6e8b0d-2a4c-4d7e-b9b1-6c8d0e2f4a5b', environment: 'dev', path: '/api', secrets: { API_SIGNING_KEY: 'dev-signing-key-7f3a' } },
      {
        id: 'e07f9c1e-3b5d-4e8f-8ac2-7d9e1f3a5b6c',
        environment: 'staging',
        path: '/',
        secrets: { DATABASE_URL: 'postgres://payments:staging-pass@db.staging:5432/payments', STRIPE_SECRET_KEY: 'sk_test_51Sandbox0StagingKey' },
      },
      {
        id: 'f18a0d2f-4c6e-4f9a-9bd3-8e0f2a4b6c7d',
        environment: 'prod',
        path: '/',
        secrets: { DATABASE_URL: 'postgres://payments:prod-pass@db.prod:5432/payments', STRIPE_SECRET_KEY: 'sk_live_51Sandbox0ProdKey', SENTRY_DSN: 'https://k@sentry.sandbox.test/1' },
      },
    ],
  },
  platform: {
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e',
    name: 'Platform',
    slug: 'platform',
    description: 'Shared platform services',
    type: 'secret-manager',
    environments: [
      { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6f', name: 'Development', slug: 'dev' },
      { id: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e70', name: 'Production', slug: 'prod' },
    ],
    folders: [
      { id: '4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f81', environment: 'dev', path: '/', secrets: { REDIS_URL: 'redis://localhost:6379' } },
      { id: '5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8092', environment: 'prod', path: '/', secrets: { REDIS_URL: 'rediss://cache.prod:6380' } },
    ],
  },
  /** A KMS project: no environments, left out by `?type=secret-manager`. */
  signingKeys: {
    id: '6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8091a3',
    name: 'Signing Keys',
    slug: 'signing-keys',
    description: '',
    type: 'kms',
    environments: [],
    folders: [],
  },
  /** The identity is not a member: absent from its list, 403 on its routes. */
  legacyBilling: {
    id: '7a8b9c0d-1e2f-4a3b-8c5d-6e7f8091a2b4',
    name: 'Legacy Billing',
    slug: 'legacy-billing',
    description: '',
    type: 'secret-manager',
    environments: [{ id: '8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c5', name: 'Production', slug: 'prod' }],
    folders: [{ id: '9c0d1e2f-3a4b-4c5d-8e7f-8091a2b3c4d6', environment: 'prod', path: '/', secrets: { LEGACY_TOKEN: 'legacy' } }],
  },
} as const satisfies Record<string, InfisicalProjectFixture>;
