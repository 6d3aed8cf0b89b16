import { describe, expect, it } from 'vitest';
import { createProjectReads } from '@/utils/azure-devops/project-reads';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { describeError } from '@/utils/errors/describe-error';
import { readConnections } from '@/utils/storage/records-items';
import { readSyncRecords } from '@/utils/storage/syncs';
import { createSyncs } from '@/utils/worker/syncs';
import type { ConfirmedPlan, SyncChoice, SyncPlan } from '@/utils/syncs/sync-line';
import { readFlows } from '@/utils/storage/view';
import { INFISICAL_PROJECTS, ORGS, TENANT } from '../sandbox/fixtures';
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
/** What a plan said with no group and no connection yet (utils/syncs/sync-line.ts ConfirmedPlan). */
const NOTHING_THERE = { existingGroupVariables: null, clashingGroup: null, connectionExists: false };

/**
 * A create as the page drives it: when the org's connection is being made first, wait for that
 * flow and ask again with the connection there (entrypoints/azure-devops.content/sync-panel.ts).
 */
async function createAsThePage(parts: ReturnType<typeof syncParts>, adoProject: string, choice: SyncChoice, confirmed: ConfirmedPlan) {
  const first = await parts.syncs.create('contoso', adoProject, choice, confirmed);
  if (first.kind === 'created') return first.line;
  await parts.runner.idle();
  const flow = (await readFlows()).find((f) => f.id === first.flow.id);
  if (flow?.status !== 'succeeded') throw new Error(`the connection was not made: ${JSON.stringify(flow?.error)}`);
  const again = await parts.syncs.create('contoso', adoProject, choice, { ...confirmed, connectionExists: true });
  if (again.kind !== 'created') throw new Error('asked to connect twice');
  return again.line;
}

function syncParts() {
  const parts = workerParts(sandboxOf());
  const projectReads = createProjectReads({ endpoints: PUBLIC_CLOUD, fetch: fetchViaSandbox({ port: sandboxOf().port, caPem: sandboxOf().caPem }) });
  const syncs = createSyncs({ services: { ...parts.services, projectReads }, runner: parts.runner, removal: parts.removal, now: () => new Date() });
  return { ...parts, syncs };
}
/** What the person confirms: the plan as it was shown (utils/syncs/sync-line.ts ConfirmedPlan). */
const confirmOf = (plan: SyncPlan) => ({
  existingGroupVariables: plan.existingGroup?.variableCount ?? null,
  clashingGroup: plan.clashingGroup?.name ?? null,
  connectionExists: plan.connection.exists,
});
const groupsNamed = (name: string) => sandboxOf().state.variableGroups.filter((g) => g.name === name);

