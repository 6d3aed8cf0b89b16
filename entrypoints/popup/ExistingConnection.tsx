import { INFISICAL_METHOD, type Method } from '@/utils/flow/connect-request';
import { methodName } from '@/utils/flow/method-names';
import type { ExistingConnection as Existing } from '@/utils/messaging';

/** A connection of the same name exists: show it and offer to update its credentials. */
export function ExistingConnection(props: { name: string; existing: Existing; method: Method; onUpdate: () => void; onCancel: () => void }) {
  const { existing } = props;
  const mismatch = existing.method !== INFISICAL_METHOD[props.method];
  return (
    <div class="notice" role="alert" data-testid="existing" style="border:1px solid var(--border)">
      <strong>A connection named “{props.name}” already exists.</strong>
      <p>
        Made with {methodName(existing.method)}, organization {existing.org}
        {existing.updatedAt ? `, last updated ${new Date(existing.updatedAt).toLocaleString()}` : ''}.
      </p>
      {mismatch ? (
        <p data-testid="method-mismatch">
          It was made with {methodName(existing.method)}, and the method of an existing connection cannot change. Choose {methodName(existing.method)} to update it, or pick another
          name.
        </p>
      ) : (
        <p>Updating replaces its credentials; nothing else changes.</p>
      )}
      <div class="row">
        <button type="button" data-testid="update" disabled={mismatch} onClick={props.onUpdate}>
          Update credentials
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
