import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { INFISICAL, INFISICAL_OAUTH_APP, INFISICAL_OAUTH_AUTHORIZE, SEEDED_PATS, SERVICE_PRINCIPAL, TENANT } from './fixtures.ts';
import { authorizeUrl, infisicalLogin, redirectParams } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const API = `${INFISICAL.siteUrl}/api/v1`;
const ADO = `${API}/app-connections/azure-devops`;
const REQ_ID = /^req-[A-Za-z0-9]{14}$/;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const accessTokenBody = (name: string, pat: string = SEEDED_PATS.contosoPasted.token) => ({
  name,
  description: 'made by a test',
  method: 'access-token',
  credentials: { accessToken: pat, orgName: 'contoso' },
});

describe('fake Infisical: auth', () => {
  it('reports status', async () => {
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`)).json()).toMatchObject({ message: 'Ok', date: expect.any(String) });
  });

  it('logs in with trimmed Universal Auth credentials and rejects wrong ones', async () => {
    const ok = await sandboxFetch(sb, `${API}/auth/universal-auth/login`, { method: 'POST', body: { clientId: ` ${INFISICAL.clientId} `, clientSecret: INFISICAL.clientSecret } });
    expect(ok.json()).toMatchObject({ expiresIn: 7200, accessTokenMaxTTL: 2592000, tokenType: 'Bearer' });
    const claims = JSON.parse(Buffer.from(ok.json().accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ identityId: INFISICAL.identityId, authTokenType: 'identityAccessToken', identityAccessTokenId: expect.any(String), exp: expect.any(Number) });
    const bad = await sandboxFetch(sb, `${API}/auth/universal-auth/login`, { method: 'POST', body: { clientId: INFISICAL.clientId, clientSecret: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 401, message: 'Invalid credentials', error: 'UnauthorizedError' });
  });

  it('locks the identity after three failures', async () => {
    const attempt = (secret: string) => sandboxFetch(sb, `${API}/auth/universal-auth/login`, { method: 'POST', body: { clientId: INFISICAL.clientId, clientSecret: secret } });
    for (let i = 0; i < 3; i++) await attempt('wrong');
    expect((await attempt(INFISICAL.clientSecret)).json().message).toBe('This identity auth method is temporarily locked, please try again later');
  });

  it('validates Bearer tokens: missing, revoked, expired', async () => {
    const options = (h: Record<string, string>) => sandboxFetch(sb, `${API}/app-connections/options`, { headers: h });
    expect((await options({})).json()).toMatchObject({ statusCode: 401, message: 'Token missing' });
    const token = await infisicalLogin(sb);
    expect((await options(auth(token))).status).toBe(200);
    const renewed = await sandboxFetch(sb, `${API}/auth/token/renew`, { method: 'POST', body: { accessToken: token } });
    expect(renewed.json()).toMatchObject({ expiresIn: 7200, tokenType: 'Bearer' });
    sb.advanceClock(7201_000);
    expect((await options(auth(token))).json()).toMatchObject({ statusCode: 403, error: 'TokenError', message: 'Your token has expired. Please re-authenticate.' });
    const fresh = await infisicalLogin(sb);
    const revoke = await sandboxFetch(sb, `${API}/auth/token/revoke`, { method: 'POST', body: { accessToken: fresh } });
    expect(revoke.json()).toEqual({ message: 'Successfully revoked access token' });
    expect((await options(auth(fresh))).json()).toMatchObject({ statusCode: 401, error: 'UnauthorizedError', message: 'No identity access token found' });
  });

  it('lists the Azure DevOps option with oauthClientId only when configured', async () => {
    const token = await infisicalLogin(sb);
    const entry = async () =>
      (await sandboxFetch(sb, `${API}/app-connections/options`, { headers: auth(token) })).json().appConnectionOptions.find((o: { app: string }) => o.app === 'azure-devops');
    expect(await entry()).toEqual({ name: 'Azure DevOps', app: 'azure-devops', methods: ['oauth', 'access-token', 'client-secret'], oauthClientId: INFISICAL_OAUTH_APP.clientId });
    sb.config.infisical.oauthClientId = null;
    expect(await entry()).not.toHaveProperty('oauthClientId');
  });
});

describe('fake Infisical: Azure DevOps app connections', () => {
  it('creates an access-token connection after validating the PAT against Azure DevOps', async () => {
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, `${ADO}/`, { method: 'POST', headers: auth(token), body: accessTokenBody('azure-devops-contoso') });
    expect(res.status).toBe(200);
    const { appConnection } = res.json();
    expect(appConnection).toMatchObject({
      name: 'azure-devops-contoso',
      app: 'azure-devops',
      method: 'access-token',
      version: 1,
      orgId: INFISICAL.orgId,
      isPlatformManagedCredentials: false,
      gatewayId: null,
    });
    expect(appConnection.credentials).toEqual({ orgName: 'contoso' });
    expect(JSON.stringify(appConnection)).not.toContain(SEEDED_PATS.contosoPasted.token);
    expect(sb.state.connections[0]?.secretCredentials).toEqual({ accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' });
    // The validation was a real request to the fake Azure DevOps, as Infisical does it.
    expect(sb.requests).toContainEqual(expect.objectContaining({ host: 'dev.azure.com', path: '/contoso/_apis/projects', status: 200 }));

    const byName = await sandboxFetch(sb, `${ADO}/connection-name/azure-devops-contoso`, { headers: auth(token) });
    expect(byName.json().appConnection.id).toBe(appConnection.id);
    const missing = await sandboxFetch(sb, `${ADO}/connection-name/nope`, { headers: auth(token) });
    expect(missing.json()).toMatchObject({ statusCode: 404, error: 'NotFound', message: 'Could not find App Connection with name nope in organization scope.' });
    const dup = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('azure-devops-contoso') });
    expect(dup.json()).toMatchObject({ statusCode: 400, error: 'BadRequest', message: 'An App Connection with the name "azure-devops-contoso" already exists' });
  });

  it('answers 422 with zod issues for a bad name', async () => {
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('Bad Name') });
    expect(res.status).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ reqId: expect.stringMatching(REQ_ID), statusCode: 422, error: 'ValidationFailure' });
    expect(body.message).toEqual([
      expect.objectContaining({ path: ['name'], message: 'name field can only contain lowercase letters, numbers, and hyphens', code: expect.any(String) }),
    ]);
    const long = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: { ...accessTokenBody('a'.repeat(33)), isPlatformManagedCredentials: true } });
    expect(
      long
        .json()
        .message.map((i: { path: string[] }) => i.path[0])
        .sort(),
    ).toEqual(['isPlatformManagedCredentials', 'name']);
  });

  it('answers 403 PermissionDenied without the create permission', async () => {
    sb.config.infisical.identity.actions = ['read'];
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('denied') });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      reqId: expect.stringMatching(REQ_ID),
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to create on app-connections',
      details: [],
    });
    expect(sb.requests.some((r) => r.host === 'dev.azure.com')).toBe(false);
  });

  it('finds a connection before checking the permission: 404 for a missing one even without read, 403 only for an existing one', async () => {
    const admin = await infisicalLogin(sb);
    const { appConnection } = (await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(admin), body: accessTokenBody('existing') })).json();
    sb.config.infisical.identity.actions = ['connect'];
    const token = await infisicalLogin(sb);
    const missing = await sandboxFetch(sb, `${ADO}/connection-name/absent`, { headers: auth(token) });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'NotFound', message: 'Could not find App Connection with name absent in organization scope.' });
    const existing = await sandboxFetch(sb, `${ADO}/connection-name/existing`, { headers: auth(token) });
    expect(existing.json()).toMatchObject({ statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to read on app-connections', details: [] });
    const unknownId = '3b0e1c9a-5f4d-4e2b-8a7c-6d5e4f3a2b1c';
    for (const method of ['PATCH', 'DELETE']) {
      const res = await sandboxFetch(sb, `${ADO}/${unknownId}`, { method, headers: auth(token), ...(method === 'PATCH' ? { body: { description: 'x' } } : {}) });
      expect(res.json()).toMatchObject({ statusCode: 404, error: 'NotFound', message: `Could not find App Connection with ID ${unknownId}` });
    }
    expect((await sandboxFetch(sb, `${ADO}/${appConnection.id}`, { method: 'DELETE', headers: auth(token) })).json()).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to delete on app-connections',
    });
    expect((await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('another') })).json()).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to create on app-connections',
    });
  });

  it('DELETE answers 200 with the connection, then 404 NotFound for the same id', async () => {
    const token = await infisicalLogin(sb);
    const { appConnection } = (await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('to-delete') })).json();
    const del = await sandboxFetch(sb, `${ADO}/${appConnection.id}`, { method: 'DELETE', headers: auth(token) });
    expect(del.status).toBe(200);
    expect(del.json()).toEqual({ appConnection });
    expect(sb.state.connections).toEqual([]);
    const again = await sandboxFetch(sb, `${ADO}/${appConnection.id}`, { method: 'DELETE', headers: auth(token) });
    expect(again.status).toBe(404);
    expect(again.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 404, error: 'NotFound', message: `Could not find App Connection with ID ${appConnection.id}` });
  });

  it('rejects a revoked PAT with the Azure DevOps message', async () => {
    sb.state.pats.find((p) => p.token === SEEDED_PATS.contosoPasted.token)!.status = 'revoked';
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('revoked') });
    expect(res.json()).toMatchObject({
      statusCode: 400,
      error: 'BadRequest',
      message: "Failed to validate access token for organization 'contoso': VS30063: You are not authorized to access https://dev.azure.com.",
    });
    expect(sb.state.connections).toHaveLength(0);
  });

  it('checks a PAT with its own Basic-auth call to the projects API, the URL Infisical uses', async () => {
    const token = await infisicalLogin(sb);
    await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('checked') });
    expect(sb.requests.filter((r) => r.host === 'dev.azure.com')).toEqual([
      expect.objectContaining({ method: 'GET', path: '/contoso/_apis/projects', query: '?api-version=7.2-preview.2&$top=1', auth: 'basic', status: 200 }),
    ]);
  });

  it.each([
    ['sign-in-page', 203, 'Unable to validate Azure DevOps token'],
    ['redirect', 302, "Failed to validate access token for organization 'contoso': Request failed with status code 302"],
    ['unauthorized', 401, "Failed to validate access token for organization 'contoso': VS30063: You are not authorized to access https://dev.azure.com."],
  ] as const)("a revoked PAT that Azure DevOps answers as %s (%i) is a 400 with Infisical's words", async (mode, adoStatus, message) => {
    sb.config.azureDevOps.unusablePatAnswer = mode;
    sb.state.pats.find((p) => p.token === SEEDED_PATS.contosoPasted.token)!.status = 'revoked';
    const token = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('refused') });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 400, error: 'BadRequest', message });
    // The refusal came from the fake Azure DevOps, through Infisical's own call.
    expect(sb.requests.filter((r) => r.host === 'dev.azure.com').map((r) => [r.path, r.status])).toEqual([['/contoso/_apis/projects', adoStatus]]);
    expect(sb.state.connections).toEqual([]);
  });

  it('patches credentials of the same method only, with a new credentialsHash and the version kept, as Infisical does; deletes', async () => {
    const token = await infisicalLogin(sb);
    const { appConnection } = (await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('to-patch') })).json();
    const wrong = await sandboxFetch(sb, `${ADO}/${appConnection.id}`, {
      method: 'PATCH',
      headers: auth(token),
      body: { credentials: { code: 'x', tenantId: TENANT.id, orgName: 'contoso' } },
    });
    expect(wrong.json()).toMatchObject({ statusCode: 400, message: 'Invalid credential format for Azure DevOps Connection with method Access Token' });
    const ok = await sandboxFetch(sb, `${ADO}/${appConnection.id}/`, {
      method: 'PATCH',
      headers: auth(token),
      body: { credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' } },
    });
    // Infisical never raises the version on update (docs/contracts.md A.3 "Update"); the hash moves.
    expect(ok.json().appConnection.version).toBe(1);
    expect(ok.json().appConnection.credentialsHash).not.toBe(appConnection.credentialsHash);
    const del = await sandboxFetch(sb, `${ADO}/${appConnection.id}`, { method: 'DELETE', headers: auth(token) });
    expect(del.json().appConnection.id).toBe(appConnection.id);
    expect((await sandboxFetch(sb, `${ADO}/${appConnection.id}`, { headers: auth(token) })).status).toBe(404);
    expect((await sandboxFetch(sb, `${ADO}/not-a-uuid`, { headers: auth(token) })).status).toBe(422);
  });

  it("oauth: redeems a code issued to Infisical's app; its callback page never consumes it", async () => {
    const authz = await sandboxFetch(sb, authorizeUrl({ ...INFISICAL_OAUTH_AUTHORIZE, state: 'csrf<:>azure-devops' }));
    const callback = authz.location!;
    expect(callback.origin + callback.pathname).toBe(INFISICAL_OAUTH_APP.redirectUri);
    const code = redirectParams(authz).get('code')!;
    const page = await sandboxFetch(sb, callback.toString());
    expect(page.status).toBe(200);
    expect(sb.state.callbackLoads).toEqual([expect.objectContaining({ query: { code, state: 'csrf<:>azure-devops' } })]);
    expect(sb.state.authCodes[0]?.used).toBe(false);

    const token = await infisicalLogin(sb);
    const body = { name: 'oauth-contoso', method: 'oauth', credentials: { code, tenantId: TENANT.id, orgName: 'contoso' } };
    const res = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body });
    expect(res.status, res.text).toBe(200);
    expect(res.json().appConnection.credentials).toEqual({ tenantId: TENANT.id, orgName: 'contoso' });
    expect(sb.state.connections[0]?.secretCredentials).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(sb.state.tokenExchanges.at(-1)).toMatchObject({ clientId: INFISICAL_OAUTH_APP.clientId, pkce: 'none', origin: null, ok: true });
    const again = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: { ...body, name: 'oauth-again' } });
    expect(again.json().message).toMatch(/^Failed to get access token: AADSTS54005: /);
  });

  it('client-secret: client credentials, then a projects probe', async () => {
    const token = await infisicalLogin(sb);
    const creds = { clientId: SERVICE_PRINCIPAL.clientId, clientSecret: SERVICE_PRINCIPAL.clientSecret, tenantId: TENANT.id, orgName: 'contoso' };
    const ok = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: { name: 'sp', method: 'client-secret', credentials: creds } });
    expect(ok.json().appConnection.credentials).toEqual({ clientId: SERVICE_PRINCIPAL.clientId, tenantId: TENANT.id, orgName: 'contoso' });
    const create = (name: string, credentials: object) => sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: { name, method: 'client-secret', credentials } });
    const bad = await create('sp-bad', { ...creds, clientSecret: 'wrong' });
    const refused = (message: unknown) => ({ statusCode: 400, error: 'BadRequest', message });
    expect(bad.json()).toMatchObject(refused(expect.stringMatching(/^Failed to authenticate with Azure DevOps using client credentials: AADSTS7000215: /)));
    const north = await create('sp-north', { ...creds, orgName: 'northwind' });
    // Azure DevOps' refusal has no error_description, so axios' own sentence is what Infisical keeps.
    expect(north.json()).toMatchObject(refused('Failed to authenticate with Azure DevOps using client credentials: Request failed with status code 401'));
    sb.faults.add({ host: 'dev.azure.com', path: /\/_apis\/projects$/, status: 203, body: '<html>Sign in</html>', times: 1 });
    const signInPage = await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: { name: 'sp-203', method: 'client-secret', credentials: creds } });
    expect(signInPage.json()).toMatchObject({ statusCode: 500, error: 'InternalServerError', message: 'Failed to validate Azure DevOps client credentials' });
    expect(sb.state.connections.map((c) => c.name)).toEqual(['sp']);
  });

  it('serves an HTML listing of the connections', async () => {
    const token = await infisicalLogin(sb);
    await sandboxFetch(sb, ADO, { method: 'POST', headers: auth(token), body: accessTokenBody('listed') });
    const page = await sandboxFetch(sb, `${INFISICAL.siteUrl}/organization/app-connections`);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<td>listed</td><td>access-token</td><td>contoso</td>');
  });
});
