import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AzureDevOpsError, InfisicalError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import type { CreateSyncBody, SecretSync } from '@/utils/infisical/sync-schemas';
import { checkSecretPath, createSync, previewSync, refreshSync, runFailure, syncNow, type SyncDeps } from '@/utils/flow/sync-to-project';
import { readSyncRecords, syncChoiceFor } from '@/utils/storage/syncs';

/**
 * The sync flow (utils/flow/sync-to-project.ts) with its dependencies faked in memory: what it
 * reads, what it sends, what it records. The same flow against the sandbox is in the block below.
 */

beforeEach(() => fakeBrowser.reset());

const ADO_PROJECT = { id: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', name: 'Web Shop' };
const PROJECT = { id: 'p1', name: 'Shop', slug: 'shop', environments: [{ id: 'e1', name: 'Development', slug: 'dev' }] };
const CONNECTION = { id: 'c1', name: 'azure-devops-contoso' };
const NOW = new Date('2026-11-26T10:00:00.000Z');

const sync = (over: Partial<SecretSync> = {}): SecretSync => ({
  id: 's1',
  name: 'azure-devops-contoso-web-shop-dev',
  projectId: 'p1',
  connectionId: 'c1',
  environment: { slug: 'dev', name: 'Development' },
  secretPath: '/',
  devopsProjectId: ADO_PROJECT.id,
  devopsProjectName: 'Web Shop',
  syncStatus: 'pending',
  lastSyncMessage: null,
  lastSyncedAt: null,
  ...over,
});

function fakes(
  over: { syncs?: SecretSync[]; group?: { id: number; name: string; variableCount: number; exact: boolean } | null; create?: (body: CreateSyncBody) => Promise<SecretSync> } = {},
) {
  const sent: { create: CreateSyncBody[]; tokens: string[] } = { create: [], tokens: [] };
  const existing = over.syncs ?? [];
  const deps: SyncDeps = {
    now: () => NOW,
    ado: {
      getProject: async (token, _org, nameOrId) => {
        sent.tokens.push(token);
        if (nameOrId.toLowerCase() !== 'web shop')
          throw new AzureDevOpsError('project-not-found', `There is no project '${nameOrId}' in the Azure DevOps organization 'contoso'.`, { status: 404 });
        return ADO_PROJECT;
      },
      findVariableGroup: async (token) => {
        sent.tokens.push(token);
        return over.group ?? null;
      },
    },
    infisical: {
      projects: { list: async () => [PROJECT] },
      secretSyncs: {
        list: async () => existing,
        get: async (id) => sync({ id, syncStatus: 'failed', lastSyncMessage: 'Unsupported connection method', lastSyncedAt: '2026-11-26T10:00:03.000Z' }),
        findByName: async (_projectId, name) => existing.find((s) => s.name === name) ?? null,
        create: async (body) => {
          sent.create.push(body);
          return over.create ? over.create(body) : sync({ name: body.name, secretPath: body.secretPath });
        },
        syncNow: async (id) => sync({ id, syncStatus: 'pending' }),
      },
    },
  };
  return { deps, sent };
}

const request = { org: 'contoso', adoProject: 'Web Shop', infisicalProjectId: 'p1', environmentSlug: 'dev', secretPath: '/', entraToken: 'entra-token' };

describe('previewSync', () => {
  it('resolves the Azure DevOps project, the environment and the group it would write, with nothing written', async () => {
    const { deps, sent } = fakes({ group: { id: 7, name: 'Development', variableCount: 3, exact: true } });
    expect(await previewSync(deps, request)).toEqual({
      org: 'contoso',
      adoProject: ADO_PROJECT,
      infisicalProject: { id: 'p1', name: 'Shop' },
      environment: { slug: 'dev', name: 'Development' },
      secretPath: '/',
      groupName: 'Development',
      existingGroup: { id: 7, variableCount: 3 },
      clashingGroup: null,
      existingSync: null,
    });
    expect(sent.create).toEqual([]);
    expect(sent.tokens).toEqual(['entra-token', 'entra-token']);
    expect(await readSyncRecords()).toEqual([]);
  });

  it('a group whose name differs only in case is not the one replaced: it is named as a clash', async () => {
    const { deps } = fakes({ group: { id: 7, name: 'development', variableCount: 3, exact: false } });
    expect(await previewSync(deps, request)).toMatchObject({ existingGroup: null, clashingGroup: { name: 'development' } });
  });

  it('finds a sync already writing this environment into this project', async () => {
    const other = sync({ id: 'other', devopsProjectId: 'another-project' });
    const prod = sync({ id: 'prod', environment: { slug: 'prod', name: 'Production' } });
    const same = sync({ id: 'same', secretPath: '/app' });
    expect((await previewSync(fakes({ syncs: [other, prod, same] }).deps, request)).existingSync?.id).toBe('same');
    expect((await previewSync(fakes({ syncs: [other, prod] }).deps, request)).existingSync).toBeNull();
  });

  it.each([
    ['app', /must start with “\/”/],
    ['', /must start with “\/”/],
    ['/app/../other', /may not contain “..”/],
    [`/${'a'.repeat(1000)}`, /at most 1000 characters/],
  ])('refuses the secret path %j under its field, before asking anything', async (secretPath, title) => {
    const { deps, sent } = fakes();
    const error = await previewSync(deps, { ...request, secretPath }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-input', field: 'secretPath' });
    expect(describeError(error).title).toMatch(title);
    expect(sent.tokens).toEqual([]);
  });

  it('accepts the root, folders and dots that are not “..”', () => {
    for (const path of ['/', '/app', '/app/v1.2', '/a..b']) expect(checkSecretPath(path)).toBe(path);
  });

  it('names an Infisical project the identity cannot see, an unknown environment and an unknown Azure DevOps project', async () => {
    const { deps } = fakes();
    expect(describeError(await previewSync(deps, { ...request, infisicalProjectId: 'nope' }).catch((e: unknown) => e)).title).toMatch(/not a member of that Infisical project/);
    expect(describeError(await previewSync(deps, { ...request, environmentSlug: 'staging' }).catch((e: unknown) => e)).title).toMatch(/no environment “staging”/);
    expect(describeError(await previewSync(deps, { ...request, adoProject: 'Nope' }).catch((e: unknown) => e)).title).toMatch(/no project “Nope”/);
  });
});

describe('createSync', () => {
  it('creates the sync as documented, records it without a secret and remembers the choice', async () => {
    const { deps, sent } = fakes();
    const preview = await previewSync(deps, { ...request, secretPath: '/app' });
    const record = await createSync(deps, { preview, connection: CONNECTION, instanceUrl: 'https://infisical.example.com' });
    expect(sent.create).toEqual([
      {
        name: 'azure-devops-contoso-web-shop-dev',
        projectId: 'p1',
        description: expect.stringMatching(/^Development into the Azure DevOps project Web Shop of contoso/),
        connectionId: 'c1',
        environment: 'dev',
        secretPath: '/app',
        isAutoSyncEnabled: true,
        syncOptions: { initialSyncBehavior: 'overwrite-destination' },
        destinationConfig: { devopsProjectId: ADO_PROJECT.id, devopsProjectName: 'Web Shop' },
      },
    ]);
    expect(record).toEqual({
      syncId: 's1',
      instanceUrl: 'https://infisical.example.com',
      infisicalProjectId: 'p1',
      infisicalProjectName: 'Shop',
      environment: { slug: 'dev', name: 'Development' },
      secretPath: '/app',
      org: 'contoso',
      adoProjectId: ADO_PROJECT.id,
      adoProjectName: 'Web Shop',
      connectionId: 'c1',
      connectionName: 'azure-devops-contoso',
      createdAt: NOW.toISOString(),
      last: { syncStatus: 'pending', lastSyncMessage: null, lastSyncedAt: null, readAt: NOW.toISOString() },
    });
    expect(await readSyncRecords()).toEqual([record]);
    expect(await syncChoiceFor('CONTOSO', 'web shop')).toEqual({ infisicalProjectId: 'p1', environment: 'dev', secretPath: '/app' });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('entra-token');
  });

  it('refuses a second sync of the same environment into the project', async () => {
    const { deps, sent } = fakes({ syncs: [sync({ id: 'same' })] });
    const preview = await previewSync(deps, request);
    const error = await createSync(deps, { preview, connection: CONNECTION, instanceUrl: 'https://i' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sync-exists' });
    expect(describeError(error).title).toMatch(/“azure-devops-contoso-web-shop-dev” already syncs/);
    expect(sent.create).toEqual([]);
  });

  it('a create whose answer was lost is found by its name and recorded', async () => {
    const made: SecretSync[] = [];
    const { deps } = fakes({
      syncs: made,
      create: async (body) => {
        made.push(sync({ id: 'landed', name: body.name }));
        throw new InfisicalError('network', 'Could not reach infisical.example.com.');
      },
    });
    const preview = await previewSync(deps, request);
    expect((await createSync(deps, { preview, connection: CONNECTION, instanceUrl: 'https://i' })).syncId).toBe('landed');
  });

  it('a refused create records nothing and remembers nothing', async () => {
    const { deps } = fakes({
      create: async () => {
        throw new InfisicalError('PermissionDenied', 'You are not allowed to create on secret-syncs', { status: 403 });
      },
    });
    const preview = await previewSync(deps, request);
    await expect(createSync(deps, { preview, connection: CONNECTION, instanceUrl: 'https://i' })).rejects.toMatchObject({ status: 403 });
    expect(await readSyncRecords()).toEqual([]);
    expect(await syncChoiceFor('contoso', 'Web Shop')).toBeNull();
  });
});

describe('refreshSync and syncNow', () => {
  it('keep the run’s state on the record; a failed run is worded with its fix', async () => {
    const { deps } = fakes();
    const preview = await previewSync(deps, request);
    await createSync(deps, { preview, connection: CONNECTION, instanceUrl: 'https://i' });
    const refreshed = await refreshSync(deps, 's1');
    expect(refreshed.record?.last).toEqual({
      syncStatus: 'failed',
      lastSyncMessage: 'Unsupported connection method',
      lastSyncedAt: '2026-11-26T10:00:03.000Z',
      readAt: NOW.toISOString(),
    });
    expect(describeError(runFailure(refreshed.record!.last!)).fix).toMatch(/Sign in with Microsoft/);
    const queued = await syncNow(deps, 's1');
    expect(queued.record?.last?.syncStatus).toBe('pending');
    expect(runFailure(queued.record!.last!)).toBeNull();
  });

  it('a sync this extension has no record of is read, and nothing is recorded', async () => {
    const { deps } = fakes();
    expect((await refreshSync(deps, 'elsewhere')).record).toBeNull();
    expect(await readSyncRecords()).toEqual([]);
  });
});
