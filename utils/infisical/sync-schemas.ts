import { z } from 'zod/mini';

/**
 * Azure DevOps secret syncs as Infisical answers them (docs/contracts.md A.9). Read loosely: only
 * what the extension shows or compares is checked, and a status it does not know reads as null, so
 * a newer Infisical adding fields or states costs nothing.
 */

export const SYNC_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** The fields of Infisical's sync read model the extension uses; everything else passes through unread. */
export const secretSyncWireSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  projectId: z.string(),
  connectionId: z.string(),
  environment: z.nullish(z.looseObject({ slug: z.string(), name: z.string() })),
  folder: z.nullish(z.looseObject({ path: z.string() })),
  destinationConfig: z.looseObject({ devopsProjectId: z.string(), devopsProjectName: z.nullish(z.string()) }),
  syncStatus: z.nullish(z.string()),
  lastSyncMessage: z.nullish(z.string()),
  lastSyncedAt: z.nullish(z.string()),
});
export type SecretSyncWire = z.infer<typeof secretSyncWireSchema>;

/** A sync as the extension knows it: flat, every unknown a null. */
export interface SecretSync {
  id: string;
  name: string;
  /** The Infisical project it reads from. */
  projectId: string;
  connectionId: string;
  environment: { slug: string; name: string } | null;
  /** The folder it reads (`folder.path`), e.g. `/` or `/app`. */
  secretPath: string | null;
  devopsProjectId: string;
  devopsProjectName: string | null;
  syncStatus: SyncStatus | null;
  lastSyncMessage: string | null;
  lastSyncedAt: string | null;
}

const isSyncStatus = (value: unknown): value is SyncStatus => (SYNC_STATUSES as readonly unknown[]).includes(value);

export function toSecretSync(wire: SecretSyncWire): SecretSync {
  return {
    id: wire.id,
    name: wire.name,
    projectId: wire.projectId,
    connectionId: wire.connectionId,
    environment: wire.environment ? { slug: wire.environment.slug, name: wire.environment.name } : null,
    secretPath: wire.folder?.path ?? null,
    devopsProjectId: wire.destinationConfig.devopsProjectId,
    devopsProjectName: wire.destinationConfig.devopsProjectName ?? null,
    syncStatus: isSyncStatus(wire.syncStatus) ? wire.syncStatus : null,
    lastSyncMessage: wire.lastSyncMessage ?? null,
    lastSyncedAt: wire.lastSyncedAt ?? null,
  };
}

/** `{ secretSync }`: the answer of create, get, get by name and sync-secrets (A.9). */
export const secretSyncResponseSchema = z.object({ secretSync: secretSyncWireSchema });

/** `{ secretSyncs }`, each entry read on its own (secret-syncs.ts `list`). */
export const secretSyncsResponseSchema = z.looseObject({ secretSyncs: z.array(z.unknown()) });

/**
 * The create body (A.9). `initialSyncBehavior` has one value for Azure DevOps: the sync cannot
 * import what the variable group holds, it overwrites it.
 */
export interface CreateSyncBody {
  /** A slug: lower-case letters, digits and single hyphens, at most 256 (`syncNameFor`). */
  name: string;
  projectId: string;
  description?: string;
  connectionId: string;
  /** The environment's slug. */
  environment: string;
  secretPath: string;
  isAutoSyncEnabled?: boolean;
  syncOptions: { initialSyncBehavior: 'overwrite-destination' };
  destinationConfig: { devopsProjectId: string; devopsProjectName?: string };
}
