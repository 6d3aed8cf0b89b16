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
});
