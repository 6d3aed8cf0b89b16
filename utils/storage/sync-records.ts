import { z } from 'zod/mini';
import { SYNC_STATUSES } from '../infisical/sync-schemas';

/**
 * The records of the secret syncs this extension made (`local:syncs`) and the choices remembered
 * per Azure DevOps project (`local:syncChoices`), as version 1 writes them (utils/storage/catalogue.ts).
 * No secret in either: a sync is named by its Infisical id, its connection by id and name; no token,
 * PAT or secret value is ever part of them. `z.object` keeps only these fields, so whatever else
 * a caller's object carries never reaches storage.
 */

const environmentSchema = z.object({ slug: z.string().check(z.minLength(1)), name: z.string() });

/** A sync run's state as last read from Infisical (docs/contracts.md A.9), and when it was read. */
export const syncStateSchema = z.object({
  syncStatus: z.nullable(z.enum(SYNC_STATUSES)),
  lastSyncMessage: z.nullable(z.string()),
  lastSyncedAt: z.nullable(z.string()),
  readAt: z.string(),
});
export type SyncState = z.infer<typeof syncStateSchema>;

export const syncRecordSchema = z.object({
  /** The Infisical sync's id. */
  syncId: z.string().check(z.minLength(1)),
  instanceUrl: z.string(),
  infisicalProjectId: z.string(),
  infisicalProjectName: z.string(),
  environment: environmentSchema,
  secretPath: z.string(),
  org: z.string(),
  adoProjectId: z.string(),
  adoProjectName: z.string(),
  /** The Azure DevOps connection the sync uses (its Infisical id and name). */
  connectionId: z.string(),
  connectionName: z.string(),
  createdAt: z.string(),
  /** Null until its state was first read. */
  last: z.nullable(syncStateSchema),
});
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** What was picked for one Azure DevOps project, to offer again there (utils/storage/syncs.ts `syncChoiceFor`). */
export const syncChoiceSchema = z.object({
  infisicalProjectId: z.string().check(z.minLength(1)),
  /** The environment's slug. */
  environment: z.string().check(z.minLength(1)),
  secretPath: z.string(),
});
export type SyncChoice = z.infer<typeof syncChoiceSchema>;

/** A remembered choice as stored: the org and project it is for (compared without case), and when it was made. */
export const storedSyncChoiceSchema = z.object({ org: z.string(), adoProject: z.string(), choice: syncChoiceSchema, at: z.string() });
export type StoredSyncChoice = z.infer<typeof storedSyncChoiceSchema>;

/** An entry of either list that did not read, kept raw (`local:unreadableSyncs`) rather than lost. */
export const setAsideSyncSchema = z.object({ from: z.enum(['syncs', 'syncChoices']), raw: z.unknown(), at: z.string() });
export type SetAsideSync = z.infer<typeof setAsideSyncSchema>;

/** One record of any known version (there is one so far), or null. */
export function readSyncRecord(item: unknown): SyncRecord | null {
  const parsed = syncRecordSchema.safeParse(item);
  return parsed.success ? parsed.data : null;
}

export function readStoredChoice(item: unknown): StoredSyncChoice | null {
  const parsed = storedSyncChoiceSchema.safeParse(item);
  return parsed.success ? parsed.data : null;
}

/**
 * The records of a stored value that read, for a page that reads `local:syncs` with plain
 * `browser.storage` (the popup may not load WXT's storage, utils/storage/view.ts).
 */
export function parseSyncRecords(value: unknown): SyncRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const record = readSyncRecord(item);
    return record ? [record] : [];
  });
}
