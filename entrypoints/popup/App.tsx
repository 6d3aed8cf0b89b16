import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConnectionScopes } from '@/utils/infisical/scopes';
import { browser } from 'wxt/browser';
import { ErrorNotice } from '@/components/ErrorNotice';
import { FlowProgress } from '@/components/FlowProgress';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { ConnectRequest } from '@/utils/flow/connect-request';
import type { FlowState, UserMessage } from '@/utils/flow/flow-state';
import { backgroundMessaging, type ExistingConnection as Existing } from '@/utils/messaging';
import type { Settings } from '@/utils/storage/settings';
import { followFlows, pickFlow, readSettingsAndPolicy } from '@/utils/storage/view';
import type { PolicyRules } from '@/utils/policy/policy';
import { onPolicyChanged } from '@/utils/policy/read-policy';
import { InstanceAccess } from './InstanceAccess';
import { ConnectForm, type FormSeed } from './ConnectForm';
import { ExistingConnection } from './ExistingConnection';
import { orgFromUrl } from '@/utils/azure-devops/page-url';
import { defaultConnectionName } from '@/utils/inputs';

type Loaded = { settings: Settings; rules: PolicyRules; urlManaged: boolean; tabOrg: string | null };

/** What the popup takes from a read of the settings and the organization's policy. */
const fromRead = (read: Awaited<ReturnType<typeof readSettingsAndPolicy>>) => ({
  settings: read.settings,
  rules: read.policy.rules,
  urlManaged: read.policy.managed.includes('infisicalUrl'),
});

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [flows, setFlows] = useState<FlowState[]>([]);
  /** Which flow to show: undefined = the one for the form's org and name (else the last started), null = the form. */
  const [selected, setSelected] = useState<string | null | undefined>(undefined);
  const [oauthAvailable, setOauthAvailable] = useState(false);
  const [scopes, setScopes] = useState<ConnectionScopes | null>(null);
  const [startError, setStartError] = useState<UserMessage | null>(null);
  const [pending, setPending] = useState<{ request: ConnectRequest; existing: Existing } | null>(null);
  /**
   * What the form was started from; replaced (with a new form) only when a failed flow this popup
   * did not start is left for the form: then the form starts from what that flow was making.
   */
  const [form, setForm] = useState<{ key: number; seed: FormSeed | null }>({ key: 0, seed: null });
  /**
   * Whether the form shown was submitted in this popup. A ref, not state: setting it in the click
   * would render the popup before the start message leaves (docs/performance.md).
   */
  const formUsed = useRef(false);
  /** The form is mounted once first shown, then kept (hidden) while flows show: it keeps what was typed. */
  const formShown = useRef(false);

  // Whether the instance offers its own OAuth app; the form simply omits that method until it knows
  // (asked again once the instance may be reached: InstanceAccess).
  const askMethods = () => {
    void backgroundMessaging.sendMessage('instance.methods', undefined).then(
      (m) => setOauthAvailable(m.oauth),
      () => setOauthAvailable(false),
    );
    // The projects a connection may belong to (utils/infisical/scopes.ts); the field appears once known.
    void backgroundMessaging.sendMessage('instance.scopes', undefined).then(setScopes, () => setScopes(null));
  };

  useEffect(() => {
    // The background writes progress to session storage; this keeps the popup in step with it.
    const flowsNow = followFlows(setFlows);
    // The settings and the organization's policy, read again at every policy change (utils/policy/
    // read-policy.ts; Chromium hands the policy over a moment after it starts): the latest read wins.
    let reads = 0;
    let latest: ReturnType<typeof fromRead> | null = null;
    const read = () => {
      const seq = ++reads;
      return readSettingsAndPolicy().then((r) => {
        if (seq === reads) latest = fromRead(r);
        return latest ?? fromRead(r);
      });
    };
    const stopPolicy = onPolicyChanged(() => {
      void read().then((config) => setLoaded((before) => (before && config ? { ...before, ...config } : before)));
    });
    void (async () => {
      const [config, , [tab]] = await Promise.all([read(), flowsNow.first, browser.tabs.query({ active: true, currentWindow: true })]);
      setLoaded({ ...(latest ?? config), tabOrg: orgFromUrl(tab?.url) });
    })();
    askMethods();
    return () => {
      flowsNow.stop();
      stopPolicy();
    };
  }, []);

  // The connections list is a page of its own (options.html?list, Connections.tsx): loaded only when
  // asked for, it adds nothing to the popup's bundle, whose size is budgeted (docs/performance.md).
  // Not imported from there: that would bring the list into this bundle.
  const heading = (
    <div class="row">
      <h1>Connect Azure DevOps to Infisical</h1>
      <button type="button" class="secondary" data-testid="show-connections" onClick={() => location.assign('options.html?list')}>
        Connections
      </button>
    </div>
  );
  if (!loaded) {
    return (
      <main class="stack" aria-busy="true">
        {heading}
      </main>
    );
  }
  const { settings } = loaded;
  // The flow of the org and name the form starts from (the tab's org, its default name), else the latest.
  const formOrg = form.seed?.org ?? loaded.tabOrg;
  const formName = form.seed?.connectionName || (formOrg ? defaultConnectionName(formOrg) : null);
  const flow = selected === null ? null : pickFlow(flows, { id: selected, org: formOrg, name: formName });
  if (!flow) formShown.current = true;
  const configured = Boolean(settings.infisicalUrl && (settings.identityAuth === 'access-token' || settings.identityClientId));

  async function start(request: ConnectRequest) {
    setStartError(null);
    try {
      const started = await backgroundMessaging.sendMessage('connect.start', request);
      setFlows((known) => (known.some((f) => f.id === started.id) ? known : [...known, started]));
      setSelected(started.id);
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
    formUsed.current = true;
    try {
      const existing = await lookup;
      if (existing) setPending({ request, existing });
      else await start(request);
    } catch (error) {
      setStartError(userMessageOf(error));
    }
  }

  /**
   * Leave a finished flow for the form. The form kept what was typed here; a failed flow from before
   * this popup opened gives it its org, connection name and method instead, to try again.
   */
  function backToForm(left: FlowState) {
    setSelected(null);
    // After a success, "Connect another organization" starts afresh from the tab's org.
    const used = formUsed.current;
    if (left.status === 'succeeded' || !used) formUsed.current = false;
    if (left.status === 'succeeded') setForm((f) => ({ key: f.key + 1, seed: null }));
    if (left.status !== 'failed' || used) return;
    const connectionName = left.connectionName === defaultConnectionName(left.org) ? '' : left.connectionName;
    setForm((f) => ({ key: f.key + 1, seed: { org: left.org, connectionName, method: left.method } }));
  }

  return (
    <main class="stack">
      {heading}
      {configured && settings.infisicalUrl && <InstanceAccess origin={settings.infisicalUrl} managed={loaded.urlManaged} onGranted={askMethods} />}
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
            <button
              type="button"
              class="secondary"
              data-testid="dismiss"
              onClick={() => {
                // The form first, then the message: had the form waited for the answer, the storage
                // change it causes could show a form that the seeded one then replaces while typing.
                backToForm(flow);
                void backgroundMessaging.sendMessage('flow.dismiss', { id: flow.id }).catch(() => undefined);
              }}
            >
              {flow.status === 'failed' ? 'Back to the form' : 'Connect another organization'}
            </button>
          )}
        </>
      ) : null}
      {configured && formShown.current && (
        <>
          <div hidden={Boolean(flow || pending)}>
            <ConnectForm
              key={form.key}
              seed={form.seed ?? { org: loaded.tabOrg ?? '' }}
              patLifetimeDays={settings.patLifetimeDays}
              rules={loaded.rules}
              oauthAvailable={oauthAvailable}
              scopes={scopes}
              onSubmit={submit}
            />
          </div>
          {!flow && pending && (
            <ExistingConnection
              name={pending.request.connectionName}
              existing={pending.existing}
              method={pending.request.method}
              onUpdate={() => void start({ ...pending.request, mode: 'update' })}
              onCancel={() => setPending(null)}
            />
          )}
          {!flow && startError && <ErrorNotice message={startError} />}
        </>
      )}
    </main>
  );
}
