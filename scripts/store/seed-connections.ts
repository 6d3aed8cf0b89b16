/**
 * The connections a listing's screenshots show, made the way a person makes them: from the popup
 * of the real build against the sandbox (as tests/e2e/connections.test.ts does), so every row of
 * the connections view comes from the extension's own records and Infisical's list, not from a
 * mock. One row per status a reader should recognise: OK, expiring, revoked behind the
 * extension's back, and a service principal that Infisical rotates itself.
 */
import type { Browser } from 'puppeteer-core';
import { ORGS, SERVICE_PRINCIPAL_CONNECT, TAILSPIN_TENANT, TENANT } from '../../tests/sandbox/fixtures';
import type { Sandbox } from '../../tests/sandbox/server';
import { connectFromPopup, text, waitForOutcome, type PopupInput } from '../../tests/e2e/support/extension-pages';
import { gotoPage } from '../../tests/e2e/support/browsers';

const CONNECTIONS: PopupInput[] = [
  { tenant: TENANT.id, org: ORGS.contoso.name, connectionName: 'contoso-release-pipelines', patLifetimeDays: 180 },
  { tenant: TAILSPIN_TENANT.id, org: ORGS.tailspin.name, connectionName: 'tailspin-storefront', patLifetimeDays: 90 },
  { tenant: TENANT.id, org: ORGS.contoso.name, connectionName: 'contoso-variable-groups', patLifetimeDays: 30 },
  { tenant: TENANT.id, org: ORGS.contoso.name, connectionName: 'contoso-legacy-sync', patLifetimeDays: 90 },
  { ...SERVICE_PRINCIPAL_CONNECT, connectionName: 'contoso-service-principal' },
];

/** The connection whose PAT its owner revokes in Azure DevOps, so the view shows that status. */
const REVOKED = 'contoso-legacy-sync';

/** Throws with the popup's own error sentence when a connect fails. */
export async function seedConnections(browser: Browser, base: string, sandbox: Sandbox): Promise<void> {
  for (const input of CONNECTIONS) {
    const popup = await connectFromPopup(browser, base, input);
    if ((await waitForOutcome(popup, 45_000)) !== 'succeeded') {
      throw new Error(`store: connecting ${input.connectionName} failed: ${await text(popup, '[data-testid=error-title]')}`);
    }
    await popup.close();
  }
  const revoked = sandbox.state.pats.find((p) => p.displayName === `Infisical ${REVOKED}`);
  if (!revoked) throw new Error(`store: no PAT for ${REVOKED}`);
  revoked.status = 'revoked';
}

/** The expiry warning window, saved from the options page (30 days: the 30-day PAT shows as expiring). */
export async function setExpiryWindow(browser: Browser, base: string, days: 7 | 14 | 30): Promise<void> {
  const page = await browser.newPage();
  await gotoPage(page, `${base}/options.html`);
  await page.waitForSelector('[data-testid=expiry-window]');
  await page.select('[data-testid=expiry-window]', String(days));
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.', { timeout: 10_000 });
  await page.close();
}
