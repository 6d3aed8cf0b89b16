// Mutable in-memory state of the three fakes: everything a test may want to inspect after a run.
// Plain arrays and objects only, so `GET /__sandbox/state` is a straight JSON.stringify.
import type { RedirectType, SandboxConfig } from './config.ts';
import { SEEDED_PATS, ORGS, ADA, GRACE_MSA, INFISICAL, INFISICAL_PROJECTS, type InfisicalProjectFixture } from './fixtures.ts';

export interface RequestLog {
  at: string;
  host: string;
  method: string;
  path: string;
  /** The query string as sent (`?…`, or empty). */
  query: string;
  /** The Authorization scheme, lower-case (`basic`, `bearer`), never the credential; null without one. */
  auth: string | null;
  status: number;
  ms: number;
  fault?: string;
}

export interface AuthorizeLog {
  at: string;
  tenant: string;
  clientId: string | null;
  redirectUri: string | null;
  scope: string | null;
  responseType: string | null;
  responseMode: string | null;
  codeChallengeMethod: string | null;
  prompt: string | null;
  /** code = redirected with a code; error = error redirect; page = login page shown; error-page = no redirect. */
  outcome: 'code' | 'error' | 'page' | 'error-page';
  error?: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  redirectType: RedirectType;
  scope: string;
  tenantId: string;
  userOid: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  issuedAt: number;
  used: boolean;
}

/** An authorize request waiting on the login page (authorizeMode 'login-page'). */
export interface PendingAuthorization {
  txn: string;
  tenantPath: string;
  params: Record<string, string>;
  createdAt: number;
  logIndex: number;
}

export interface EntraAccessToken {
  token: string;
  kind: 'user' | 'app';
  clientId: string;
  oid: string;
  tid: string;
  aud: string;
  scp: string | null;
  issuedAt: number;
  expiresAt: number;
}
export interface EntraRefreshToken {
  token: string;
  clientId: string;
  oid: string;
  tid: string;
  scope: string;
  redirectType: RedirectType;
  /** Fixed expiry for SPA refresh tokens; null for web (docs/contracts.md C.3). */
  expiresAt: number | null;
  revoked: boolean;
}
export interface TokenExchangeLog {
  at: string;
  tenant: string;
  grantType: string;
  clientId: string | null;
  redirectUri: string | null;
  pkce: 'S256' | 'none';
  origin: string | null;
  ok: boolean;
  errorCode?: number;
}

export interface PatRecord {
  authorizationId: string;
  token: string;
  displayName: string;
  scope: string;
  validFrom: string;
  validTo: string;
  allOrgs: boolean;
  targetAccounts: string[] | null;
  org: string;
  ownerOid: string;
  status: 'active' | 'revoked';
}

export interface InfisicalTokenRecord {
  id: string;
  identityId: string;
  clientId: string;
  createdAt: number;
  lastRenewedAt: number;
  ttl: number;
  maxTTL: number;
  revoked: boolean;
}

export type ConnectionMethod = 'oauth' | 'access-token' | 'client-secret';
/** What the API returns (docs/contracts.md A.3 "Sanitized response"). */
export interface SanitizedConnection {
  id: string;
  name: string;
  description: string | null;
  version: number;
  orgId: string;
  createdAt: string;
  updatedAt: string;
  isPlatformManagedCredentials: boolean;
  gatewayId: null;
  /** The project of a project connection; null for an organization connection (docs/contracts.md A.12). */
  projectId: string | null;
  app: 'azure-devops';
  method: ConnectionMethod;
  credentials: Record<string, string>;
  /** Newer servers: opt-in credential rotation, which Azure DevOps access-token connections never have (docs/contracts.md A.10). */
  isAutoRotationEnabled: boolean;
  /**
   * SHA-256 (hex) of the stored encrypted credentials: every credential write re-encrypts, so it
   * changes with each one, and with nothing else (docs/contracts.md A.3 "The connection object").
   */
  credentialsHash: string;
}
/** A connection plus the secret credentials Infisical would have encrypted (test-only). */
export interface StoredConnection extends SanitizedConnection {
  secretCredentials: Record<string, unknown>;
}

/** An Infisical project with its environments, folders and secrets (docs/contracts.md A.11); tests may change them. */
export interface InfisicalProjectRecord extends InfisicalProjectFixture {
  orgId: string;
  createdAt: string;
  updatedAt: string;
}

export type SecretSyncStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/**
 * An Azure DevOps secret sync as Infisical's database row holds it (docs/contracts.md A.9); the
 * answers add the `connection`, `environment` and `folder` joins (tests/sandbox/infisical-syncs.ts).
 * Infisical's database keeps a foreign key to the connection, so the connection cannot be deleted
 * while one exists (A.3 "Delete").
 */
export interface SecretSyncRecord {
  id: string;
  name: string;
  description: string | null;
  destination: 'azure-devops';
  isAutoSyncEnabled: boolean;
  version: number;
  projectId: string;
  /** The source folder (environment + path); null once it is gone. */
  folderId: string | null;
  connectionId: string;
  createdAt: string;
  updatedAt: string;
  syncStatus: SecretSyncStatus | null;
  lastSyncJobId: string | null;
  lastSyncMessage: string | null;
  lastSyncedAt: string | null;
  importStatus: SecretSyncStatus | null;
  lastImportJobId: string | null;
  lastImportMessage: string | null;
  lastImportedAt: string | null;
  removeStatus: SecretSyncStatus | null;
  lastRemoveJobId: string | null;
  lastRemoveMessage: string | null;
  lastRemovedAt: string | null;
  syncOptions: { initialSyncBehavior: 'overwrite-destination'; disableSecretDeletion?: boolean; keySchema?: string };
  destinationConfig: { devopsProjectId: string; devopsProjectName?: string };
}

