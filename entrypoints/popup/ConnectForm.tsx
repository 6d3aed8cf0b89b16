import { useEffect, useRef, useState } from 'preact/hooks';
import { describedBy, Field } from '@/components/Field';
import { connectRequestSchema, METHOD_LABELS, type ConnectRequest, type Method } from '@/utils/flow/connect-request';
import { allowedLifetimes, lifetimeUnder, type PolicyRules } from '@/utils/policy/policy';
import { LifetimeSelect } from '@/components/LifetimeSelect';
import { defaultConnectionName, tenantIdSchema, type PatLifetime } from '@/utils/inputs';
import type { ConnectionScopes } from '@/utils/infisical/scopes';
import { backgroundMessaging, type ExistingConnection } from '@/utils/messaging';
import { useTenantDiscovery } from './use-discovery';
import { useExistingConnection } from './use-existing';

type Values = Record<'tenant' | 'org' | 'connectionName' | 'description' | 'pat' | 'clientId' | 'clientSecret' | 'clientSecretKeyId', string>;
type Errors = Partial<Record<keyof Values, string>>;

/** What the form starts from: the tab's org, or what a failed flow was making (no secrets). */
export interface FormSeed {
  org: string;
  connectionName?: string;
  method?: Method;
}

/**
 * The popup's form; validates with the same schema the background applies again. It stays mounted
 * while a flow shows, so "Back to the form" finds what was typed; secrets are cleared once sent.
 */
