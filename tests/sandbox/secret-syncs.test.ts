// Azure DevOps secret syncs at HTTP level (docs/contracts.md A.9): the create's checks in Infisical's
// order with its error bodies, the routes on one sync, and what a sync job really does to the fake
// Azure DevOps' variable groups (docs/contracts.md B.6), with each connection method.
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { INFISICAL, INFISICAL_PROJECTS, ORGS, SEEDED_PATS } from './fixtures.ts';
import { infisicalLogin } from './flows.ts';
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
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/projects/secret-management/${platform.id}/integrations/secret-syncs/azure-devops/${secretSync.id}`)).status).toBe(404);
  });
});
