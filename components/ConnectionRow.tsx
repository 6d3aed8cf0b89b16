import { Component } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { ConnectionRow as Row, RenewalProgress } from '@/utils/connections/view-model';
import { ConfirmRemove } from './ConfirmRemove';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionStatusLabel } from './ConnectionStatusLabel';
import { SyncLines } from './SyncLines';
import type { SyncLine } from '@/utils/syncs/sync-line';
import type { UserMessage } from '@/utils/flow/flow-state';
import { ErrorNotice } from './ErrorNotice';
import { expiryText, formatDate, liveState, liveText, METHOD_LABELS, type RowAction, successText } from './connection-text';
import type { RowResult } from './use-connections';

export interface ConnectionRowProps {
  row: Row;
  /** The row's own action while it runs. */
  busy: RowAction | undefined;
  /** How its last action ended (hidden while a Renew all takes the row again). */
  result: RowResult | undefined;
  /** Its place in a Renew all that is running. */
  progress: RenewalProgress | undefined;
  compact: boolean;
  /** Stable across renders (the list's rows are memoised on their props). */
  onAction: (action: RowAction, row: Row) => void;
  /** The secret syncs made here that use this connection (components/use-syncs.ts), with their Sync now. */
  syncs?: { lines: SyncLine[] | undefined; errors: ReadonlyMap<string, UserMessage>; run: (syncId: string) => void } | undefined;
}

const BUSY_TEXT: Record<RowAction, string> = { renew: 'Renewing…', remove: 'Removing…', forget: 'Revoking its token…' };

/** The fields a row shows: after `connections.list` answers again, a row whose fields did not change is not rendered again. */
function sameRow(a: Row, b: Row): boolean {
  if (a === b) return true;
  const [s, t] = [a.status, b.status];
  const days = (x: Row['status']) => ('daysLeft' in x ? x.daysLeft : 'daysAgo' in x ? x.daysAgo : 0);
  return (Object.keys(a) as (keyof Row)[]).every((k) => k === 'status' || a[k] === b[k]) && s.kind === t.kind && days(s) === days(t);
}

/** Renew all writes every row at each step: only a row whose own state changed renders again. */
const sameProgress = (a: RenewalProgress | undefined, b: RenewalProgress | undefined) => a === b || (!!a && !!b && liveText(a) === liveText(b));

/**
 * One connection of the list, memoised: a list of 300 renders again only the rows whose props
 * changed (preact/compat's `memo` would bring compat into the bundles, so a class does it).
 */
export class ConnectionRow extends Component<ConnectionRowProps> {
  override shouldComponentUpdate(next: ConnectionRowProps): boolean {
    const p = this.props;
    return !(
      sameRow(p.row, next.row) &&
      p.busy === next.busy &&
      p.result === next.result &&
      sameProgress(p.progress, next.progress) &&
      p.compact === next.compact &&
      p.onAction === next.onAction &&
      p.syncs?.lines === next.syncs?.lines &&
      p.syncs?.errors === next.syncs?.errors
    );
  }

  override render(props: ConnectionRowProps) {
    return <RowBody {...props} />;
  }
}

function RowBody(props: ConnectionRowProps) {
  const { row, busy, result, progress, compact } = props;
  const [confirming, setConfirming] = useState(false);
  const removeRef = useRef<HTMLButtonElement>(null);
  const running = busy !== undefined || (progress !== undefined && progress.state !== 'done');
  const base = `conn-${row.id}`;
  const expiry = compact ? null : expiryText(row);
  const cancel = () => {
    setConfirming(false);
    removeRef.current?.focus();
  };
  return (
    <li class="conn" data-testid="connection-row" data-id={row.id} data-status={row.status.kind} aria-busy={running}>
      <div class="conn-head">
        <h3>
          <a href={row.url} target="_blank" rel="noreferrer">
            {row.name}
          </a>
        </h3>
        <ConnectionStatusLabel status={row.status} />
      </div>
      {!compact && (
        <dl class="conn-facts">
          <div>
            <dt>Organization</dt>
            <dd>{row.org}</dd>
          </div>
          {row.projectId && (
            <div>
              <dt>Belongs to</dt>
              <dd data-testid="row-scope">Project {row.projectName ?? row.projectId}</dd>
            </div>
          )}
          <div>
            <dt>Method</dt>
            <dd>{METHOD_LABELS[row.method] ?? row.method}</dd>
          </div>
          <div>
            <dt>Last update</dt>
            <dd>{row.updatedAt ? formatDate(row.updatedAt) : 'Not known'}</dd>
          </div>
          {expiry && (
            <div>
              <dt>Token expires</dt>
              <dd data-testid="row-expiry">{expiry}</dd>
            </div>
          )}
        </dl>
      )}
      {props.syncs?.lines && <SyncLines lines={props.syncs.lines} errors={props.syncs.errors} onRun={props.syncs.run} compact={compact} />}
      <ConnectionActions
        row={row}
        disabled={running}
        compact={compact}
        confirming={confirming}
        ids={{ note: `${base}-note`, confirm: `${base}-confirm` }}
        removeRef={removeRef}
        onAction={(action) => props.onAction(action, row)}
        onRemove={() => setConfirming((open) => !open)}
      />
      {confirming && !running && (
        <ConfirmRemove
          id={`${base}-confirm`}
          name={row.name}
          tokenMadeHere={row.renew === 'renew'}
          onCancel={cancel}
          onConfirm={() => {
            setConfirming(false);
            props.onAction('remove', row);
          }}
        />
      )}
      {busy && (
        <p class="conn-live" role="status">
          {BUSY_TEXT[busy]}
        </p>
      )}
      {progress && (
        <p class="conn-live" data-testid="renewal-state" data-state={liveState(progress)}>
          {liveText(progress)}
        </p>
      )}
      {result && !progress && <Outcome result={result} />}
    </li>
  );
}

/** How the row's last action ended: the success's sentence, or the error as ErrorNotice shows every error. */
export function Outcome(props: { result: RowResult }) {
  const { action, outcome } = props.result;
  return outcome.ok ? (
    <p class="notice ok" data-testid="row-outcome" data-ok="true" role="status">
      {successText(action, outcome)}
    </p>
  ) : (
    <div data-testid="row-outcome" data-ok="false">
      <ErrorNotice message={outcome.error} />
    </div>
  );
}
