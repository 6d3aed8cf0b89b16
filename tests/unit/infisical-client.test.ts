import { describe, expect, it, vi } from 'vitest';
import { InfisicalError } from '@/utils/errors/boundary-error';
import { createInfisicalEndpoints, givenToken } from '@/utils/infisical/api';
import { createInfisicalSession } from '@/utils/infisical/session';
import { describeError } from '@/utils/errors/describe-error';
import { opaqueRedirect } from '../support/opaque-redirect';
import { answeringFetch } from '../support/answering-fetch';

const BASE = 'https://infisical.example.com';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function clientAnswering(...responses: Response[]) {
  const { fetchFn, calls } = answeringFetch(responses);
  const { auth, appConnectionsWith } = createInfisicalEndpoints({ instanceUrl: BASE, fetch: fetchFn });
  return { auth, connections: (token: string) => appConnectionsWith(givenToken(token)), calls };
}

const CONNECTION = { id: 'c1', name: 'azure-devops-contoso', app: 'azure-devops', method: 'access-token', credentials: { orgName: 'contoso' } };

describe('Infisical client', () => {
  it('creates a connection with a Bearer token and the documented body', async () => {
    const { connections, calls } = clientAnswering(json(200, { appConnection: CONNECTION }));
    const created = await connections('tok').create({ name: 'n', method: 'access-token', credentials: { accessToken: 'p', orgName: 'contoso' } });
    expect(created.id).toBe('c1');
    expect(calls[0]?.url).toBe(`${BASE}/api/v1/app-connections/azure-devops`);
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('answers null for a missing name (404) and throws for other errors', async () => {
    const { connections } = clientAnswering(
      json(404, { reqId: 'req-1', statusCode: 404, message: 'not found', error: 'NotFoundError' }),
      json(403, { reqId: 'req-2', statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to read on App Connections', details: [] }),
    );
    expect(await connections('tok').findByName('x')).toBeNull();
    await expect(connections('tok').findByName('x')).rejects.toMatchObject({ status: 403, code: 'PermissionDenied' });
  });

  it('joins a 422 ValidationFailure array into one message', async () => {
    const { connections } = clientAnswering(
      json(422, {
        reqId: 'r',
        statusCode: 422,
        error: 'ValidationFailure',
        message: [{ path: ['name'], message: 'name field can only contain lowercase letters, numbers, and hyphens' }],
      }),
    );
    await expect(connections('t').create({ name: 'X', method: 'access-token', credentials: {} })).rejects.toMatchObject({
      status: 422,
      message: 'name: name field can only contain lowercase letters, numbers, and hyphens',
    });
  });

  it.each([
    ['not JSON', json(200, '<html>proxy login</html>')],
    ['wrong shape', json(200, { appConnection: { id: 5 } })],
    ['another app', json(200, { appConnection: { ...CONNECTION, app: 'github' } })],
  ])('reports a malformed response (%s) as an error, not a crash', async (_label, response) => {
    const { connections } = clientAnswering(response);
    await expect(connections('t').create({ name: 'n', method: 'access-token', credentials: {} })).rejects.toMatchObject({
      source: 'infisical',
      code: 'malformed-response',
    });
  });

  it('follows no redirect: the login and the create stop at a 307/308 or an opaque redirect, and say so', async () => {
    const { auth, connections, calls } = clientAnswering(
      opaqueRedirect(),
      new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/api/v1/auth/universal-auth/login' } }),
      new Response(null, { status: 308, headers: { location: 'https://elsewhere.example/api/v1/app-connections/azure-devops' } }),
    );
    const secret = 'client-secret-value-1234567890';
    const pat = 'patvalue234567abcdefghijklmnopqrstuvwxyz234567abcdef';
    const errors = [
      await auth.login('id', secret).catch((e: unknown) => e),
      await auth.login('id', secret).catch((e: unknown) => e),
      await connections('tok')
        .create({ name: 'n', method: 'access-token', credentials: { accessToken: pat, orgName: 'contoso' } })
        .catch((e: unknown) => e),
    ];
    expect(errors.map((e) => [(e as InfisicalError).code, (e as InfisicalError).status])).toEqual([
      ['redirected', 0],
      ['redirected', 307],
      ['redirected', 308],
    ]);
    expect(calls.map((c) => [c.url, c.init?.redirect])).toEqual([
      [`${BASE}/api/v1/auth/universal-auth/login`, 'manual'],
      [`${BASE}/api/v1/auth/universal-auth/login`, 'manual'],
      [`${BASE}/api/v1/app-connections/azure-devops`, 'manual'],
    ]);
    for (const error of errors) {
      const message = describeError(error);
      expect(message.title).toBe('Your Infisical instance answered with a redirect to another address; the extension did not send your credentials there.');
      expect(message.fix).toMatch(/^Enter the instance’s final address in the extension’s options/);
      expect(JSON.stringify([error, message])).not.toMatch(new RegExp(`${secret}|${pat}`));
    }
  });

  it('maps a network failure', async () => {
    const { auth } = createInfisicalEndpoints({
      instanceUrl: BASE,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(auth.status()).rejects.toMatchObject({ code: 'network', message: 'Could not reach infisical.example.com.' });
  });
});

describe('Infisical session', () => {
  const login = (token: string, expiresIn = 7200, max = 2592000) => json(200, { accessToken: token, expiresIn, accessTokenMaxTTL: max, tokenType: 'Bearer' });

  function session(responses: Response[], secret: string | null = 'secret') {
    let now = 1_000_000;
    const { auth, calls } = clientAnswering(...responses);
    const s = createInfisicalSession({ auth, now: () => now, credentials: async () => (secret ? { clientId: 'id', clientSecret: secret } : null) });
    return { s, calls, advance: (ms: number) => (now += ms) };
  }

  it('logs in once for concurrent callers and caches until shortly before expiry', async () => {
    const { s, calls, advance } = session([login('t1'), login('t2')]);
    expect(await Promise.all([s.token(), s.token()])).toEqual(['t1', 't1']);
    advance(7200_000 - 120_000);
    expect(await s.token()).toBe('t1');
    advance(90_000); // inside the early-renewal window
    expect(await s.token()).toBe('t2');
    expect(calls.map((c) => c.url.replace(BASE, ''))).toEqual(['/api/v1/auth/universal-auth/login', '/api/v1/auth/token/renew']);
  });

  it('logs in again when renewal is refused', async () => {
    const { s, calls, advance } = session([
      login('t1', 60),
      json(401, { statusCode: 401, error: 'UnauthorizedError', message: 'Failed to renew MI access token due to TTL expiration' }),
      login('t2'),
    ]);
    await s.token();
    advance(60_000);
    expect(await s.token()).toBe('t2');
    expect(calls.map((c) => c.url.replace(BASE, ''))).toEqual(['/api/v1/auth/universal-auth/login', '/api/v1/auth/token/renew', '/api/v1/auth/universal-auth/login']);
  });

  it('retries a call once after a 401 with a fresh login, and not after other errors', async () => {
    const { s } = session([login('t1'), login('t2')]);
    const call = vi.fn(async (token: string) => {
      if (token === 't1') throw new InfisicalError('UnauthorizedError', 'No identity access token found', { status: 401 });
      return token;
    });
    expect(await s.withToken(call)).toBe('t2');
    expect(call).toHaveBeenCalledTimes(2);

    const forbidden = vi.fn(async () => {
      throw new InfisicalError('PermissionDenied', 'no', { status: 403 });
    });
    await expect(s.withToken(forbidden)).rejects.toMatchObject({ status: 403 });
    expect(forbidden).toHaveBeenCalledTimes(1);
  });

  it('does not try a refused secret again (Universal Auth locks out after 3 failures), until it changes', async () => {
    let secret = 'wrong';
    const calls: string[] = [];
    const { auth } = createInfisicalEndpoints({
      instanceUrl: BASE,
      fetch: async (_url, init) => {
        calls.push(String(init?.body));
        return String(init?.body).includes('right') ? login('t1') : json(401, { statusCode: 401, error: 'UnauthorizedError', message: 'Invalid credentials' });
      },
    });
    const s = createInfisicalSession({ auth, now: () => 0, credentials: async () => ({ clientId: 'id', clientSecret: secret }) });
    await expect(s.token()).rejects.toMatchObject({ status: 401 });
    for (let i = 0; i < 3; i++) await expect(s.token()).rejects.toMatchObject({ code: 'secret-refused' });
    expect(calls).toHaveLength(1);
    secret = 'right';
    expect(await s.token()).toBe('t1');
    expect(calls).toHaveLength(2);
  });

  it('says the identity is missing when no secret is stored', async () => {
    const { s } = session([], null);
    await expect(s.token()).rejects.toMatchObject({ code: 'identity-missing' });
  });
});
