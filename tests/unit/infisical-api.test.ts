import { describe, expect, it } from 'vitest';
import { createInfisicalApi } from '@/utils/infisical/api';
import type { FetchLike } from '@/utils/http/request';

/**
 * The API bound to the identity's session (utils/infisical/api.ts): callers name only what they
 * want; the token, the login and the one repeat after a refused token happen inside.
 */
const BASE = 'https://infisical.example.com';
const CONNECTIONS = '/api/v1/app-connections/azure-devops';
const CONNECTION = { id: 'c1', name: 'azure-devops-contoso', app: 'azure-devops', method: 'access-token', version: 2, credentials: { orgName: 'contoso' } };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const login = (token: string) => json(200, { accessToken: token, expiresIn: 7200, accessTokenMaxTTL: 2592000, tokenType: 'Bearer' });
const refused = () => json(401, { statusCode: 401, error: 'UnauthorizedError', message: 'No identity access token found' });
const expired = () => json(403, { statusCode: 403, error: 'TokenError', message: 'Your token has expired. Please re-authenticate.' });

/** An API whose server answers each request, in order, with the next of `answers` (a thrown error: the answer was lost). */
function apiAnswering(...answers: (Response | Error)[]) {
  const calls: { method: string; path: string; bearer: string | null }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ method: init?.method ?? 'GET', path: url.replace(BASE, ''), bearer: new Headers(init?.headers).get('authorization') });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const api = createInfisicalApi({ instanceUrl: BASE, fetch: fetchFn, now: () => 0, credentials: async () => ({ clientId: 'id', clientSecret: 'secret' }) });
  return { api, calls, requests: () => calls.map((c) => `${c.method} ${c.path}`) };
}

describe('Infisical API bound to the session', () => {
  it('logs in on first use and sends the token it got', async () => {
    const { api, calls } = apiAnswering(login('t1'), json(200, { appConnection: CONNECTION }));
    expect(await api.appConnections.findByName('azure-devops-contoso')).toMatchObject({ id: 'c1', version: 2 });
    expect(calls.map((c) => [c.path, c.bearer])).toEqual([
      ['/api/v1/auth/universal-auth/login', null],
      [`${CONNECTIONS}/connection-name/azure-devops-contoso`, 'Bearer t1'],
    ]);
  });

  it.each([
    ['revoked (401)', refused],
    ['expired (403 TokenError)', expired],
  ])('a read whose token is refused, %s: logs in again and repeats it once', async (_label, refusal) => {
    const { api, calls } = apiAnswering(login('t1'), refusal(), login('t2'), json(200, { appConnections: [CONNECTION, CONNECTION] }));
    expect(await api.appConnections.count()).toBe(2);
    expect(calls.filter((c) => c.path === CONNECTIONS).map((c) => c.bearer)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('repeats only once: a token refused again is the error', async () => {
    const { api, requests } = apiAnswering(login('t1'), refused(), login('t2'), refused());
    await expect(api.appConnections.oauthClientId()).rejects.toMatchObject({ status: 401 });
    expect(requests().filter((r) => r.endsWith('/app-connections/options'))).toHaveLength(2);
  });

  it('a write whose token is refused is repeated once: Infisical refuses the token before the route runs (docs/contracts.md A.2)', async () => {
    const { api, requests } = apiAnswering(login('t1'), expired(), login('t2'), json(200, { appConnection: CONNECTION }));
    await api.appConnections.create({ name: 'azure-devops-contoso', method: 'access-token', credentials: { accessToken: 'p', orgName: 'contoso' } });
    expect(requests().filter((r) => r === `POST ${CONNECTIONS}`)).toHaveLength(2);
  });

  it.each([
    ['create', (api: ReturnType<typeof apiAnswering>['api']) => api.appConnections.create({ name: 'n', method: 'access-token', credentials: {} }), `POST ${CONNECTIONS}`],
    ['update', (api: ReturnType<typeof apiAnswering>['api']) => api.appConnections.update('c1', { credentials: {} }), `PATCH ${CONNECTIONS}/c1`],
    ['remove', (api: ReturnType<typeof apiAnswering>['api']) => api.appConnections.remove('c1'), `DELETE ${CONNECTIONS}/c1`],
  ])('never repeats a %s whose answer was lost or failed on the server: it may have happened', async (_label, write, request) => {
    for (const answer of [new TypeError('Failed to fetch'), json(500, { statusCode: 500, message: 'boom' }), json(503, { statusCode: 503, message: 'down' })]) {
      const { api, requests } = apiAnswering(login('t1'), answer);
      await expect(write(api)).rejects.toMatchObject({ source: 'infisical' });
      expect(requests().filter((r) => r === request)).toHaveLength(1);
    }
  });

  it('remove deletes by id and answers the deleted connection; a second remove is a 404 (docs/contracts.md A.3)', async () => {
    const { api, calls } = apiAnswering(
      login('t1'),
      json(200, { appConnection: CONNECTION }),
      json(404, { statusCode: 404, error: 'NotFound', message: 'Could not find App Connection with ID c1' }),
    );
    expect(await api.appConnections.remove('c1')).toMatchObject({ id: 'c1', name: 'azure-devops-contoso' });
    await expect(api.appConnections.remove('c1')).rejects.toMatchObject({ status: 404, message: 'Could not find App Connection with ID c1' });
    expect(calls.slice(1).map((c) => [c.method, c.path, c.bearer])).toEqual([
      ['DELETE', `${CONNECTIONS}/c1`, 'Bearer t1'],
      ['DELETE', `${CONNECTIONS}/c1`, 'Bearer t1'],
    ]);
  });

  it('remove refuses a connection secret syncs still use, with Infisical’s words', async () => {
    const message = 'Cannot delete App Connection with existing connections. Remove all existing connections and try again.';
    const { api } = apiAnswering(login('t1'), json(400, { statusCode: 400, error: 'BadRequest', message }));
    await expect(api.appConnections.remove('c1')).rejects.toMatchObject({ status: 400, message });
  });

  it('an id goes into the path encoded', async () => {
    const { api, calls } = apiAnswering(login('t1'), json(200, { appConnection: CONNECTION }));
    await api.appConnections.remove('a/b?c');
    expect(calls[1]?.path).toBe(`${CONNECTIONS}/a%2Fb%3Fc`);
  });
});