/** One run of a sync's queue (tests/sandbox/infisical-sync-job.ts): what ran, when, and how it ended. */
export interface SecretSyncJobLog {
  id: string;
  syncId: string;
  kind: 'sync-secrets' | 'remove-secrets';
  queuedAt: string;
  finishedAt: string | null;
  outcome: 'succeeded' | 'failed' | 'abandoned' | null;
  message: string | null;
}

/**
 * An Azure DevOps variable group (docs/contracts.md B.6) as the service holds it: secret values are
 * kept here (test data) and answered as null.
 */
export interface VariableGroupRecord {
  id: number;
  /** The organization's name, lower-case. */
  org: string;
  type: 'Vsts';
  name: string;
  description: string;
  variables: Record<string, { value: string; isSecret: boolean }>;
  variableGroupProjectReferences: { name: string; description: string; projectReference: { id: string; name: string } }[];
  createdBy: { id: string; displayName: string };
  createdOn: string;
  modifiedBy: { id: string; displayName: string };
  modifiedOn: string;
  isShared: boolean;
}

export interface SandboxState {
  /** Added to Date.now() by every fake: lets tests expire codes and tokens without waiting. */
  clockOffsetMs: number;
  authorizeLog: AuthorizeLog[];
  pendingAuthorizations: PendingAuthorization[];
  authCodes: AuthCode[];
  accessTokens: EntraAccessToken[];
  refreshTokens: EntraRefreshToken[];
  tokenExchanges: TokenExchangeLog[];
  pats: PatRecord[];
  infisicalTokens: InfisicalTokenRecord[];
  uaFailures: Record<string, { failures: number[]; lockedUntil: number }>;
  /** Every Universal Auth login, with the host it was sent to and the secret it carried. */
  uaLogins: { at: string; host: string; clientId: string; clientSecret: string; ok: boolean }[];
  connections: StoredConnection[];
  /** Infisical projects of the organization, with environments, folders and secrets (docs/contracts.md A.11). */
  infisicalProjects: InfisicalProjectRecord[];
  /** Azure DevOps secret syncs (docs/contracts.md A.9): made through the API or by `addSecretSync` (tests/sandbox/seed.ts). */
  secretSyncs: SecretSyncRecord[];
  /** Every sync job queued, in order (tests/sandbox/infisical-sync-job.ts). */
  secretSyncJobs: SecretSyncJobLog[];
  /** Azure DevOps variable groups of every org (docs/contracts.md B.6). */
  variableGroups: VariableGroupRecord[];
  /** The last variable group id given out (Azure DevOps' ids are integers). */
  variableGroupSeq: number;
  /** Loads of Infisical's OAuth callback page; a code seen here was never redeemed by the page. */
  callbackLoads: { at: string; query: Record<string, string> }[];
  requests: RequestLog[];
  /** Every request that reached ELSEWHERE_HOST, in full (test-only: it may hold what leaked). */
  elsewhere: { at: string; method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }[];
}

export const now = (state: SandboxState): number => Date.now() + state.clockOffsetMs;
export const isoNow = (state: SandboxState): string => new Date(now(state)).toISOString();

function seedProjects(at: number): InfisicalProjectRecord[] {
  const iso = new Date(at - 30 * 86_400_000).toISOString();
  return Object.values(INFISICAL_PROJECTS).map((p) => ({ ...(structuredClone(p) as InfisicalProjectFixture), orgId: INFISICAL.orgId, createdAt: iso, updatedAt: iso }));
}

function seedPats(config: SandboxConfig, at: number): PatRecord[] {
  const validFrom = new Date(at - 86_400_000).toISOString();
  const validTo = new Date(at + 90 * 86_400_000).toISOString();
  const seed = (p: (typeof SEEDED_PATS)[keyof typeof SEEDED_PATS], org: string, ownerOid: string): PatRecord => ({
    ...p,
    validFrom,
    validTo,
    allOrgs: false,
    org,
    ownerOid,
    status: 'active',
    targetAccounts: [config.azureDevOps.orgs[org]?.accountId ?? ''],
  });
  return [seed(SEEDED_PATS.contosoPasted, ORGS.contoso.name, ADA.oid), seed(SEEDED_PATS.fabrikamMsa, ORGS.fabrikamMsa.name, GRACE_MSA.oid)];
}

export function createState(config: SandboxConfig): SandboxState {
  return {
    clockOffsetMs: 0,
    authorizeLog: [],
    pendingAuthorizations: [],
    authCodes: [],
    accessTokens: [],
    refreshTokens: [],
    tokenExchanges: [],
    pats: seedPats(config, Date.now()),
    infisicalTokens: [],
    uaFailures: {},
    uaLogins: [],
    connections: [],
    infisicalProjects: seedProjects(Date.now()),
    secretSyncs: [],
    secretSyncJobs: [],
    variableGroups: [],
    variableGroupSeq: 0,
    callbackLoads: [],
    requests: [],
    elsewhere: [],
  };
}

/** Empties `state` in place (tests keep a reference to it), then re-seeds the default PATs. */
export function reset(state: SandboxState, config: SandboxConfig): void {
  Object.assign(state, createState(config));
}
