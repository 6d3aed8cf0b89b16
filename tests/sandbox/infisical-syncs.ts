// Azure DevOps secret syncs under /api/v1/secret-syncs/azure-devops (docs/contracts.md A.9). Create
// follows `createSecretSync`: body schema (422), the project and the identity's membership
// (`getProjectPermission`: 404 / 403), `secret-syncs: create`, the source folder (400), the
// connection (404, then `connect` on it, then its project), the name within the project (400).
// Routes on one sync find it first and check the permission after, as for connections (A.3).
import type { IdentityConfig } from './config.ts';
import { bodyJson, escapeHtml, html, json, page, type RequestContext, type SandboxResponse } from './http.ts';
import { requireIdentity } from './infisical-auth.ts';
import { mayUseConnection } from './infisical-connections.ts';
import { badRequest, notFound, permissionDenied, validationFailure } from './infisical-errors.ts';
import { findFolder, findProject, isMember, memberProject, notAMember, projectAllows } from './infisical-project-access.ts';
import { newSyncRecord, syncView } from './infisical-sync-model.ts';
import { queueSyncJob } from './infisical-sync-job.ts';
import { CreateSyncBody, DeleteQuery, ProjectQuery, SyncIdParams, UpdateSyncBody } from './infisical-sync-schemas.ts';
import { isoNow, type SecretSyncRecord } from './state.ts';

const SUBJECT = 'secret-syncs';

const azureSyncs = (ctx: RequestContext) => ctx.state.secretSyncs.filter((s) => s.destination === 'azure-devops');

/** The identity's project role on `secret-syncs` for this sync's project; a non-member is refused first. */
function mayOnSync(identity: IdentityConfig, projectId: string, action: string): SandboxResponse | null {
  if (!isMember(identity, projectId)) return notAMember(projectId);
  return projectAllows(identity, projectId, SUBJECT, action) ? null : permissionDenied(action, SUBJECT);
}

type Found = { identity: IdentityConfig; sync: SecretSyncRecord };
/**
 * The sync of `:syncId` (422 for a malformed id, 404 when there is none), then `action` on it.
 * `quoted`: most routes quote the id in the 404, the update's does not (secret-sync-service.ts).
 */
function findThenAuthorize(ctx: RequestContext, action: string, quoted = true): Found | SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const params = SyncIdParams.safeParse({ syncId: ctx.params[0] });
  if (!params.success) return validationFailure(params.error.issues);
  const id = params.data.syncId;
  const sync = azureSyncs(ctx).find((s) => s.id === id);
  if (!sync) return notFound(quoted ? `Could not find Azure DevOps Sync with ID "${id}"` : `Could not find Azure DevOps Sync with ID ${id}`);
  return mayOnSync(identity, sync.projectId, action) ?? { identity, sync };
}

const answer = (ctx: RequestContext, sync: SecretSyncRecord) => json(200, { secretSync: syncView(ctx, sync) });

/** A job of the sync is running: Infisical's queue lock refuses another trigger. */
const locked = (sync: SecretSyncRecord) => sync.syncStatus === 'running' || sync.removeStatus === 'running';
const LOCKED = 'A job for this sync is already in progress. Please try again shortly.';
const NO_FOLDER = 'Invalid source configuration: folder no longer exists. Please configure a valid source and try again.';

const folderMissing = (path: string, env: string, projectId: string) =>
  badRequest(`Could not find folder with path "${path}" in environment "${env}" for project with ID "${projectId}"`);

const duplicateName = (name: string, projectId: string) => badRequest(`A Secret Sync with the name "${name}" already exists for the project with ID "${projectId}"`);

/**
 * `validateAppConnectionUsageById`: the connection by id (404), `connect` on it (organization role,
 * or its project's), and a project connection only in its own project (400).
 */
function usableConnection(ctx: RequestContext, identity: IdentityConfig, connectionId: string, projectId: string): SandboxResponse | null {
  const c = ctx.state.connections.find((x) => x.id === connectionId && x.orgId === ctx.config.infisical.orgId);
  if (!c) return notFound(`Could not find App Connection with ID ${connectionId}`);
  const refused = mayUseConnection(identity, c, 'connect');
  if (refused) return refused;
  if (c.app !== 'azure-devops') return badRequest(`Connection with ID ${connectionId} cannot be used to connect to Azure DevOps`);
  if (c.projectId && c.projectId !== projectId) {
    return badRequest(`You cannot connect project App Connection with ID "${c.id}" from project with ID "${c.projectId}" to project with ID "${projectId}"`);
  }
  return null;
}

