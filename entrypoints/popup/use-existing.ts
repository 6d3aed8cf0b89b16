import { useEffect, useRef, useState } from 'preact/hooks';
import { connectionNameSchema } from '@/utils/inputs';
import { backgroundMessaging, type ExistingConnection } from '@/utils/messaging';

export type NameCheck = { name: string; projectId: string | null; existing: ExistingConnection | null } | null;

/**
 * Looks the connection name up in Infisical while the user types (debounced), like tenant
 * discovery, so the click that follows needs no extra round trip. `settle(name)` gives the answer
 * for exactly that name, waiting for a lookup still in flight or making one.
 */
export function useExistingConnection(name: string, projectId: string | null) {
  const [check, setCheck] = useState<NameCheck>(null);
  const pending = useRef(new Map<string, Promise<ExistingConnection | null>>());

  /** Names are unique per scope (docs/contracts.md A.12): a name is looked up in the scope chosen. */
  const lookup = (n: string, scope: string | null = projectId) => {
    const key = JSON.stringify([scope, n]);
    let p = pending.current.get(key);
    if (!p) {
      p = backgroundMessaging.sendMessage('connection.lookup', { name: n, projectId: scope });
      pending.current.set(key, p);
      // A failed lookup is asked again next time (settings may have been fixed meanwhile).
      p.catch(() => pending.current.delete(key));
    }
    return p;
  };

  useEffect(() => {
    if (!connectionNameSchema.safeParse(name).success) return;
    let current = true;
    const timer = setTimeout(() => {
      lookup(name).then(
        (existing) => current && setCheck({ name, projectId, existing }),
        () => undefined,
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, projectId]);

  return { check, settle: lookup };
}
