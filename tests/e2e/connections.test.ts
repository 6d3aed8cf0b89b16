import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { INFISICAL_PAT_SCOPES } from '../../utils/config/endpoints';
import { INFISICAL, ORGS, SERVICE_PRINCIPAL_CONNECT, TAILSPIN_TENANT, TENANT } from '../sandbox/fixtures';
import { BROWSERS, pollFor } from './support/browsers';
import { connectFromPopup, dumpStorage, waitForOutcome } from './support/extension-pages';
import { stopBackground } from './support/restart';
import { useWorld } from './support/world';

/**
 * The connections view and the expiry watch, end to end in every browser: connections made from the
 * popup, seen, renewed and removed from the options page, with the toolbar badge read back from the
 * browser's own toolbar button. The secret is remembered, so a restarted background (Firefox: the
 * extension reloaded) can still reach Infisical.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName, { remember: true });

  /** Connect one connection of contoso from the popup, with this lifetime. */
  async function connect(connectionName: string, patLifetimeDays = 90, extra: { org?: string; tenant?: string } = {}) {
    const popup = await connectFromPopup(world.ext.browser, world.base, { tenant: extra.tenant ?? TENANT.id, org: extra.org ?? ORGS.contoso.name, connectionName, patLifetimeDays });
    expect(await waitForOutcome(popup, 45_000), await popup.$eval('body', (b) => b.innerText)).toBe('succeeded');
    const id = world.sandbox.state.connections.find((c) => c.name === connectionName)!.id;
    await popup.close();
    return id;
  }

  /** The options page's connections view, once refreshed from Infisical. */
  async function connectionsView(): Promise<Page> {
    const page = await world.ext.openPage(`${world.base}/options.html`);
    await page.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    return page;
  }

  const row = (id: string) => `[data-testid=connection-row][data-id="${id}"]`;
  const statusOf = (page: Page, id: string) => page.$eval(row(id), (el) => el.getAttribute('data-status')).catch(() => null);
  const patsNamed = (name: string) => world.sandbox.state.pats.filter((p) => p.displayName === `Infisical ${name}`);
  const heldToken = (id: string) => world.sandbox.state.connections.find((c) => c.id === id)?.secretCredentials.accessToken;

  /** The warning window, saved from the options page as a person would. */
  async function setWindow(days: 0 | 7 | 14 | 30) {
    const page = await world.ext.openPage(`${world.base}/options.html`);
    await page.waitForSelector('[data-testid=expiry-window]');
    await page.select('[data-testid=expiry-window]', String(days));
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.', { timeout: 10_000 });
    await page.close();
  }

  /** What the browser's toolbar button shows: badge text, colour, title. */
  const toolbar = (page: Page) =>
    page.evaluate(async () => {
      type Action = { getBadgeText(d: object): Promise<string>; getBadgeBackgroundColor(d: object): Promise<number[]>; getTitle(d: object): Promise<string> };
      const g = globalThis as unknown as { browser?: { browserAction: Action }; chrome: { action: Action } };
      const action = g.browser?.browserAction ?? g.chrome.action;
      return { text: await action.getBadgeText({}), color: [...(await action.getBadgeBackgroundColor({}))], title: await action.getTitle({}) };
    });

  /** The toolbar button once its badge text passes `test` (the badge follows the view a moment later). */
  const badgeOnceIt = (page: Page, test: (text: string) => boolean) =>
    pollFor(
      async () => {
        const b = await toolbar(page);
        return test(b.text) ? b : null;
      },
      10_000,
      'the badge',
    );

  // First in the file: the browser's records are this test's alone (later ones also see earlier tests' records as gone).
  it('every status on its row, most urgent first, and a client-secret connection without renewal, saying why', async () => {
    await setWindow(30);
    const revoked = await connect('revoked-early');
    const gone = await connect('deleted-in-infisical');
    const expiring = await connect('expires-soon', 30);
    const fine = await connect('healthy');
    const popup = await connectFromPopup(world.ext.browser, world.base, { ...SERVICE_PRINCIPAL_CONNECT, connectionName: 'service-principal' });
    expect(await waitForOutcome(popup, 45_000)).toBe('succeeded');
    await popup.close();
    const sp = world.sandbox.state.connections.find((c) => c.name === 'service-principal')!.id;
    patsNamed('revoked-early')[0]!.status = 'revoked';
    world.sandbox.state.connections = world.sandbox.state.connections.filter((c) => c.id !== gone);

    const page = await connectionsView();
    const shown = await page.$$eval('[data-testid=connection-row]', (rows) => rows.map((r) => [r.getAttribute('data-id'), r.getAttribute('data-status')]));
    expect(shown).toEqual([
      [revoked, 'revoked'],
      [gone, 'gone'],
      [expiring, 'expiring'],
      [fine, 'ok'],
      [sp, 'not-managed'],
    ]);
    expect(await page.$(`${row(sp)} [data-testid=renew]`)).toBeNull();
    expect(await page.$eval(row(sp), (el) => (el as HTMLElement).innerText)).toMatch(/Infisical rotates/);
    const badge = await badgeOnceIt(page, (text) => text === '2');
    expect(badge.color).toEqual([185, 28, 28, 255]);
    // As README.md quotes it.
    expect(badge.title).toBe('Infisical Connect for Azure DevOps — 2 connections need renewal: revoked-early (revoked in Azure DevOps), expires-soon (expires in 30 days)');
    await page.setViewport({ width: 900, height: 1000 });
    await (await page.$('[data-testid=connections]'))!.screenshot({ path: world.artifact('connections-view.png') });
    await setWindow(14);
    await page.close();
  });

  it('the badge counts a connection in the warning window, in amber, and names it; renewing it from the options page clears it', async () => {
    await setWindow(30);
    const id = await connect('expiring-soon', 30);
    const [old] = patsNamed('expiring-soon');
    const page = await connectionsView();
    expect(await statusOf(page, id)).toBe('expiring');
    const badge = await badgeOnceIt(page, (text) => text === '1');
    expect(badge.color).toEqual([180, 83, 9, 255]);
    expect(badge.title).toMatch(/1 connection needs renewal: expiring-soon \(expires in 30 days\)/);

    const since = world.sandbox.requests.length;
    await page.click(`${row(id)} [data-testid=renew]`);
    await page.waitForSelector(`${row(id)} [data-testid=row-outcome][data-ok=true]`, { timeout: 30_000 });
    const fresh = patsNamed('expiring-soon').find((p) => p.authorizationId !== old!.authorizationId)!;
    expect(fresh.status).toBe('active');
    expect(fresh.scope.split(' ').sort()).toEqual([...INFISICAL_PAT_SCOPES].sort());
    expect(old!.status).toBe('revoked');
    expect(heldToken(id)).toBe(fresh.token);
    // PATCH by id, and the old PAT revoked only after it.
    const calls = world.sandbox.requests.slice(since).filter((q) => q.auth === 'bearer');
    const patch = calls.findIndex((q) => q.method === 'PATCH' && q.path === `/api/v1/app-connections/azure-devops/${id}`);
    const revoke = calls.findIndex((q) => q.method === 'DELETE' && q.query.includes(old!.authorizationId));
    expect(patch).toBeGreaterThan(-1);
    expect(revoke).toBeGreaterThan(patch);
    // Renewed for 30 days again, still inside a 30-day window: the badge keeps it, now for the new expiry.
    await setWindow(14);
    await pollFor(async () => ((await toolbar(page)).text === '' ? true : null), 10_000, 'the badge cleared');
    await page.close();
  });

  it('Renew all across two tenants: one sign-in each, every row renewed, each outcome on its row', async () => {
    await setWindow(30);
    const a = await connect('all-contoso', 30);
    const b = await connect('all-tailspin', 30, { org: ORGS.tailspin.name, tenant: TAILSPIN_TENANT.id });
    const olds = [...patsNamed('all-contoso'), ...patsNamed('all-tailspin')];
    // A background started afresh holds no Microsoft token: the renewals must sign in.
    const first = await world.ext.openPage(`${world.base}/options.html`);
    await stopBackground(browserName, first);
    await first.close().catch(() => undefined);
    const page = await pollFor(() => world.ext.openPage(`${world.base}/options.html`).catch(() => null), 15_000, 'the options page after the restart', 500);
    await page.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    const signInsBefore = world.sandbox.state.authorizeLog.length;

    await page.click('[data-testid=renew-all]');
    for (const id of [a, b]) await page.waitForSelector(`${row(id)} [data-testid=row-outcome][data-ok=true]`, { timeout: 45_000 });
    const signIns = world.sandbox.state.authorizeLog.slice(signInsBefore).map((l) => l.tenant.toLowerCase());
    expect(signIns.sort()).toEqual([TENANT.id, TAILSPIN_TENANT.id].sort());
    expect(olds.map((p) => p.status)).toEqual(['revoked', 'revoked']);
    expect(heldToken(a)).toBe(patsNamed('all-contoso').find((p) => p.status === 'active')?.token);
    expect(heldToken(b)).toBe(patsNamed('all-tailspin').find((p) => p.status === 'active')?.token);
    await setWindow(14);
    await page.close();
  });

  it('the popup’s compact list shows the connection and goes back to the form', async () => {
    const id = await connect('in-the-popup');
    const popup = await world.ext.openPage(`${world.base}/popup.html`);
    await popup.waitForSelector('[data-testid=show-connections]');
    await popup.click('[data-testid=show-connections]');
    await popup.waitForSelector(`[data-testid=connections][data-state=refreshed] ${row(id)}`, { timeout: 20_000 });
    expect(await statusOf(popup, id)).toBe('ok');
    await popup.setViewport({ width: 360, height: 480 });
    await popup.screenshot({ path: world.artifact('popup-connections.png') });
    await popup.click('[data-testid=back-to-form]');
    await popup.waitForSelector('#org, [data-testid=dismiss]', { timeout: 15_000 });
    expect(await popup.evaluate(() => location.pathname)).toBe('/popup.html');
    await popup.close();
  });

  it('a renewal whose PATCH fails leaves the connection and its old PAT working, and revokes the new PAT', async () => {
    const id = await connect('patch-fails');
    const [old] = patsNamed('patch-fails');
    const { credentialsHash, updatedAt } = world.sandbox.state.connections.find((c) => c.id === id)!;
    const page = await connectionsView();
    world.sandbox.faults.add({
      host: INFISICAL.host,
      method: 'PATCH',
      path: `/api/v1/app-connections/azure-devops/${id}`,
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong' },
    });
    await page.click(`${row(id)} [data-testid=renew]`);
    await page.waitForSelector(`${row(id)} [data-testid=row-outcome][data-ok=false]`, { timeout: 30_000 });
    expect(await page.$eval(`${row(id)} [data-testid=row-outcome]`, (el) => el.textContent ?? '')).toMatch(/was revoked/);
    expect(old!.status).toBe('active');
    expect(heldToken(id)).toBe(old!.token);
    expect(world.sandbox.state.connections.find((c) => c.id === id)).toMatchObject({ credentialsHash, updatedAt });
    expect(
      patsNamed('patch-fails')
        .filter((p) => p !== old)
        .map((p) => p.status),
    ).toEqual(['revoked']);
    await page.close();
  });

  it('a PAT revoked in Azure DevOps behind the extension’s back shows revoked, and the badge turns red', async () => {
    const id = await connect('revoked-behind');
    patsNamed('revoked-behind')[0]!.status = 'revoked';
    const page = await connectionsView();
    expect(await statusOf(page, id)).toBe('revoked');
    const badge = await badgeOnceIt(page, (text) => text !== '');
    expect(badge.color).toEqual([185, 28, 28, 255]);
    expect(badge.title).toMatch(/revoked-behind \(revoked in Azure DevOps\)/);
    await page.close();
  });

  it('a connection deleted in Infisical shows gone; forgetting it revokes its PAT and drops the record', async () => {
    const id = await connect('deleted-elsewhere');
    world.sandbox.state.connections = world.sandbox.state.connections.filter((c) => c.id !== id);
    const page = await connectionsView();
    expect(await statusOf(page, id)).toBe('gone');
    await page.click(`${row(id)} [data-testid=forget]`);
    await pollFor(async () => (patsNamed('deleted-elsewhere')[0]?.status === 'revoked' ? true : null), 15_000, 'its PAT revoked');
    await pollFor(async () => ((await dumpStorage(page)).local.connections as { id: string }[]).every((c) => c.id !== id) || null, 10_000, 'its record forgotten');
    await page.close();
  });

  it('remove: a confirmation that names it, then deleted in Infisical, its PAT revoked, its record forgotten', async () => {
    const id = await connect('to-remove');
    const page = await connectionsView();
    await page.click(`${row(id)} [data-testid=remove]`);
    const confirm = await page.waitForSelector(`${row(id)} [data-testid=confirm-remove]`);
    expect(await page.$eval(row(id), (el) => (el as HTMLElement).innerText)).toMatch(/to-remove[\s\S]*sync/i);
    await confirm!.click();
    await pollFor(async () => (world.sandbox.state.connections.some((c) => c.id === id) ? null : true), 15_000, 'the connection deleted');
    await pollFor(async () => (patsNamed('to-remove')[0]?.status === 'revoked' ? true : null), 15_000, 'its PAT revoked');
    await pollFor(async () => ((await dumpStorage(page)).local.connections as { id: string }[]).every((c) => c.id !== id) || null, 10_000, 'its record forgotten');
    await page.close();
  });

  it('a record written by this build before a restart shows up, with its expiry, after the background starts again', async () => {
    const id = await connect('kept-across');
    const page = await world.ext.openPage(`${world.base}/options.html`);
    const before = (await dumpStorage(page)).local.connections as { id: string; patValidTo: string }[];
    await stopBackground(browserName, page);
    await page.close().catch(() => undefined);
    const again = await pollFor(() => world.ext.openPage(`${world.base}/options.html`).catch(() => null), 15_000, 'the options page after the restart', 500);
    await again.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    expect(await statusOf(again, id)).toBe('ok');
    const expiry = before.find((c) => c.id === id)!.patValidTo;
    expect(await again.$eval(`${row(id)} [data-testid=row-expiry]`, (el) => el.textContent ?? '')).not.toBe('');
    expect(expiry).toBeTruthy();
    await again.close();
  });
});
