import { describe, expect, it, vi } from 'vitest';
import { createEntraTokenCache } from '@/utils/microsoft/token-cache';

describe('Entra token cache (memory only)', () => {
  it('serves a live token, marks it as cached, and signs in again when asked for a fresh one or near expiry', async () => {
    let now = 0;
    let n = 0;
    const signIn = vi.fn(async () => ({ accessToken: `t${++n}`, expiresOn: new Date(3_600_000).toISOString(), tenantId: 'x', username: 'u' }));
    const get = createEntraTokenCache(signIn, () => now);
    const request = { clientId: 'c', tenant: 'Contoso.com' };
    expect(await get(request)).toMatchObject({ accessToken: 't1' });
    expect(await get({ ...request, tenant: 'contoso.com' })).toMatchObject({ accessToken: 't1', fromCache: true });
    expect(await get({ ...request, fresh: true })).toMatchObject({ accessToken: 't2' });
    now = 3_600_000 - 4 * 60_000; // inside the 5-minute margin
    expect(await get(request)).toMatchObject({ accessToken: 't3' });
    expect(await get({ clientId: 'other', tenant: 'contoso.com' })).toMatchObject({ accessToken: 't4' });
    expect(signIn).toHaveBeenCalledTimes(4);
    expect(signIn).toHaveBeenLastCalledWith({ clientId: 'other', tenant: 'contoso.com' });
  });

  it('one sign-in per tenant for requests made while it runs; a failed silent one does not fail a person’s request', async () => {
    const calls: { interactive?: boolean }[] = [];
    let fail = false;
    const signIn = vi.fn(async (r: { interactive?: boolean }) => {
      calls.push(r);
      await new Promise((done) => setTimeout(done, 20));
      if (fail && r.interactive === false) throw new Error('interaction_required');
      return { accessToken: `t${calls.length}`, expiresOn: new Date(Date.now() + 3_600_000).toISOString(), tenantId: 'x', username: 'u' };
    });
    const request = { clientId: 'c', tenant: 'contoso.com' };

    const shared = createEntraTokenCache(signIn, Date.now);
    const both = await Promise.all([shared(request), shared({ ...request, fresh: true })]);
    expect(both.map((t) => t.accessToken)).toEqual(['t1', 't1']);
    expect(calls).toHaveLength(1);

    const recovering = createEntraTokenCache(signIn, Date.now);
    calls.length = 0;
    fail = true;
    const [silent, person] = await Promise.allSettled([recovering({ ...request, interactive: false }), recovering(request)]);
    expect(silent.status).toBe('rejected');
    expect(person).toMatchObject({ status: 'fulfilled', value: { accessToken: 't2' } });
    expect(calls.map((c) => c.interactive ?? true)).toEqual([false, true]);
  });
});
