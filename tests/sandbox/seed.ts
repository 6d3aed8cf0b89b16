// State the fakes would hold after things happened elsewhere: connections the extension made
// earlier, a PAT revoked in Azure DevOps' UI, a connection deleted in Infisical's UI, a secret sync
// made in an Infisical project, a variable group made in Azure DevOps' Library. Each writes exactly what the real service would then hold, so what
// a client reads back through the APIs is what it would read from real servers. In-process through
// tests/support/sandbox-seed.ts, from another process through the admin API (tests/sandbox/admin.ts).
import { randomUUID } from 'node:crypto';
import type { AdoOrgConfig, SandboxConfig } from './config.ts';
import { accountIn } from './entra-issue.ts';
import { INFISICAL_PAT_SCOPE, INFISICAL_PROJECTS, ORGS, TENANT } from './fixtures.ts';
import { newSyncRecord } from './infisical-sync-model.ts';
import { patSecret } from './ids.ts';
import { IN_USE, newCredentialsHash, sanitize } from './infisical-connections.ts';
import { now, type PatRecord, type SandboxState, type SanitizedConnection, type SecretSyncRecord, type StoredConnection, type VariableGroupRecord } from './state.ts';

const DAY_MS = 86_400_000;

/** What the seeding functions change: a started sandbox, or the admin API's controls. */
export interface SeedTarget {
  config: SandboxConfig;
  state: SandboxState;
}

export interface SeedOptions {
  /** How many connections (default 300). */
  connections?: number;
  /** Over how many Azure DevOps orgs, in turn (default 30). */
  orgs?: number;
  /** Orgs are named `<prefix>-01`, `<prefix>-02`, … (default `bench`). */
  orgPrefix?: string;
  /**
   * Entra tenants of the orgs, in turn (org i is in `tenants[i % length]`; default contoso only).
   * The signed-in user must have an account in each (their own or a guest one, docs/contracts.md C.6).
   */
  tenants?: string[];
  /**
   * Days from the fakes' now to each PAT's expiry (default 90): one number for all; an array, taken
   * in turn (connection i gets `[i % length]`, what the admin API accepts); or a function of i.
   */
  validForDays?: number | number[] | ((index: number) => number);
}

export interface SeededConnection {
  /** As Infisical answers it (sanitized, no secret). */
  connection: SanitizedConnection;
  org: string;
  tenantId: string;
  /** The connection's PAT, its secret included (test data: what Infisical holds). */
  pat: { authorizationId: string; token: string; displayName: string; validFrom: string; validTo: string };
  /** The lifetime its PAT was minted with, in days. */
  lifetimeDays: number;
}

