import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { countUnreadable } from '@/utils/storage/count-unreadable';
import { parseSyncRecords, type SyncRecord } from '@/utils/storage/sync-records';
import {
  MAX_SYNC_CHOICES,
  putSyncRecord,
  readSyncRecords,
  readUnreadableSyncs,
  rememberSyncChoice,
  removeSyncRecord,
  syncChoiceFor,
  syncRecordFor,
  syncRecordsForProject,
  updateSyncState,
} from '@/utils/storage/syncs';

/** The records of the syncs this extension made, and the choices remembered per Azure DevOps project (utils/storage/syncs.ts). */

beforeEach(() => fakeBrowser.reset());

const record = (syncId: string, over: Partial<SyncRecord> = {}): SyncRecord => ({
  syncId,
  instanceUrl: 'https://infisical.example.com',
  infisicalProjectId: 'p1',
  infisicalProjectName: 'Web shop',
  environment: { slug: 'dev', name: 'Development' },
  secretPath: '/',
  org: 'contoso',
  adoProjectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  adoProjectName: 'Web Shop',
  connectionId: 'c1',
  connectionName: 'azure-devops-contoso',
  createdAt: '2026-11-26T10:00:00.000Z',
  last: null,
  ...over,
});
const state = { syncStatus: 'succeeded' as const, lastSyncMessage: null, lastSyncedAt: '2026-11-26T10:01:00.000Z', readAt: '2026-11-26T10:02:00.000Z' };
const stored = async (key: string) => (await fakeBrowser.storage.local.get(key))[key] as unknown[];

describe('sync records', () => {
  it('are added, replaced by sync id, updated with their last run and removed', async () => {
    expect(await readSyncRecords()).toEqual([]);
    await putSyncRecord(record('s1'));
    await putSyncRecord(record('s2'));
    await putSyncRecord(record('s1', { secretPath: '/app' }));
    expect((await readSyncRecords()).map((r) => [r.syncId, r.secretPath])).toEqual([
      ['s2', '/'],
      ['s1', '/app'],
    ]);
    expect(await updateSyncState('s2', state)).toEqual(record('s2', { last: state }));
    expect((await syncRecordFor('s2'))?.last).toEqual(state);
    expect(await updateSyncState('gone', state)).toBeNull();
    await removeSyncRecord('s1');
    expect((await readSyncRecords()).map((r) => r.syncId)).toEqual(['s2']);
  });

  it('writes made side by side all land', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => putSyncRecord(record(id))));
    await Promise.all([updateSyncState('a', state), updateSyncState('c', state), removeSyncRecord('d')]);
    expect((await readSyncRecords()).map((r) => [r.syncId, r.last !== null])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
  });

  it('never store more than their fields: whatever else the caller’s object carries (a token) is dropped', async () => {
    await putSyncRecord({ ...record('s1'), accessToken: 'eyJhbGciOi.secret.value', pat: 'x'.repeat(52) } as SyncRecord);
    expect(JSON.stringify(await stored('syncs'))).not.toMatch(/accessToken|eyJhbGciOi|x{52}/);
    await updateSyncState('s1', { ...state, token: 'secret-token' } as typeof state);
    expect(JSON.stringify(await stored('syncs'))).not.toMatch(/secret-token/);
  });

  it('a record that does not read is left out for readers, never costs the others, and is set aside raw at the next write', async () => {
    const bad = { ...record('bad'), environment: 'dev' };
    await fakeBrowser.storage.local.set({ syncs: [record('s1'), bad, record('s2')] });
    expect((await readSyncRecords()).map((r) => r.syncId)).toEqual(['s1', 's2']);
    // Reading wrote nothing.
    expect(await stored('syncs')).toHaveLength(3);
    expect(await readUnreadableSyncs()).toEqual([]);
    expect(await countUnreadable()).toBe(1);
    await updateSyncState('s2', state);
    expect((await readSyncRecords()).map((r) => r.syncId)).toEqual(['s1', 's2']);
    expect(await stored('syncs')).toHaveLength(2);
    expect(await readUnreadableSyncs()).toEqual([{ from: 'syncs', raw: bad, at: expect.any(String) }]);
    // The options page counts it, in place and once set aside (utils/storage/count-unreadable.ts).
    expect(await countUnreadable()).toBe(1);
    // Set aside once, however often it is met.
    await fakeBrowser.storage.local.set({ syncs: [...(await stored('syncs')), bad] });
    await removeSyncRecord('s1');
    expect(await readUnreadableSyncs()).toHaveLength(1);
  });

  it('a value that is no list is one unreadable value: readers get none, the next write keeps it aside and starts a list', async () => {
    await fakeBrowser.storage.local.set({ syncs: 'garbage' });
    expect(await readSyncRecords()).toEqual([]);
    await putSyncRecord(record('s1'));
    expect((await readSyncRecords()).map((r) => r.syncId)).toEqual(['s1']);
    expect(await readUnreadableSyncs()).toEqual([{ from: 'syncs', raw: 'garbage', at: expect.any(String) }]);
  });
});

