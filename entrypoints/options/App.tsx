import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { describedBy, Field } from '@/components/Field';
import { firstIssue, guidSchema, instanceUrlSchema, originPattern } from '@/utils/inputs';
import { readIdentitySecret, settingsItem, writeIdentitySecret } from '@/utils/storage';
import { readSettings, type Settings } from '@/utils/storage-view';
import { backgroundMessaging } from '@/utils/messaging';
import { LifetimeSelect } from '@/components/LifetimeSelect';
import { RedirectUri } from './RedirectUri';
import { SetupCheck } from './SetupCheck';

type Errors = Partial<Record<'infisicalUrl' | 'identityClientId' | 'identityClientSecret' | 'microsoftClientId', string>>;

export function App() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [hasSecret, setHasSecret] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    void Promise.all([readSettings(), readIdentitySecret()]).then(([s, storedSecret]) => {
      setSettings(s);
      setUrl(s.infisicalUrl ?? '');
      setHasSecret(Boolean(storedSecret));
    });
  }, []);

  // Opened at a missing piece (options.html#identityClientSecret, from a page's one-click connect).
  useEffect(() => {
    if (settings && location.hash) document.getElementById(location.hash.slice(1))?.focus();
  }, [settings === null]);

  if (!settings) return <main aria-busy="true" />;
  const s = settings;
  const update = (patch: Partial<Settings>) => setSettings({ ...s, ...patch });

  function submit(event: Event) {
    event.preventDefault();
    setStatus('');
    const next: Errors = {};
    const instance = instanceUrlSchema.safeParse(url);
    if (!instance.success) next.infisicalUrl = firstIssue(instance.error);
    const universal = s.identityAuth === 'universal-auth';
    const identity = universal ? guidSchema('The client ID').safeParse(s.identityClientId) : { success: true as const, data: s.identityClientId };
    if (!identity.success) next.identityClientId = firstIssue(identity.error);
    if (!secret.trim() && !hasSecret) {
      next.identityClientSecret = universal ? 'Enter the client secret of the Universal Auth identity.' : 'Paste the identity’s access token.';
    }
    // Optional: when empty, the sign-in uses the instance's own Azure DevOps app (its oauthClientId).
    const microsoft = s.microsoftClientId.trim()
      ? guidSchema('The application (client) ID').safeParse(s.microsoftClientId)
      : { success: true as const, data: '' };
    if (!microsoft.success) next.microsoftClientId = firstIssue(microsoft.error);
    setErrors(next);
    if (!instance.success || !identity.success || !microsoft.success || Object.keys(next).length > 0) return;

    // Ask for the instance's origin now, inside the click: browsers only show the prompt for a user gesture.
    const permission = browser.permissions.request({ origins: [originPattern(instance.data)] });
    void (async () => {
      if (!(await permission)) {
        setErrors({ infisicalUrl: `The extension needs access to ${instance.data} to create connections there. Save again and allow it.` });
        return;
      }
      const saved: Settings = { ...s, infisicalUrl: instance.data, identityClientId: identity.data, microsoftClientId: microsoft.data };
      await settingsItem.setValue(saved);
      const newSecret = secret.trim();
      const storedSecret = newSecret || (await readIdentitySecret());
      if (storedSecret) await writeIdentitySecret(storedSecret, saved.rememberSecret);
      setSettings(saved);
      setUrl(instance.data);
      setSecret('');
      setHasSecret(true);
      setStatus('Saved.');
    })();
  }

  const runCheck = (options: { testSignIn: boolean; tenant?: string }) => backgroundMessaging.sendMessage('setup.check', options);

  return (
    <main class="stack">
      <h1>Infisical Connect for Azure DevOps — settings</h1>
      <form class="stack" onSubmit={submit} noValidate>
        <h2>Infisical</h2>
        <Field id="infisicalUrl" label="Infisical instance" hint="For example https://app.infisical.com or your self-hosted address" error={errors.infisicalUrl}>
          <input {...describedBy('infisicalUrl', true, errors.infisicalUrl)} value={url} onInput={(e) => setUrl(e.currentTarget.value)} inputMode="url" autocomplete="url" spellcheck={false} />
        </Field>
        <fieldset class="methods">
          <legend>Machine identity sign-in</legend>
          <label class="row">
            <input type="radio" name="identityAuth" value="universal-auth" checked={s.identityAuth === 'universal-auth'} onChange={() => update({ identityAuth: 'universal-auth' })} />
            Universal Auth (client ID and secret; tokens renew automatically)
          </label>
          <label class="row">
            <input type="radio" name="identityAuth" value="access-token" checked={s.identityAuth === 'access-token'} onChange={() => update({ identityAuth: 'access-token' })} />
            An identity access token I paste
          </label>
        </fieldset>
        {s.identityAuth === 'universal-auth' && (
          <Field id="identityClientId" label="Machine identity client ID" hint="The identity needs the organization permission App Connections: create (and read, edit to update)" error={errors.identityClientId}>
            <input {...describedBy('identityClientId', true, errors.identityClientId)} value={s.identityClientId} onInput={(e) => update({ identityClientId: e.currentTarget.value })} autocomplete="off" spellcheck={false} />
          </Field>
        )}
        <Field
          id="identityClientSecret"
          label={s.identityAuth === 'universal-auth' ? 'Machine identity client secret' : 'Identity access token'}
          hint={hasSecret ? 'Saved; leave empty to keep it' : 'Kept only until the browser closes, unless you tick the box below'}
          error={errors.identityClientSecret}
        >
          <input {...describedBy('identityClientSecret', true, errors.identityClientSecret)} type="password" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} autocomplete="off" />
        </Field>
        <div class="row">
          <input id="rememberSecret" type="checkbox" checked={s.rememberSecret} onChange={(e) => update({ rememberSecret: e.currentTarget.checked })} />
          <label for="rememberSecret">Remember the client secret on this device</label>
        </div>
        <h2>Microsoft</h2>
        <Field id="microsoftClientId" label="Microsoft app (client) ID (optional)" hint="The Entra app registration used to sign in; when empty, the instance’s own Azure DevOps OAuth app is used" error={errors.microsoftClientId}>
          <input {...describedBy('microsoftClientId', true, errors.microsoftClientId)} value={s.microsoftClientId} onInput={(e) => update({ microsoftClientId: e.currentTarget.value })} autocomplete="off" spellcheck={false} />
        </Field>
        <LifetimeSelect label="Default token lifetime" value={s.patLifetimeDays} onChange={(days) => update({ patLifetimeDays: days })} />
        <div class="row">
          <button type="submit">Save</button>
          <span role="status" data-testid="save-status">
            {status}
          </span>
        </div>
      </form>
      <RedirectUri />
      <SetupCheck run={runCheck} />
    </main>
  );
}
