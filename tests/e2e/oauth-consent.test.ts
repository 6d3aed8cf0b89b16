import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { TENANT } from '../sandbox/fixtures';
import { BROWSERS, pollFor } from './support/browsers';
import { dumpStorage, fillAndConnect, openPopupForm, text, waitForOutcome } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * "Infisical's OAuth app" with Microsoft's consent page waiting for a person, as in real use (the
 * other OAuth scenarios get their code at once). Chromium may stop the MV3 worker while the page
 * waits (it does after 30 s idle); the flow's wait lives in session storage and the callback page's
 * message wakes the worker, which finishes it (utils/worker/oauth-wait.ts). Firefox's
 * MV2 background page is never stopped, so only the normal path runs there.
 */
type DnrApi = { declarativeNetRequest: { getSessionRules(): Promise<{ id: number; condition: { tabIds?: number[] } }[]> } };
type SessionArea = { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void>; remove(k: string): Promise<void> };
/** The wait record is removed (`gone`) or moved past its deadline, in the extension's session storage. */
const changeWait = (page: Page, how: 'gone' | 'expired') =>
  page.evaluate(async (h) => {
    const g = globalThis as unknown as { chrome: { storage: { session: SessionArea } } };
    const session = g.chrome.storage.session;
    if (h === 'gone') return session.remove('oauthWait');
    const { oauthWait } = await session.get('oauthWait');
    await session.set({ oauthWait: { ...(oauthWait as object), deadline: Date.now() - 1000 } });
  }, how);

describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  /** Start the OAuth method; resolves with the popup and Microsoft's consent page, waiting for a click. */
  async function startConsent(name: string): Promise<{ popup: Page; consent: Page; tabs: number }> {
    world.sandbox.config.entra.authorizeMode = 'login-page';
    const popup = await openPopupForm(world.ext.browser, world.base);
    const tabs = await tabCount(popup);
    await fillAndConnect(popup, { method: 'infisical-oauth', org: 'contoso', tenant: TENANT.id, connectionName: name });
    const consent = await world.ext.waitForPage((url) => url.startsWith('https://login.microsoftonline.com/'), 15_000);
    await consent.waitForSelector('#signin');
    return { popup, consent, tabs };
  }

  const sessionRules = (page: Page) =>
    page.evaluate(() => {
      const g = globalThis as unknown as { browser?: DnrApi; chrome: DnrApi };
      return (g.browser ?? g.chrome).declarativeNetRequest.getSessionRules();
    });
  /** How many tabs the browser has (puppeteer's Firefox pages outlive their closed tabs, so the extension counts). */
  const tabCount = (page: Page) =>
    page.evaluate(async () => {
      const g = globalThis as unknown as Record<'browser' | 'chrome', { tabs: { query(q: object): Promise<unknown[]> } } | undefined>;
      return (await (g.browser ?? g.chrome)!.tabs.query({})).length;
    });
  /** The consent (then callback) tab is gone: the tabs are as many as before it opened. */
  const consentClosed = (page: Page, before: number) => pollFor(async () => ((await tabCount(page)) === before ? true : null), 5_000, 'the consent tab to close');

  async function stopWorker(page: Page): Promise<void> {
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  }

  /** The popup, reopened (its first message wakes a stopped worker), once the flow has ended. */
  async function outcome(): Promise<{ page: Page; status: string }> {
    const page = await world.ext.openPage(`${world.base}/popup.html`);
    const status = await waitForOutcome(page, 30_000).catch(async (e) => {
      throw new Error(`${e}; popup: ${await text(page, 'main').catch(() => '?')}; storage: ${JSON.stringify(await dumpStorage(page).catch(() => null))}`);
    });
    return { page, status };
  }

  it('the consent page waits for a person: its answer reaches the extension page and the connection is made', async () => {
    const { popup, consent, tabs } = await startConsent('oauth-person');
    await consent.click('#signin');
    expect(await waitForOutcome(popup, 30_000)).toBe('succeeded');
    expect(world.sandbox.state.connections).toEqual([expect.objectContaining({ name: 'oauth-person', method: 'oauth' })]);
    expect(world.sandbox.state.callbackLoads).toEqual([]);
    await consentClosed(popup, tabs);
    expect(await sessionRules(popup)).toEqual([]);
    expect((await dumpStorage(popup)).session.oauthWait).toBeUndefined();
    await popup.close();
  });

  if (browserName === 'chromium') {
    it('the worker stopped while the consent page is open: the woken worker finishes the flow', async () => {
      const { popup, consent, tabs } = await startConsent('oauth-stopped');
      await stopWorker(popup);
      await popup.close();
      // A stopped worker: nothing of the flow is in memory any more.
      await pollFor(async () => (world.ext.browser.targets().some((t) => t.type() === 'service_worker') ? null : true), 10_000, 'the worker to stop');
      await consent.click('#signin');
      const { page, status } = await outcome();
      expect(status).toBe('succeeded');
      expect(world.sandbox.state.connections).toEqual([expect.objectContaining({ name: 'oauth-stopped', method: 'oauth' })]);
      expect(world.sandbox.state.callbackLoads).toEqual([]);
      await consentClosed(page, tabs);
      expect(await sessionRules(page)).toEqual([]);
      const stored = await dumpStorage(page);
      expect(stored.session.oauthWait).toBeUndefined();
      expect(stored.local.connections).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'oauth-stopped', method: 'oauth' })]));
      await page.close();
    });

    it('the consent tab closed while the worker is stopped: the flow ends as cancelled, rule and record gone', async () => {
      const { popup, consent, tabs } = await startConsent('oauth-closed');
      await stopWorker(popup);
      await popup.close();
      await consent.close();
      const { page, status } = await outcome();
      expect(status).toBe('failed');
      expect(await text(page, '[data-testid=error-title]')).toMatch(/window was closed before it finished/);
      expect(await tabCount(page)).toBe(tabs);
      expect(await sessionRules(page)).toEqual([]);
      expect((await dumpStorage(page)).session.oauthWait).toBeUndefined();
      expect(world.sandbox.state.connections).toEqual([]);
      await page.close();
    });

    it.each(['gone', 'expired'] as const)('a redirect rule and consent tab whose wait is %s are removed when the worker starts again', async (how) => {
      const { popup, tabs } = await startConsent('oauth-left');
      expect(await sessionRules(popup)).toHaveLength(1);
      await changeWait(popup, how);
      await stopWorker(popup);
      await popup.close();
      const { page, status } = await outcome();
      expect(status).toBe('failed');
      expect(await text(page, '[data-testid=error-title]')).toMatch(how === 'expired' ? /did not finish in time/ : /stopped the extension before it had created anything/);
      await consentClosed(page, tabs);
      expect(await sessionRules(page)).toEqual([]);
      expect((await dumpStorage(page)).session.oauthWait).toBeUndefined();
      expect(world.sandbox.state.connections).toEqual([]);
      await page.close();
    });

    it('web pages cannot load the callback page (no fixed URL to detect the extension by)', async () => {
      const fixed = `${world.base}/oauth-callback.html`;
      for (const origin of [
        'https://dev.azure.com/contoso',
        'https://infisical.sandbox.test/',
        `https://login.microsoftonline.com/${TENANT.id}/v2.0/.well-known/openid-configuration`,
      ]) {
        const page = await world.ext.openPage(origin);
        const answer = await page.evaluate(
          (u) =>
            fetch(u).then(
              (r) => `loaded ${r.status}`,
              (e: Error) => `refused: ${e.message}`,
            ),
          fixed,
        );
        expect(answer, origin).toMatch(/^refused/);
        await page.close();
      }
    });
  }
});
