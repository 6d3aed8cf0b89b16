import { browser } from 'wxt/browser';
import { CATALOGUE, RECORD_READERS } from './catalogue';
import { splitRecords } from './per-record';
import { parseSetAside, setAsideId } from './set-aside';
import { readStoredChoice, readSyncRecord, setAsideSyncSchema } from './sync-records';

/**
 * How many connection, pending-PAT or secret-sync records do not read (plain `browser.storage`:
 * for the options page): those set aside, and those still in their list (set aside at the next
 * write). Each counted once.
 */
export async function countUnreadable(): Promise<number> {
  const { connections, pendingPats, unreadableRecords, syncs, syncChoices, unreadableSyncs } = CATALOGUE;
  const stored = await browser.storage.local.get([connections.key, pendingPats.key, unreadableRecords.key, syncs.key, syncChoices.key, unreadableSyncs.key]);
  const ids = new Set(parseSetAside(stored[unreadableRecords.key]).map(setAsideId));
  const left = {
    connections: splitRecords(stored[connections.key], RECORD_READERS.connections).unreadable,
    pendingPats: splitRecords(stored[pendingPats.key], RECORD_READERS.pendingPats).unreadable,
  };
  for (const from of ['connections', 'pendingPats'] as const) for (const raw of left[from]) ids.add(setAsideId({ from, raw }));
  // The sync lists' own set-aside entries, and those still in place (utils/storage/syncs.ts).
  const aside: unknown = stored[unreadableSyncs.key];
  const syncsAside = Array.isArray(aside) ? aside.filter((e: unknown) => setAsideSyncSchema.safeParse(e).success).length : 0;
  const syncsLeft = splitRecords(stored[syncs.key], readSyncRecord).unreadable.length + splitRecords(stored[syncChoices.key], readStoredChoice).unreadable.length;
  return ids.size + syncsAside + syncsLeft;
}