describe('a sync from a project page', () => {
  it('with no connection yet: makes the connection first, then the sync, whose run fills the group with the environment’s secrets, all secret', async () => {
    const parts = syncParts();
    const { syncs } = parts;
    const before = await syncs.options('contoso', ADO_PROJECT);
    expect(before.connection).toEqual({ name: 'azure-devops-contoso', exists: false });
    expect(before.projects.map((p) => p.name)).toEqual(['Payments API', 'Platform']);

    const plan = await syncs.plan('contoso', ADO_PROJECT, DEV);
    expect(plan).toMatchObject({ groupName: 'Development', existingGroup: null, existingSync: null, connection: { exists: false } });
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);

    const line = await createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE);
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
    const parts = syncParts();
    const { syncs } = parts;
    seedVariableGroup(sandboxOf(), { name: 'Development', variables: { HAND_MADE: 'x', OTHER: 'y', THIRD: 'z' } });
    const plan = await syncs.plan('contoso', ADO_PROJECT, DEV);
    expect(plan.existingGroup?.variableCount).toBe(3);
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);
    expect(sandboxOf().state.connections).toHaveLength(0);
    // A create confirmed on a plan that showed no group is refused: nothing written, nothing made.
    await expect(syncs.create('contoso', ADO_PROJECT, DEV, NOTHING_THERE)).rejects.toMatchObject({ code: 'plan-changed' });
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);
    expect(sandboxOf().state.connections).toHaveLength(0);
    await createAsThePage(parts, ADO_PROJECT, DEV, confirmOf(plan));
    await sandboxOf().syncsSettled();
    const [group] = groupsNamed('Development');
    expect(Object.keys(group!.variables)).not.toContain('HAND_MADE');
  });

  it('an identity that may not create syncs: the sentence, and the connection made for it is taken back (deleted, PAT revoked)', async () => {
    const parts = syncParts();
    sandboxOf().config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    const error = await createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
    expect(describeError(error).title).toMatch(/secret sync/i);
    expect(sandboxOf().state.secretSyncs).toHaveLength(0);
    expect(sandboxOf().state.connections).toHaveLength(0);
    const minted = sandboxOf().state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
    expect(minted.map((p) => p.status)).toEqual(['revoked']);
    expect(await readConnections()).toEqual([]);
    expect(groupsNamed('Development')).toHaveLength(0);
  });

  it('a refused sync never takes back a connection it did not launch (a Connect running for the org is joined)', async () => {
    const parts = syncParts();
    const { runner } = parts;
    // The page's Connect, started just before the sync's Create, still minting its PAT when the
    // create looks for the connection (the PAT create held back 400 ms).
    sandboxOf().faults.add({ host: 'vssps.dev.azure.com', method: 'POST', delayMs: 400, times: 1 });
    await runner.start({ method: 'microsoft', org: 'contoso', tenant: TENANT.id, connectionName: 'azure-devops-contoso', patLifetimeDays: 90 });
    sandboxOf().config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    await expect(createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE)).rejects.toMatchObject({ status: 403 });
    await runner.idle();
    expect(sandboxOf().state.connections.map((c) => c.name)).toEqual(['azure-devops-contoso']);
    expect(
      sandboxOf()
        .state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso')
        .map((p) => p.status),
    ).toEqual(['active']);
  });

  it('Sync now runs it again: a secret changed in Infisical reaches the group', async () => {
    const parts = syncParts();
    const { syncs } = parts;
    const line = await createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE);
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
    const parts = syncParts();
    const { syncs } = parts;
    const platform = INFISICAL_PROJECTS.platform;
    for (const adoProject of ORGS.contoso.projects.map((p) => p.name)) {
      for (const project of [PAYMENTS, platform]) {
        for (const env of project.environments) {
          const choice = { infisicalProjectId: project.id, environment: env.slug, secretPath: '/' };
          await createAsThePage(parts, adoProject, choice, confirmOf(await syncs.plan('contoso', adoProject, choice)));
        }
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

  it('a client-secret org connection is refused at the plan, before anything is written; the panel still opens', async () => {
    const parts = syncParts();
    await createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE);
    sandboxOf().state.connections[0]!.method = 'client-secret';
    const staging = { ...DEV, environment: 'staging' };
    await expect(parts.syncs.plan('contoso', ADO_PROJECT, staging)).rejects.toMatchObject({ code: 'sync-connection-method' });
    await expect(parts.syncs.create('contoso', ADO_PROJECT, staging, { ...NOTHING_THERE, connectionExists: true })).rejects.toMatchObject({ code: 'sync-connection-method' });
    expect(sandboxOf().state.secretSyncs).toHaveLength(1);
    expect((await parts.syncs.options('contoso', ADO_PROJECT)).syncs).toHaveLength(1);
  });

  it('a sync deleted in Infisical is said so once, then forgotten', async () => {
    const parts = syncParts();
    const line = await createAsThePage(parts, ADO_PROJECT, DEV, NOTHING_THERE);
    await sandboxOf().syncsSettled();
    sandboxOf().state.secretSyncs.length = 0;
    expect((await parts.syncs.line(line.syncId)).readError?.title).toMatch(/no longer exists in Infisical; the extension forgot it/);
    await expect(parts.syncs.line(line.syncId)).rejects.toMatchObject({ code: 'sync-unknown' });
  });

  it('refuses a sync id it did not make', async () => {
    const parts = syncParts();
    const { syncs } = parts;
    await expect(syncs.line('8a1f3c5e-0000-4e2f-a4c6-1d3e5f7a9b0c')).rejects.toMatchObject({ code: 'sync-unknown' });
  });
});
