import { useEffect, useState } from 'preact/hooks';
import { orgNameSchema } from '@/utils/inputs';
import { backgroundMessaging } from '@/utils/messaging';

export type Discovery =
  | { state: 'idle' }
  | { state: 'looking' }
  | { state: 'found'; tenantId: string; msa: boolean }
  | { state: 'unknown'; reason: string };

/**
 * The org's tenant, asked of Azure DevOps without sign-in (contracts.md B.4) once the org name is
 * valid and has stopped changing for a moment.
 */
export function useTenantDiscovery(org: string): Discovery {
  const [discovery, setDiscovery] = useState<Discovery>({ state: 'idle' });
  useEffect(() => {
    if (!orgNameSchema.safeParse(org).success) {
      setDiscovery({ state: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setDiscovery({ state: 'looking' });
      backgroundMessaging
        .sendMessage('discover.tenant', { org: org.trim() })
        .then((found) => current && setDiscovery({ state: 'found', ...found }))
        .catch((error: unknown) => current && setDiscovery({ state: 'unknown', reason: error instanceof Error ? error.message : String(error) }));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [org]);
  return discovery;
}
