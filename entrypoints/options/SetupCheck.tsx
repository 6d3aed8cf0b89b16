import { useState } from 'preact/hooks';
import { ErrorNotice } from '@/components/ErrorNotice';
import { describedBy, Field } from '@/components/Field';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { UserMessage } from '@/utils/flow/flow-state';
import { countByStatus, parseSignInTenant, type SetupCheckItem, type SetupCheckRequest, type SetupCheckStatus } from '@/utils/setup/check-items';

/** The `setup.check` request as the background's runner takes it (utils/setup/run-setup-check.ts). */
export type RunSetupCheck = (request: SetupCheckRequest) => Promise<SetupCheckItem[]>;

/** How each status reads: a word (never colour alone) and a mark for sighted users. */
const STATUS: Record<SetupCheckStatus, { word: string; mark: string; color: string }> = {
  pass: { word: 'Passed', mark: '✓', color: 'var(--ok)' },
  fail: { word: 'Failed', mark: '✕', color: 'var(--danger)' },
  warn: { word: 'Warning', mark: '!', color: 'var(--fg)' },
  info: { word: 'Info', mark: 'i', color: 'var(--accent)' },
  skipped: { word: 'Skipped', mark: '–', color: 'var(--muted)' },
};

const URL_ONLY = /^https?:\/\/\S+$/;

/**
 * "Check setup": runs every check in the background and lists each with its status and, for
 * failures, the fix. The Microsoft test sign-in opens a window, so it runs only when ticked.
 * Render it outside other forms (it is a form of its own).
 */
export function SetupCheck(props: { run: RunSetupCheck }) {
  const [testSignIn, setTestSignIn] = useState(false);
  const [tenant, setTenant] = useState('');
  const [tenantError, setTenantError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [items, setItems] = useState<SetupCheckItem[] | null>(null);
  const [error, setError] = useState<UserMessage | null>(null);

  async function check(event: Event) {
    event.preventDefault();
    if (busy) return;
    let chosenTenant: string | undefined;
    if (testSignIn && tenant.trim()) {
      const parsed = parseSignInTenant(tenant);
      if (!parsed.ok) {
        setTenantError(parsed.message);
        return;
      }
      chosenTenant = parsed.value;
    }
    setTenantError(undefined);
    setBusy(true);
    setError(null);
    try {
      setItems(await props.run({ testSignIn, ...(chosenTenant ? { tenant: chosenTenant } : {}) }));
    } catch (e) {
      setItems(null);
      const message = userMessageOf(e);
      // A refusal of the typed tenant belongs under its field (utils/parse-input.ts).
      if (message.field === 'tenant') setTenantError(message.title);
      else setError(message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="setup-check-title" aria-busy={busy}>
      <h2 id="setup-check-title">Setup check</h2>
      <p class="hint" style={{ color: 'var(--muted)' }}>
        Tests the Infisical address, the machine identity and its permissions, and the Microsoft app, and says how to fix what fails. Save your settings first.
      </p>
      <form class="stack" onSubmit={(e) => void check(e)} noValidate>
        <div class="row">
          <input id="setup-test-sign-in" type="checkbox" checked={testSignIn} onChange={(e) => setTestSignIn(e.currentTarget.checked)} aria-describedby="setup-test-sign-in-hint" />
          <label for="setup-test-sign-in">Include a test sign-in</label>
        </div>
        <div class="hint" id="setup-test-sign-in-hint" style={{ color: 'var(--muted)', fontSize: '12px', marginTop: '4px' }}>
          Opens a Microsoft sign-in window to prove the app registration works in this browser.
        </div>
        {testSignIn && (
          <Field
            id="setup-tenant"
            label="Tenant for the test sign-in (optional)"
            hint="A tenant ID or domain such as contoso.onmicrosoft.com; leave empty for any work or school account"
            error={tenantError}
          >
            <input
              {...describedBy('setup-tenant', true, tenantError)}
              value={tenant}
              placeholder="organizations"
              onInput={(e) => setTenant(e.currentTarget.value)}
              autocomplete="off"
              spellcheck={false}
            />
          </Field>
        )}
        <div class="row">
          <button type="submit" data-testid="check-setup" aria-disabled={busy} style={busy ? { opacity: 0.6, cursor: 'progress' } : undefined}>
            {busy ? 'Checking…' : 'Check setup'}
          </button>
          <span role="status" aria-live="polite" data-testid="setup-status">
            {busy ? (testSignIn ? 'Checking setup; complete the Microsoft sign-in in the window that opens.' : 'Checking setup…') : items ? overview(items) : ''}
          </span>
        </div>
      </form>
      {error && <ErrorNotice message={error} />}
      {items && (
        <ul data-testid="setup-results" aria-label="Setup check results" style={{ listStyle: 'none', padding: 0, margin: '12px 0 0' }}>
          {items.map((item) => (
            <ResultItem key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ResultItem(props: { item: SetupCheckItem }) {
  const { item } = props;
  const look = STATUS[item.status];
  const actionable = item.status === 'fail' || item.status === 'warn';
  return (
    <li
      data-check-id={item.id}
      data-status={item.status}
      class="stack"
      style={{
        borderLeft: `3px solid ${look.color}`,
        padding: '6px 0 6px 10px',
        marginTop: '10px',
        ...(item.status === 'skipped' ? { color: 'var(--muted)' } : {}),
      }}
    >
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'baseline' }}>
        <strong>{item.label}</strong>
        <span style={{ color: look.color, fontWeight: 600, whiteSpace: 'nowrap' }}>
          <span aria-hidden="true">{look.mark} </span>
          {look.word}
        </span>
      </div>
      {URL_ONLY.test(item.summary) ? <code class="copyable">{item.summary}</code> : <p style={{ overflowWrap: 'anywhere' }}>{item.summary}</p>}
      {item.fix && (
        <p style={{ overflowWrap: 'anywhere' }}>
          <strong>{actionable ? 'Fix: ' : 'To do: '}</strong>
          {item.fix}
        </p>
      )}
      {item.details && (
        <details>
          <summary>Details</summary>
          <pre>{item.details}</pre>
        </details>
      )}
    </li>
  );
}

function overview(items: SetupCheckItem[]): string {
  const c = countByStatus(items);
  const parts = [
    `${c.pass} passed`,
    c.fail ? `${c.fail} failed` : '',
    c.warn ? `${c.warn} ${c.warn === 1 ? 'warning' : 'warnings'}` : '',
    c.skipped ? `${c.skipped} skipped` : '',
  ].filter(Boolean);
  const verdict = c.fail ? 'Some checks failed; each says how to fix it.' : c.warn ? 'No failures; read the warnings.' : 'Everything checked works.';
  return `${parts.join(', ')}. ${verdict}`;
}
