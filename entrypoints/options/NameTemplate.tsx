import { describedBy, Field } from '@/components/Field';
import { connectionNameFor, nameTemplateSchema, SAMPLE_ORG } from '@/utils/inputs';

/**
 * The connection name one-click connects from Azure DevOps pages use (`{org}` replaced;
 * entrypoints/background/page-handlers.ts), with a preview of the name it gives.
 */
export function NameTemplate(props: { value: string; error: string | undefined; managed: boolean; onInput: (value: string) => void }) {
  const valid = nameTemplateSchema.safeParse(props.value);
  const hint = valid.success ? `${SAMPLE_ORG} → ${connectionNameFor(SAMPLE_ORG, valid.data)}` : 'Lowercase letters, digits, hyphens and {org}';
  return (
    <Field id="connectionNameTemplate" label="Connection name on Azure DevOps pages" hint={hint} error={props.error} managed={props.managed}>
      <input
        {...describedBy('connectionNameTemplate', true, props.error, props.managed)}
        value={props.value}
        readOnly={props.managed}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        autocomplete="off"
        spellcheck={false}
      />
    </Field>
  );
}
