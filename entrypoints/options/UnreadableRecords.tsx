import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { countUnreadable } from '@/utils/storage/count-unreadable';

/**
 * The records this extension keeps (connections made, PATs not yet delivered, secret syncs made) are shown nowhere
 * else, so this page says when some could not be read: they are kept as they were
 * (utils/worker/ledger.ts), not silently forgotten. Follows storage, so a count the worker
 * changes while the page is open is shown.
 */
export function UnreadableRecords() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const refresh = () => void countUnreadable().then(setCount, () => undefined);
    const listener = (_changes: unknown, area: string) => area === 'local' && refresh();
    refresh();
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);
  if (count === 0) return null;
  return (
    <p class="hint" role="status" data-testid="unreadable-records">
      {count === 1 ? '1 record could not be read.' : `${count} records could not be read.`} Kept as found; a token one names is revoked at browser start when possible.
    </p>
  );
}