export function ConnectForm(props: {
  seed: FormSeed;
  patLifetimeDays: number;
  /** What the organization's policy allows (utils/policy/policy.ts): nothing else is offered. */
  rules: PolicyRules;
  oauthAvailable: boolean;
  /** The Infisical projects a connection may belong to (utils/infisical/scopes.ts); null until known. */
  scopes: ConnectionScopes | null;
  onSubmit: (request: ConnectRequest, lookup: Promise<ExistingConnection | null>) => Promise<void>;
}) {
  const allowed = props.rules.allowedMethods;
  const [method, setMethod] = useState<Method>(props.seed.method && allowed.includes(props.seed.method) ? props.seed.method : (allowed[0] ?? 'microsoft'));
  const lifetimes = allowedLifetimes(props.rules);
  const [values, setValues] = useState<Values>({
    tenant: '',
    org: props.seed.org,
    connectionName: props.seed.connectionName ?? '',
    description: '',
    pat: '',
    clientId: '',
    clientSecret: '',
    clientSecretKeyId: '',
  });
  const [days, setDays] = useState(props.patLifetimeDays);
  /** The Infisical project the connection will belong to; '' the whole organization. */
  const [projectId, setProjectId] = useState('');
  // Offered only where the instance keeps connections per project and the identity sees a project.
  const projects = props.scopes && props.scopes.supported !== false ? props.scopes.projects : [];
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  /** Set in the click itself: a second submit is refused before any render has disabled the button. */
  const submitting = useRef(false);
  const [orgs, setOrgs] = useState<string[] | null>(null);
  const [orgsError, setOrgsError] = useState('');
  const [tenantAuto, setTenantAuto] = useState(false);
  const { discovery, settle: settleDiscovery } = useTenantDiscovery(values.org);
  const effectiveName = values.connectionName.trim() || (values.org ? defaultConnectionName(values.org) : '');
  const scope = projects.some((p) => p.id === projectId) ? projectId : null;
  const nameCheck = useExistingConnection(effectiveName, scope);
  const nameExists = nameCheck.check?.name === effectiveName && nameCheck.check.projectId === scope && nameCheck.check.existing;
  const set = (key: keyof Values) => (e: { currentTarget: { value: string } }) => {
    setValues((v) => ({ ...v, [key]: e.currentTarget.value }));
    // The field is being fixed: its old error no longer describes it.
    setErrors((current) => (current[key] ? { ...current, [key]: undefined } : current));
  };
  const msa = discovery.state === 'found' && discovery.msa;
  // Every method is always listed, so nothing moves under the pointer when the instance's answer
  // arrives; Infisical's OAuth app is selectable only when the instance has one.
  const unavailable = (m: Method) => (msa && m !== 'pat') || (m === 'infisical-oauth' && !props.oauthAvailable);

  // A policy that changed while the popup is open: the choices it no longer allows go.
  useEffect(() => {
    if (!allowed.includes(method)) setMethod(allowed[0] ?? 'microsoft');
    setDays((d) => lifetimeUnder(props.rules, d as PatLifetime));
  }, [props.rules]);

  // Fill the tenant from discovery unless the user typed one; a Microsoft-account org can only use a PAT.
  useEffect(() => {
    if (discovery.state !== 'found') return;
    if (discovery.msa) {
      if (allowed.includes('pat')) setMethod('pat');
      return;
    }
    if (!values.tenant || tenantAuto) {
      setValues((v) => ({ ...v, tenant: discovery.tenantId }));
      setTenantAuto(true);
    }
  }, [discovery]);

  // Once the tenant is known, have the background get the Microsoft sign-in ready, so the click
  // does not wait for it (docs/performance.md). Nothing signs in until Connect.
  useEffect(() => {
    if (method !== 'microsoft' || !tenantIdSchema.safeParse(values.tenant).success) return;
    const timer = setTimeout(() => {
      backgroundMessaging.sendMessage('signin.prepare', { tenant: values.tenant.trim() }).catch(() => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [method, values.tenant]);

  async function findOrganizations() {
    setOrgsError('');
    try {
      const found = await backgroundMessaging.sendMessage('orgs.list', { tenant: values.tenant.trim() || 'organizations' });
      setOrgs(found);
      if (found.length === 0) setOrgsError('Your account is not a member of any Azure DevOps organization.');
    } catch (error) {
      setOrgsError(error instanceof Error ? error.message : String(error));
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (submitting.current) return;
    const common = { org: values.org, connectionName: effectiveName, description: values.description.trim() || undefined, projectId: scope };
    const input =
      method === 'microsoft'
        ? { ...common, method, tenant: values.tenant, patLifetimeDays: days }
        : method === 'infisical-oauth'
          ? { ...common, method, tenant: values.tenant }
          : method === 'pat'
            ? { ...common, method, pat: values.pat }
            : {
                ...common,
                method,
                tenant: values.tenant,
                clientId: values.clientId,
                clientSecret: values.clientSecret,
                clientSecretKeyId: values.clientSecretKeyId.trim() || undefined,
              };
    const parsed = connectRequestSchema.safeParse(input);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as keyof Values] ??= issue.message;
      setErrors(next);
      return;
    }
    submitting.current = true;
    // An org Azure DevOps says does not exist is named under its field before anything else
    // (discovery ran while the name was typed, so this waits only when Connect came first, and
    // then 1.5 s at most: the flow itself also stops at an org that does not exist).
    const found = await Promise.race([settleDiscovery(parsed.data.org), new Promise<null>((resolve) => setTimeout(resolve, 1500, null))]);
    if (found?.state === 'missing') {
      submitting.current = false;
      setErrors({ org: found.message });
      return;
    }
    // The start message leaves before the form re-renders: rendering first held the click's path
    // for 1–2 ms (docs/performance.md).
    const showBusy = setTimeout(() => setBusy(true));
    setErrors((current) => (Object.keys(current).length ? {} : current));
    try {
      const sent = props.onSubmit(parsed.data, nameCheck.settle(parsed.data.connectionName, parsed.data.projectId));
      // The request holds the secrets from here on; the form keeps everything else.
      setValues((v) => (v.pat || v.clientSecret ? { ...v, pat: '', clientSecret: '' } : v));
      await sent;
    } finally {
      clearTimeout(showBusy);
      submitting.current = false;
      setBusy(false);
    }
  }

  const text = (key: keyof Values, label: string, hint?: string, type = 'text') => (
    <Field id={key} label={label} {...(hint ? { hint } : {})} error={errors[key]}>
      <input {...describedBy(key, Boolean(hint), errors[key])} type={type} value={values[key]} onInput={set(key)} autocomplete="off" spellcheck={false} />
    </Field>
  );
  const needsTenant = method !== 'pat';
  const orgError = errors.org ?? (discovery.state === 'missing' ? discovery.message : undefined);

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <fieldset class="methods">
        <legend>Method</legend>
        {allowed.map((m) => (
          <label key={m} class="row">
            <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} disabled={unavailable(m)} />
            {METHOD_LABELS[m]}
            {m === 'infisical-oauth' && !props.oauthAvailable ? ' (not set up on this instance)' : ''}
          </label>
        ))}
      </fieldset>
      {msa && (
        <p class="notice" data-testid="msa-notice" role="status">
          This organization signs in with Microsoft accounts, not Entra ID: only “Paste a personal access token” can work for it.
          {allowed.includes('pat') ? '' : ' Your organization’s policy does not allow that method.'}
        </p>
      )}
      <Field id="org" label="Azure DevOps organization" hint="The part after dev.azure.com/" error={orgError}>
        <input {...describedBy('org', true, orgError)} value={values.org} onInput={set('org')} autocomplete="off" spellcheck={false} list="org-options" />
      </Field>
      {orgs && orgs.length > 0 && (
        <Field id="org-picker" label="Your organizations">
          <select
            id="org-picker"
            data-testid="org-picker"
            value={orgs.includes(values.org) ? values.org : ''}
            onChange={(e) => setValues((v) => ({ ...v, org: e.currentTarget.value }))}
          >
            <option value="">Choose…</option>
            {orgs.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
      )}
      {!values.org && method === 'microsoft' && (
        <button type="button" class="secondary" data-testid="find-orgs" onClick={() => void findOrganizations()}>
          Sign in and list my organizations
        </button>
      )}
      {orgsError && (
        <p class="error" role="alert">
          {orgsError}
        </p>
      )}
      {needsTenant && (
        <Field
          id="tenant"
          label="Microsoft Entra tenant"
          hint={
            discovery.state === 'looking'
              ? 'Looking up the organization’s tenant…'
              : tenantAuto && discovery.state === 'found'
                ? 'Found from the organization'
                : method === 'service-principal'
                  ? 'Tenant ID (GUID)'
                  : 'Tenant ID (GUID) or verified domain'
          }
          error={errors.tenant}
        >
          <input
            {...describedBy('tenant', true, errors.tenant)}
            value={values.tenant}
            onInput={(e) => {
              setTenantAuto(false);
              set('tenant')(e);
            }}
            autocomplete="off"
            spellcheck={false}
          />
        </Field>
      )}
      {method === 'pat' &&
        text(
          'pat',
          'Personal access token',
          'Scopes: Variable Groups (read, create & manage), Release (read, write & execute), Project and Team (read), Service Connections (read & query)',
          'password',
        )}
      {method === 'service-principal' && (
        <>
          {text('clientId', 'Client ID', 'Application (client) ID of the service principal')}
          {text('clientSecret', 'Client secret', 'At most 50 characters', 'password')}
          {text('clientSecretKeyId', 'Secret key ID (optional)', 'Lets Infisical rotate the secret')}
        </>
      )}
      <Field
        id="connectionName"
        label="Connection name"
        hint={nameExists ? 'A connection with this name exists in Infisical: Connect will offer to update its credentials' : 'Lowercase letters, digits and hyphens'}
        error={errors.connectionName}
      >
        <input
          {...describedBy('connectionName', true, errors.connectionName)}
          value={values.connectionName}
          placeholder={values.org ? defaultConnectionName(values.org) : ''}
          onInput={set('connectionName')}
          autocomplete="off"
          spellcheck={false}
        />
      </Field>
      {projects.length > 0 && (
        <Field id="projectId" label="Belongs to" hint="A project’s admins can make and use its connections without an organization role">
          <select {...describedBy('projectId', true, undefined)} data-testid="scope" value={scope ?? ''} onChange={(e) => setProjectId(e.currentTarget.value)}>
            <option value="">The whole organization</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                Project {p.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {text('description', 'Description (optional)')}
      {method === 'microsoft' && (
        <LifetimeSelect
          label="Token lifetime"
          hint={
            props.rules.maxPatLifetimeDays === null
              ? 'Azure DevOps may shorten it, by your organization’s token policy'
              : `Your organization allows at most ${props.rules.maxPatLifetimeDays} days`
          }
          value={days}
          offered={lifetimes}
          onChange={setDays}
        />
      )}
      <button type="submit" disabled={busy}>
        Connect
      </button>
    </form>
  );
}
