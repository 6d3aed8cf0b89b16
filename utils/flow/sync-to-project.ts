import type { AdoProject, ProjectReads } from '../azure-devops/project-reads';
import { ExtensionError, asBoundaryError } from '../errors/boundary-error';
import type { InfisicalApi } from '../infisical/api';
import { syncNameFor } from '../infisical/secret-syncs';
import type { SecretSync } from '../infisical/sync-schemas';
import type { SyncRecord, SyncState } from '../storage/sync-records';
import { putSyncRecord, rememberSyncChoice, updateSyncState } from '../storage/syncs';

/**
 * Syncing an Infisical environment into the Azure DevOps project of the page (docs/contracts.md
 * A.9): look first and say what will happen (`previewSync`), then create the sync (`createSync`),
 * then follow its runs (`refreshSync`, `syncNow`). What the worker calls; everything it touches is
 * injected, and only the extension's own records go to storage (utils/storage/syncs.ts). No token
 * is kept or put in an error: the Entra token is passed to the reads and dropped.
 */

/** One Infisical project the identity is a member of, with its environments (the projects list). */
export interface InfisicalProjectSummary {
  id: string;
  name: string;
  slug: string;
  environments: { id: string; name: string; slug: string }[];
}

export interface SyncDeps {
  infisical: Pick<InfisicalApi, 'secretSyncs'> & { projects: { list(): Promise<InfisicalProjectSummary[]> } };
  ado: Pick<ProjectReads, 'getProject' | 'findVariableGroup'>;
  now: () => Date;
}

export interface PreviewRequest {
  org: string;
  /** The project's name as the page's address shows it (or its id). */
  adoProject: string;
  infisicalProjectId: string;
  environmentSlug: string;
  secretPath: string;
  /** An Entra token for Azure DevOps; used for the two reads and not kept. */
  entraToken: string;
}

/** What creating the sync will do, for the person to confirm first. */
export interface SyncPreview {
  org: string;
  adoProject: AdoProject;
  infisicalProject: { id: string; name: string };
  environment: { slug: string; name: string };
  secretPath: string;
  /** The variable group Infisical writes: named after the environment's name, not its slug (A.9). */
  groupName: string;
  /** A group of that name already there: every one of its variables will be replaced on each run. */
  existingGroup: { id: number; variableCount: number } | null;
  /** A group whose name differs only in case: not replaced, and Infisical's create of the group fails on it (A.9, B.6). */
  clashingGroup: { name: string } | null;
  /** A sync of this Infisical project already writing this environment into this Azure DevOps project. */
  existingSync: SecretSync | null;
}

/** Infisical's limit on a secret path (A.9), and a path the extension refuses to send. */
export const SECRET_PATH_MAX = 1000;

const invalidPath = (message: string) => new ExtensionError('invalid-input', message, { field: 'secretPath' });

/**
 * A folder path as Infisical takes it: from the environment's root `/`, without `..`, at most 1000
 * characters. Said before anything is asked, under the field.
 * @throws ExtensionError `invalid-input` with field `secretPath`.
 */
export function checkSecretPath(secretPath: string): string {
  if (!secretPath.startsWith('/')) throw invalidPath('The secret path must start with “/”, such as “/” or “/app”.');
  if (secretPath.split('/').some((part) => part === '..')) throw invalidPath('The secret path may not contain “..”.');
  if (secretPath.length > SECRET_PATH_MAX) throw invalidPath(`The secret path may be at most ${SECRET_PATH_MAX} characters long.`);
  return secretPath;
}

/**
 * Everything a sync would touch, read and checked: the Azure DevOps project's id, the Infisical
 * project and environment, the variable group it would overwrite, and a sync already doing it.
 * Nothing is written.
 * @throws ExtensionError (`invalid-input`, `infisical-project-missing`, `environment-missing`),
 * AzureDevOpsError (`project-not-found`, …), InfisicalError (e.g. 403 on secret-syncs read).
 */
export async function previewSync(deps: SyncDeps, request: PreviewRequest): Promise<SyncPreview> {
  const secretPath = checkSecretPath(request.secretPath);
  const [adoProject, projects] = await Promise.all([deps.ado.getProject(request.entraToken, request.org, request.adoProject), deps.infisical.projects.list()]);
  const project = projects.find((p) => p.id === request.infisicalProjectId);
  if (!project) throw new ExtensionError('infisical-project-missing', `The machine identity cannot see the Infisical project '${request.infisicalProjectId}'.`);
  const env = project.environments.find((e) => e.slug === request.environmentSlug);
  if (!env) throw new ExtensionError('environment-missing', `The Infisical project has no environment '${request.environmentSlug}'.`, { field: 'environment' });
  const environment = { slug: env.slug, name: env.name };
  const [group, syncs] = await Promise.all([deps.ado.findVariableGroup(request.entraToken, request.org, adoProject.id, env.name), deps.infisical.secretSyncs.list(project.id)]);
  const existingSync = syncs.find((s) => s.devopsProjectId === adoProject.id && s.environment?.slug === env.slug) ?? null;
  return {
    org: request.org,
    adoProject,
    infisicalProject: { id: project.id, name: project.name },
    environment,
    secretPath,
    groupName: env.name,
    existingGroup: group?.exact ? { id: group.id, variableCount: group.variableCount } : null,
    clashingGroup: group && !group.exact ? { name: group.name } : null,
    existingSync,
  };
}

