// The Azure DevOps secret sync's row and read model (docs/contracts.md A.9): a new row as Infisical's
// create writes it, and the answer every sync route sends (the row plus its `connection`,
// `environment` and `folder` joins).
import { uuid } from './ids.ts';
import { findProject } from './infisical-project-access.ts';
import type { RequestContext } from './http.ts';
import type { InfisicalProjectRecord, SecretSyncRecord, StoredConnection } from './state.ts';

export interface NewSync {
  name: string;
  description?: string | null | undefined;
  projectId: string;
  folderId: string;
  connectionId: string;
  isAutoSyncEnabled: boolean;
  destinationConfig: SecretSyncRecord['destinationConfig'];
  syncOptions?: Partial<SecretSyncRecord['syncOptions']> | undefined;
}

/** A fresh row: `syncStatus` is `pending` when the first sync is queued at once (auto-sync), else null. */
export function newSyncRecord(at: string, s: NewSync): SecretSyncRecord {
  return {
    id: uuid(),
    name: s.name,
    description: s.description ?? null,
    destination: 'azure-devops',
    isAutoSyncEnabled: s.isAutoSyncEnabled,
    version: 1,
    projectId: s.projectId,
    folderId: s.folderId,
    connectionId: s.connectionId,
    createdAt: at,
    updatedAt: at,
    syncStatus: s.isAutoSyncEnabled ? 'pending' : null,
    lastSyncJobId: null,
    lastSyncMessage: null,
    lastSyncedAt: null,
    importStatus: null,
    lastImportJobId: null,
    lastImportMessage: null,
    lastImportedAt: null,
    removeStatus: null,
    lastRemoveJobId: null,
    lastRemoveMessage: null,
    lastRemovedAt: null,
    syncOptions: { ...s.syncOptions, initialSyncBehavior: 'overwrite-destination' },
    destinationConfig: { ...s.destinationConfig },
  };
}

/** The folder a sync reads and its environment, while both exist. */
export function syncSource(project: InfisicalProjectRecord | undefined, sync: SecretSyncRecord) {
  const folder = project?.folders.find((f) => f.id === sync.folderId);
  const environment = folder ? project?.environments.find((e) => e.slug === folder.environment) : undefined;
  return { folder, environment };
}

/** The answer's sync: the row with its joins (`BaseSecretSyncSchema` in Infisical's secret-sync-schemas.ts). */
export function syncView(ctx: Pick<RequestContext, 'state' | 'config'>, sync: SecretSyncRecord) {
  const project = findProject(ctx, sync.projectId);
  const { folder, environment } = syncSource(project, sync);
  const connection: StoredConnection | undefined = ctx.state.connections.find((c) => c.id === sync.connectionId);
  return {
    ...sync,
    connection: { app: 'azure-devops' as const, name: connection?.name ?? '', id: sync.connectionId },
    environment: environment ? { slug: environment.slug, name: environment.name, id: environment.id } : null,
    folder: folder ? { id: folder.id, path: folder.path } : null,
  };
}
