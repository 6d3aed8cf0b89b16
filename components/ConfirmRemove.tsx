import { useEffect, useRef } from 'preact/hooks';

/**
 * The inline confirmation of a removal (not `window.confirm`): it names the connection and what
 * stops working. Focus goes to Cancel, the safe choice; Escape cancels.
 */
export function ConfirmRemove(props: { id: string; name: string; tokenMadeHere: boolean; onConfirm: () => void; onCancel: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <fieldset
      class="notice confirm"
      id={props.id}
      aria-describedby={`${props.id}-question`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
      }}
    >
      <legend>Remove “{props.name}”?</legend>
      <p id={`${props.id}-question`}>
        Infisical deletes the connection, and whatever uses it stops working; Infisical refuses while a secret sync still uses it, so remove those syncs first
        {props.tokenMadeHere ? '. The token this extension made for it is revoked.' : '.'}
      </p>
      <div class="row">
        <button type="button" class="danger small" data-testid="confirm-remove" onClick={props.onConfirm}>
          Remove “{props.name}”
        </button>
        <button type="button" class="secondary small" data-testid="cancel-remove" ref={cancel} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
