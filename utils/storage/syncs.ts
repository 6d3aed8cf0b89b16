import { storage } from 'wxt/utils/storage';
import { createSerial } from '../serial';
import { CATALOGUE, storageKey } from './catalogue';
import { splitRecords } from './per-record';
import {
  readStoredChoice,
  readSyncRecord,
  setAsideSyncSchema,
  syncChoiceSchema,
  syncRecordSchema,
  syncStateSchema,
  type SetAsideSync,
  type StoredSyncChoice,
  type SyncChoice,
  type SyncRecord,
  type SyncState,
} from './sync-records';

/**
 * The secret syncs this extension made and the choices remembered per Azure DevOps project, in
 * `local:` (utils/storage/catalogue.ts; no secret, utils/storage/sync-records.ts). The worker is
 * their writer (utils/flow/sync-to-project.ts); its writes go through one queue, so two syncs
 * made side by side never overwrite each other's records.
 *
 * Entries are read one by one, like the connection records (docs/reliability.md): one that does
 * not read is left out of what a reader gets (reading never writes and never throws for it), and
 * the next write moves it, raw, to `local:unreadableSyncs` before writing its list back without it
 * (set aside first: a write cut short keeps it twice at worst, and a value kept twice is kept once).
 */

const syncsItem = storage.defineItem<unknown>(storageKey(CATALOGUE.syncs), { fallback: [], version: CATALOGUE.syncs.version });
const choicesItem = storage.defineItem<unknown>(storageKey(CATALOGUE.syncChoices), { fallback: [], version: CATALOGUE.syncChoices.version });
const setAsideItem = storage.defineItem<unknown>(storageKey(CATALOGUE.unreadableSyncs), { fallback: [], version: CATALOGUE.unreadableSyncs.version });

/** Remembered choices kept, the most recent: enough for every project a person works in, and a bound on storage. */
export const MAX_SYNC_CHOICES = 200;

const serial = createSerial();
const idOf = (entry: Pick<SetAsideSync, 'from' | 'raw'>) => `${entry.from} ${JSON.stringify(entry.raw)}`;

/** The set-aside entries as stored; one that does not read is kept as found. */
function parseSetAside(value: unknown): SetAsideSync[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => {
    const parsed = setAsideSyncSchema.safeParse(item);
    return parsed.success ? parsed.data : { from: 'syncs' as const, raw: item, at: '' };
  });
}

async function setAside(from: SetAsideSync['from'], raws: unknown[]): Promise<void> {
  const kept = parseSetAside(await setAsideItem.getValue());
  const known = new Set(kept.map(idOf));
  const at = new Date().toISOString();
  const added = raws.map((raw) => ({ from, raw, at })).filter((e) => !known.has(idOf(e)));
  if (added.length > 0) await setAsideItem.setValue([...kept, ...added]);
}

/** Read a list for a write: what does not read is set aside first, then `change` decides what is written. */
async function rewrite<T>(from: SetAsideSync['from'], item: typeof syncsItem, read: (raw: unknown) => T | null, change: (records: T[]) => T[] | null): Promise<void> {
  const { records, unreadable } = splitRecords(await item.getValue(), read);
  if (unreadable.length > 0) await setAside(from, unreadable);
  const next = change(records);
  if (next) await item.setValue(next);
  else if (unreadable.length > 0) await item.setValue(records);
}

/** The sync records that read, oldest first. */
export async function readSyncRecords(): Promise<SyncRecord[]> {
  return splitRecords(await syncsItem.getValue(), readSyncRecord).records;
}

/** The record of one sync, or null. */
export async function syncRecordFor(syncId: string): Promise<SyncRecord | null> {
  return (await readSyncRecords()).find((r) => r.syncId === syncId) ?? null;
}

/** The records of the syncs into one Azure DevOps project, by org and project name as the page shows them (without case). */
export async function syncRecordsForProject(org: string, adoProjectName: string): Promise<SyncRecord[]> {
  const [o, p] = [org.toLowerCase(), adoProjectName.toLowerCase()];
  return (await readSyncRecords()).filter((r) => r.org.toLowerCase() === o && r.adoProjectName.toLowerCase() === p);
}

/** The entries of either list set aside because they did not read (for the options page to count). */
export async function readUnreadableSyncs(): Promise<SetAsideSync[]> {
  return parseSetAside(await setAsideItem.getValue());
}

/** Add or replace (by sync id) a record. Only the schema's fields are stored. */
export function putSyncRecord(record: SyncRecord): Promise<void> {
  const stored = syncRecordSchema.parse(record);
  return serial(() => rewrite('syncs', syncsItem, readSyncRecord, (all) => [...all.filter((r) => r.syncId !== stored.syncId), stored]));
}

/** The sync's state as just read; null when there is no record of it (nothing is written then). */
export function updateSyncState(syncId: string, last: SyncState): Promise<SyncRecord | null> {
  const state = syncStateSchema.parse(last);
  let updated: SyncRecord | null = null;
  return serial(async () => {
    await rewrite('syncs', syncsItem, readSyncRecord, (all) => {
      const found = all.find((r) => r.syncId === syncId);
      if (!found) return null;
      updated = { ...found, last: state };
      return all.map((r) => (r === found ? updated! : r));
    });
    return updated;
  });
}

/** Forget a sync's record (it was deleted, in Infisical or here). */
export function removeSyncRecord(syncId: string): Promise<void> {
  return serial(() => rewrite('syncs', syncsItem, readSyncRecord, (all) => (all.some((r) => r.syncId === syncId) ? all.filter((r) => r.syncId !== syncId) : null)));
}

/** Azure DevOps compares organization and project names without case, and so do these choices. */
const sameProject = (c: StoredSyncChoice, org: string, adoProject: string) => c.org.toLowerCase() === org.toLowerCase() && c.adoProject.toLowerCase() === adoProject.toLowerCase();

/** Remember what was picked for this Azure DevOps project (by its name, as the page shows it). */
export function rememberSyncChoice(org: string, adoProject: string, choice: SyncChoice): Promise<void> {
  const stored: StoredSyncChoice = { org, adoProject, choice: syncChoiceSchema.parse(choice), at: new Date().toISOString() };
  return serial(() => rewrite('syncChoices', choicesItem, readStoredChoice, (all) => [...all.filter((c) => !sameProject(c, org, adoProject)), stored].slice(-MAX_SYNC_CHOICES)));
}

/** What was last picked for this Azure DevOps project, or null. */
export async function syncChoiceFor(org: string, adoProject: string): Promise<SyncChoice | null> {
  const { records } = splitRecords(await choicesItem.getValue(), readStoredChoice);
  return records.findLast((c) => sameProject(c, org, adoProject))?.choice ?? null;
}
