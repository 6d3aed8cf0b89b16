import { buildRows } from '@/utils/connections/rows';
import { needingAttention, type PatState } from '@/utils/connections/status';
import type { ConnectionsView } from '@/utils/connections/view-model';
import { describeError } from '@/utils/errors/describe-error';
import type { UserMessage } from '@/utils/flow/flow-state';
import type { InfisicalApi } from '@/utils/infisical/api';
import type { AppConnection } from '@/utils/infisical/schemas';
import type { ConnectionRecord } from '@/utils/storage/records';
import type { Services } from '@/entrypoints/background/services';
import type { Ledger } from './ledger';

/**
 * The connections view's data, kept by the worker: Infisical's list of Azure DevOps connections and
 * Azure DevOps' word on the PATs this extension minted, as last read (memory only: a restarted
 * worker starts from the records), merged with the records at every view (utils/connections/rows.ts).
 */
export function createInventory(parts: { services: Pick<Services, 'infisical' | 'settings' | 'entraToken' | 'ado'>; ledger: Pick<Ledger, 'connections'>; now: () => Date }) {
  const { services, ledger, now } = parts;
  let listed: { instanceUrl: string; connections: AppConnection[]; at: Date } | null = null;
  let listError: UserMessage | null = null;
  /** By PAT authorization id; only ever what Azure DevOps answered. */
  const pats = new Map<string, PatState>();
  /** Infisical project names by id, read when a connection belongs to a project (the view names it). */
  let projectNames = new Map<string, string>();
  /** Records whose PAT state could not be read at the last refresh (no silent token held). */
  let unread = true;

  const recordsOf = async (instanceUrl: string) => (await ledger.connections()).filter((r) => r.instanceUrl === instanceUrl);

  /** Infisical's list, then the PAT states of the orgs whose tenant has a token in the worker's memory (no sign-in is started). */
  async function refresh(instanceUrl: string): Promise<void> {
    try {
      const { infisical } = await services.infisical();
      // The time the list was asked for: a record written after it is not taken for gone.
      const at = now();
      listed = { instanceUrl, connections: await listEveryScope(infisical.appConnections, await recordsOf(instanceUrl)), at };
      listError = null;
      // One more read only when a project-scoped connection is shown; names not read keep the last ones.
      if (listed.connections.some((c) => c.projectId)) {
        const projects = await infisical.projects.list().catch(() => null);
        if (projects) projectNames = new Map(projects.map((p) => [p.id, p.name]));
      }
    } catch (error) {
      listError = describeError(error);
    }
    const settings = await services.settings();
    const managed = (await recordsOf(instanceUrl)).filter((r) => r.patAuthorizationId);
    const byOrg = new Map<string, { bearer: Promise<string> | null; records: ConnectionRecord[] }>();
    for (const r of managed) {
      const org = r.org.toLowerCase();
      const clientId = r.clientId ?? settings.microsoftClientId;
      const held = clientId !== '' && services.entraToken.has({ clientId, tenant: r.tenantId });
      const entry = byOrg.get(org) ?? { bearer: held ? services.entraToken({ clientId, tenant: r.tenantId }).then((t) => t.accessToken) : null, records: [] };
      entry.records.push(r);
      byOrg.set(org, entry);
    }
    let missed = false;
    await Promise.all(
      [...byOrg.values()].map(async ({ bearer, records }) => {
        if (!bearer) {
          missed = true;
          return;
        }
        try {
          const active = new Map((await services.ado.listPats(records[0]!.org, await bearer)).map((p) => [p.authorizationId, p]));
          for (const r of records) {
            const found = active.get(r.patAuthorizationId!);
            pats.set(r.patAuthorizationId!, { active: Boolean(found), validTo: found?.validTo ?? null });
          }
        } catch {
          missed = true;
        }
      }),
    );
    unread = missed;
  }

  /** The view; `refreshNow` reads Infisical and Azure DevOps first, else what was read last. */
  async function view(refreshNow: boolean): Promise<ConnectionsView> {
    const settings = await services.settings();
    const instanceUrl = settings.infisicalUrl;
    const at = now();
    const base = { listError: null, patStatesRead: false, windowDays: settings.expiryWarningDays, attention: 0, checkedAt: at.toISOString() };
    if (!instanceUrl) return { ...base, instanceUrl: null, rows: [] };
    if (refreshNow) await refresh(instanceUrl);
    const known = listed?.instanceUrl === instanceUrl ? listed : null;
    const rows = buildRows({
      instanceUrl,
      records: await recordsOf(instanceUrl),
      listed: known?.connections ?? null,
      ...(known ? { listedAt: known.at } : {}),
      pats,
      now: at,
      windowDays: settings.expiryWarningDays,
      projectNames,
    });
    return { ...base, instanceUrl, rows, listError, patStatesRead: !unread, attention: needingAttention(rows.map((r) => r.status)) };
  }

  return {
    view,
    /** Whether Infisical's list has been read by this worker (else a view is the records alone). */
    listedOnce: () => listed !== null,
    /** The connection as last listed, for a renewal (its id and version); null when not known. */
    listedConnection: async (id: string) => {
      // Only from the list of the instance configured now: one left from an earlier address is no guide.
      const { infisicalUrl } = await services.settings();
      return listed?.instanceUrl === infisicalUrl ? (listed.connections.find((c) => c.id === id) ?? null) : null;
    },
    /** A connection was changed or removed: keep what Infisical answered, or drop it. */
    updated: (connection: AppConnection | null, id: string) => {
      if (!listed) return;
      const others = listed.connections.filter((c) => c.id !== id);
      listed = { ...listed, connections: connection ? [...others, connection] : others };
    },
    /** Azure DevOps answered for this PAT (minted now, or revoked). */
    patState: (authorizationId: string, state: PatState) => pats.set(authorizationId, state),
  };
}

export type Inventory = ReturnType<typeof createInventory>;

/**
 * The organization's connections and those of each Infisical project a record names (a project's
 * connections are listed only under its `projectId`: docs/contracts.md A.12), one list per scope,
 * each connection once. Project connections made elsewhere, in projects no record names, are not
 * looked for: that would be one request per project the identity can see.
 */
async function listEveryScope(connections: Pick<InfisicalApi['appConnections'], 'list'>, records: ConnectionRecord[]): Promise<AppConnection[]> {
  const projects = [...new Set(records.flatMap((r) => (r.projectId ? [r.projectId] : [])))];
  const lists = await Promise.all([connections.list(), ...projects.map((p) => connections.list(p))]);
  const byId = new Map<string, AppConnection>();
  for (const c of lists.flat()) if (!byId.has(c.id)) byId.set(c.id, c);
  return [...byId.values()];
}
