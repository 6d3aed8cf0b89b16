import { useEffect, useState } from 'preact/hooks';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging } from '@/utils/messaging';
import { syncRunning, type SyncLine } from '@/utils/syncs/sync-line';

const POLL_MS = 1500;
/** A run still going after this many reads is left alone until the view is opened again. */
const POLL_LIMIT = 80;

export interface Syncs {
  /** The syncs made here, by the id of the connection they use (stable arrays between answers). */
  byConnection: ReadonlyMap<string, SyncLine[]>;
  /** A Sync now that failed to start, by sync id. */
  errors: ReadonlyMap<string, UserMessage>;
  /** Run one now; the list is read again until its run ends. Stable. */
  run: (syncId: string) => void;
}

const group = (lines: SyncLine[]) => {
  const map = new Map<string, SyncLine[]>();
  for (const line of lines) map.set(line.connectionId, [...(map.get(line.connectionId) ?? []), line]);
  return map;
};

/**
 * The secret syncs made from Azure DevOps pages (utils/worker/syncs.ts), for the connections view:
 * the records first (no request), then their states read from Infisical, then again while a run
 * is queued or going.
 */
export function useSyncs(): Syncs {
  const [byConnection, setByConnection] = useState<ReadonlyMap<string, SyncLine[]>>(() => new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, UserMessage>>(() => new Map());
  const [actions] = useState(() => {
    let asked = 0;
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async (refresh: boolean): Promise<void> => {
      const mine = ++asked;
      const lines = await backgroundMessaging.sendMessage('syncs.list', { refresh }).catch(() => null);
      if (!lines || mine !== asked || stopped) return;
      setByConnection(group(lines));
      clearTimeout(timer);
      if (refresh && lines.some(syncRunning) && polls++ < POLL_LIMIT) timer = setTimeout(() => void load(true), POLL_MS);
    };
    /** The view closed: no more reads (each one is a request to Infisical per project). */
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
    };
    const run = (syncId: string) => {
      void backgroundMessaging.sendMessage('syncs.run', { syncId }).then(
        () => {
          setErrors((e) => (e.has(syncId) ? new Map([...e].filter(([k]) => k !== syncId)) : e));
          polls = 0;
          return load(true);
        },
        (error: unknown) => setErrors((e) => new Map(e).set(syncId, userMessageOf(error))),
      );
    };
    return { load, run, stop };
  });
  useEffect(() => {
    void actions.load(false).then(() => actions.load(true));
    return actions.stop;
  }, []);
  return { byConnection, errors, run: actions.run };
}
