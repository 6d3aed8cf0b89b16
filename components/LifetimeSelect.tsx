import { PAT_LIFETIMES } from '@/utils/inputs';
import { describedBy, Field } from './Field';

/** The PAT lifetime picker shared by the popup and the options page. */
export function LifetimeSelect(props: { label: string; hint?: string; value: number; onChange: (days: (typeof PAT_LIFETIMES)[number]) => void }) {
  return (
    <Field id="patLifetimeDays" label={props.label} {...(props.hint ? { hint: props.hint } : {})}>
      <select
        {...describedBy('patLifetimeDays', Boolean(props.hint), undefined)}
        value={String(props.value)}
        onChange={(e) => props.onChange(Number(e.currentTarget.value) as (typeof PAT_LIFETIMES)[number])}
      >
        {PAT_LIFETIMES.map((d) => (
          <option key={d} value={d}>
            {d} days
          </option>
        ))}
      </select>
    </Field>
  );
}
