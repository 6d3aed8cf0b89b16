import type { ComponentChildren } from 'preact';

/** What a field the organization's policy sets says (utils/policy/policy.ts): shown read-only. */
export const MANAGED_NOTE = 'Set by your organization';

/**
 * A labelled form field with its hint and its error, wired for assistive technology. `managed`:
 * the organization's policy sets it; the input is then read-only and the field says so.
 */
export function Field(props: { id: string; label: string; hint?: string; error?: string | undefined; managed?: boolean; children: ComponentChildren }) {
  return (
    <div class="field" data-managed={props.managed ? 'true' : undefined}>
      <label for={props.id}>
        {props.label}
        {props.managed && (
          <span class="managed" id={`${props.id}-managed`} aria-hidden="true">
            {MANAGED_NOTE}
          </span>
        )}
      </label>
      {props.children}
      {props.hint && (
        <div class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <div class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

/** aria attributes for the input inside a Field. */
export function describedBy(id: string, hint: boolean, error: string | undefined, managed = false) {
  const ids = [managed ? `${id}-managed` : '', hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

/** A Field for an identifier typed or pasted as it is: no autocomplete, no spell check. */
export function IdField(props: { id: string; label: string; hint: string; error?: string | undefined; managed?: boolean; value: string; onInput: (value: string) => void }) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} managed={props.managed}>
      <input
        {...describedBy(props.id, true, props.error, props.managed)}
        value={props.value}
        readOnly={props.managed}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        autocomplete="off"
        spellcheck={false}
      />
    </Field>
  );
}