describe('reading them elsewhere', () => {
  it('finds the records of one Azure DevOps project without case, and parses a raw value as a page reads it', async () => {
    await putSyncRecord(record('s1'));
    await putSyncRecord(record('s2', { adoProjectName: 'Other' }));
    expect((await syncRecordsForProject('CONTOSO', 'web shop')).map((r) => r.syncId)).toEqual(['s1']);
    expect(parseSyncRecords([record('s1'), { syncId: 5 }])).toEqual([record('s1')]);
    expect(parseSyncRecords('garbage')).toEqual([]);
  });
});

describe('remembered choices per Azure DevOps project', () => {
  const choice = { infisicalProjectId: 'p1', environment: 'dev', secretPath: '/' };

  it('are found by org and project name without case, the latest winning', async () => {
    expect(await syncChoiceFor('contoso', 'Web Shop')).toBeNull();
    await rememberSyncChoice('contoso', 'Web Shop', choice);
    await rememberSyncChoice('Contoso', 'web shop', { ...choice, environment: 'prod' });
    await rememberSyncChoice('contoso', 'Other', { ...choice, secretPath: '/other' });
    expect(await syncChoiceFor('CONTOSO', 'WEB SHOP')).toEqual({ ...choice, environment: 'prod' });
    expect(await syncChoiceFor('contoso', 'Other')).toEqual({ ...choice, secretPath: '/other' });
    expect(await syncChoiceFor('fabrikam', 'Web Shop')).toBeNull();
    expect(await stored('syncChoices')).toHaveLength(2);
  });

  it('keep the most recent few hundred', async () => {
    for (let i = 0; i <= MAX_SYNC_CHOICES; i++) await rememberSyncChoice('contoso', `p${i}`, choice);
    expect(await stored('syncChoices')).toHaveLength(MAX_SYNC_CHOICES);
    expect(await syncChoiceFor('contoso', 'p0')).toBeNull();
    expect(await syncChoiceFor('contoso', `p${MAX_SYNC_CHOICES}`)).toEqual(choice);
  });

  it('one that does not read costs nothing else and is set aside at the next write', async () => {
    const bad = { org: 'contoso', adoProject: 'Broken', choice: { environment: 3 }, at: 'x' };
    await fakeBrowser.storage.local.set({ syncChoices: [bad, { org: 'contoso', adoProject: 'Web Shop', choice, at: '2026-11-26T10:00:00.000Z' }] });
    expect(await syncChoiceFor('contoso', 'Web Shop')).toEqual(choice);
    expect(await syncChoiceFor('contoso', 'Broken')).toBeNull();
    await rememberSyncChoice('contoso', 'New', choice);
    expect(await readUnreadableSyncs()).toEqual([{ from: 'syncChoices', raw: bad, at: expect.any(String) }]);
    expect(await syncChoiceFor('contoso', 'Web Shop')).toEqual(choice);
  });
});
