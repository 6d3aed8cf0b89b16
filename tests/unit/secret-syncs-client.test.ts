import { describe, expect, it } from 'vitest';
import { describeError } from '@/utils/errors/describe-error';
import { createInfisicalEndpoints, givenToken } from '@/utils/infisical/api';
import { secretSyncUrl, SYNC_NAME_MAX, syncNameFor } from '@/utils/infisical/secret-syncs';
import type { CreateSyncBody } from '@/utils/infisical/sync-schemas';
import { INFISICAL_PROJECTS, ORGS, SEEDED_PATS } from '../sandbox/fixtures';
import { sandboxInfisical } from '../support/sandbox-records';
import { useSandbox } from '../support/use-sandbox';
import { answeringFetch } from '../support/answering-fetch';

/** The secret-sync client (utils/infisical/secret-syncs.ts) against answers shaped as docs/contracts.md A.9 documents. */

const BASE = 'https://infisical.example.com';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function clientAnswering(...responses: Response[]) {
  const { fetchFn, calls } = answeringFetch(responses);
  return { syncs: createInfisicalEndpoints({ instanceUrl: BASE, fetch: fetchFn }).secretSyncsWith(givenToken('tok')), calls };
}

const WIRE = {
  id: '0b3c9a2e-5f6d-4e7a-8b9c-1d2e3f4a5b6c',
  name: 'azure-devops-contoso-web-shop-dev',
  description: null,
  destination: 'azure-devops',
  isAutoSyncEnabled: true,
  version: 1,
  projectId: 'p1',
  folderId: 'f1',
  connectionId: 'c1',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  syncStatus: 'succeeded',
  lastSyncJobId: 'j1',
  lastSyncMessage: null,
  lastSyncedAt: '2026-11-26T10:00:05.000Z',
  destinationConfig: { devopsProjectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', devopsProjectName: 'Web Shop' },
  syncOptions: { initialSyncBehavior: 'overwrite-destination' },
  connection: { app: 'azure-devops', name: 'azure-devops-contoso', id: 'c1' },
  environment: { slug: 'dev', name: 'Development', id: 'e1' },
  folder: { id: 'f1', path: '/' },
};
const SYNC = {
  id: WIRE.id,
  name: WIRE.name,
  projectId: 'p1',
  connectionId: 'c1',
  environment: { slug: 'dev', name: 'Development' },
  secretPath: '/',
  devopsProjectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  devopsProjectName: 'Web Shop',
  syncStatus: 'succeeded',
  lastSyncMessage: null,
  lastSyncedAt: '2026-11-26T10:00:05.000Z',
};

describe('secret syncs client', () => {
  it('lists a project’s syncs entry by entry: one of an unknown shape is left out, an unknown status reads as null', async () => {
    const { syncs, calls } = clientAnswering(json(200, { secretSyncs: [WIRE, { id: 5 }, { ...WIRE, id: 'x2', syncStatus: 'paused', environment: null, folder: null }] }));
    expect(await syncs.list('p 1')).toEqual([SYNC, { ...SYNC, id: 'x2', syncStatus: null, environment: null, secretPath: null }]);
    expect(calls[0]?.url).toBe(`${BASE}/api/v1/secret-syncs/azure-devops?projectId=p%201`);
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('creates with the documented body, and maps the answer', async () => {
    const { syncs, calls } = clientAnswering(json(200, { secretSync: WIRE }));
    const body = {
      name: WIRE.name,
      projectId: 'p1',
      connectionId: 'c1',
      environment: 'dev',
      secretPath: '/',
      isAutoSyncEnabled: true,
      syncOptions: { initialSyncBehavior: 'overwrite-destination' as const },
      destinationConfig: { devopsProjectId: SYNC.devopsProjectId, devopsProjectName: 'Web Shop' },
    };
    expect(await syncs.create(body)).toEqual(SYNC);
    expect(calls[0]).toMatchObject({ url: `${BASE}/api/v1/secret-syncs/azure-devops`, init: { method: 'POST' } });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(body);
  });

  it('gets by id, runs a sync now, and finds by name (null for 404)', async () => {
    const { syncs, calls } = clientAnswering(
      json(200, { secretSync: { ...WIRE, syncStatus: 'running' } }),
      json(200, { secretSync: { ...WIRE, syncStatus: 'pending' } }),
      json(200, { secretSync: WIRE }),
      json(404, { reqId: 'r', statusCode: 404, error: 'NotFound', message: 'Could not find Azure DevOps Sync with name "x"' }),
    );
    expect((await syncs.get(WIRE.id)).syncStatus).toBe('running');
    expect((await syncs.syncNow(WIRE.id)).syncStatus).toBe('pending');
    expect(await syncs.findByName('p1', WIRE.name)).toEqual(SYNC);
    expect(await syncs.findByName('p1', 'x')).toBeNull();
    expect(calls.map((c) => [c.init?.method, c.url.slice(BASE.length)])).toEqual([
      ['GET', `/api/v1/secret-syncs/azure-devops/${WIRE.id}`],
      ['POST', `/api/v1/secret-syncs/azure-devops/${WIRE.id}/sync-secrets`],
      ['GET', `/api/v1/secret-syncs/azure-devops/sync-name/${WIRE.name}?projectId=p1`],
      ['GET', '/api/v1/secret-syncs/azure-devops/sync-name/x?projectId=p1'],
    ]);
  });

  it('a 403 on secret-syncs arrives as Infisical’s error, worded with the project permission', async () => {
    const { syncs } = clientAnswering(json(403, { reqId: 'r', statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to create on secret-syncs', details: [] }));
    const error = await syncs.list('p1').catch((e: unknown) => e);
    expect(error).toMatchObject({ source: 'infisical', status: 403, code: 'PermissionDenied' });
    expect(describeError(error).fix).toMatch(/secret-syncs: create/);
  });

  it('a find by name passes other errors on', async () => {
    const { syncs } = clientAnswering(json(403, { reqId: 'r', statusCode: 403, error: 'PermissionDenied', message: 'You are not allowed to read on secret-syncs' }));
    await expect(syncs.findByName('p1', 'x')).rejects.toMatchObject({ status: 403 });
  });
});

describe('sync names and links', () => {
  const slug = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  it('names a sync after the org, project and environment, as a slug Infisical accepts', () => {
    expect(syncNameFor('contoso', 'Web Shop', 'dev')).toBe('azure-devops-contoso-web-shop-dev');
    expect(syncNameFor('Contoso', '  Café — Ünïcode__project!! ', 'prod-eu')).toBe('azure-devops-contoso-cafe-unicode-project-prod-eu');
    expect(syncNameFor('contoso', '日本語', 'dev')).toBe('azure-devops-contoso-project-dev');
    for (const name of [syncNameFor('a', '-x-', '-'), syncNameFor('o', '.-.', 'staging')]) expect(name).toMatch(slug);
  });

  it('stays within 256 characters and keeps the environment', () => {
    const name = syncNameFor('contoso'.repeat(7), 'Very long project name '.repeat(30), 'e'.repeat(64));
    expect(name.length).toBeLessThanOrEqual(SYNC_NAME_MAX);
    expect(name).toMatch(slug);
    expect(name.endsWith(`-${'e'.repeat(64)}`)).toBe(true);
  });

  it('links to the sync in Infisical’s web app', () => {
    expect(secretSyncUrl(BASE, 'p1', 's1')).toBe(`${BASE}/projects/secret-management/p1/integrations/secret-syncs/azure-devops/s1`);
  });
});

describe('secret syncs client against the sandbox (tests/sandbox/infisical-syncs.ts)', () => {
  const sandboxOf = useSandbox();
  const { payments, legacyBilling } = INFISICAL_PROJECTS;
  const ADO = ORGS.contoso.projects[0];

  async function connected() {
    const sb = sandboxOf();
    const api = sandboxInfisical(sb);
    const connection = await api.appConnections.create({
      name: 'azure-devops-contoso',
      method: 'access-token',
      credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' },
    });
    const body = (over: Partial<CreateSyncBody> = {}): CreateSyncBody => ({
      name: syncNameFor('contoso', ADO.name, 'dev'),
      projectId: payments.id,
      connectionId: connection.id,
      environment: 'dev',
      secretPath: '/',
      isAutoSyncEnabled: true,
      syncOptions: { initialSyncBehavior: 'overwrite-destination' },
      destinationConfig: { devopsProjectId: ADO.id, devopsProjectName: ADO.name },
      ...over,
    });
    return { sb, syncs: api.secretSyncs, connection, body };
  }

  it('creates, lists, gets, finds by name and runs a sync, read as the extension’s shape', async () => {
    const { sb, syncs, connection, body } = await connected();
    const created = await syncs.create(body());
    expect(created).toEqual({
      id: expect.any(String),
      name: 'azure-devops-contoso-payments-dev',
      projectId: payments.id,
      connectionId: connection.id,
      environment: { slug: 'dev', name: 'Development' },
      secretPath: '/',
      devopsProjectId: ADO.id,
      devopsProjectName: ADO.name,
      syncStatus: 'pending',
      lastSyncMessage: null,
      lastSyncedAt: null,
    });
    expect((await syncs.list(payments.id)).map((s) => s.id)).toEqual([created.id]);
    expect((await syncs.findByName(payments.id, created.name))?.id).toBe(created.id);
    expect(await syncs.findByName(payments.id, 'nope')).toBeNull();
    await sb.syncsSettled();
    expect((await syncs.get(created.id)).syncStatus).toMatch(/succeeded|failed/);
    expect((await syncs.syncNow(created.id)).id).toBe(created.id);
    await sb.syncsSettled();
  });

  it('Infisical’s refusals arrive worded by the sync catalogue', async () => {
    const { sb, syncs, body } = await connected();
    await syncs.create(body({ isAutoSyncEnabled: false }));
    const title = async (p: Promise<unknown>) => describeError(await p.catch((e: unknown) => e)).title;
    expect(await title(syncs.create(body({ isAutoSyncEnabled: false })))).toMatch(/secret sync named “azure-devops-contoso-payments-dev” already exists/);
    expect(await title(syncs.create(body({ name: 'other', secretPath: '/nope' })))).toMatch(/no folder “\/nope” in the environment “dev”/);
    expect(await title(syncs.create(body({ name: 'other', projectId: '0f0e0d0c-0b0a-4909-8807-060504030201' })))).toMatch(/no project with this ID/);
    expect(await title(syncs.create(body({ name: 'other', projectId: legacyBilling.id, environment: 'prod' })))).toMatch(/not a member of this Infisical project/);
    sb.config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    expect(await title(syncs.create(body({ name: 'other' })))).toMatch(/may not create secret syncs/);
    sb.config.infisical.identity.projectActions['secret-syncs'] = [];
    expect(await title(syncs.list(payments.id))).toMatch(/may not read secret syncs/);
  });
});
