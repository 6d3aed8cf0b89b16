import { PAT_LIFETIMES, type PatLifetime } from '@/utils/inputs';
import { describedBy, Field } from './Field';

/**
 * The PAT lifetime picker shared by the popup and the options page. `offered`: the lifetimes the
 * organization's policy allows (utils/policy/policy.ts `allowedLifetimes`), all of them by default;
 * `managed`: the policy sets the default itself, so the options page shows it read-only.
 */
export function LifetimeSelect(props: { label: string; hint?: string; value: number; offered?: readonly PatLifetime[]; managed?: boolean; onChange: (days: PatLifetime) => void }) {
  return (
    <Field id="patLifetimeDays" label={props.label} {...(props.hint ? { hint: props.hint } : {})} managed={props.managed}>
      <select
        {...describedBy('patLifetimeDays', Boolean(props.hint), undefined, props.managed)}
        value={String(props.value)}
        disabled={props.managed}
        onChange={(e) => props.onChange(Number(e.currentTarget.value) as PatLifetime)}
      >
        {(props.offered ?? PAT_LIFETIMES).map((d) => (
          <option key={d} value={d}>
            {d} days
          </option>
        ))}
      </select>
    </Field>
  );
}
