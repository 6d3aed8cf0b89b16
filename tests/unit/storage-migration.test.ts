import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLedger } from '@/utils/worker/ledger';
import { connectionRecordV1Schema, pendingPatV1Schema } from '@/utils/storage/records';
import { connectionsItem, pendingPatsItem, readConnections, readPendingPats } from '@/utils/storage/records-items';
import { z } from 'zod/mini';
import { DEFAULT_SETTINGS, settingsSchema } from '@/utils/storage/settings';
import { countUnreadable } from '@/utils/storage/count-unreadable';
import { readSettings } from '@/utils/storage/view';
import v1 from '../fixtures/storage-v1.json';

/**
 * Storage as the first release writes it (tests/fixtures/storage-v1.json), read by this build: the
 * v1 → v2 migration of `local:connections` and `local:pendingPats` (utils/storage/migrations.ts).
 */
const load = () => fakeBrowser.storage.local.set(structuredClone(v1));
/** What WXT runs when the worker defines the items (utils/storage/records-items.ts). */
const migrate = () => Promise.all([connectionsItem.migrate(), pendingPatsItem.migrate()]);

beforeEach(() => fakeBrowser.reset());

const migratedConnections = v1.connections.map((c) => ({ ...c, projectId: null, clientId: null, patLifetimeDays: null }));
const migratedPending = v1.pendingPats.map((p) => ({ ...p, projectId: null }));

describe('v1 storage', () => {
  it('the fixture is exactly what v1 wrote: every record reads as v1 and has no field v1 did not know', () => {
    for (const c of v1.connections) expect(connectionRecordV1Schema.parse(c)).toEqual(c);
    for (const p of v1.pendingPats) expect(pendingPatV1Schema.parse(p)).toEqual(p);
    // v1 knew neither the expiry warning window nor notifications (they take their defaults).
    expect(z.omit(settingsSchema, { expiryWarningDays: true, expiryNotifications: true }).parse(v1.settings)).toEqual(v1.settings);
  });

  it('comes through the worker’s migration whole: every record at v2, versions marked, settings as saved', async () => {
    await load();
    await migrate();
    const stored = await fakeBrowser.storage.local.get(null);
    expect(stored).toEqual({
      settings: v1.settings,
      connections: migratedConnections,
      connections$: { v: 2 },
      pendingPats: migratedPending,
      pendingPats$: { v: 2 },
    });
    expect(await readSettings()).toEqual({ ...v1.settings, expiryWarningDays: DEFAULT_SETTINGS.expiryWarningDays, expiryNotifications: DEFAULT_SETTINGS.expiryNotifications });
    expect(await readConnections()).toEqual(migratedConnections);
    expect(await readPendingPats()).toEqual(migratedPending);
    const ledger = createLedger();
    expect(await ledger.connections()).toEqual(migratedConnections);
    expect(await ledger.pending()).toEqual(migratedPending);
    expect(await ledger.unreadable()).toEqual([]);
    expect(await countUnreadable()).toBe(0);
    // Migrated once: a second run (another worker start) changes nothing.
    await migrate();
    expect(await fakeBrowser.storage.local.get(null)).toEqual(stored);
  });

  it('reads as v2 before the migration has run, on the pages’ light path and in the ledger', async () => {
    await load();
    expect(await countUnreadable()).toBe(0);
    expect(await readConnections()).toEqual(migratedConnections);
    expect(await createLedger().pending()).toEqual(migratedPending);
  });

  it('a record no version reads passes through the migration untouched, and the others migrate', async () => {
    const bad = { id: 42, name: 'half-written' };
    await fakeBrowser.storage.local.set({ ...structuredClone(v1), connections: [v1.connections[0], bad, v1.connections[1]] });
    await migrate();
    expect((await fakeBrowser.storage.local.get('connections')).connections).toEqual([migratedConnections[0], bad, migratedConnections[1]]);
    expect(await countUnreadable()).toBe(1);
    expect(await createLedger().connections()).toEqual(migratedConnections);
    expect((await fakeBrowser.storage.local.get('unreadableRecords')).unreadableRecords).toEqual([{ from: 'connections', raw: bad, at: expect.any(String) }]);
  });
});
