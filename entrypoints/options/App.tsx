import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { describedBy, Field, IdField, MANAGED_NOTE } from '@/components/Field';
import { droppedFromUrl, firstIssue, guidSchema, instanceUrlSchema, nameTemplateSchema, originPattern } from '@/utils/inputs';
import { readIdentitySecret, type StoredSecret } from '@/utils/storage/secret';
import type { Settings } from '@/utils/storage/settings';
import { readSettingsAndPolicy } from '@/utils/storage/view';
import { allowedLifetimes, applyPolicy, lifetimeUnder, ownSettingsToSave, type Policy } from '@/utils/policy/policy';
import { onPolicyChanged } from '@/utils/policy/read-policy';
import type { ManagedKeyName } from '@/utils/policy/managed-keys';
import { backgroundMessaging } from '@/utils/messaging';
import { LifetimeSelect } from '@/components/LifetimeSelect';
import { ConnectionsSection } from './ConnectionsSection';
import { ExpiryWarning } from './ExpiryWarning';
import { NameTemplate } from './NameTemplate';
import { PolicyNotice } from './PolicyNotice';
import { RedirectUri } from './RedirectUri';
import { saveOptions } from './save';
import { SetupCheck } from './SetupCheck';
import { UnreadableRecords } from './UnreadableRecords';

type Errors = Partial<Record<'infisicalUrl' | 'identityClientId' | 'identityClientSecret' | 'microsoftClientId' | 'connectionNameTemplate', string>>;

