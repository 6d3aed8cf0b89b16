import type { Services } from '@/entrypoints/background/services';
import { describeError } from '@/utils/errors/describe-error';
import { AzureDevOpsError, ExtensionError } from '@/utils/errors/boundary-error';
import type { UserMessage } from '@/utils/flow/flow-state';
import { answerLost, createSync, previewSync, refreshSync, runFailure, syncNow, syncStateOf, type SyncDeps, type SyncPreview } from '@/utils/flow/sync-to-project';
import { secretSyncUrl } from '@/utils/infisical/secret-syncs';
import type { ConnectionMethod } from '@/utils/infisical/schemas';
import { isNotFound } from '@/utils/infisical/http';
import { connectionNameFor } from '@/utils/inputs';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import type { SyncChoice, SyncRecord } from '@/utils/storage/sync-records';
import { readSyncRecords, removeSyncRecord, syncChoiceFor, syncRecordFor, syncRecordsForProject, updateSyncState } from '@/utils/storage/syncs';
import type { ConfirmedPlan, SyncCreateAnswer, SyncLine, SyncPanelOptions, SyncPlan } from '@/utils/syncs/sync-line';
import { readFlows } from '@/utils/storage/view';
import { planText } from '@/utils/syncs/plan-text';
import { createSerial } from '@/utils/serial';
import type { createFlowRunner } from './flow-runner';
import type { createRemoval } from './removal';

/** A sync deleted in Infisical: its record is forgotten once this has been shown. */
const GONE: UserMessage = {
  title: 'This sync no longer exists in Infisical; the extension forgot it.',
  fix: 'Create it again from the Azure DevOps project’s page if it is still wanted.',
};

/**
 * Secret syncs from Azure DevOps project pages (docs/contracts.md A.9): the page's panel asks for
 * its options, a plan, the create, and the sync's state; the views ask for the lines of every sync
 * made here. The sync uses the org's connection, the page's one-click connection (the name
 * template, the organization's scope): made first through the usual flow when there is none.
 */
