import { describe, expect, it } from 'vitest';
import { InfisicalError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { connectionScopes } from '@/utils/infisical/scopes';
import type { AppConnection } from '@/utils/infisical/schemas';
import { saveConnection } from '@/utils/flow/save-connection';

const connection = (over: Partial<AppConnection> = {}): AppConnection => ({
  id: 'c1',
  name: 'azure-devops-contoso',
  app: 'azure-devops',
  method: 'access-token',
  credentials: { orgName: 'contoso' },
  ...over,
});

/** An appConnections double that answers `created` to a create and records what it was asked. */
function connectionsAnswering(created: AppConnection, removeFails = false, createFails: Error | null = null) {
  const calls: { op: string; arg: unknown }[] = [];
  const api = {
    create: async (body: unknown) => {
      calls.push({ op: 'create', arg: body });
      if (createFails) throw createFails;
      return created;
    },
    update: async () => created,
    getById: async () => created,
    findByName: async () => null,
    remove: async (id: string) => {
      calls.push({ op: 'remove', arg: id });
      if (removeFails) throw new Error('offline');
      return created;
    },
  };
  return { deps: { infisical: { appConnections: api } } as never, calls };
}

describe('project-scoped connections (docs/contracts.md A.12)', () => {
  it('sends the project with the create and keeps a connection made there', async () => {
    const { deps, calls } = connectionsAnswering(connection({ projectId: 'p-1' }));
    const saved = await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: 'p-1' }, 'access-token', { accessToken: 'x', orgName: 'contoso' });
    expect(saved.projectId).toBe('p-1');
    expect(calls).toEqual([{ op: 'create', arg: expect.objectContaining({ projectId: 'p-1' }) }]);
  });

  it('sends no projectId for an organization-wide connection', async () => {
    const { deps, calls } = connectionsAnswering(connection({ projectId: null }));
    await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: null }, 'access-token', {});
    expect(calls[0]?.arg).not.toHaveProperty('projectId');
  });

  it.each([
    ['answers without projectId (an older build)', connection()],
    ['answers another scope', connection({ projectId: null })],
  ])('deletes a connection the instance made organization-wide when it %s, and says so', async (_, answered) => {
    const { deps, calls } = connectionsAnswering(answered);
    const error = await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: 'p-1' }, 'access-token', {}).catch((e: unknown) => e);
    expect(calls.map((c) => c.op)).toEqual(['create', 'remove']);
    expect(error).toMatchObject({ code: 'project-scope-unsupported' });
    expect(describeError(error).title).toMatch(/organization instead, so the extension deleted it again/);
  });

  it('a refused project create names the project’s roles, not the organization’s', async () => {
    const { deps } = connectionsAnswering(
      connection(),
      false,
      new InfisicalError('PermissionDenied', 'PermissionDenied: You are not allowed to create on app-connections', { status: 403 }),
    );
    const error = await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: 'p-1' }, 'access-token', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'project-connection-denied' });
    expect(describeError(error).fix).toMatch(/the project › Access Control › Roles/);
    // The organization's create keeps the organization's sentence.
    const orgWide = await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: null }, 'access-token', {}).catch((e: unknown) => e);
    expect(orgWide).toBeInstanceOf(InfisicalError);
  });

  it('names the connection to delete by hand when deleting it failed', async () => {
    const { deps } = connectionsAnswering(connection(), true);
    const error = await saveConnection(deps, { kind: 'create' }, { connectionName: 'azure-devops-contoso', projectId: 'p-1' }, 'access-token', {}).catch((e: unknown) => e);
    const message = describeError(error);
    expect(message.title).toMatch(/could not be deleted again/);
    expect(message.fix).toMatch(/Delete that connection in Infisical/);
  });
});

describe('the scopes the connect form offers', () => {
  const api = (projects: unknown, connections: AppConnection[] | Error) => ({
    projects: { list: async () => (projects instanceof Error ? Promise.reject(projects) : (projects as never)) },
    appConnections: { list: async () => (connections instanceof Error ? Promise.reject(connections) : connections) },
  });
  const PAYMENTS = { id: 'p-1', name: 'Payments API', slug: 'payments-api', environments: [] };

  it('offers the projects where connections carry their scope', async () => {
    expect(await connectionScopes(api([PAYMENTS], [connection({ projectId: null })]) as never)).toEqual({ projects: [{ id: 'p-1', name: 'Payments API' }], supported: true });
  });
  it('offers none on an older build, whose connections have no projectId', async () => {
    expect(await connectionScopes(api([PAYMENTS], [connection()]) as never)).toEqual({ projects: [], supported: false });
  });
  it('offers the projects when there is no connection to tell by (the create checks the answer)', async () => {
    expect(await connectionScopes(api([PAYMENTS], []) as never)).toEqual({ projects: [{ id: 'p-1', name: 'Payments API' }], supported: null });
  });
  it('offers no project when the projects cannot be read, without failing', async () => {
    expect(await connectionScopes(api(new Error('403'), [connection({ projectId: null })]) as never)).toEqual({ projects: [], supported: true });
  });
});
