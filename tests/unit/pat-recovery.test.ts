import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListedPat } from '@/utils/azure-devops/client';
import { AzureDevOpsError } from '@/utils/errors/boundary-error';
import type { PatLedger } from '@/utils/flow/deps';
import { deliveredConnection, revokeLeftovers, revokeLostPat, revokeOrExplain } from '@/utils/flow/pat-recovery';
import { createInfisicalApi } from '@/utils/infisical/api';
import type { PendingPat } from '@/utils/storage/records';

/** What happens to PATs that did not reach Infisical (utils/flow/pat-recovery.ts). */
afterEach(() => vi.useRealTimers());

const BASE = 'https://infisical.example.com';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const connection = (over: object = {}) => ({ id: 'c1', name: 'left', app: 'azure-devops', method: 'access-token', version: 2, credentials: { orgName: 'contoso' }, ...over });

/** The instance's API with Infisical answering each lookup by name from `byName` (a 404 when missing). */
function infisicalWith(byName: Record<string, object>) {
  return createInfisicalApi({
    instanceUrl: BASE,
    now: () => 0,
    credentials: async () => ({ accessToken: 'identity-token' }),
    fetch: async (url) => {
      const found = byName[decodeURIComponent(url.split('/connection-name/')[1] ?? '')];
      return found ? json(200, { appConnection: found }) : json(404, { statusCode: 404, message: 'Could not find App Connection with name' });
    },
  });
}

const pending = (over: Partial<PendingPat> = {}): PendingPat => ({
  authorizationId: 'pat-1',
  validTo: '2027-03-01T10:00:00.000Z',
  org: 'contoso',
  tenant: 'Tenant-A',
  clientId: 'c',
  instanceUrl: BASE,
  projectId: null,
  connectionName: 'left',
  previousVersion: null,
  mintedAt: '2026-12-01T10:00:00.000Z',
  flowId: 'flow-1',
  ...over,
});

/** Azure DevOps' PAT endpoints as a list the test can read; `fail` makes every call refused. */
function adoWith(pats: ListedPat[] = [], fail = false) {
  const revoked: string[] = [];
  const refuse = () => Promise.reject(new AzureDevOpsError('http-500', 'down', { status: 500 }));
  return {
    revoked,
    ado: {
      listPats: async () => (fail ? refuse() : pats.filter((p) => !revoked.includes(p.authorizationId))),
      revokePat: async (_org: string, _bearer: string, id: string) => (fail ? refuse() : void revoked.push(id)),
    },
  };
}

describe('deliveredConnection', () => {
  it('a create got through: an access-token connection of that name', async () => {
    expect(await deliveredConnection({ infisical: infisicalWith({ left: connection() }) }, pending())).toMatchObject({ id: 'c1' });
    expect(await deliveredConnection({ infisical: infisicalWith({}) }, pending())).toBeNull();
    expect(await deliveredConnection({ infisical: infisicalWith({ left: connection({ method: 'oauth' }) }) }, pending())).toBeNull();
  });

  it('an update got through when the connection’s credentialsHash changed since the mint: Infisical does not raise the version on update', async () => {
    const infisical = infisicalWith({ left: connection({ version: 1, credentialsHash: 'after', updatedAt: '2026-12-02T10:00:00Z' }) });
    expect(await deliveredConnection({ infisical }, pending({ previousVersion: 1, previousCredentialsHash: 'before', previousUpdatedAt: '2026-12-01T10:00:00Z' }))).toMatchObject({
      id: 'c1',
    });
    expect(await deliveredConnection({ infisical }, pending({ previousVersion: 1, previousCredentialsHash: 'after', previousUpdatedAt: '2026-12-01T10:00:00Z' }))).toBeNull();
    // Without a hash on either side, updatedAt tells.
    const noHash = infisicalWith({ left: connection({ version: 1, updatedAt: '2026-12-02T10:00:00Z' }) });
    expect(await deliveredConnection({ infisical: noHash }, pending({ previousVersion: 1, previousUpdatedAt: '2026-12-01T10:00:00Z' }))).toMatchObject({ id: 'c1' });
    expect(await deliveredConnection({ infisical: noHash }, pending({ previousVersion: 1, previousUpdatedAt: '2026-12-02T10:00:00Z' }))).toBeNull();
  });

  it('a record of an earlier build (the version only): an update got through only when the version moved past the one it started from', async () => {
    const infisical = infisicalWith({ left: connection({ version: 2 }) });
    expect(await deliveredConnection({ infisical }, pending({ previousVersion: 1 }))).toMatchObject({ id: 'c1' });
    expect(await deliveredConnection({ infisical }, pending({ previousVersion: 2 }))).toBeNull();
    expect(await deliveredConnection({ infisical: infisicalWith({ left: connection({ version: undefined }) }) }, pending({ previousVersion: 0 }))).toBeNull();
  });
});