export interface SeedResult {
  /** The orgs added to `config.azureDevOps.orgs`. */
  orgs: AdoOrgConfig[];
  connections: SeededConnection[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function lifetime(option: SeedOptions['validForDays'], i: number): number {
  if (typeof option === 'function') return option(i);
  if (Array.isArray(option)) return option[i % option.length] ?? 90;
  return option ?? 90;
}

/**
 * Puts `connections` access-token connections over `orgs` new Azure DevOps orgs into the fakes, as
 * if the extension had made each one with "Sign in with Microsoft": the org exists (one project,
 * the signed-in user's account in its tenant a member, the default orgs' policies), a PAT minted by
 * that account for that org with Infisical's scopes, and an Infisical connection holding it. Names
 * are the extension's: `azure-devops-<org>` (its default template, utils/inputs.ts), then
 * `azure-devops-<org>-2`, …; the PAT is `Infisical <connection name>` (utils/flow/pat-matching.ts).
 * No request is made. A reset removes all of it, the orgs included.
 */
export function seedConnections(target: SeedTarget, options: SeedOptions = {}): SeedResult {
  const count = options.connections ?? 300;
  const orgCount = options.orgs ?? 30;
  const prefix = options.orgPrefix ?? 'bench';
  const tenants = options.tenants ?? [TENANT.id];
  if (orgCount < 1 || count < 0 || tenants.length === 0) throw new Error('seedConnections: at least one org and one tenant');
  const { config, state } = target;
  const at = now(state);
  const iso = new Date(at).toISOString();
  const width = Math.max(2, String(orgCount).length);

  const orgs: AdoOrgConfig[] = [];
  for (let i = 0; i < orgCount; i++) {
    const name = `${prefix}-${pad(i + 1, width)}`;
    const tenantId = tenants[i % tenants.length]!;
    const member = accountIn(config, tenantId);
    if (!member) throw new Error(`seedConnections: the signed-in user has no account in tenant ${tenantId}`);
    if (Object.values(config.azureDevOps.orgs).some((o) => o.name.toLowerCase() === name.toLowerCase())) throw new Error(`seedConnections: org ${name} exists already`);
    orgs.push({
      name,
      accountId: randomUUID(),
      tenantId,
      members: [member.oid],
      projects: [{ id: randomUUID(), name: 'App', description: '' }],
      policy: { restrictGlobalPats: true, restrictFullScope: false, maxLifespanDays: null, disablePatCreation: false },
    });
  }
  const names = Array.from({ length: count }, (_, i) => {
    const org = orgs[i % orgCount]!;
    const nth = Math.floor(i / orgCount);
    return nth === 0 ? `azure-devops-${org.name}` : `azure-devops-${org.name}-${nth + 1}`;
  });
  const taken = names.find((n) => n.length > 32 || state.connections.some((c) => c.name === n && c.orgId === config.infisical.orgId));
  if (taken) throw new Error(`seedConnections: connection name ${taken} is taken or longer than 32 characters`);
  // Checked before anything is written: a refused seed leaves the fakes as they were.
  for (const org of orgs) config.azureDevOps.orgs[org.name] = org;

  const connections = names.map((name, i): SeededConnection => {
    const org = orgs[i % orgCount]!;
    const days = lifetime(options.validForDays, i);
    const pat: PatRecord = {
      authorizationId: randomUUID(),
      token: patSecret(),
      displayName: `Infisical ${name}`,
      scope: INFISICAL_PAT_SCOPE,
      validFrom: iso,
      validTo: new Date(at + days * DAY_MS).toISOString(),
      allOrgs: false,
      targetAccounts: [org.accountId],
      org: org.name,
      ownerOid: accountIn(config, org.tenantId)!.oid,
      status: 'active',
    };
    state.pats.push(pat);
    const secrets = { accessToken: pat.token, orgName: org.name };
    const stored: StoredConnection = {
      id: randomUUID(),
      name,
      description: null,
      version: 1,
      orgId: config.infisical.orgId,
      createdAt: iso,
      updatedAt: iso,
      isPlatformManagedCredentials: false,
      gatewayId: null,
      projectId: null,
      app: 'azure-devops',
      method: 'access-token',
      credentials: { orgName: org.name },
      isAutoRotationEnabled: false,
      credentialsHash: newCredentialsHash(secrets),
      secretCredentials: secrets,
    };
    state.connections.push(stored);
    const { token, displayName, validFrom, validTo, authorizationId } = pat;
    return { connection: sanitize(stored), org: org.name, tenantId: org.tenantId, pat: { authorizationId, token, displayName, validFrom, validTo }, lifetimeDays: days };
  });
  return { orgs, connections };
}

/**
 * Revokes a PAT the way its owner does in Azure DevOps' UI, behind the extension's back: from then
 * on it authenticates nothing, the PAT list files it under `revoked`, an update is refused
 * (`invalidAuthorizationId`) and Infisical's check of it fails (docs/contracts.md B.1, A.3).
 */
export function revokePat(target: SeedTarget, authorizationId: string): PatRecord {
  const pat = target.state.pats.find((p) => p.authorizationId === authorizationId);
  if (!pat) throw new Error(`revokePat: no PAT ${authorizationId}`);
  pat.status = 'revoked';
  return pat;
}

/**
 * Deletes a connection the way a person does in Infisical's UI: it leaves the list and its id
 * answers 404. Refused, as by Infisical, while a secret sync uses it (docs/contracts.md A.3
 * "Delete"). Returns what Infisical's DELETE answers.
 */
export function deleteConnection(target: SeedTarget, connectionId: string): SanitizedConnection {
  const { state } = target;
  const i = state.connections.findIndex((c) => c.id === connectionId);
  const connection = state.connections[i];
  if (!connection) throw new Error(`deleteConnection: no connection ${connectionId}`);
  if (state.secretSyncs.some((s) => s.connectionId === connectionId)) throw new Error(`deleteConnection: ${IN_USE}`);
  state.connections.splice(i, 1);
  return sanitize(connection);
}

/**
 * A secret sync that uses the connection, as made in an Infisical project (docs/contracts.md A.9):
 * while it exists, `DELETE` of the connection answers 400 and the connection stays.
 */
export function addSecretSync(target: SeedTarget, connectionId: string, name = 'azure-devops-sync'): SecretSyncRecord {
  if (!target.state.connections.some((c) => c.id === connectionId)) throw new Error(`addSecretSync: no connection ${connectionId}`);
  // Payments API's Development root, to contoso's Payments project, without auto-sync: nothing runs.
  const project = INFISICAL_PROJECTS.payments;
  const folder = project.folders.find((f) => f.environment === 'dev' && f.path === '/')!;
  const sync = newSyncRecord(new Date(now(target.state)).toISOString(), {
    name,
    projectId: project.id,
    folderId: folder.id,
    connectionId,
    isAutoSyncEnabled: false,
    destinationConfig: { devopsProjectId: ORGS.contoso.projects[0].id, devopsProjectName: ORGS.contoso.projects[0].name },
  });
  target.state.secretSyncs.push(sync);
  return sync;
}

export interface VariableGroupSeed {
  /** Azure DevOps organization (default contoso). */
  org?: string;
  /** Project name or id in it (default Payments). */
  project?: string;
  /** Group name, e.g. an Infisical environment's name such as `Development` (the group a sync replaces). */
  name: string;
  description?: string;
  /** The variables: a number N makes `VARIABLE_1` … `VARIABLE_N` with plain values; or key → value / `{ value, isSecret }`. */
  variables?: number | Record<string, string | { value: string; isSecret?: boolean }>;
}

/**
 * A variable group that exists in Azure DevOps before the test, as if made in its Library UI by the
 * org's first member (docs/contracts.md B.6): what a sync then finds by name and replaces. Refused
 * (throws) for an unknown org or project, or a name the project already has.
 */
export function seedVariableGroup(target: SeedTarget, seed: VariableGroupSeed): VariableGroupRecord {
  const { config, state } = target;
  const org = Object.values(config.azureDevOps.orgs).find((o) => o.name.toLowerCase() === (seed.org ?? ORGS.contoso.name).toLowerCase());
  if (!org) throw new Error(`seedVariableGroup: no org ${seed.org}`);
  const wanted = (seed.project ?? ORGS.contoso.projects[0].name).toLowerCase();
  const project = org.projects.find((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
  if (!project) throw new Error(`seedVariableGroup: no project ${seed.project} in ${org.name}`);
  const orgKey = org.name.toLowerCase();
  const taken = state.variableGroups.some(
    (g) => g.org === orgKey && g.name.toLowerCase() === seed.name.toLowerCase() && g.variableGroupProjectReferences.some((r) => r.projectReference.id === project.id),
  );
  if (taken) throw new Error(`seedVariableGroup: ${project.name} has a group named ${seed.name} already`);
  const given = seed.variables ?? 1;
  const entries: [string, { value: string; isSecret?: boolean }][] =
    typeof given === 'number'
      ? Array.from({ length: given }, (_, i) => [`VARIABLE_${i + 1}`, { value: `value-${i + 1}` }])
      : Object.entries(given).map(([k, v]) => [k, typeof v === 'string' ? { value: v } : v]);
  const owner = org.members[0] ?? '';
  const by = { id: owner, displayName: config.entra.users[owner]?.name ?? owner };
  const at = new Date(now(state)).toISOString();
  state.variableGroupSeq += 1;
  const group: VariableGroupRecord = {
    id: state.variableGroupSeq,
    org: orgKey,
    type: 'Vsts',
    name: seed.name,
    description: seed.description ?? '',
    variables: Object.fromEntries(entries.map(([k, v]) => [k, { value: v.value, isSecret: v.isSecret ?? false }])),
    variableGroupProjectReferences: [{ name: seed.name, description: seed.description ?? '', projectReference: { id: project.id, name: project.name } }],
    createdBy: by,
    createdOn: at,
    modifiedBy: by,
    modifiedOn: at,
    isShared: false,
  };
  state.variableGroups.push(group);
  return group;
}
