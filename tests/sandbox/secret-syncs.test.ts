// Azure DevOps secret syncs at HTTP level (docs/contracts.md A.9): the create's checks in Infisical's
// order with its error bodies, the routes on one sync, and what a sync job really does to the fake
// Azure DevOps' variable groups (docs/contracts.md B.6), with each connection method.
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { httpsRequest } from './client.ts';
import { INFISICAL, INFISICAL_OAUTH_AUTHORIZE, INFISICAL_PROJECTS, ORGS, SEEDED_PATS, SERVICE_PRINCIPAL, TENANT } from './fixtures.ts';
import { authorizeUrl, infisicalLogin, redirectParams } from './flows.ts';
import { seedVariableGroup } from './seed.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const API = `${INFISICAL.siteUrl}/api/v1`;
const SYNCS = `${API}/secret-syncs/azure-devops`;
const REQ_ID = /^req-[A-Za-z0-9]{14}$/;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const { payments, platform, legacyBilling } = INFISICAL_PROJECTS;
const PAYMENTS_ADO = ORGS.contoso.projects[0];

async function patConnection(token: string, name = 'azure-devops-contoso', projectId?: string) {
  const res = await sandboxFetch(sb, `${API}/app-connections/azure-devops`, {
    method: 'POST',
    headers: bearer(token),
    body: { name, method: 'access-token', credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' }, ...(projectId ? { projectId } : {}) },
  });
  expect(res.status, res.text).toBe(200);
  return res.json().appConnection as { id: string; name: string };
}

const syncBody = (connectionId: string, overrides: Record<string, unknown> = {}) => ({
  name: 'payments-dev',
  projectId: payments.id,
  connectionId,
  environment: 'dev',
  secretPath: '/',
  syncOptions: { initialSyncBehavior: 'overwrite-destination' },
  destinationConfig: { devopsProjectId: PAYMENTS_ADO.id, devopsProjectName: PAYMENTS_ADO.name },
  ...overrides,
});
const createSync = (token: string, body: object) => sandboxFetch(sb, SYNCS, { method: 'POST', headers: bearer(token), body });

describe('fake Infisical: secret sync create, checked in Infisical’s order', () => {
  it('creates a sync: pending in the answer, with its joins', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const res = await createSync(token, syncBody(c.id, { description: 'Payments to Azure DevOps' }));
    expect(res.status, res.text).toBe(200);
    const { secretSync } = res.json();
    expect(secretSync).toMatchObject({
      id: expect.any(String),
      name: 'payments-dev',
      description: 'Payments to Azure DevOps',
      destination: 'azure-devops',
      isAutoSyncEnabled: true,
      version: 1,
      projectId: payments.id,
      folderId: payments.folders[0].id,
      connectionId: c.id,
      syncStatus: 'pending',
      lastSyncJobId: null,
      lastSyncMessage: null,
      lastSyncedAt: null,
      removeStatus: null,
      syncOptions: { initialSyncBehavior: 'overwrite-destination' },
      destinationConfig: { devopsProjectId: PAYMENTS_ADO.id, devopsProjectName: 'Payments' },
      connection: { app: 'azure-devops', name: c.name, id: c.id },
      environment: { slug: 'dev', name: 'Development', id: payments.environments[0].id },
      folder: { id: payments.folders[0].id, path: '/' },
    });
    const manual = await createSync(token, syncBody(c.id, { name: 'manual', isAutoSyncEnabled: false, secretPath: '/api/' }));
    expect(manual.json().secretSync).toMatchObject({ syncStatus: null, isAutoSyncEnabled: false, folder: { path: '/api' } });
    await sb.syncsSettled();
  });

  it('answers 422 ValidationFailure for a bad body', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const res = await createSync(
      token,
      syncBody(c.id, { name: 'Bad Name', connectionId: 'nope', syncOptions: { initialSyncBehavior: 'import-prioritize-destination' }, destinationConfig: { devopsProjectId: '' } }),
    );
    expect(res.status).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ reqId: expect.stringMatching(REQ_ID), statusCode: 422, error: 'ValidationFailure' });
    expect(body.message.map((i: { path: (string | number)[] }) => i.path.join('.')).sort()).toEqual([
      'connectionId',
      'destinationConfig.devopsProjectId',
      'name',
      'syncOptions.initialSyncBehavior',
    ]);
    expect(body.message.find((i: { path: string[] }) => i.path[0] === 'name').message).toBe('name field can only contain lowercase letters, numbers, and hyphens');
    expect(sb.state.secretSyncs).toEqual([]);
  });

  it('unknown project → 404; not a member → 403; no create permission → 403 with the subject', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const unknown = '0f0e0d0c-0b0a-4909-8807-060504030201';
    expect((await createSync(token, syncBody(c.id, { projectId: unknown }))).json()).toEqual({
      reqId: expect.stringMatching(REQ_ID),
      statusCode: 404,
      error: 'NotFound',
      message: `Project with ID '${unknown}' not found`,
    });
    const outsider = await createSync(token, syncBody(c.id, { projectId: legacyBilling.id, environment: 'prod' }));
    expect(outsider.status).toBe(403);
    expect(outsider.json()).toMatchObject({ error: `Identity is not a member of the specified project with ID '${legacyBilling.id}'` });
    sb.config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    const denied = await createSync(token, syncBody(c.id));
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({
      reqId: expect.stringMatching(REQ_ID),
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to create on secret-syncs',
      details: [],
    });
    expect(sb.state.secretSyncs).toEqual([]);
  });

  it('a per-project role: allowed in Payments API, refused in Platform', async () => {
    sb.config.infisical.identity.projectActionsById[platform.id] = { 'secret-syncs': ['read'], 'app-connections': ['connect'] };
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    expect((await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).status).toBe(200);
    expect((await createSync(token, syncBody(c.id, { projectId: platform.id }))).json().message).toBe('You are not allowed to create on secret-syncs');
  });

  it('missing environment or folder → 400 with Infisical’s sentence, checked before the connection', async () => {
    const token = await infisicalLogin(sb);
    const unknownConnection = '3b0e1c9a-5f4d-4e2b-8a7c-6d5e4f3a2b1c';
    const noFolder = await createSync(token, syncBody(unknownConnection, { secretPath: '/nope' }));
    expect(noFolder.status).toBe(400);
    expect(noFolder.json()).toMatchObject({ error: 'BadRequest', message: `Could not find folder with path "/nope" in environment "dev" for project with ID "${payments.id}"` });
    const noEnv = await createSync(token, syncBody(unknownConnection, { environment: 'qa' }));
    expect(noEnv.json().message).toBe(`Could not find folder with path "/" in environment "qa" for project with ID "${payments.id}"`);
    const noConnection = await createSync(token, syncBody(unknownConnection));
    expect(noConnection.status).toBe(404);
    expect(noConnection.json()).toMatchObject({ error: 'NotFound', message: `Could not find App Connection with ID ${unknownConnection}` });
  });

  it('the connection: connect permission, and a project connection only in its own project', async () => {
    const token = await infisicalLogin(sb);
    const orgConnection = await patConnection(token);
    const platformConnection = await patConnection(token, 'platform-connection', platform.id);
    const wrongProject = await createSync(token, syncBody(platformConnection.id));
    expect(wrongProject.json()).toMatchObject({
      statusCode: 400,
      message: `You cannot connect project App Connection with ID "${platformConnection.id}" from project with ID "${platform.id}" to project with ID "${payments.id}"`,
    });
    expect((await createSync(token, syncBody(platformConnection.id, { projectId: platform.id, isAutoSyncEnabled: false }))).status).toBe(200);
    sb.config.infisical.identity.actions = ['read'];
    expect((await createSync(token, syncBody(orgConnection.id))).json()).toMatchObject({ statusCode: 403, message: 'You are not allowed to connect on app-connections' });
  });

  it('a name is unique per project', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    expect((await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).status).toBe(200);
    const again = await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }));
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: 'BadRequest', message: `A Secret Sync with the name "payments-dev" already exists for the project with ID "${payments.id}"` });
    const c2 = await patConnection(token, 'platform-two');
    expect((await createSync(token, syncBody(c2.id, { projectId: platform.id, isAutoSyncEnabled: false }))).status).toBe(200);
  });
});

