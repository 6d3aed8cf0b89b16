import { useEffect, useState } from 'preact/hooks';
import type { ConnectionRow, ConnectionsView, RowOutcome } from '@/utils/connections/view-model';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging } from '@/utils/messaging';
import type { RowAction } from './connection-text';

/** `data-state` of the view: nothing yet, the last ones read (no request), or read again just now. */
export type LoadState = 'loading' | 'records' | 'refreshed';

/** How a row's last action ended, kept by the row's id until its next action. */
export interface RowResult {
  action: RowAction;
  outcome: RowOutcome;
}

export interface Connections {
  view: ConnectionsView | null;
  state: LoadState;
  /** The background could not answer `connections.list` at all (Infisical's own failure is `view.listError`). */
  error: UserMessage | null;
  /** The rows whose action is running, with that action. */
  busy: ReadonlyMap<string, RowAction>;
  results: ReadonlyMap<string, RowResult>;
  /** Run one row's action, show how it ended, and show the view again. Stable across renders. */
  run: (action: RowAction, row: ConnectionRow) => void;
  /** Keep outcomes that came another way (Renew all). Stable. */
  record: (results: RowResult[]) => void;
  /** The view again, without a request (the background recomputes it). Stable. */
  reload: () => Promise<void>;
}

const withEntry = <V>(map: ReadonlyMap<string, V>, key: string, value: V) => new Map(map).set(key, value);
function withoutEntry<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

function send(action: RowAction, id: string): Promise<RowOutcome> {
  if (action === 'renew') return backgroundMessaging.sendMessage('connections.renew', { id });
  if (action === 'remove') return backgroundMessaging.sendMessage('connections.remove', { id });
  return backgroundMessaging.sendMessage('connections.forget', { id });
}

/**
 * The connections view of a page: first the last ones read (`refresh: false`, no network, so the
 * list paints at once), then read again (`refresh: true`). After an action the view is asked again
 * without a request. When answers cross, the one asked last wins: a refresh that left before a
 * removal must not bring the removed row back.
 */
export function useConnections(): Connections {
  const [view, setView] = useState<ConnectionsView | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [error, setError] = useState<UserMessage | null>(null);
  const [busy, setBusy] = useState<ReadonlyMap<string, RowAction>>(() => new Map());
  const [results, setResults] = useState<ReadonlyMap<string, RowResult>>(() => new Map());
  // Made once, so each is stable across renders (the rows are memoised on `run`). Not useCallback:
  // preact/hooks is in the popup's bundle too, and useCallback is not (components/once.ts).
  const [actions] = useState(() => {
    let asked = 0;
    const load = async (refresh: boolean) => {
      const mine = ++asked;
      try {
        const next = await backgroundMessaging.sendMessage('connections.list', { refresh });
        if (mine !== asked) return;
        setView(next);
        setError(null);
      } catch (e) {
        if (mine === asked) setError(userMessageOf(e));
      }
    };
    const run = (action: RowAction, row: ConnectionRow) => {
      const { id, name } = row;
      setBusy((b) => withEntry(b, id, action));
      setResults((r) => withoutEntry(r, id));
      void (async () => {
        const outcome = await send(action, id).catch((e: unknown): RowOutcome => ({ id, name, ok: false, error: userMessageOf(e) }));
        setResults((r) => withEntry(r, id, { action, outcome }));
        await load(false);
        setBusy((b) => withoutEntry(b, id));
      })();
    };
    const record = (more: RowResult[]) => {
      if (more.length > 0) setResults((r) => new Map([...r, ...more.map((m) => [m.outcome.id, m] as const)]));
    };
    return { load, run, record, reload: () => load(false) };
  });

  useEffect(() => {
    void (async () => {
      await actions.load(false);
      setState('records');
      await actions.load(true);
      setState('refreshed');
    })();
  }, []);

  return { view, state, error, busy, results, run: actions.run, record: actions.record, reload: actions.reload };
}