export function App() {
  /** The settings in force (the policy's over the person's), and as being edited. */
  const [saved, setSaved] = useState<Settings | null>(null);
  /** The person's own settings as stored: what a save keeps for the fields the policy sets. */
  const [local, setLocal] = useState<Settings | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  /** The keys the policy set at the last read, for the policy-change listener (which outlives renders). */
  const managedBefore = useRef<readonly ManagedKeyName[] | null>(null);
  /** The number of the latest read of settings and policy: an older read's answer is dropped. */
  const reads = useRef(0);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [stored, setStored] = useState<StoredSecret | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    const seq = ++reads.current;
    void Promise.all([readSettingsAndPolicy(), readIdentitySecret()]).then(([read, storedSecret]) => {
      setStored(storedSecret);
      // A policy change read meanwhile (Chromium hands the policy over a moment after it starts) is newer.
      if (seq !== reads.current) return;
      setSaved(read.settings);
      setSettings(read.settings);
      setLocal(read.local);
      setPolicy(read.policy);
      managedBefore.current = read.policy.managed;
      setUrl(read.settings.infisicalUrl ?? '');
    });
    // A policy changed while the page is open (Chromium re-reads policy within seconds; the first
    // values also arrive this way just after the browser starts): the fields it sets follow it, the
    // others keep what is being typed.
    return onPolicyChanged(() => {
      const seq = ++reads.current;
      void readSettingsAndPolicy().then((read) => {
        // A read that started before a later one (the first read, or an earlier change) is out of date.
        if (seq !== reads.current) return;
        // Set by the policy now, or until now (then the person's own value is back): taken from the read.
        const follows = (key: string) => read.policy.managed.includes(key as ManagedKeyName) || Boolean(managedBefore.current?.includes(key as ManagedKeyName));
        setSettings((editing) => {
          if (!editing) return read.settings;
          const next = Object.fromEntries(Object.entries(editing).map(([key, value]) => [key, follows(key) ? read.settings[key as keyof Settings] : value])) as Settings;
          // A new maximum applies to the lifetime being edited too.
          return { ...next, patLifetimeDays: lifetimeUnder(read.policy.rules, next.patLifetimeDays) };
        });
        if (follows('infisicalUrl') || managedBefore.current === null) {
          setUrl(read.settings.infisicalUrl ?? '');
          // A secret typed for the address before is not sent to the policy's new one unasked.
          setSecret('');
        }
        managedBefore.current = read.policy.managed;
        setPolicy(read.policy);
        setLocal(read.local);
        setSaved(read.settings);
      });
    });
  }, []);

  // Opened at a missing piece (options.html#identityClientSecret, from a page's one-click connect).
  useEffect(() => {
    if (settings && location.hash) document.getElementById(location.hash.slice(1))?.focus();
  }, [settings === null]);

  if (!settings || !saved || !local || !policy) return <main aria-busy="true" />;
  const s = settings;
  const before = saved;
  // Narrowed for the closures below.
  const orgPolicy = policy;
  const ownSettings = local;
  const managed = (key: ManagedKeyName) => orgPolicy.managed.includes(key);
  const update = (patch: Partial<Settings>) => setSettings({ ...s, ...patch });
  /** An identifier field's value, error and input, by its setting. */
  const idField = (key: 'identityClientId' | 'microsoftClientId') => ({
    id: key,
    value: s[key],
    error: errors[key],
    managed: managed(key),
    onInput: (v: string) => update({ [key]: v }),
  });
  const universal = s.identityAuth === 'universal-auth';
  // A secret goes only to the origin it was entered for: a new origin needs it again (save.ts).
  const typedOrigin = instanceUrlSchema.safeParse(url);
  const newOrigin = typedOrigin.success && saved.infisicalUrl !== null && typedOrigin.data !== saved.infisicalUrl ? typedOrigin.data : null;
  const hasSecret = Boolean(stored) && !newOrigin && (stored?.origin === saved.infisicalUrl || stored?.origin === null);
  const refused = hasSecret && universal && stored?.refusedFor === s.identityClientId.trim().toLowerCase();
  const secretWord = universal ? 'client secret' : 'access token';
  // The secret was entered for another address than the one in force (the person's typing, or the policy's).
  const otherOrigin = newOrigin ?? (stored?.origin && saved.infisicalUrl && stored.origin !== saved.infisicalUrl ? saved.infisicalUrl : null);
  const againFor = otherOrigin ? `Enter the ${secretWord} again: it will be sent to ${otherOrigin}` : null;

  function submit(event: Event) {
    event.preventDefault();
    setStatus('');
    const next: Errors = {};
    const instance = instanceUrlSchema.safeParse(url);
    if (!instance.success) next.infisicalUrl = firstIssue(instance.error);
    const identity = universal ? guidSchema('The client ID').safeParse(s.identityClientId) : { success: true as const, data: s.identityClientId };
    if (!identity.success) next.identityClientId = firstIssue(identity.error);
    if (!secret.trim() && !hasSecret) {
      next.identityClientSecret = againFor ?? (universal ? 'Enter the client secret of the Universal Auth identity.' : 'Paste the identity’s access token.');
    }
    const template = nameTemplateSchema.safeParse(s.connectionNameTemplate);
    if (!template.success) next.connectionNameTemplate = firstIssue(template.error);
    // Optional: when empty, the sign-in uses the instance's own Azure DevOps app (its oauthClientId).
    const microsoft = s.microsoftClientId.trim() ? guidSchema('The application (client) ID').safeParse(s.microsoftClientId) : { success: true as const, data: '' };
    if (!microsoft.success) next.microsoftClientId = firstIssue(microsoft.error);
    setErrors(next);
    if (!instance.success || !identity.success || !microsoft.success || !template.success || Object.keys(next).length > 0) return;

    // Ask for the instance's origin now, inside the click: browsers only show the prompt for a user gesture.
    const permission = browser.permissions.request({ origins: [originPattern(instance.data)] });
    void (async () => {
      if (!(await permission)) {
        setErrors({ infisicalUrl: `The extension needs access to ${instance.data} to create connections there. Save again and allow it.` });
        return;
      }
      const values = { ...s, infisicalUrl: instance.data, identityClientId: identity.data, microsoftClientId: microsoft.data, connectionNameTemplate: template.data };
      // The person's own values for what the policy sets stay as they were: they apply again if the policy goes.
      const written = ownSettingsToSave(values, ownSettings, orgPolicy);
      const nowStored = await saveOptions({ previous: before, next: values, own: written, typedSecret: secret.trim(), stored: hasSecret ? stored : null });
      setLocal(written);
      setSaved(applyPolicy(written, orgPolicy));
      setSettings(values);
      setUrl(instance.data);
      setSecret('');
      setStored(nowStored);
      const dropped = droppedFromUrl(url);
      setStatus(dropped ? `Saved. The address was saved as ${instance.data}, without ${dropped}: Infisical’s API lives at the origin.` : 'Saved.');
    })();
  }

  // A check may find the secret refused (the mark is kept with it): the secret's hint then says so.
  const runCheck = (options: { testSignIn: boolean; tenant?: string }) =>
    backgroundMessaging.sendMessage('setup.check', options).finally(() => void readIdentitySecret().then(setStored, () => undefined));

  return (
    <main class="stack">
      <h1>Infisical Connect for Azure DevOps — settings</h1>
      <PolicyNotice policy={policy} />
      <form class="stack" onSubmit={submit} noValidate>
        <h2>Infisical</h2>
        <Field
          id="infisicalUrl"
          label="Infisical instance"
          hint="For example https://app.infisical.com or your self-hosted address"
          error={errors.infisicalUrl}
          managed={managed('infisicalUrl')}
        >
          <input
            {...describedBy('infisicalUrl', true, errors.infisicalUrl, managed('infisicalUrl'))}
            value={url}
            readOnly={managed('infisicalUrl')}
            onInput={(e) => setUrl(e.currentTarget.value)}
            inputMode="url"
            autocomplete="url"
            spellcheck={false}
          />
        </Field>
        <fieldset class="methods" disabled={managed('identityAuth')} data-managed={managed('identityAuth') ? 'true' : undefined}>
          <legend>
            Machine identity sign-in
            {managed('identityAuth') && <span class="managed">{MANAGED_NOTE}</span>}
          </legend>
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
          <IdField
            {...idField('identityClientId')}
            label="Machine identity client ID"
            hint="The identity needs the organization permission App Connections: create (and read, edit to update)"
          />
        )}
        <Field
          id="identityClientSecret"
          label={s.identityAuth === 'universal-auth' ? 'Machine identity client secret' : 'Identity access token'}
          hint={
            againFor ??
            (refused
              ? 'Infisical refused the saved secret, so it is not sent again: enter the correct one'
              : hasSecret
                ? 'Saved; leave empty to keep it'
                : 'Kept only until the browser closes, unless you tick the box below')
          }
          error={errors.identityClientSecret}
        >
          <input
            {...describedBy('identityClientSecret', true, errors.identityClientSecret)}
            type="password"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
            autocomplete="off"
          />
        </Field>
        <div class="row">
          <input id="rememberSecret" type="checkbox" checked={s.rememberSecret} onChange={(e) => update({ rememberSecret: e.currentTarget.checked })} />
          <label for="rememberSecret">Remember the client secret on this device</label>
        </div>
        <h2>Microsoft</h2>
        <IdField
          {...idField('microsoftClientId')}
          label="Microsoft app (client) ID (optional)"
          hint="The Entra app registration used to sign in; when empty, the instance’s own Azure DevOps OAuth app is used"
        />
        <NameTemplate
          value={s.connectionNameTemplate}
          error={errors.connectionNameTemplate}
          managed={managed('connectionNameTemplate')}
          onInput={(v) => update({ connectionNameTemplate: v })}
        />
        <LifetimeSelect
          label="Default token lifetime"
          value={s.patLifetimeDays}
          offered={allowedLifetimes(policy.rules)}
          managed={managed('patLifetimeDays')}
          onChange={(days) => update({ patLifetimeDays: days })}
        />
        <ExpiryWarning
          days={s.expiryWarningDays}
          notifications={s.expiryNotifications}
          managed={{ days: managed('expiryWarningDays'), notifications: managed('expiryNotifications') }}
          onChange={update}
        />
        <div class="row">
          <button type="submit">Save</button>
          <span role="status" data-testid="save-status">
            {status}
          </span>
        </div>
      </form>
      <ConnectionsSection windowDays={saved.expiryWarningDays} />
      <RedirectUri />
      <SetupCheck run={runCheck} />
      <UnreadableRecords />
    </main>
  );
}
