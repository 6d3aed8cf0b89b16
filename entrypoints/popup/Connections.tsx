import { browser } from 'wxt/browser';
import { ConnectionsBody } from '@/components/ConnectionsBody';
import { useConnections } from '@/components/use-connections';

/** Where "Back to the form" returns. (The popup's "Connections" button opens `options.html?list`, App.tsx.) */
const FORM_PAGE = 'popup.html';

/**
 * The popup's compact list of connections (components/ConnectionsList.tsx): name, status, one
 * action. A page of its own, rendered by the options page's bundle (entrypoints/options/main.tsx)
 * in the popup's window: the popup's first bundle is size-budgeted (docs/performance.md), and an
 * `import()` there would bring Vite's preload helper into it (about 0.5 KB gzip) even with nothing
 * to preload. Loaded only when asked for; "Back to the form" opens the popup's page again.
 */
export function PopupConnections() {
  const c = useConnections();
  const back = () => location.assign(FORM_PAGE);
  const settings = () => void browser.runtime.openOptionsPage();
  const configured = c.view?.instanceUrl !== null;
  return (
    <main class="stack">
      <div class="row">
        <h1>Connections</h1>
        <button type="button" class="secondary small" data-testid="back-to-form" onClick={back}>
          Back to the form
        </button>
      </div>
      <section class="stack" aria-label="Azure DevOps connections in Infisical" data-testid="connections" data-state={c.state} aria-busy={c.state === 'loading'}>
        <ConnectionsBody
          c={c}
          compact
          empty={
            configured ? (
              <>
                <p>No Azure DevOps connections in Infisical yet.</p>
                <button type="button" onClick={back}>
                  Connect an organization
                </button>
              </>
            ) : (
              <>
                <p>Set up the Infisical instance and its machine identity first.</p>
                <button type="button" onClick={settings}>
                  Open settings
                </button>
              </>
            )
          }
        />
        {c.view && c.view.rows.length > 0 && (
          <button type="button" class="secondary small" onClick={settings}>
            All details in settings
          </button>
        )}
      </section>
    </main>
  );
}