describe('revokeLeftovers', () => {
  function ledger() {
    const forgotten: string[] = [];
    const pats: PatLedger = { pending: async () => undefined, leftovers: async () => [], recorded: async () => null, forgetLeftover: async (id) => void forgotten.push(id) };
    return { pats, forgotten };
  }

  it('revokes the undelivered leftovers of the signed-in tenant (any case), keeps a delivered one, leaves other tenants alone', async () => {
    const { ado, revoked } = adoWith();
    const { pats, forgotten } = ledger();
    await revokeLeftovers({ infisical: infisicalWith({ saved: connection({ name: 'saved' }) }), ado, pats }, { tenant: 'tenant-a', bearer: 'b' }, [
      pending({ flowId: 'undelivered', authorizationId: 'pat-undelivered' }),
      pending({ flowId: 'delivered', authorizationId: 'pat-delivered', connectionName: 'saved' }),
      pending({ flowId: 'elsewhere', authorizationId: 'pat-elsewhere', tenant: 'tenant-b' }),
    ]);
    expect(revoked).toEqual(['pat-undelivered']);
    expect(forgotten.sort()).toEqual(['delivered', 'undelivered']);
  });

  it('what cannot be revoked stays recorded for later, and the flow goes on', async () => {
    const { ado } = adoWith([], true);
    const { pats, forgotten } = ledger();
    await expect(revokeLeftovers({ infisical: infisicalWith({}), ado, pats }, { tenant: 'tenant-a', bearer: 'b' }, [pending()])).resolves.toBeUndefined();
    expect(forgotten).toEqual([]);
  });
});

describe('a PAT that did not reach Infisical', () => {
  const attempt = { displayName: 'Infisical left', since: new Date('2026-12-01T10:00:00.000Z'), validTo: new Date('2027-03-01T10:00:00.000Z'), keep: null };
  const made = { authorizationId: 'made', displayName: 'Infisical left', validFrom: '2026-12-01T10:00:01.000Z', validTo: '2027-03-01T10:00:00.000Z' };
  const lostAnswer = () => new AzureDevOpsError('timeout', 'Azure DevOps did not answer in time.');

  it('a lost create answer whose token exists: found, revoked, and the error says so', async () => {
    const { ado, revoked } = adoWith([made]);
    const error = lostAnswer();
    await revokeLostPat(ado, 'contoso', 'b', attempt, error);
    expect(revoked).toEqual(['made']);
    expect(error.detail).toMatch(/created the token before the answer was lost; it was found and revoked/);
  });

  it('a lost create answer with no token yet: looked for twice, then the person is told what to look for', async () => {
    vi.useFakeTimers();
    const { ado, revoked } = adoWith();
    const listPats = vi.spyOn(ado, 'listPats');
    const error = lostAnswer();
    const done = revokeLostPat(ado, 'contoso', 'b', attempt, error);
    await vi.advanceTimersByTimeAsync(3_000);
    await done;
    expect(listPats).toHaveBeenCalledTimes(2);
    expect(revoked).toEqual([]);
    expect(error.detail).toMatch(/looked \(twice\); if one named “Infisical left” appears/);
  });

  it('a lost create answer and Azure DevOps not answering either: the person is told to check', async () => {
    const error = lostAnswer();
    await revokeLostPat(adoWith([], true).ado, 'contoso', 'b', attempt, error);
    expect(error.detail).toMatch(/“Infisical left” may have been created; check Azure DevOps/);
  });

  it('an undelivered PAT is revoked, and the original error says so, or says how to revoke it by hand', async () => {
    const { ado, revoked } = adoWith();
    const refused = new AzureDevOpsError('forbidden', 'no', { detail: 'Infisical said no.' });
    await revokeOrExplain(ado, 'contoso', 'b', 'pat-9', refused);
    expect(revoked).toEqual(['pat-9']);
    expect(refused.detail).toBe('Infisical said no. The token created for this attempt was revoked.');

    const stuck = new AzureDevOpsError('forbidden', 'no');
    await revokeOrExplain(adoWith([], true).ado, 'contoso', 'b', 'pat-9', stuck);
    expect(stuck.detail).toMatch(/could not be revoked; revoke it in Azure DevOps .* \(authorization pat-9\)/);
  });
});
