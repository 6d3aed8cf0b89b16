import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';

/** The redirect URI an admin registers on the Entra app, with a copy button. */
export function RedirectUri() {
  const uri = browser.identity.getRedirectURL();
  const [copied, setCopied] = useState(false);
  return (
    <section class="stack" aria-labelledby="redirect-title">
      <h2 id="redirect-title">Redirect URI to register</h2>
      <code class="copyable" data-testid="redirect-uri">
        {uri}
      </code>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void navigator.clipboard.writeText(uri).then(() => setCopied(true))}>
          Copy
        </button>
        <span role="status">{copied ? 'Copied.' : ''}</span>
      </div>
      <p class="hint">
        In the Entra app registration: Authentication › Add a platform › <strong>Single-page application</strong>, paste this URI; then API permissions › Add › Azure DevOps ›{' '}
        <strong>user_impersonation</strong>.
      </p>
    </section>
  );
}
