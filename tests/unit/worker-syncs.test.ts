import { describe, expect, it } from 'vitest';
import { createProjectReads } from '@/utils/azure-devops/project-reads';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { describeError } from '@/utils/errors/describe-error';
import { readConnections } from '@/utils/storage/records-items';
import { readSyncRecords } from '@/utils/storage/syncs';
import { createSyncs } from '@/utils/worker/syncs';
import { INFISICAL_PROJECTS, ORGS } from '../sandbox/fixtures';
import { seedVariableGroup } from '../sandbox/seed';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { useSandbox } from '../support/use-sandbox';
import { workerParts } from '../support/worker-parts';

/**
 * Secret syncs from a project page (utils/worker/syncs.ts) with the worker's real parts against
 * the sandbox, whose sync job really writes the fake Azure DevOps variable group
 * (docs/contracts.md A.9): only the browser's sign-in is the sandbox's own.
 */
const sandboxOf = useSandbox();
const PAYMENTS = INFISICAL_PROJECTS.payments;
const DEV = { infisicalProjectId: PAYMENTS.id, environment: 'dev', secretPath: '/' };
const ADO_PROJECT = ORGS.contoso.projects[0].name;

function syncParts() {
  const parts = workerParts(sandboxOf());
  const projectReads = createProjectReads({ endpoints: PUBLIC_CLOUD, fetch: fetchViaSandbox({ port: sandboxOf().port, caPem: sandboxOf().caPem }) });
  const syncs = createSyncs({ services: { ...parts.services, projectReads }, runner: parts.runner, removal: parts.removal, now: () => new Date() });
  return { ...parts, syncs };
}
const groupsNamed = (name: string) => sandboxOf().state.variableGroups.filter((g) => g.name === name);

describe('a sync from a project page', () => {
  it('with no connection yet: makes the connection first, then the sync, whose run fills the group with the environment’s secrets, all secret', async () => {
    const { syncs } = syncParts();
    const before = await syncs.options('contoso', ADO_PROJECT);
    expect(before.connection).toEqual({ name: 'azure-devops-contoso', exists: false });
    expect(before.projects.map((p) => p.name)).toEqual(['Payments API', 'Platform']);

    const plan = await syncs.plan('contoso', ADO_PROJECT, DEV);
    expect(plan).toMatchObject({ groupName: 'Development', existingGroup: null, existingSync: null, connection: { exists: false } });
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);

    const line = await syncs.create('contoso', ADO_PROJECT, DEV);
    expect(sandboxOf().state.connections.map((c) => c.name)).toEqual(['azure-devops-contoso']);
    expect(sandboxOf().state.secretSyncs).toHaveLength(1);
    expect(line).toMatchObject({
      groupName: 'Development',
      connectionName: 'azure-devops-contoso',
      url: expect.stringContaining(`/projects/secret-management/${PAYMENTS.id}/integrations/secret-syncs/azure-devops/`),
    });

    await sandboxOf().syncsSettled();
    const [group] = groupsNamed('Development');
    const dev = PAYMENTS.folders.find((f) => f.environment === 'dev' && f.path === '/')!.secrets;
    expect(Object.keys(group!.variables).sort()).toEqual(Object.keys(dev).sort());
    expect(Object.values(group!.variables).every((v) => v.isSecret)).toBe(true);
    expect((await syncs.line(line.syncId)).status).toBe('succeeded');

    // The choice is offered again on this project, the sync listed with its state; no secret stored.
    const after = await syncs.options('contoso', ADO_PROJECT.toLowerCase());
    expect(after.choice).toEqual(DEV);
    expect(after.syncs.map((s) => s.status)).toEqual(['succeeded']);
    expect(JSON.stringify(await readSyncRecords())).not.toMatch(/postgres:|sk_test/);
  });

  it('an existing group of that name is counted in the plan, and nothing is written until the create', async () => {
    const { syncs } = syncParts();
    seedVariableGroup(sandboxOf(), { name: 'Development', variables: { HAND_MADE: 'x', OTHER: 'y', THIRD: 'z' } });
    const plan = await syncs.plan('contoso', ADO_PROJECT, DEV);
    expect(plan.existingGroup?.variableCount).toBe(3);
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);
    expect(sandboxOf().state.connections).toHaveLength(0);
    await syncs.create('contoso', ADO_PROJECT, DEV);
    await sandboxOf().syncsSettled();
    const [group] = groupsNamed('Development');
    expect(Object.keys(group!.variables)).not.toContain('HAND_MADE');
  });

  it('an identity that may not create syncs: the sentence, and the connection made for it is taken back (deleted, PAT revoked)', async () => {
    const { syncs } = syncParts();
    sandboxOf().config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    const error = await syncs.create('contoso', ADO_PROJECT, DEV).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
    expect(describeError(error).title).toMatch(/secret sync/i);
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);
    expect(sandboxOf().state.connections).toHaveLength(0);
    const minted = sandboxOf().state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
    expect(minted.map((p) => p.status)).toEqual(['revoked']);
    expect(await readConnections()).toEqual([]);
    expect(groupsNamed('Development')).toHaveLength(0);
  });

  it('Sync now runs it again: a secret changed in Infisical reaches the group', async () => {
    const { syncs } = syncParts();
    const line = await syncs.create('contoso', ADO_PROJECT, DEV);
    await sandboxOf().syncsSettled();
    const folder = sandboxOf()
      .state.infisicalProjects.find((p) => p.id === PAYMENTS.id)!
      .folders.find((f) => f.environment === 'dev' && f.path === '/')!;
    folder.secrets['NEW_SECRET'] = 'fresh';
    await syncs.run(line.syncId);
    await sandboxOf().syncsSettled();
    expect(Object.keys(groupsNamed('Development')[0]!.variables)).toContain('NEW_SECRET');
  });

  it('the views read the states with one list per Infisical project, not one read per sync', async () => {
    const { syncs } = syncParts();
    const platform = INFISICAL_PROJECTS.platform;
    for (const adoProject of ORGS.contoso.projects.map((p) => p.name)) {
      for (const project of [PAYMENTS, platform]) {
        for (const env of project.environments) await syncs.create('contoso', adoProject, { infisicalProjectId: project.id, environment: env.slug, secretPath: '/' });
      }
    }
    await sandboxOf().syncsSettled();
    const since = sandboxOf().requests.length;
    const lines = await syncs.all(true);
    const reads = sandboxOf()
      .requests.slice(since)
      .filter((r) => r.path.startsWith('/api/v1/secret-syncs'));
    expect(lines).toHaveLength(2 * (PAYMENTS.environments.length + platform.environments.length));
    expect(lines.every((l) => l.status === 'succeeded')).toBe(true);
    expect(reads.map((r) => r.query).sort()).toEqual([`?projectId=${PAYMENTS.id}`, `?projectId=${platform.id}`].sort());
  });

  it('refuses a sync id it did not make', async () => {
    const { syncs } = syncParts();
    await expect(syncs.line('8a1f3c5e-0000-4e2f-a4c6-1d3e5f7a9b0c')).rejects.toMatchObject({ code: 'sync-unknown' });
  });
});
