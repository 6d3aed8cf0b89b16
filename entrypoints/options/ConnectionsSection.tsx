import { useEffect, useRef, useState } from 'preact/hooks';
import { ConnectionsBody } from '@/components/ConnectionsBody';
import { ErrorNotice } from '@/components/ErrorNotice';
import { needsRenewal } from '@/components/connection-text';
import { once } from '@/components/once';
import { type RowResult, useConnections } from '@/components/use-connections';
import type { ConnectionsView, RenewalProgress, RenewalsState, RowOutcome } from '@/utils/connections/view-model';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging } from '@/utils/messaging';
import { followRenewals } from '@/utils/storage/follow-renewals';

const renewed = (outcome: RowOutcome): RowResult => ({ action: 'renew', outcome });

const STATES: readonly unknown[] = ['waiting', 'signing-in', 'renewing'];

/** A row of `session:renewals` that reads (utils/storage/view.ts checks only the outline): a known state, and a finished row's outcome. */
function readable(row: RenewalProgress): boolean {
  const p = row as Partial<Record<string, unknown>> | null;
  if (typeof p?.id !== 'string' || typeof p.name !== 'string') return false;
  if (p.state !== 'done') return STATES.includes(p.state);
  const error = p.error as Partial<Record<string, unknown>> | undefined;
  return p.ok === true || (p.ok === false && typeof error?.title === 'string' && typeof error.fix === 'string');
}

/** The outcomes of a Renew all's finished rows. */
const outcomesOf = (state: RenewalsState): RowResult[] => state.rows.flatMap((p) => (p.state === 'done' && readable(p) ? [renewed(p)] : []));

/** Each row's place in a running Renew all, by id; once per write of `session:renewals`. */
const progressOf = once((run: RenewalsState) => new Map<string, RenewalProgress>(run.rows.filter(readable).map((p) => [p.id, p])));
const NO_PROGRESS: ReadonlyMap<string, RenewalProgress> = new Map();

/** What Renew all takes (its button's count), once per view. */
const renewableCount = once((view: ConnectionsView) => view.rows.filter(needsRenewal).length);

/**
 * "Connections": every Azure DevOps connection of the instance (components/ConnectionsList.tsx)
 * and Renew all. A Renew all, this page's or one started elsewhere, is followed in
 * `session:renewals`: each row shows where it stands until the run ends, then how it ended.
 * `windowDays`: the saved warning window; when it changes, the statuses are asked again.
 */
export function ConnectionsSection(props: { windowDays: number }) {
  const c = useConnections();
  const [renewals, setRenewals] = useState<RenewalsState | null>(null);
  const [renewingAll, setRenewingAll] = useState(false);
  const [allError, setAllError] = useState<UserMessage | null>(null);
  const [summary, setSummary] = useState('');

  useEffect(() => {
    /** Runs this page saw running: their outcomes are shown when they end (not those of a run that ended before it opened). */
    const watched = new Set<string>();
    return followRenewals((state) => {
      setRenewals(state);
      if (!state) return;
      if (state.endedAt === null) watched.add(state.runId);
      else if (watched.delete(state.runId)) {
        c.record(outcomesOf(state));
        void c.reload();
      }
    }).stop;
  }, []);

  const shownWindow = useRef(props.windowDays);
  useEffect(() => {
    if (shownWindow.current === props.windowDays) return;
    shownWindow.current = props.windowDays;
    void c.reload();
  }, [props.windowDays]);

  const running = renewals?.endedAt === null ? renewals : null;
  const progress = running ? progressOf(running) : NO_PROGRESS;
  const count = c.view ? renewableCount(c.view) : 0;
  const done = running ? running.rows.filter((p) => p.state === 'done').length : 0;

  async function renewAll() {
    setRenewingAll(true);
    setAllError(null);
    setSummary('');
    try {
      const outcomes = await backgroundMessaging.sendMessage('connections.renewAll', undefined);
      c.record(outcomes.map(renewed));
      const failed = outcomes.filter((o) => !o.ok).length;
      setSummary(`${outcomes.length - failed} renewed${failed ? `, ${failed} failed: each says why` : ''}.`);
    } catch (e) {
      setAllError(userMessageOf(e));
    }
    await c.reload();
    setRenewingAll(false);
  }

  const configured = c.view !== null && c.view.instanceUrl !== null;
  return (
    <section class="stack" aria-labelledby="connections-title" data-testid="connections" data-state={c.state} aria-busy={c.state === 'loading'}>
      <h2 id="connections-title">Connections</h2>
      {configured && (
        <div class="row">
          <button type="button" data-testid="renew-all" disabled={renewingAll || running !== null || count === 0} onClick={() => void renewAll()}>
            Renew all ({count})
          </button>
          <span role="status">{running ? `Renewing: ${done} of ${running.rows.length} done.` : renewingAll ? 'Renewing…' : summary}</span>
        </div>
      )}
      {allError && <ErrorNotice message={allError} />}
      <ConnectionsBody
        c={c}
        progress={progress}
        empty={
          configured ? (
            <p>No Azure DevOps connections in Infisical yet. Make one with the connect form: the extension’s button in the toolbar, or Connect on an Azure DevOps page.</p>
          ) : (
            <p>Save the Infisical instance and its machine identity above first: its connections show here.</p>
          )
        }
      />
    </section>
  );
}