/** `GET /?projectId=`: the project's Azure DevOps syncs, after `secret-syncs: read`. */
export function listSyncs(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const query = ProjectQuery.safeParse(Object.fromEntries(ctx.query));
  if (!query.success) return validationFailure(query.error.issues);
  const project = memberProject(ctx, identity, query.data.projectId);
  if ('status' in project) return project;
  if (!projectAllows(identity, project.id, SUBJECT, 'read')) return permissionDenied('read', SUBJECT);
  return json(200, {
    secretSyncs: azureSyncs(ctx)
      .filter((s) => s.projectId === project.id)
      .map((s) => syncView(ctx, s)),
  });
}

export function getSync(ctx: RequestContext): SandboxResponse {
  const found = findThenAuthorize(ctx, 'read');
  return 'status' in found ? found : answer(ctx, found.sync);
}

/** `GET /sync-name/:name?projectId=`: names are unique per project. */
export function getSyncByName(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const query = ProjectQuery.safeParse(Object.fromEntries(ctx.query));
  if (!query.success) return validationFailure(query.error.issues);
  const name = ctx.params[0] ?? '';
  const sync = azureSyncs(ctx).find((s) => s.name === name && s.projectId === query.data.projectId);
  if (!sync) return notFound(`Could not find Azure DevOps Sync with name "${name}"`);
  return mayOnSync(identity, sync.projectId, 'read') ?? answer(ctx, sync);
}

export function createSync(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const parsed = CreateSyncBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const body = parsed.data;
  const project = memberProject(ctx, identity, body.projectId);
  if ('status' in project) return project;
  if (!projectAllows(identity, project.id, SUBJECT, 'create')) return permissionDenied('create', SUBJECT);
  const folder = findFolder(project, body.environment, body.secretPath);
  if (!folder) return folderMissing(body.secretPath, body.environment, project.id);
  const refused = usableConnection(ctx, identity, body.connectionId, project.id);
  if (refused) return refused;
  if (azureSyncs(ctx).some((s) => s.projectId === project.id && s.name === body.name)) return duplicateName(body.name, project.id);
  const sync = newSyncRecord(isoNow(ctx.state), {
    name: body.name,
    description: body.description,
    projectId: project.id,
    folderId: folder.id,
    connectionId: body.connectionId,
    isAutoSyncEnabled: body.isAutoSyncEnabled,
    destinationConfig: body.destinationConfig,
    syncOptions: body.syncOptions,
  });
  ctx.state.secretSyncs.push(sync);
  // Auto-sync: the first sync is queued at once; the answer still says `pending`.
  if (sync.isAutoSyncEnabled) queueSyncJob(ctx, sync, 'sync-secrets');
  return answer(ctx, sync);
}

/** `PATCH /:syncId`: `edit`, then a new connection's usage, a new source's folder, a new name; auto-sync queues a sync. */
export function updateSync(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const params = SyncIdParams.safeParse({ syncId: ctx.params[0] });
  if (!params.success) return validationFailure(params.error.issues);
  const parsed = UpdateSyncBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const found = findThenAuthorize(ctx, 'edit', false);
  if ('status' in found) return found;
  const { sync } = found;
  const body = parsed.data;
  if (body.connectionId) {
    const refused = usableConnection(ctx, identity, body.connectionId, sync.projectId);
    if (refused) return refused;
  }
  let folderId = sync.folderId;
  if (body.environment || body.secretPath) {
    const project = findProject(ctx, sync.projectId);
    const current = project?.folders.find((f) => f.id === sync.folderId);
    const env = body.environment ?? current?.environment;
    const path = body.secretPath ?? current?.path;
    if (!env || !path) return badRequest('Must specify both source environment and secret path');
    const folder = project && findFolder(project, env, path);
    if (!folder) return folderMissing(path, env, sync.projectId);
    folderId = folder.id;
  }
  if (body.name && body.name !== sync.name && azureSyncs(ctx).some((s) => s.projectId === sync.projectId && s.name === body.name)) return duplicateName(body.name, sync.projectId);
  if (body.name) sync.name = body.name;
  if (body.description !== undefined) sync.description = body.description;
  if (body.connectionId) sync.connectionId = body.connectionId;
  if (body.isAutoSyncEnabled !== undefined) sync.isAutoSyncEnabled = body.isAutoSyncEnabled;
  if (body.syncOptions) sync.syncOptions = { ...body.syncOptions };
  if (body.destinationConfig) sync.destinationConfig = { ...body.destinationConfig };
  sync.folderId = folderId;
  sync.updatedAt = isoNow(ctx.state);
  if (sync.isAutoSyncEnabled && sync.folderId) {
    sync.syncStatus = 'pending';
    queueSyncJob(ctx, sync, 'sync-secrets');
  }
  return answer(ctx, sync);
}

