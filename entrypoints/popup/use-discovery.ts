import { useEffect, useRef, useState } from 'preact/hooks';
import { userMessageOf } from '@/utils/errors/user-message-of';
import { orgNameSchema } from '@/utils/inputs';
import { backgroundMessaging } from '@/utils/messaging';

export type Discovery =
  | { state: 'idle' }
  | { state: 'looking' }
  | { state: 'found'; tenantId: string; msa: boolean }
  /** Azure DevOps says there is no such organization: the sentence goes under the org field. */
  | { state: 'missing'; message: string }
  | { state: 'unknown'; reason: string };

type Answer = Exclude<Discovery, { state: 'idle' | 'looking' }>;

/**
 * The org's tenant, asked of Azure DevOps without sign-in (docs/contracts.md, tenant discovery)
 * once the org name is valid and has stopped changing for a moment. `settle(org)` gives the
 * answer for exactly that org, waiting for a lookup in flight or making one, so that Connect can
 * say an org does not exist before anything else happens.
 */
export function useTenantDiscovery(org: string) {
  const [discovery, setDiscovery] = useState<Discovery>({ state: 'idle' });
  const answers = useRef(new Map<string, Promise<Answer>>());

  const lookup = (name: string): Promise<Answer> => {
    let answer = answers.current.get(name);
    if (!answer) {
      answer = backgroundMessaging.sendMessage('discover.tenant', { org: name }).then(
        (found): Answer => ({ state: 'found', ...found }),
        (error: unknown): Answer => {
          // A failure that may pass (network, timeout) is asked again next time; a missing org is not.
          const message = userMessageOf(error);
          if (message.field === 'org') return { state: 'missing', message: message.title };
          answers.current.delete(name);
          return { state: 'unknown', reason: message.title };
        },
      );
      answers.current.set(name, answer);
    }
    return answer;
  };

  useEffect(() => {
    if (!orgNameSchema.safeParse(org).success) {
      setDiscovery({ state: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setDiscovery({ state: 'looking' });
      void lookup(org.trim()).then((answer) => current && setDiscovery(answer));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [org]);

  return { discovery, settle: (name: string) => lookup(name.trim()) };
}
