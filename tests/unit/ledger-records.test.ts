import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ConnectionRecord, PendingPat } from '@/utils/storage/records';
import { createLedger } from '@/utils/worker/ledger';

beforeEach(() => fakeBrowser.reset());

const pending: PendingPat = {
  authorizationId: 'pat-1',
  validTo: '2027-03-01T10:00:00.000Z',
  org: 'contoso',
  tenant: 't',
  clientId: 'c',
  instanceUrl: 'https://app.infisical.com',
  projectId: null,
  connectionName: 'azure-devops-contoso',
  previousVersion: null,
  mintedAt: '2026-12-01T10:00:00.000Z',
  flowId: 'f',
};
const local = async () => JSON.stringify(await fakeBrowser.storage.local.get());

describe('what the ledger writes', () => {
  it('a pending-PAT record keeps only its schema’s fields: a token the caller’s object carries is not stored', async () => {
    await createLedger().putPending({ ...pending, token: 'secret-pat-value' } as PendingPat);
    expect(await local()).toContain('pat-1');
    expect(await local()).not.toContain('secret-pat-value');
  });

  it('a record set aside is kept as found, but without a token an earlier build may have left in it', async () => {
    await fakeBrowser.storage.local.set({ pendingPats: [{ ...pending, previousVersion: 'unknown', token: 'secret-pat-value' }] });
    expect(await createLedger().pending()).toEqual([]);
    expect(await local()).toContain('"previousVersion":"unknown"');
    expect(await local()).not.toContain('secret-pat-value');
  });

  it('a connection made again under the same name keeps the record of the one before (it names that PAT)', async () => {
    const record = (id: string, pat: string): ConnectionRecord => ({
      id,
      name: 'azure-devops-contoso',
      instanceUrl: 'https://app.infisical.com',
      projectId: null,
      org: 'contoso',
      tenantId: 't',
      clientId: 'c',
      method: 'access-token',
      patAuthorizationId: pat,
      patValidTo: null,
      patLifetimeDays: 90,
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    const ledger = createLedger();
    await ledger.recordConnection(record('old', 'pat-old'));
    await ledger.recordConnection(record('new', 'pat-new'));
    await ledger.recordConnection(record('new', 'pat-newer'));
    expect((await ledger.connections()).map((c) => [c.id, c.patAuthorizationId])).toEqual([
      ['old', 'pat-old'],
      ['new', 'pat-newer'],
    ]);
  });
});
