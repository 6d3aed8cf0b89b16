import { useState } from 'preact/hooks';
import { describedBy, Field } from '@/components/Field';
import { connectRequestSchema } from '@/utils/flow/connect-request';
import { defaultConnectionName, PAT_LIFETIMES } from '@/utils/inputs';

type Errors = Partial<Record<'tenant' | 'org' | 'connectionName' | 'description', string>>;

/** The popup's form; validates with the same schema the background applies again. */
export function ConnectForm(props: { initialOrg: string; patLifetimeDays: number; onSubmit: (input: unknown) => Promise<void> }) {
  const [tenant, setTenant] = useState('');
  const [org, setOrg] = useState(props.initialOrg);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [days, setDays] = useState(props.patLifetimeDays);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const suggestedName = org ? defaultConnectionName(org) : '';

  async function submit(event: Event) {
    event.preventDefault();
    const input = {
      tenant,
      org,
      connectionName: name.trim() || suggestedName,
      description: description.trim() || undefined,
      patLifetimeDays: days,
    };
    const parsed = connectRequestSchema.safeParse(input);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as keyof Errors;
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await props.onSubmit(parsed.data);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <Field id="tenant" label="Microsoft Entra tenant" hint="Tenant ID (GUID) or verified domain" error={errors.tenant}>
        <input {...describedBy('tenant', true, errors.tenant)} value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
      </Field>
      <Field id="org" label="Azure DevOps organization" hint="The part after dev.azure.com/" error={errors.org}>
        <input {...describedBy('org', true, errors.org)} value={org} onInput={(e) => setOrg(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
      </Field>
      <Field id="connectionName" label="Connection name" hint="Lowercase letters, digits and hyphens" error={errors.connectionName}>
        <input {...describedBy('connectionName', true, errors.connectionName)} value={name} placeholder={suggestedName} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
      </Field>
      <Field id="description" label="Description (optional)" error={errors.description}>
        <input {...describedBy('description', false, errors.description)} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Field id="patLifetimeDays" label="Token lifetime" hint="Your organization’s policy may shorten it">
        <select {...describedBy('patLifetimeDays', true, undefined)} value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          {PAT_LIFETIMES.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={busy}>
        Connect
      </button>
    </form>
  );
}
