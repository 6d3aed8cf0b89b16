import type { ComponentChildren } from 'preact';
import type { ConnectionRow as Row, ConnectionsView, RenewalProgress } from '@/utils/connections/view-model';
import type { RowAction } from './connection-text';
import { ConnectionRow, Outcome } from './ConnectionRow';
import { ErrorNotice } from './ErrorNotice';
import { once } from './once';
import type { RowResult } from './use-connections';
import type { Syncs } from './use-syncs';

export interface ConnectionsListProps {
  view: ConnectionsView;
  busy: ReadonlyMap<string, RowAction>;
  results: ReadonlyMap<string, RowResult>;
  /** Each row's place in a Renew all that is running, by id. */
  progress?: ReadonlyMap<string, RenewalProgress> | undefined;
  /** Stable across renders (the rows are memoised). */
  onAction: (action: RowAction, row: Row) => void;
  /** The popup's list: name, status and one action per row. */
  compact?: boolean;
  /** What the empty state says and offers (the options page and the popup point to the form differently). */
  empty: ComponentChildren;
  /** The secret syncs made here, shown under the connection each uses. */
  syncs?: Syncs | undefined;
}

const NO_PROGRESS: ReadonlyMap<string, RenewalProgress> = new Map();

/** What the list derives from a view, once per view (not at each render: Renew all renders it at every step). */
const derive = once((view: ConnectionsView) => ({
  listed: new Set(view.rows.map((r) => r.id)),
  recordsOnly: !view.patStatesRead && view.rows.some((r) => r.madeHere),
}));

/**
 * The Azure DevOps connections of the instance, in the background's order (most urgent first),
 * shared by the options page and the popup. Outcomes of rows no longer listed (a connection just
 * removed or forgotten) show above the list.
 */
export function ConnectionsList(props: ConnectionsListProps) {
  const { view, busy, results, onAction } = props;
  const progress = props.progress ?? NO_PROGRESS;
  const compact = props.compact ?? false;
  const { listed, recordsOnly } = derive(view);
  const unlisted = [...results.values()].filter((r) => !listed.has(r.outcome.id));
  return (
    <div class="stack">
      {view.listError && (
        <div data-testid="connections-error">
          <ErrorNotice message={view.listError} />
        </div>
      )}
      {unlisted.map((result) => (
        <Outcome key={result.outcome.id} result={result} />
      ))}
      {view.rows.length === 0 ? (
        <div class="stack" data-testid="connections-empty">
          {props.empty}
        </div>
      ) : (
        <>
          {recordsOnly && <p class="hint">Expiry dates come from this extension’s records: there is no Microsoft session to ask Azure DevOps for them.</p>}
          <ul class={compact ? 'connections compact' : 'connections'} aria-label="Azure DevOps connections">
            {view.rows.map((row) => (
              <ConnectionRow
                key={row.id}
                row={row}
                busy={busy.get(row.id)}
                result={results.get(row.id)}
                progress={progress.get(row.id)}
                compact={compact}
                onAction={onAction}
                syncs={props.syncs && { lines: props.syncs.byConnection.get(row.id), errors: props.syncs.errors, run: props.syncs.run }}
              />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