export function createSyncs(parts: {
  services: Pick<Services, 'infisical' | 'settings' | 'rules' | 'ado' | 'projectReads' | 'entraToken' | 'microsoftClientId'>;
  runner: Pick<ReturnType<typeof createFlowRunner>, 'start' | 'ended' | 'runningFor'>;
  /** Takes back a connection made for a sync that Infisical then refused (utils/worker/removal.ts). */
  removal: Pick<ReturnType<typeof createRemoval>, 'remove'>;
  now: () => Date;
}) {
  const { services, runner, removal, now } = parts;

  async function deps(): Promise<{ deps: SyncDeps; instanceUrl: string }> {
    const { infisical, instanceUrl } = await services.infisical();
    return { deps: { infisical, ado: services.projectReads, now }, instanceUrl };
  }

  /**
   * The org's connection by the page's name (its org checked: names are cut to 32 characters and
   * can meet). A client-secret one is refused by `syncableConnection`: current builds fail every
   * run of such a connection (docs/contracts.md A.9, job step 1).
   * @throws ExtensionError `name-taken`.
   */
  async function orgConnection(org: string): Promise<{ name: string; found: { id: string; name: string; method: ConnectionMethod } | null }> {
    const settings = await services.settings();
    const name = connectionNameFor(org, settings.connectionNameTemplate);
    const { infisical } = await services.infisical();
    const found = await infisical.appConnections.findByName(name);
    if (found && found.credentials.orgName.toLowerCase() !== org.toLowerCase()) {
      throw new ExtensionError('name-taken', `A connection named '${name}' already exists in Infisical.`, { detail: `it serves the organization ${found.credentials.orgName}` });
    }
    return { name, found: found ? { id: found.id, name: found.name, method: found.method } : null };
  }

  /** The org's connection, for a sync: one Infisical cannot sync with is refused here, before anything is written. */
  async function syncableConnection(org: string): Promise<Awaited<ReturnType<typeof orgConnection>>> {
    const connection = await orgConnection(org);
    if (connection.found?.method === 'client-secret') {
      throw new ExtensionError('sync-connection-method', `The connection '${connection.name}' signs in with a client secret, which Infisical cannot sync with.`);
    }
    return connection;
  }

  /**
   * The preview read with the person's Azure DevOps token for the org's tenant (a sign-in when none
   * is held), as the connect flow gets it: a held token Azure DevOps no longer accepts (revoked, a
   * policy change) is replaced by a fresh sign-in, once (utils/flow/connect-with-microsoft.ts `checkAccess`).
   */
  async function previewWithToken(org: string, run: (entraToken: string) => Promise<SyncPreview>): Promise<SyncPreview> {
    // Reading the project and its variable groups signs in with Microsoft: not where the policy forbids it.
    assertAllowedByPolicy({ method: 'microsoft' }, await services.rules());
    const { tenantId, msa } = await services.ado.discoverTenant(org);
    if (msa) throw new ExtensionError('msa-org', `'${org}' signs in with Microsoft accounts.`);
    const request = { clientId: await services.microsoftClientId(), tenant: tenantId };
    const held = await services.entraToken(request);
    try {
      return await run(held.accessToken);
    } catch (error) {
      if (!(held.fromCache && error instanceof AzureDevOpsError && error.code === 'unauthorized')) throw error;
      return run((await services.entraToken({ ...request, fresh: true })).accessToken);
    }
  }

  /**
   * The connect flows a sync create launched, by id: a sync Infisical then refuses takes back the
   * connection such a flow made, and only that (worker memory: a worker restarted in between
   * forgets, and leaves the connection, which is usable and listed).
   */
  const launchedForSync = new Set<string>();

  /** Creates run one at a time: two tabs cannot both make the org's connection, nor take back the other's. */
  const oneAtATime = createSerial();

  function lineOf(record: SyncRecord, readError: UserMessage | null = null): SyncLine {
    const failure = record.last ? runFailure(record.last) : null;
    return {
      syncId: record.syncId,
      org: record.org,
      adoProjectName: record.adoProjectName,
      infisicalProjectName: record.infisicalProjectName,
      environmentName: record.environment.name,
      secretPath: record.secretPath,
      groupName: record.environment.name,
      connectionId: record.connectionId,
      connectionName: record.connectionName,
      status: record.last?.syncStatus ?? null,
      lastSyncedAt: record.last?.lastSyncedAt ?? null,
      failure: failure ? describeError(failure) : null,
      url: secretSyncUrl(record.instanceUrl, record.infisicalProjectId, record.syncId),
      readError,
    };
  }

  /** Read a sync's state now; one Infisical cannot read is shown from its record, saying why. */
  async function freshLine(d: SyncDeps, record: SyncRecord): Promise<SyncLine> {
    try {
      const { record: updated } = await refreshSync(d, record.syncId);
      return lineOf(updated ?? record);
    } catch (error) {
      if (!isNotFound(error)) return lineOf(record, describeError(error));
      // Deleted in Infisical: shown once more, saying so, and forgotten (as `linesOf` does).
      await removeSyncRecord(record.syncId);
      return lineOf(record, GONE);
    }
  }

  /** The records of the configured instance, with the states read: one list per Infisical project (not one read per sync). */
  async function linesOf(records: SyncRecord[]): Promise<SyncLine[]> {
    const { deps: d, instanceUrl } = await deps();
    const ours = records.filter((r) => r.instanceUrl === instanceUrl);
    const byProject = new Map<string, SyncRecord[]>();
    for (const r of ours) byProject.set(r.infisicalProjectId, [...(byProject.get(r.infisicalProjectId) ?? []), r]);
    const lines = await Promise.all(
      [...byProject.entries()].map(async ([projectId, group]) => {
        try {
          const listed = new Map((await d.infisical.secretSyncs.list(projectId)).map((s) => [s.id, s]));
          const at = now();
          return Promise.all(
            group.map(async (r) => {
              const sync = listed.get(r.syncId);
              if (!sync) {
                // Deleted in Infisical: shown once more, saying so, and forgotten.
                await removeSyncRecord(r.syncId);
                return lineOf(r, GONE);
              }
              return lineOf((await updateSyncState(r.syncId, syncStateOf(sync, at))) ?? r);
            }),
          );
        } catch (error) {
          const why = describeError(error);
          return group.map((r) => lineOf(r, why));
        }
      }),
    );
    return lines.flat();
  }

  return {
    /** The panel's choices on this project's page, and the syncs made into it. */
    async options(org: string, adoProject: string): Promise<SyncPanelOptions> {
      const { deps: d } = await deps();
      const [projects, choice, records, connection] = await Promise.all([
        d.infisical.projects.list(),
        syncChoiceFor(org, adoProject),
        syncRecordsForProject(org, adoProject),
        orgConnection(org),
      ]);
      const listed = choice && projects.some((p) => p.id === choice.infisicalProjectId) ? choice : null;
      return { projects, choice: listed, syncs: await linesOf(records), connection: { name: connection.name, exists: connection.found !== null } };
    },

    /** What the sync will do, read from Azure DevOps and Infisical; nothing is written. */
    async plan(org: string, adoProject: string, choice: SyncChoice): Promise<SyncPlan> {
      const { deps: d } = await deps();
      const [preview, connection] = await Promise.all([
        previewWithToken(org, (entraToken) =>
          previewSync(d, { org, adoProject, infisicalProjectId: choice.infisicalProjectId, environmentSlug: choice.environment, secretPath: choice.secretPath, entraToken }),
        ),
        syncableConnection(org),
      ]);
      const plan = {
        ...preview,
        existingSync: preview.existingSync ? { name: preview.existingSync.name } : null,
        connection: { name: connection.name, exists: connection.found !== null },
      };
      return { ...plan, text: planText(plan) };
    },

    /**
     * Create the sync; when the org has no connection yet, start the one-click flow that makes it
     * (Sign in with Microsoft, a least-privilege PAT) and answer `connecting`: the page follows it
     * and asks again. The plan is read again and must still be what the person confirmed (the
     * group, its size, the connection), else nothing is written.
     * @throws ExtensionError
     * `plan-changed`, `sync-connection-method`, `sync-refused-connection-kept`; else as the sync flow throws.
     */
    create: (org: string, adoProject: string, choice: SyncChoice, confirmed: ConfirmedPlan): Promise<SyncCreateAnswer> =>
      oneAtATime(() => createNow(org, adoProject, choice, confirmed)),

    /** One sync made here, its state read now. @throws ExtensionError `sync-unknown` for a sync this extension did not make. */
    async line(syncId: string): Promise<SyncLine> {
      const record = await known(syncId);
      return freshLine((await deps()).deps, record);
    },

    /** Run one sync made here now; its outcome comes with a later `line`. */
    async run(syncId: string): Promise<SyncLine> {
      const record = await known(syncId);
      const { record: updated } = await syncNow((await deps()).deps, syncId);
      return lineOf(updated ?? record);
    },

    /** The record of one sync made here. @throws ExtensionError `sync-unknown`. */
    record: known,

    /** Every sync made here for the configured instance, states read now (`refresh`) or as last read. */
    async all(refresh: boolean): Promise<SyncLine[]> {
      const { infisicalUrl } = await services.settings();
      const records = (await readSyncRecords()).filter((r) => r.instanceUrl === infisicalUrl);
      if (refresh) return linesOf(records).catch(() => records.map((r) => lineOf(r)));
      return records.map((r) => lineOf(r));
    },
  };

  async function createNow(org: string, adoProject: string, choice: SyncChoice, confirmed: ConfirmedPlan): Promise<SyncCreateAnswer> {
    const { deps: d, instanceUrl } = await deps();
    const preview = await previewWithToken(org, (entraToken) =>
      previewSync(d, { org, adoProject, infisicalProjectId: choice.infisicalProjectId, environmentSlug: choice.environment, secretPath: choice.secretPath, entraToken }),
    );
    const { name, found } = await syncableConnection(org);
    const now = { existingGroupVariables: preview.existingGroup?.variableCount ?? null, clashingGroup: preview.clashingGroup?.name ?? null, connectionExists: found !== null };
    const seen = { existingGroupVariables: confirmed.existingGroupVariables, clashingGroup: confirmed.clashingGroup, connectionExists: confirmed.connectionExists };
    if (preview.existingSync || JSON.stringify(now) !== JSON.stringify(seen)) {
      throw new ExtensionError('plan-changed', 'What the sync would do changed since it was reviewed.', { detail: JSON.stringify({ confirmed, now }) });
    }
    if (!found) {
      // No connection yet: the usual one-click flow makes it, and the page follows that flow's
      // steps (`page.status`) and asks again once it has succeeded. The page's message does not
      // stay open through a sign-in. A flow already running for the name (the page's Connect, the
      // popup) is followed, not launched here: its connection is never taken back by a sync.
      const key = { instanceUrl, projectId: null, name };
      const running = runner.runningFor(key);
      if (running) return { kind: 'connecting', flow: running };
      const settings = await services.settings();
      const { tenantId } = await services.ado.discoverTenant(org);
      const flow = await runner.start({ method: 'microsoft', org, tenant: tenantId, connectionName: name, patLifetimeDays: settings.patLifetimeDays, mode: 'create' });
      launchedForSync.add(flow.id);
      return { kind: 'connecting', flow };
    }
    const madeBy = (await readFlows()).find((f) => launchedForSync.has(f.id) && f.result?.connectionId === found.id);
    try {
      return { kind: 'created', line: lineOf(await createSync(d, { preview, connection: found, instanceUrl })) };
    } catch (error) {
      // Made for this sync alone: a sync Infisical refused (no permission, say) leaves nothing
      // behind: the connection is deleted and its PAT revoked, as Remove does. Not when the answer
      // was lost (the sync may exist and use it), nor for a connection made otherwise.
      if (!madeBy || answerLost(error)) throw error;
      launchedForSync.delete(madeBy.id);
      const undone = await removal.remove(found.id);
      if (!undone.ok) {
        throw new ExtensionError('sync-refused-connection-kept', `The sync was refused, and the connection '${name}' made for it could not be taken back.`, {
          cause: error,
          detail: `${describeError(error).title} ${undone.error.title}`,
        });
      }
      throw error;
    } finally {
      if (madeBy) launchedForSync.delete(madeBy.id);
    }
  }

  async function known(syncId: string): Promise<SyncRecord> {
    const record = await syncRecordFor(syncId);
    if (!record) throw new ExtensionError('sync-unknown', `The extension has no record of the secret sync '${syncId}'.`);
    return record;
  }
}

export type Syncs = ReturnType<typeof createSyncs>;
