import type { AppConnection } from '../infisical/schemas';
import { appConnectionsPageUrl } from '../infisical/app-connections';
import type { ConnectionRecord } from '../storage/records';
import { connectionStatus, urgency, type PatState } from './status';
import type { ConnectionRow } from './view-model';

/** Why a row of this method offers no renewal (utils/connections/view-model.ts `renewNote`). */
const NO_RENEWAL: Record<'oauth' | 'client-secret', string> = {
  oauth: 'An OAuth connection holds a Microsoft refresh token that Infisical renews itself: there is no token here to renew.',
  'client-secret': 'A client-secret connection signs in as its service principal; Infisical rotates that secret, not this extension.',
};

/**
 * The rows of the connections view: each connection Infisical lists, with the extension's record
 * of it when it made it, plus a row for each record whose connection Infisical no longer lists
 * (gone: its PAT may still be live). `listed` null: the list could not be read, so the rows are the
 * records alone and none counts as gone. `pats`: what Azure DevOps said of the records' PATs, by
 * authorization id. Linear in the number of connections (docs/performance.md, 300 connections).
 */
export function buildRows(input: {
  instanceUrl: string;
  records: ConnectionRecord[];
  listed: AppConnection[] | null;
  pats: ReadonlyMap<string, PatState>;
  now: Date;
  windowDays: number;
  /** When `listed` was read: a record written since (a connect or renewal after the list) is not gone, just not listed yet. */
  listedAt?: Date;
  /** Infisical project names by id, for project-scoped rows. */
  projectNames?: ReadonlyMap<string, string>;
}): ConnectionRow[] {
  const { instanceUrl, records, listed, pats, now, windowDays, listedAt, projectNames } = input;
  const newerThanList = (r: ConnectionRecord) => listedAt !== undefined && Date.parse(r.createdAt) > listedAt.getTime();
  const url = appConnectionsPageUrl(instanceUrl);
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const listedIds = new Set(listed?.map((c) => c.id));

  const row = (connection: AppConnection | null, record: ConnectionRecord | null): ConnectionRow => {
    const method = connection?.method ?? record!.method;
    const said = record?.patAuthorizationId ? pats.get(record.patAuthorizationId) : undefined;
    // Not in Azure DevOps' active list after its recorded expiry: expired, not revoked.
    const expiredByRecord = Boolean(record?.patValidTo && new Date(record.patValidTo).getTime() <= now.getTime());
    const pat = said && !said.active && expiredByRecord ? null : (said ?? null);
    const known = listed !== null && !(connection === null && record && newerThanList(record));
    const status = connectionStatus({ record, listed: known ? connection !== null : null, pat, now, windowDays });
    const gone = status.kind === 'gone';
    const renew = gone || method !== 'access-token' ? null : record?.patAuthorizationId ? 'renew' : 'replace';
    const projectId = record?.projectId ?? (typeof connection?.projectId === 'string' ? connection.projectId : null);
    return {
      id: connection?.id ?? record!.id,
      name: connection?.name ?? record!.name,
      org: connection?.credentials.orgName ?? record!.org,
      method,
      projectId,
      projectName: projectId ? (projectNames?.get(projectId) ?? null) : null,
      updatedAt: connection?.updatedAt ?? null,
      patValidTo: record?.patAuthorizationId ? (pat?.validTo ?? record.patValidTo) : null,
      status,
      madeHere: record !== null,
      renew,
      renewNote: method === 'access-token' ? null : NO_RENEWAL[method],
      canForget: gone,
      url,
    };
  };

  const rows = listed
    ? [...listed.map((c) => row(c, recordOf.get(c.id) ?? null)), ...records.filter((r) => !listedIds.has(r.id)).map((r) => row(null, r))]
    : records.map((r) => row(null, r));
  const rank = new Map(rows.map((r) => [r, urgency(r.status)]));
  return rows.sort((a, b) => rank.get(a)! - rank.get(b)! || a.name.localeCompare(b.name));
}
