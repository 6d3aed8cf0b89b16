import { methodLabel } from '@/utils/flow/connect-request';
import type { ManagedKeyName } from '@/utils/policy/managed-keys';
import type { Policy } from '@/utils/policy/policy';

/** The keys that are rules on what may be chosen, not fields of the form. */
const RULES: readonly ManagedKeyName[] = ['allowedMethods', 'maxPatLifetimeDays'];

/**
 * What the organization's policy does here (utils/policy/policy.ts): how many settings it sets
 * (each is marked and read-only below), the limits it puts on methods and lifetimes, and every value
 * it gave that the extension ignored, with why: a malformed policy never breaks the extension, but the person and the admin should see it.
 */
export function PolicyNotice(props: { policy: Policy }) {
  const { managed, notes, rules } = props.policy;
  if (managed.length === 0 && notes.length === 0) return null;
  const fields = managed.filter((key) => !RULES.includes(key)).length;
  const limits = [
    managed.includes('allowedMethods') ? `methods: ${rules.allowedMethods.map(methodLabel).join(', ')}` : '',
    rules.maxPatLifetimeDays !== null ? `tokens of at most ${rules.maxPatLifetimeDays} days` : '',
  ].filter(Boolean);
  return (
    <section class="stack" aria-labelledby="policy-heading" data-testid="policy-notice">
      <h2 id="policy-heading">Set by your organization</h2>
      {fields > 0 && (
        <p>Your organization’s policy sets {fields === 1 ? 'one of these settings' : `${fields} of these settings`}: they are marked and cannot be changed here. Fill in the rest.</p>
      )}
      {limits.length > 0 && <p data-testid="policy-limits">It allows only {limits.join('; ')}.</p>}
      {notes.length > 0 && (
        <div class="notice" role="status" data-testid="policy-notes">
          <p>Some values of the policy cannot be used, so the extension ignores them:</p>
          <ul>
            {notes.map((note) => (
              <li key={`${note.key} ${note.message}`}>
                <code>{note.key}</code>: {note.message}
              </li>
            ))}
          </ul>
          <p>Tell your administrators: the browser shows the policy at chrome://policy (Chrome, Edge: edge://policy) or about:policies (Firefox).</p>
        </div>
      )}
    </section>
  );
}
