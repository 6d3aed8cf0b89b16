import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { INFISICAL_PROJECTS, ORGS, SEEDED_PATS } from '../sandbox/fixtures';
import { seedConnections } from '../support/sandbox-seed';
import { BROWSERS } from './support/browsers';
import { openPopupForm, text, typeInto, waitForOutcome } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * Connections that belong to one Infisical project (docs/contracts.md A.12), end to end in every
 * browser: the popup's "Belongs to" select, the connection Infisical then holds, the connections
 * view naming the project, and an older Infisical build that has no project connections.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);
  const PAYMENTS = INFISICAL_PROJECTS.payments;

  /** The popup's form with a pasted PAT for contoso, waiting for the "Belongs to" select when `scope` is asked for. */
  async function fillPat(page: Page, connectionName: string) {
    await page.waitForSelector('input[name=method][value=pat]:not([disabled])');
    await page.click('input[name=method][value=pat]');
    await typeInto(page, '#org', ORGS.contoso.name);
    await typeInto(page, '#pat', SEEDED_PATS.contosoPasted.token);
    await typeInto(page, '#connectionName', connectionName);
  }

  /** The options of the "Belongs to" select, as a person reads them. */
  const scopeOptions = (page: Page) => page.$$eval('[data-testid=scope] option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));

  /** The instance's scopes have been read for this popup: both reads answered after `since`. */
  async function scopesRead(since: number) {
    const answered = (path: RegExp) => world.sandbox.requests.slice(since).some((r) => r.host.startsWith('infisical') && r.method === 'GET' && path.test(r.path) && r.status === 200);
    const started = Date.now();
    while (!(answered(/^\/api\/v1\/projects$/) && answered(/^\/api\/v1\/app-connections\/azure-devops\/?$/))) {
      if (Date.now() - started > 10_000) throw new Error('the popup never read the instance’s projects and connections');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('“Belongs to: Project …” makes the connection in that project; the connections view names it', async () => {
    const popup = await openPopupForm(world.ext.browser, world.base);
    await fillPat(popup, 'payments-pasted');
    await popup.waitForSelector('[data-testid=scope]', { timeout: 10_000 });
    expect(await scopeOptions(popup)).toEqual([
      ['', 'The whole organization'],
      [PAYMENTS.id, `Project ${PAYMENTS.name}`],
      [INFISICAL_PROJECTS.platform.id, `Project ${INFISICAL_PROJECTS.platform.name}`],
    ]);
    // Organization-wide unless a person picks otherwise.
    expect(await popup.$eval('[data-testid=scope]', (s) => (s as HTMLSelectElement).value)).toBe('');
    await popup.select('[data-testid=scope]', PAYMENTS.id);
    await popup.click('button[type=submit]');
    expect(await waitForOutcome(popup), await popup.$eval('body', (b) => b.innerText)).toBe('succeeded');
    expect(world.sandbox.state.connections).toHaveLength(1);
    expect(world.sandbox.state.connections[0]).toMatchObject({ name: 'payments-pasted', method: 'access-token', projectId: PAYMENTS.id });
    const id = world.sandbox.state.connections[0]!.id;
    await popup.close();

    const options = await world.ext.openPage(`${world.base}/options.html`);
    await options.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    const row = `[data-testid=connection-row][data-id="${id}"]`;
    await options.waitForSelector(row);
    expect(await text(options, `${row} [data-testid=row-scope]`)).toBe(`Project ${PAYMENTS.name}`);
    expect(await options.$$eval('[data-testid=connection-row]', (rows) => rows.length)).toBe(1);
    await options.close();
  });

  it('an older Infisical build (no project connections): once a connection shows it, “Belongs to” is not offered', async () => {
    world.sandbox.config.infisical.projectConnections = false;
    seedConnections(world.sandbox, { connections: 1, orgs: 1 });
    const since = world.sandbox.requests.length;
    const popup = await openPopupForm(world.ext.browser, world.base);
    await fillPat(popup, 'older-build');
    await scopesRead(since);
    // The answers are in; give the popup's render a moment to show the field if it were going to.
    await popup.waitForSelector('[data-testid=scope]', { timeout: 1000 }).then(
      () => expect.fail('“Belongs to” is offered by an instance without project connections'),
      () => undefined,
    );
    await popup.close();

    // The same popup against a newer build with the same connection offers it: the wait above can see the field.
    world.sandbox.config.infisical.projectConnections = true;
    const newer = await openPopupForm(world.ext.browser, world.base);
    await newer.waitForSelector('[data-testid=scope]', { timeout: 10_000 });
    await newer.close();
  });

  it('an older Infisical build that has no connection to tell by: a “project” connection it made organization-wide is deleted again, and said so', async () => {
    world.sandbox.config.infisical.projectConnections = false;
    const popup = await openPopupForm(world.ext.browser, world.base);
    await fillPat(popup, 'dropped-scope');
    await popup.waitForSelector('[data-testid=scope]', { timeout: 10_000 });
    await popup.select('[data-testid=scope]', PAYMENTS.id);
    await popup.click('button[type=submit]');
    expect(await waitForOutcome(popup)).toBe('failed');
    expect(await text(popup, '[data-testid=error-title]')).toBe(
      'Your Infisical instance does not support connections that belong to one project: it made “dropped-scope” for the whole organization instead, so the extension deleted it again.',
    );
    expect(await text(popup, '[data-testid=error-fix]')).toBe('Connect again with “Belongs to: The whole organization”, or ask your Infisical administrator to upgrade the instance.');
    // It was made (organization-wide), then deleted again.
    const infisical = world.sandbox.requests.filter((r) => r.host.startsWith('infisical') && /^\/api\/v1\/app-connections\/azure-devops/.test(r.path));
    expect(infisical.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([200]);
    expect(infisical.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200]);
    expect(world.sandbox.state.connections).toEqual([]);
    await popup.close();
  });
});