/**
 * `DELETE /:syncId?removeSecrets=`: `delete`; with `removeSecrets=true` also `remove-secrets`, and
 * the sync stays (`removeStatus: pending`) until its job has deleted the variable group.
 */
export function deleteSync(ctx: RequestContext): SandboxResponse {
  const found = findThenAuthorize(ctx, 'delete');
  if ('status' in found) return found;
  const query = DeleteQuery.safeParse(Object.fromEntries(ctx.query));
  if (!query.success) return validationFailure(query.error.issues);
  const { identity, sync } = found;
  if (query.data.removeSecrets === 'true') {
    const refused = mayOnSync(identity, sync.projectId, 'remove-secrets');
    if (refused) return refused;
    if (!sync.folderId) return badRequest(NO_FOLDER);
    if (locked(sync)) return badRequest(LOCKED);
    sync.removeStatus = 'pending';
    queueSyncJob(ctx, sync, 'remove-secrets', { deleteSyncOnComplete: true });
    return answer(ctx, sync);
  }
  const view = syncView(ctx, sync);
  ctx.state.secretSyncs.splice(ctx.state.secretSyncs.indexOf(sync), 1);
  return json(200, { secretSync: view });
}

/** `POST /:syncId/sync-secrets` and `/remove-secrets`: queue a job unless one runs. */
function trigger(ctx: RequestContext, kind: 'sync-secrets' | 'remove-secrets'): SandboxResponse {
  const found = findThenAuthorize(ctx, kind);
  if ('status' in found) return found;
  const { sync } = found;
  if (!sync.folderId) return badRequest(NO_FOLDER);
  if (locked(sync)) return badRequest(LOCKED);
  if (kind === 'sync-secrets') sync.syncStatus = 'pending';
  else sync.removeStatus = 'pending';
  queueSyncJob(ctx, sync, kind);
  return answer(ctx, sync);
}
export const syncNow = (ctx: RequestContext) => trigger(ctx, 'sync-secrets');
export const removeNow = (ctx: RequestContext) => trigger(ctx, 'remove-secrets');

/**
 * The sync's page in Infisical's web app (docs/contracts.md A.9 "Link"):
 * `/projects/secret-management/{projectId}/integrations/secret-syncs/azure-devops/{syncId}`.
 * A plain page with the name, status and message, for the extension's link and screenshots.
 */
export function syncPage(ctx: RequestContext): SandboxResponse {
  const [projectId, syncId] = ctx.params;
  const sync = azureSyncs(ctx).find((s) => s.id === syncId && s.projectId === projectId);
  if (!sync) return html(404, page('Secret Sync - Infisical (sandbox)', '<h1>Secret Sync</h1><p id="not-found">No such secret sync.</p>'));
  const view = syncView(ctx, sync);
  const row = (label: string, id: string, value: string | null) => `<tr><th>${label}</th><td id="${id}">${escapeHtml(value ?? '')}</td></tr>`;
  return html(
    200,
    page(
      `${sync.name} - Azure DevOps Sync - Infisical (sandbox)`,
      `<h1 id="sync-name">${escapeHtml(sync.name)}</h1>
<table id="sync">${row('Status', 'sync-status', sync.syncStatus)}${row('Message', 'sync-message', sync.lastSyncMessage)}${row('Last synced', 'sync-last', sync.lastSyncedAt)}${row(
        'Source',
        'sync-source',
        view.environment ? `${view.environment.name} ${view.folder?.path ?? ''}` : null,
      )}${row('Azure DevOps project', 'sync-destination', sync.destinationConfig.devopsProjectName ?? sync.destinationConfig.devopsProjectId)}${row('Connection', 'sync-connection', view.connection.name)}</table>`,
    ),
  );
}
