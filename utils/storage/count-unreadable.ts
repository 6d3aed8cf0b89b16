import { browser } from 'wxt/browser';
import { CATALOGUE, RECORD_READERS } from './catalogue';
import { splitRecords } from './per-record';
import { parseSetAside, setAsideId } from './set-aside';

/**
 * How many connection or pending-PAT records do not read (plain `browser.storage`: for the options page): those the ledger set aside, and those still
 * in their list (the worker sets them aside at its next read). Each counted once.
 */
export async function countUnreadable(): Promise<number> {
  const { connections, pendingPats, unreadableRecords } = CATALOGUE;
  const stored = await browser.storage.local.get([connections.key, pendingPats.key, unreadableRecords.key]);
  const ids = new Set(parseSetAside(stored[unreadableRecords.key]).map(setAsideId));
  const left = {
    connections: splitRecords(stored[connections.key], RECORD_READERS.connections).unreadable,
    pendingPats: splitRecords(stored[pendingPats.key], RECORD_READERS.pendingPats).unreadable,
  };
  for (const from of ['connections', 'pendingPats'] as const) for (const raw of left[from]) ids.add(setAsideId({ from, raw }));
  return ids.size;
}
