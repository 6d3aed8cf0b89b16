import type { Ref } from 'preact';
import type { ConnectionRow } from '@/utils/connections/view-model';
import type { RowAction } from './connection-text';

export interface ConnectionActionsProps {
  row: ConnectionRow;
  /** An action of the row is running (its own, or Renew all's). */
  disabled: boolean;
  /** The popup's list: the one action that fixes the credential, and no removal. */
  compact: boolean;
  /** The removal's confirmation is open (ConfirmRemove.tsx, rendered by the row). */
  confirming: boolean;
  /** The element ids the row gives its notes. */
  ids: { note: string; confirm: string };
  removeRef: Ref<HTMLButtonElement>;
  onAction: (action: RowAction) => void;
  onRemove: () => void;
}

/**
 * What a row offers: Renew (a PAT made here), Replace (an access token made elsewhere, which the
 * extension cannot revoke), or the background's reason for neither; Remove behind a confirmation;
 * for a connection gone from Infisical, revoking its PAT and forgetting its record.
 */
export function ConnectionActions(props: ConnectionActionsProps) {
  const { row, disabled, compact } = props;
  if (row.status.kind === 'gone') {
    if (row.canForget) {
      return (
        <div class="row">
          <button type="button" class="small" data-testid="forget" disabled={disabled} onClick={() => props.onAction('forget')}>
            Revoke its token and forget it
          </button>
        </div>
      );
    }
    return !compact && row.renewNote ? <p class="hint">{row.renewNote}</p> : null;
  }
  if (compact && row.renew === null) return null;
  const replaceNote = row.renew === 'replace';
  const note = replaceNote
    ? 'Its token was not made by this extension, which cannot revoke it: once it is replaced, ask the token’s owner to revoke the old one in Azure DevOps.'
    : row.renew === null
      ? row.renewNote
      : null;
  // Why there is nothing to renew comes before the buttons; what Replace leaves to do comes after it.
  const noteText = note && (
    <p class="hint" id={props.ids.note}>
      {note}
    </p>
  );
  return (
    <>
      {!replaceNote && noteText}
      <div class="row">
        {row.renew === 'renew' && (
          <button type="button" class="small" data-testid="renew" disabled={disabled} onClick={() => props.onAction('renew')}>
            Renew
          </button>
        )}
        {row.renew === 'replace' && (
          <button type="button" class="small" data-testid="replace" disabled={disabled} aria-describedby={props.ids.note} onClick={() => props.onAction('renew')}>
            Replace with a least-privilege token
          </button>
        )}
        {!compact && (
          <button
            type="button"
            class="secondary danger small"
            data-testid="remove"
            ref={props.removeRef}
            disabled={disabled}
            aria-expanded={props.confirming}
            aria-controls={props.confirming ? props.ids.confirm : undefined}
            onClick={props.onRemove}
          >
            Remove
          </button>
        )}
      </div>
      {replaceNote && noteText}
    </>
  );
}
