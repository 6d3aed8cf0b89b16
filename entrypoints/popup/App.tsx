import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { FlowProgress } from '@/components/FlowProgress';
import { ErrorNotice } from '@/components/ErrorNotice';
import { describeError } from '@/utils/errors/describe-error';
import type { FlowState, UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging } from '@/utils/messaging';
import { flowItem, readFlow, readSettings, type Settings } from '@/utils/storage';
import { ConnectForm } from './ConnectForm';
import { orgFromUrl } from './org-from-url';

type Loaded = { settings: Settings; flow: FlowState | null; tabOrg: string | null };

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [flow, setFlow] = useState<FlowState | null>(null);
  const [startError, setStartError] = useState<UserMessage | null>(null);

  useEffect(() => {
    void (async () => {
      const [settings, current, [tab]] = await Promise.all([
        readSettings(),
        readFlow(),
        browser.tabs.query({ active: true, currentWindow: true }),
      ]);
      setFlow(current);
      setLoaded({ settings, flow: current, tabOrg: orgFromUrl(tab?.url) });
    })();
    // The background writes progress to session storage; this keeps the popup in step with it.
    return flowItem.watch((next) => setFlow(next ?? null));
  }, []);

  if (!loaded) return <main aria-busy="true" />;
  const configured = Boolean(loaded.settings.infisicalUrl && loaded.settings.identityClientId && loaded.settings.microsoftClientId);

  async function start(input: unknown) {
    setStartError(null);
    try {
      setFlow(await backgroundMessaging.sendMessage('connect.start', input));
    } catch (error) {
      setStartError(describeError(error));
    }
  }

  return (
    <main class="stack">
      <h1>Connect Azure DevOps to Infisical</h1>
      {!configured ? (
        <div class="stack" data-testid="not-configured">
          <p>Set up the Infisical instance, its machine identity and the Microsoft app first.</p>
          <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
            Open settings
          </button>
        </div>
      ) : flow ? (
        <>
          <FlowProgress flow={flow} />
          {flow.status !== 'running' && (
            <button
              type="button"
              class="secondary"
              data-testid="dismiss"
              onClick={() => void backgroundMessaging.sendMessage('flow.dismiss', undefined).then(() => setFlow(null))}
            >
              {flow.status === 'failed' ? 'Back to the form' : 'Connect another organization'}
            </button>
          )}
        </>
      ) : (
        <>
          <ConnectForm initialOrg={loaded.tabOrg ?? ''} patLifetimeDays={loaded.settings.patLifetimeDays} onSubmit={start} />
          {startError && <ErrorNotice message={startError} />}
        </>
      )}
    </main>
  );
}