/** A run's state as the records keep it. */
export function syncStateOf(sync: SecretSync, readAt: Date): SyncState {
  return { syncStatus: sync.syncStatus, lastSyncMessage: sync.lastSyncMessage, lastSyncedAt: sync.lastSyncedAt, readAt: readAt.toISOString() };
}

/** A failed run as an error the catalogue words (`sync-failed`, utils/errors/catalogue/secret-sync.ts); null otherwise. */
export function runFailure(state: Pick<SyncState, 'syncStatus' | 'lastSyncMessage'>): ExtensionError | null {
  return state.syncStatus === 'failed' ? new ExtensionError('sync-failed', state.lastSyncMessage ?? '') : null;
}

/** Infisical's limit on a description (A.9). */
const DESCRIPTION_MAX = 256;

/** An answer that may have been lost after Infisical acted on the request (utils/http/request.ts never repeats a write). */
export const answerLost = (error: unknown) => ['network', 'timeout', 'malformed-response'].includes(asBoundaryError(error)?.code ?? '');

/**
 * Create the sync the preview describes, with the org's connection: the first run starts at once
 * (`isAutoSyncEnabled`), overwriting the variable group (the only behaviour Azure DevOps has).
 * A create whose answer was lost is looked up by its name, which is the same for the same
 * project and environment (`syncNameFor`). Then the sync is recorded and the choice remembered.
 * @throws ExtensionError `sync-exists` when the preview found one; InfisicalError as Infisical answered.
 */
export async function createSync(deps: SyncDeps, options: { preview: SyncPreview; connection: { id: string; name: string }; instanceUrl: string }): Promise<SyncRecord> {
  const { preview, connection, instanceUrl } = options;
  if (preview.existingSync) throw new ExtensionError('sync-exists', `The secret sync '${preview.existingSync.name}' already syncs this environment into the Azure DevOps project.`);
  const name = syncNameFor(preview.org, preview.adoProject.name, preview.environment.slug);
  const description = `${preview.environment.name} into the Azure DevOps project ${preview.adoProject.name} of ${preview.org}, made from Azure DevOps by Infisical Connect.`.slice(
    0,
    DESCRIPTION_MAX,
  );
  let sync: SecretSync;
  try {
    sync = await deps.infisical.secretSyncs.create({
      name,
      projectId: preview.infisicalProject.id,
      description,
      connectionId: connection.id,
      environment: preview.environment.slug,
      secretPath: preview.secretPath,
      isAutoSyncEnabled: true,
      syncOptions: { initialSyncBehavior: 'overwrite-destination' },
      destinationConfig: { devopsProjectId: preview.adoProject.id, devopsProjectName: preview.adoProject.name },
    });
  } catch (error) {
    const found = answerLost(error) ? await deps.infisical.secretSyncs.findByName(preview.infisicalProject.id, name).catch(() => null) : null;
    // Only a sync of this environment into this project is the one just asked for.
    if (!found || found.devopsProjectId !== preview.adoProject.id || found.environment?.slug !== preview.environment.slug) throw error;
    sync = found;
  }
  const now = deps.now();
  const record: SyncRecord = {
    syncId: sync.id,
    instanceUrl,
    infisicalProjectId: preview.infisicalProject.id,
    infisicalProjectName: preview.infisicalProject.name,
    environment: preview.environment,
    secretPath: sync.secretPath ?? preview.secretPath,
    org: preview.org,
    adoProjectId: preview.adoProject.id,
    adoProjectName: preview.adoProject.name,
    connectionId: connection.id,
    connectionName: connection.name,
    createdAt: now.toISOString(),
    last: syncStateOf(sync, now),
  };
  await putSyncRecord(record);
  await rememberSyncChoice(preview.org, preview.adoProject.name, {
    infisicalProjectId: preview.infisicalProject.id,
    environment: preview.environment.slug,
    secretPath: preview.secretPath,
  });
  return record;
}

/**
 * The sync's state from Infisical, kept on its record (when there is one).
 * @throws InfisicalError (404 once the sync was deleted in Infisical).
 */
export async function refreshSync(deps: SyncDeps, syncId: string): Promise<{ sync: SecretSync; record: SyncRecord | null }> {
  const sync = await deps.infisical.secretSyncs.get(syncId);
  return { sync, record: await updateSyncState(syncId, syncStateOf(sync, deps.now())) };
}

/** Run the sync now; the answer is the run as queued (its outcome comes with a later `refreshSync`). */
export async function syncNow(deps: SyncDeps, syncId: string): Promise<{ sync: SecretSync; record: SyncRecord | null }> {
  const sync = await deps.infisical.secretSyncs.syncNow(syncId);
  return { sync, record: await updateSyncState(syncId, syncStateOf(sync, deps.now())) };
}
