import type { UserMessage } from '@/utils/flow/flow-state';
import { syncRunning, type SyncLine } from '@/utils/syncs/sync-line';
import { ErrorNotice } from './ErrorNotice';
import { formatDate } from './connection-text';

const STATUS: Record<NonNullable<SyncLine['status']>, string> = { pending: 'Queued', running: 'Syncing…', succeeded: 'Synced', failed: 'Failed' };

/** The secret syncs that use one connection, under its row: where they write, their last run, a link, Sync now. */
export function SyncLines(props: { lines: SyncLine[]; errors: ReadonlyMap<string, UserMessage>; onRun: (syncId: string) => void; compact: boolean }) {
  return (
    <ul class="syncs" aria-label="Secret syncs using this connection">
      {props.lines.map((line) => {
        const error = props.errors.get(line.syncId);
        return (
          <li key={line.syncId} data-testid="sync-line" data-sync-id={line.syncId}>
            <span>
              {line.infisicalProjectName} › {line.environmentName} → {line.adoProjectName} (variable group “{line.groupName}”)
            </span>{' '}
            <span data-testid="sync-state" data-status={line.status ?? 'unknown'} class={line.status === 'failed' ? 'error' : undefined}>
              {line.status ? STATUS[line.status] : 'Not synced yet'}
              {line.status === 'succeeded' && line.lastSyncedAt ? ` ${formatDate(line.lastSyncedAt)}` : ''}
            </span>{' '}
            <a href={line.url} target="_blank" rel="noreferrer" data-testid="sync-link">
              Open in Infisical
            </a>{' '}
            <button type="button" class="secondary small" data-action="sync-now" disabled={syncRunning(line)} onClick={() => props.onRun(line.syncId)}>
              Sync now
            </button>
            {!props.compact && line.failure && <ErrorNotice message={line.failure} />}
            {!props.compact && line.readError && <p class="hint">{line.readError.title}</p>}
            {error && <ErrorNotice message={error} />}
          </li>
        );
      })}
    </ul>
  );
}
