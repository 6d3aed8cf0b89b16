import { describe, expect, it } from 'vitest';
import type { ListedPat } from '@/utils/azure-devops/client';
import { madeBy, patDisplayName, patsOf, type MintAttempt } from '@/utils/flow/pat-matching';
import type { PendingPat } from '@/utils/storage/records';

/** Which listed PAT a create made (utils/flow/pat-matching.ts): what recovery revokes, and what it must leave alone. */
const since = new Date('2026-12-01T10:00:00.000Z');
const asked = new Date('2027-03-01T10:00:00.000Z');
const attempt: MintAttempt = { displayName: patDisplayName('azure-devops-contoso'), since, validTo: asked, keep: 'old-pat' };
const listed = (over: Partial<ListedPat>): ListedPat => ({
  authorizationId: 'new-pat',
  displayName: 'Infisical azure-devops-contoso',
  validFrom: '2026-12-01T10:00:05.000Z',
  validTo: asked.toISOString(),
  ...over,
});
const minutes = (m: number) => new Date(since.getTime() + m * 60_000).toISOString();
const clamped = '2026-12-31T10:00:00.000Z';

describe('madeBy', () => {
  it('the name and the expiry asked for, to the second, whenever it was made (the clocks may be off)', () => {
    expect(madeBy(listed({ validFrom: minutes(-600) }), attempt)).toBe(true);
    expect(madeBy(listed({ validTo: new Date(asked.getTime() + 900).toISOString() }), attempt)).toBe(true);
    expect(madeBy(listed({ validTo: new Date(asked.getTime() + 1500).toISOString(), validFrom: minutes(60) }), attempt)).toBe(false);
  });

  it('another name, or the token the connection holds now (`keep`), never', () => {
    expect(madeBy(listed({ displayName: 'Infisical azure-devops-fabrikam' }), attempt)).toBe(false);
    expect(madeBy(listed({ authorizationId: 'old-pat' }), attempt)).toBe(false);
    expect(madeBy(listed({ validTo: null }), attempt)).toBe(false);
  });

  it('an expiry the org’s policy shortened: made while the request could have been answered, give or take two minutes', () => {
    expect(madeBy(listed({ validTo: clamped, validFrom: minutes(0) }), attempt)).toBe(true);
    expect(madeBy(listed({ validTo: clamped, validFrom: minutes(-1.9) }), attempt)).toBe(true);
    // The request's timeout (20 s) plus the skew.
    expect(madeBy(listed({ validTo: clamped, validFrom: minutes(2.3) }), attempt)).toBe(true);
    expect(madeBy(listed({ validTo: clamped, validFrom: minutes(-3) }), attempt)).toBe(false);
    expect(madeBy(listed({ validTo: clamped, validFrom: minutes(3) }), attempt)).toBe(false);
    expect(madeBy(listed({ validTo: clamped, validFrom: null }), attempt)).toBe(false);
  });

  it('a later expiry than asked is another attempt’s', () => {
    expect(madeBy(listed({ validTo: '2027-06-01T10:00:00.000Z', validFrom: minutes(0) }), attempt)).toBe(false);
  });
});

describe('patsOf', () => {
  const pending: PendingPat = {
    authorizationId: null,
    validTo: asked.toISOString(),
    org: 'contoso',
    tenant: 't',
    clientId: 'c',
    instanceUrl: 'https://infisical.example',
    projectId: null,
    connectionName: 'azure-devops-contoso',
    previousVersion: 3,
    replaces: 'old-pat',
    mintedAt: since.toISOString(),
    flowId: 'f',
  };

  it('a record with the PAT’s id stands for that PAT, without asking Azure DevOps', async () => {
    const ado = { listPats: async () => Promise.reject(new Error('not asked')) };
    expect(await patsOf(ado, 'bearer', { ...pending, authorizationId: 'new-pat' })).toEqual([{ authorizationId: 'new-pat', validTo: asked.toISOString() }]);
  });

  it('a record written while the PAT was being asked for: the listed PATs that attempt made, never the one it replaces', async () => {
    const seen: string[] = [];
    const ado = {
      listPats: async (org: string) => {
        seen.push(org);
        return [listed({}), listed({ authorizationId: 'old-pat' }), listed({ authorizationId: 'other', displayName: 'Infisical other' })];
      },
    };
    expect(await patsOf(ado, 'bearer', pending)).toEqual([{ authorizationId: 'new-pat', validTo: asked.toISOString() }]);
    expect(seen).toEqual(['contoso']);
  });
});
