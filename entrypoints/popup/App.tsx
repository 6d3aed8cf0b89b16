import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ErrorNotice } from '@/components/ErrorNotice';
import { FlowProgress } from '@/components/FlowProgress';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { ConnectRequest } from '@/utils/flow/connect-request';
import type { FlowState, UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging, type ExistingConnection as Existing } from '@/utils/messaging';
import { readFlow, readSettings, watchFlow, type Settings } from '@/utils/storage-view';
import { ConnectForm } from './ConnectForm';
import { ExistingConnection } from './ExistingConnection';
import { orgFromUrl } from '@/utils/azure-devops/page-url';

type Loaded = { settings: Settings; tabOrg: string | null };

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [flow, setFlow] = useState<FlowState | null>(null);
  const [oauthAvailable, setOauthAvailable] = useState(false);
  const [startError, setStartError] = useState<UserMessage | null>(null);
  const [pending, setPending] = useState<{ request: ConnectRequest; existing: Existing } | null>(null);

  useEffect(() => {
    void (async () => {
      const [settings, current, [tab]] = await Promise.all([readSettings(), readFlow(), browser.tabs.query({ active: true, currentWindow: true })]);
      setFlow(current);
      setLoaded({ settings, tabOrg: orgFromUrl(tab?.url) });
    })();
    // Whether the instance offers its own OAuth app; the form simply omits that method until it knows.
    backgroundMessaging.sendMessage('instance.methods', undefined).then((m) => setOauthAvailable(m.oauth), () => setOauthAvailable(false));
    // The background writes progress to session storage; this keeps the popup in step with it.
    return watchFlow(setFlow);
  }, []);

  const heading = <h1>Connect Azure DevOps to Infisical</h1>;
  if (!loaded) {
    return (
      <main class="stack" aria-busy="true">
        {heading}
      </main>
    );
  }
  const { settings } = loaded;
  const configured = Boolean(settings.infisicalUrl && (settings.identityAuth === 'access-token' || settings.identityClientId));

  async function start(request: ConnectRequest) {
    setStartError(null);
    try {
      setFlow(await backgroundMessaging.sendMessage('connect.start', request));
      setPending(null);
    } catch (error) {
      setStartError(userMessageOf(error));
    }
  }

  /**
   * Never a duplicate: the name was looked up while typing (the form passes the answer); when it
   * exists, offer the update path. The flow checks again before it creates anything.
   */
  async function submit(request: ConnectRequest, lookup: Promise<Existing | null>) {
    setStartError(null);
    try {
      const existing = await lookup;
      if (existing) setPending({ request, existing });
      else await start(request);
    } catch (error) {
      setStartError(userMessageOf(error));
    }
  }

  return (
    <main class="stack">
      {heading}
      {!configured ? (
        <div class="stack" data-testid="not-configured">
          <p>Set up the Infisical instance and its machine identity first.</p>
          <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
            Open settings
          </button>
        </div>
      ) : flow ? (
        <>
          <FlowProgress flow={flow} />
          {flow.status !== 'running' && (
            <button type="button" class="secondary" data-testid="dismiss" onClick={() => void backgroundMessaging.sendMessage('flow.dismiss', undefined).then(() => setFlow(null))}>
              {flow.status === 'failed' ? 'Back to the form' : 'Connect another organization'}
            </button>
          )}
        </>
      ) : (
        <>
          <div hidden={Boolean(pending)}>
            <ConnectForm initialOrg={loaded.tabOrg ?? ''} patLifetimeDays={settings.patLifetimeDays} oauthAvailable={oauthAvailable} onSubmit={submit} />
          </div>
          {pending && (
            <ExistingConnection
              name={pending.request.connectionName}
              existing={pending.existing}
              method={pending.request.method}
              onUpdate={() => void start({ ...pending.request, mode: 'update' })}
              onCancel={() => setPending(null)}
            />
          )}
          {startError && <ErrorNotice message={startError} />}
        </>
      )}
    </main>
  );
}