describe('fake Infisical: routes on one sync', () => {
  it('lists by project, reads by id and by name; finds before it checks the permission', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const { secretSync } = (await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).json();
    const list = await sandboxFetch(sb, `${SYNCS}?projectId=${payments.id}`, { headers: bearer(token) });
    expect(list.json().secretSyncs.map((s: { id: string }) => s.id)).toEqual([secretSync.id]);
    expect((await sandboxFetch(sb, `${SYNCS}?projectId=${platform.id}`, { headers: bearer(token) })).json().secretSyncs).toEqual([]);
    expect((await sandboxFetch(sb, SYNCS, { headers: bearer(token) })).status).toBe(422);
    expect((await sandboxFetch(sb, `${SYNCS}/${secretSync.id}`, { headers: bearer(token) })).json().secretSync).toEqual(secretSync);
    expect((await sandboxFetch(sb, `${SYNCS}/sync-name/payments-dev?projectId=${payments.id}`, { headers: bearer(token) })).json().secretSync.id).toBe(secretSync.id);
    const missingName = await sandboxFetch(sb, `${SYNCS}/sync-name/payments-dev?projectId=${platform.id}`, { headers: bearer(token) });
    expect(missingName.json()).toMatchObject({ statusCode: 404, message: 'Could not find Azure DevOps Sync with name "payments-dev"' });
    const unknown = '3b0e1c9a-5f4d-4e2b-8a7c-6d5e4f3a2b1c';
    sb.config.infisical.identity.projectActions['secret-syncs'] = [];
    expect((await sandboxFetch(sb, `${SYNCS}/${unknown}`, { headers: bearer(token) })).json()).toMatchObject({
      statusCode: 404,
      message: `Could not find Azure DevOps Sync with ID "${unknown}"`,
    });
    expect((await sandboxFetch(sb, `${SYNCS}/${secretSync.id}`, { headers: bearer(token) })).json()).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to read on secret-syncs',
    });
    const syncNow = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    expect(syncNow.json()).toMatchObject({ statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to sync-secrets on secret-syncs' });
    expect((await sandboxFetch(sb, `${SYNCS}/not-a-uuid`, { headers: bearer(token) })).status).toBe(422);
  });

  it('PATCH renames, moves the source and refuses a taken name; DELETE answers the sync and the connection may then go', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const first = (await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).json().secretSync;
    await createSync(token, syncBody(c.id, { name: 'other', isAutoSyncEnabled: false }));
    const patch = (body: object) => sandboxFetch(sb, `${SYNCS}/${first.id}`, { method: 'PATCH', headers: bearer(token), body });
    const moved = await patch({ name: 'payments-api', secretPath: '/api' });
    expect(moved.json().secretSync).toMatchObject({ name: 'payments-api', folder: { path: '/api' }, syncStatus: null });
    expect((await patch({ name: 'other' })).json().message).toBe(`A Secret Sync with the name "other" already exists for the project with ID "${payments.id}"`);
    expect((await patch({ environment: 'qa' })).json().message).toBe(`Could not find folder with path "/api" in environment "qa" for project with ID "${payments.id}"`);
    const unknown = '3b0e1c9a-5f4d-4e2b-8a7c-6d5e4f3a2b1c';
    expect((await sandboxFetch(sb, `${SYNCS}/${unknown}`, { method: 'PATCH', headers: bearer(token), body: {} })).json().message).toBe(
      `Could not find Azure DevOps Sync with ID ${unknown}`,
    );
    for (const s of sb.state.secretSyncs.slice()) {
      const del = await sandboxFetch(sb, `${SYNCS}/${s.id}`, { method: 'DELETE', headers: bearer(token) });
      expect(del.json().secretSync.id).toBe(s.id);
    }
    expect(sb.state.secretSyncs).toEqual([]);
    expect((await sandboxFetch(sb, `${API}/app-connections/azure-devops/${c.id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(200);
  });

  it('serves the sync page the extension links to', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const { secretSync } = (await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).json();
    const res = await sandboxFetch(sb, `${INFISICAL.siteUrl}/projects/secret-management/${payments.id}/integrations/secret-syncs/azure-devops/${secretSync.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('<h1 id="sync-name">payments-dev</h1>');
    const newest = await sandboxFetch(
      sb,
      `${INFISICAL.siteUrl}/organizations/${INFISICAL.orgId}/projects/secret-management/${payments.id}/integrations/secret-syncs/azure-devops/${secretSync.id}`,
    );
    expect(newest.status).toBe(200);
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/projects/secret-management/${platform.id}/integrations/secret-syncs/azure-devops/${secretSync.id}`)).status).toBe(404);
  });
});

const syncOf = async (token: string, id: string) => (await sandboxFetch(sb, `${SYNCS}/${id}`, { headers: bearer(token) })).json().secretSync;
const groupsIn = (project: string) => sb.state.variableGroups.filter((g) => g.variableGroupProjectReferences.some((r) => r.projectReference.id === project));
const adoCalls = () => sb.requests.filter((r) => r.host === 'dev.azure.com' && r.path.includes('distributedtask')).map((r) => [r.method, r.path, r.query, r.auth, r.status]);
const GROUPS_PATH = `/contoso/${PAYMENTS_ADO.id}/_apis/distributedtask/variablegroups`;

describe('fake Infisical: the sync job against the fake Azure DevOps', () => {
  it("a first sync creates the environment's group: every secret of the folder, each a secret, values kept server-side", async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    sb.requests.length = 0;
    const { secretSync } = (await createSync(token, syncBody(c.id))).json();
    expect(secretSync.syncStatus).toBe('pending');
    await sb.syncsSettled();
    const after = await syncOf(token, secretSync.id);
    expect(after).toMatchObject({ syncStatus: 'succeeded', lastSyncMessage: null, lastSyncedAt: expect.any(String), lastSyncJobId: expect.any(String) });
    expect(sb.state.secretSyncJobs).toEqual([expect.objectContaining({ id: after.lastSyncJobId, kind: 'sync-secrets', outcome: 'succeeded' })]);
    // Infisical's own calls, with the connection's PAT as Basic: the project's groups, then the create.
    expect(adoCalls()).toEqual([
      ['GET', GROUPS_PATH, '?api-version=7.1', 'basic', 200],
      ['POST', '/contoso/_apis/distributedtask/variablegroups', '?api-version=7.1', 'basic', 200],
    ]);
    const [group] = groupsIn(PAYMENTS_ADO.id);
    expect(group).toMatchObject({ name: 'Development', description: 'Development', type: 'Vsts' });
    expect(group?.variables).toEqual({
      DATABASE_URL: { value: payments.folders[0].secrets.DATABASE_URL, isSecret: true },
      STRIPE_SECRET_KEY: { value: payments.folders[0].secrets.STRIPE_SECRET_KEY, isSecret: true },
    });
    // What Azure DevOps answers keeps the values to itself.
    const listed = await sandboxFetch(sb, `https://dev.azure.com${GROUPS_PATH}?api-version=7.1`, {
      headers: { authorization: `Basic ${Buffer.from(`:${SEEDED_PATS.contosoPasted.token}`).toString('base64')}` },
    });
    expect(listed.json().value[0].variables).toEqual({ DATABASE_URL: { value: null, isSecret: true }, STRIPE_SECRET_KEY: { value: null, isSecret: true } });
  });

  it('a later sync replaces all variables: one added by hand disappears, a new secret arrives, the group keeps its id', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const existing = seedVariableGroup(sb, { name: 'Development', variables: { HAND_ADDED: 'by a person' } });
    const { secretSync } = (await createSync(token, syncBody(c.id))).json();
    await sb.syncsSettled();
    expect(groupsIn(PAYMENTS_ADO.id)).toHaveLength(1);
    expect(Object.keys(existing.variables).sort()).toEqual(['DATABASE_URL', 'STRIPE_SECRET_KEY']);
    existing.variables['ADDED_AGAIN'] = { value: 'by hand', isSecret: false };
    sb.state.infisicalProjects[0]!.folders[0]!.secrets['NEW_SECRET'] = 'fresh';
    sb.requests.length = 0;
    const again = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    expect(again.json().secretSync.syncStatus).toBe('pending');
    await sb.syncsSettled();
    expect(adoCalls().map((c) => c[0])).toEqual(['GET', 'PUT']);
    expect(groupsIn(PAYMENTS_ADO.id)[0]?.id).toBe(existing.id);
    expect(Object.keys(existing.variables).sort()).toEqual(['DATABASE_URL', 'NEW_SECRET', 'STRIPE_SECRET_KEY']);
    expect(Object.values(existing.variables).every((v) => v.isSecret)).toBe(true);
  });

  it('remove-secrets deletes the group; DELETE ?removeSecrets=true deletes it and then the sync', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const { secretSync } = (await createSync(token, syncBody(c.id))).json();
    await sb.syncsSettled();
    expect(groupsIn(PAYMENTS_ADO.id)).toHaveLength(1);
    const removing = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/remove-secrets`, { method: 'POST', headers: bearer(token) });
    expect(removing.json().secretSync.removeStatus).toBe('pending');
    await sb.syncsSettled();
    expect(groupsIn(PAYMENTS_ADO.id)).toEqual([]);
    expect(await syncOf(token, secretSync.id)).toMatchObject({ removeStatus: 'succeeded', lastRemovedAt: expect.any(String), syncStatus: 'succeeded' });
    expect(sb.requests.filter((r) => r.method === 'DELETE' && r.host === 'dev.azure.com')).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^\/contoso\/_apis\/distributedtask\/variablegroups\/\d+$/),
        query: `?projectIds=${PAYMENTS_ADO.id}&api-version=7.1`,
        status: 204,
      }),
    ]);

    await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    await sb.syncsSettled();
    expect(groupsIn(PAYMENTS_ADO.id)).toHaveLength(1);
    const del = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}?removeSecrets=true`, { method: 'DELETE', headers: bearer(token) });
    expect(del.json().secretSync).toMatchObject({ id: secretSync.id, removeStatus: 'pending' });
    expect(sb.state.secretSyncs).toHaveLength(1);
    await sb.syncsSettled();
    expect(groupsIn(PAYMENTS_ADO.id)).toEqual([]);
    expect(sb.state.secretSyncs).toEqual([]);
    expect((await sandboxFetch(sb, `${SYNCS}/${secretSync.id}`, { headers: bearer(token) })).status).toBe(404);
  });

  it('DELETE ?removeSecrets=true needs remove-secrets', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const { secretSync } = (await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).json();
    sb.config.infisical.identity.projectActions['secret-syncs'] = ['read', 'delete'];
    const del = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}?removeSecrets=true`, { method: 'DELETE', headers: bearer(token) });
    expect(del.json()).toMatchObject({ statusCode: 403, message: 'You are not allowed to remove-secrets on secret-syncs' });
    expect(sb.state.secretSyncs).toHaveLength(1);
  });

  it('a client-secret connection fails with "Unsupported connection method" and calls no variable-group API', async () => {
    const token = await infisicalLogin(sb);
    const sp = await sandboxFetch(sb, `${API}/app-connections/azure-devops`, {
      method: 'POST',
      headers: bearer(token),
      body: {
        name: 'sp',
        method: 'client-secret',
        credentials: { clientId: SERVICE_PRINCIPAL.clientId, clientSecret: SERVICE_PRINCIPAL.clientSecret, tenantId: TENANT.id, orgName: 'contoso' },
      },
    });
    expect(sp.status, sp.text).toBe(200);
    const { secretSync } = (await createSync(token, syncBody(sp.json().appConnection.id))).json();
    await sb.syncsSettled();
    expect(await syncOf(token, secretSync.id)).toMatchObject({
      syncStatus: 'failed',
      lastSyncMessage: 'Unsupported connection method',
      lastSyncedAt: null,
      lastSyncJobId: expect.any(String),
    });
    expect(adoCalls()).toEqual([]);
    expect(sb.state.variableGroups).toEqual([]);
  });

  it("an OAuth connection: a refresh grant with Infisical's app, then the calls with Bearer", async () => {
    const authz = await sandboxFetch(sb, authorizeUrl({ ...INFISICAL_OAUTH_AUTHORIZE, state: 'csrf<:>azure-devops' }));
    const code = redirectParams(authz).get('code')!;
    const token = await infisicalLogin(sb);
    const created = await sandboxFetch(sb, `${API}/app-connections/azure-devops`, {
      method: 'POST',
      headers: bearer(token),
      body: { name: 'oauth-contoso', method: 'oauth', credentials: { code, tenantId: TENANT.id, orgName: 'contoso' } },
    });
    expect(created.status, created.text).toBe(200);
    const before = structuredClone(sb.state.connections[0]!.secretCredentials);
    sb.requests.length = 0;
    const { secretSync } = (await createSync(token, syncBody(created.json().appConnection.id))).json();
    await sb.syncsSettled();
    expect(await syncOf(token, secretSync.id)).toMatchObject({ syncStatus: 'succeeded' });
    expect(sb.state.tokenExchanges.at(-1)).toMatchObject({ grantType: 'refresh_token', clientId: INFISICAL_OAUTH_AUTHORIZE.clientId, ok: true });
    expect(adoCalls().map((c) => [c[0], c[3]])).toEqual([
      ['GET', 'bearer'],
      ['POST', 'bearer'],
    ]);
    // The refreshed tokens are stored, as Infisical re-encrypts them.
    expect(sb.state.connections[0]!.secretCredentials['accessToken']).not.toBe(before['accessToken']);
    expect(groupsIn(PAYMENTS_ADO.id)[0]?.createdBy.displayName).toBe('Ada Lovelace');
  });

  it("Azure DevOps' refusal: failed, with its JSON body as the message; a 203 sign-in page breaks the list read", async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    sb.state.pats.find((p) => p.token === SEEDED_PATS.contosoPasted.token)!.status = 'revoked';
    const { secretSync } = (await createSync(token, syncBody(c.id))).json();
    await sb.syncsSettled();
    const failed = await syncOf(token, secretSync.id);
    expect(failed.syncStatus).toBe('failed');
    expect(JSON.parse(failed.lastSyncMessage)).toMatchObject({ message: 'VS30063: You are not authorized to access https://dev.azure.com.', typeKey: 'UnauthorizedRequestException' });
    sb.config.azureDevOps.unusablePatAnswer = 'sign-in-page';
    await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    await sb.syncsSettled();
    expect((await syncOf(token, secretSync.id)).lastSyncMessage).toBe('response.data.value is not iterable');
    expect(sb.state.variableGroups).toEqual([]);
  });

  it('refuses a second trigger while a job runs; POST /__sandbox/syncs-settled waits for it', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    const { secretSync } = (await createSync(token, syncBody(c.id, { isAutoSyncEnabled: false }))).json();
    sb.faults.add({ host: 'dev.azure.com', path: /variablegroups$/, mode: 'pass', delayMs: 300, times: 1 });
    await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    while (sb.state.secretSyncs[0]?.syncStatus !== 'running') await new Promise((r) => setTimeout(r, 5));
    const second = await sandboxFetch(sb, `${SYNCS}/${secretSync.id}/sync-secrets`, { method: 'POST', headers: bearer(token) });
    expect(second.json()).toMatchObject({ statusCode: 400, message: 'A job for this sync is already in progress. Please try again shortly.' });
    const settled = await httpsRequest({ port: sb.port, caPem: sb.caPem }, 'https://localhost/__sandbox/syncs-settled', { method: 'POST' });
    expect(settled.json()).toEqual({ ok: true });
    expect(sb.state.secretSyncs[0]?.syncStatus).toBe('succeeded');
  });

  it('a reset while a job waits leaves the new state alone', async () => {
    const token = await infisicalLogin(sb);
    const c = await patConnection(token);
    sb.faults.add({ host: 'dev.azure.com', path: /variablegroups$/, mode: 'pass', delayMs: 200, times: 1 });
    await createSync(token, syncBody(c.id));
    while (sb.state.secretSyncs[0]?.syncStatus !== 'running') await new Promise((r) => setTimeout(r, 5));
    const jobs = sb.state.secretSyncJobs;
    sb.reset();
    await sb.syncsSettled();
    expect(sb.state.variableGroups).toEqual([]);
    expect(jobs[0]?.outcome).toBe('abandoned');
  });
});
