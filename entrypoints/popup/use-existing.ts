import { useEffect, useRef, useState } from 'preact/hooks';
import { connectionNameSchema } from '@/utils/inputs';
import { backgroundMessaging, type ExistingConnection } from '@/utils/messaging';

export type NameCheck = { name: string; existing: ExistingConnection | null } | null;

/**
 * Looks the connection name up in Infisical while the user types (debounced), like tenant
 * discovery, so the click that follows needs no extra round trip. `settle(name)` gives the answer
 * for exactly that name, waiting for a lookup still in flight or making one.
 */
export function useExistingConnection(name: string) {
  const [check, setCheck] = useState<NameCheck>(null);
  const pending = useRef(new Map<string, Promise<ExistingConnection | null>>());

  const lookup = (n: string) => {
    let p = pending.current.get(n);
    if (!p) {
      p = backgroundMessaging.sendMessage('connection.lookup', { name: n });
      pending.current.set(n, p);
      // A failed lookup is asked again next time (settings may have been fixed meanwhile).
      p.catch(() => pending.current.delete(n));
    }
    return p;
  };

  useEffect(() => {
    if (!connectionNameSchema.safeParse(name).success) return;
    let current = true;
    const timer = setTimeout(() => {
      lookup(name).then(
        (existing) => current && setCheck({ name, existing }),
        () => undefined,
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name]);

  return { check, settle: lookup };
}
