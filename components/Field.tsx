import type { ComponentChildren } from 'preact';

/** A labelled form field with its hint and its error, wired for assistive technology. */
export function Field(props: { id: string; label: string; hint?: string; error?: string | undefined; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
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
export function describedBy(id: string, hint: boolean, error: string | undefined) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

/** A Field for an identifier typed or pasted as it is: no autocomplete, no spell check. */
export function IdField(props: { id: string; label: string; hint: string; error?: string | undefined; value: string; onInput: (value: string) => void }) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <input {...describedBy(props.id, true, props.error)} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
    </Field>
  );
}
