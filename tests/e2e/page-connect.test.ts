import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { ADA, MARKETPLACE_HOST } from '../sandbox/fixtures';
import { BROWSERS } from './support/browsers';
import type { ExtensionApi } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * One-click connect from Azure DevOps pages (the sandbox serves a stand-in of Azure DevOps' layout
 * with in-page navigation), in every browser. The control lives in a closed shadow root, so it is
 * found the way assistive technology finds it: by role and accessible name.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  const HOST = 'infisical-connect';
  const CONNECT = '::-p-aria([name="Connect contoso to Infisical"][role="button"])';

  /** An element of the control's closed shadow root, by ARIA selector. */
  const control = (page: Page, selector: string, timeout?: number) => world.ext.waitForInClosedShadow(page, HOST, selector, timeout);

  async function openOrgPage(url = 'https://dev.azure.com/contoso/Payments'): Promise<Page> {
    const page = await world.ext.browser.newPage();
    await page.setViewport({ width: 1100, height: 700 });
    await page.goto(url);
    await control(page, CONNECT, 10_000);
    return page;
  }

  const panelText = (page: Page) =>
    page.evaluate(() => {
      const host = document.querySelector('infisical-connect');
      // Closed shadow root: read what is rendered through the accessibility-visible text instead.
      return host ? (host as HTMLElement).innerText : '';
    });

  async function waitForPanel(page: Page, pattern: RegExp, timeout = 15_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const text = await world.ext.readableText(page);
      const match = pattern.exec(text);
      if (match) return match[0];
      if (Date.now() - started > timeout) throw new Error(`panel never showed ${pattern}: ${text.slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  const patsNamed = (name: string) => world.sandbox.state.pats.filter((p) => p.displayName === `Infisical ${name}`);

  /** The default token lifetime and the expiry warning window, saved from the options page. */
  async function saveOptions(values: { lifetime: string; window: string }) {
    const options = await world.ext.openPage(`${world.base}/options.html`);
    await options.waitForSelector('[data-testid=expiry-window]');
    await options.select('#patLifetimeDays', values.lifetime);
    await options.select('[data-testid=expiry-window]', values.window);
    await options.click('button[type=submit]');
    await options.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.', { timeout: 10_000 });
    await options.close();
  }

  /** Click in the page itself: a background tab takes it too, so two tabs can be clicked at once. */
  const clickNow = (button: ElementHandle<Element>) => button.evaluate((el) => (el as HTMLElement).click());

  describe('Connect to Infisical on Azure DevOps pages', () => {
    it('appears once in the header, beside the breadcrumb, without covering Azure DevOps’ own buttons', async () => {
      const page = await openOrgPage();
      expect(await page.$$eval('infisical-connect', (hosts) => hosts.length)).toBe(1);
      expect(await page.$eval('infisical-connect', (h) => h.parentElement?.className)).toBe('header-left');
      const overlap = await page.evaluate(() => {
        const ours = document.querySelector('infisical-connect')!.getBoundingClientRect();
        return [...document.querySelectorAll('.header-right button')].some((b) => {
          const r = b.getBoundingClientRect();
          return !(r.right <= ours.left || r.left >= ours.right || r.bottom <= ours.top || r.top >= ours.bottom);
        });
      });
      expect(overlap).toBe(false);
      await page.screenshot({ path: world.artifact('page-control.png') });
      await page.close();
    });

    it('is not shown outside an organization', async () => {
      const page = await world.ext.browser.newPage();
      await page.goto('https://dev.azure.com/_sandbox-not-an-org').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 800));
      expect(await page.$('infisical-connect')).toBeNull();
      await page.close();
    });

    it('is not shown on Microsoft’s own sites under visualstudio.com (marketplace.visualstudio.com)', async () => {
      const page = await world.ext.browser.newPage();
      await page.goto(`https://${MARKETPLACE_HOST}/`);
      await page.waitForSelector('#marketplace');
      await new Promise((r) => setTimeout(r, 800));
      expect(await page.$('infisical-connect')).toBeNull();
      await page.close();
    });

    it('survives in-page navigation to another project without duplicating itself', async () => {
      const page = await openOrgPage();
      await page.click('.navigation-container a[href="/contoso/Platform"]');
      await page.waitForFunction(() => document.querySelector('.project-name')?.textContent === 'Platform');
      await control(page, CONNECT);
      await new Promise((r) => setTimeout(r, 500));
      expect(page.url()).toBe('https://dev.azure.com/contoso/Platform');
      expect(await page.$$eval('infisical-connect', (hosts) => hosts.length)).toBe(1);
      await page.close();
    });

    it('one click creates the connection; a second click offers the update path', async () => {
      const page = await openOrgPage();
      await (await control(page, CONNECT)).click();
      await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
      expect(world.sandbox.state.connections).toHaveLength(1);
      expect(world.sandbox.state.connections[0]).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', credentials: { orgName: 'contoso' } });
      await page.screenshot({ path: world.artifact('page-connected.png') });

      await (await control(page, CONNECT)).click();
      await waitForPanel(page, /A connection named “azure-devops-contoso” already exists \(made with “Sign in with Microsoft” or “Paste a personal access token”\)/);
      await (await control(page, '::-p-aria([name="Update credentials"][role="button"])')).click();
      await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
      expect(world.sandbox.state.connections).toHaveLength(1);
      expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['revoked', 'active']);
      expect(world.sandbox.state.connections[0]?.secretCredentials.accessToken).toBe(patsNamed('azure-devops-contoso')[1]?.token);
      // The panel lives in a closed shadow root: the page's own scripts cannot read it.
      expect(await panelText(page)).toBe('');
      await page.close();
    });

    it('a connection close to expiry: the control offers Renew, which renews it (new PAT, then the old one revoked)', async () => {
      await saveOptions({ lifetime: '30', window: '30' });
      try {
        const page = await openOrgPage();
        await (await control(page, CONNECT)).click();
        await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
        const [old] = patsNamed('azure-devops-contoso');
        await (await control(page, CONNECT)).click();
        await waitForPanel(page, /Its token expires in 30 days\. Renew it now, before the secret syncs that use it stop\?/);
        await (await control(page, '::-p-aria([name="Renew its token"][role="button"])')).click();
        await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
        const fresh = patsNamed('azure-devops-contoso').find((p) => p !== old)!;
        expect([old!.status, fresh.status]).toEqual(['revoked', 'active']);
        expect(world.sandbox.state.connections[0]?.secretCredentials.accessToken).toBe(fresh.token);
        await page.close();
      } finally {
        await saveOptions({ lifetime: '90', window: '14' });
      }
    });

    it('two clicks on one org at once (two tabs): one flow, one PAT, one connection', async () => {
      // Each response takes 200 ms, so the second click lands while the first flow runs.
      world.sandbox.setLatency(200);
      const a = await openOrgPage();
      const first = await control(a, CONNECT);
      const b = await openOrgPage('https://dev.azure.com/contoso/Platform');
      const second = await control(b, CONNECT);
      await Promise.all([clickNow(first), clickNow(second)]);
      for (const page of [a, b]) {
        await page.bringToFront();
        await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./, 20_000);
      }
      expect(world.sandbox.state.connections.map((c) => c.name)).toEqual(['azure-devops-contoso']);
      expect(world.sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical ')).map((p) => p.status)).toEqual(['active']);
      await a.close();
      await b.close();
    });

    it('two orgs at once: both connections are created, each with its own PAT, after one sign-in', async () => {
      world.sandbox.setLatency(200);
      world.sandbox.config.azureDevOps.orgs.northwind!.members.push(ADA.oid);
      const contoso = await openOrgPage();
      const connectContoso = await control(contoso, CONNECT);
      const northwind = await world.ext.browser.newPage();
      await northwind.setViewport({ width: 1100, height: 700 });
      await northwind.goto('https://dev.azure.com/northwind/');
      const connectNorthwind = await control(northwind, '::-p-aria([name="Connect northwind to Infisical"][role="button"])', 10_000);
      await Promise.all([clickNow(connectContoso), clickNow(connectNorthwind)]);
      await contoso.bringToFront();
      await waitForPanel(contoso, /Connection “azure-devops-contoso” is ready in Infisical\./, 20_000);
      await northwind.bringToFront();
      await waitForPanel(northwind, /Connection “azure-devops-northwind” is ready in Infisical\./, 20_000);
      const { connections, pats } = world.sandbox.state;
      expect(connections.map((c) => [c.name, c.credentials.orgName]).sort()).toEqual([
        ['azure-devops-contoso', 'contoso'],
        ['azure-devops-northwind', 'northwind'],
      ]);
      const minted = pats.filter((p) => p.displayName.startsWith('Infisical '));
      expect(minted.map((p) => [p.org, p.status]).sort()).toEqual([
        ['contoso', 'active'],
        ['northwind', 'active'],
      ]);
      for (const c of connections) expect(minted.find((p) => p.token === c.secretCredentials.accessToken)?.org).toBe(c.credentials.orgName);
      // Both orgs are in one tenant: never a sign-in per flow (none at all if an earlier test's token is still held).
      expect(world.sandbox.requests.filter((r) => r.host === 'login.microsoftonline.com' && r.path.endsWith('/oauth2/v2.0/token')).length).toBeLessThanOrEqual(1);
      await contoso.close();
      await northwind.close();
    });

    it('a web page cannot drive the extension: forged messages are rejected and create nothing', async () => {
      const page = await openOrgPage();
      const attempts = await page.evaluate(async (id) => {
        const results: string[] = [];
        const chromeApi = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (id: string, m: unknown) => Promise<unknown> } } }).chrome;
        try {
          await chromeApi!.runtime!.sendMessage!(id, { type: 'page.connect', data: { org: 'contoso' }, timestamp: Date.now(), id: 1 });
          results.push('sent');
        } catch (error) {
          results.push(`rejected: ${String(error).slice(0, 80)}`);
        }
        window.postMessage({ type: 'page.connect', data: { org: 'contoso' } }, '*');
        // Firefox gives web pages no extension messaging at all (no externally_connectable).
        const firefoxApi = (globalThis as unknown as { browser?: { runtime?: unknown } }).browser;
        results.push(`browser.runtime: ${typeof firefoxApi?.runtime}`, `chrome.runtime.sendMessage: ${typeof chromeApi?.runtime?.sendMessage}`);
        return results;
      }, world.ext.extensionId);
      expect(attempts[0]).toMatch(/^rejected/);
      if (browserName === 'firefox') {
        // The Firefox equivalent of Chromium's rejection: the page has no API to send with.
        expect(attempts.slice(1)).toEqual(['browser.runtime: undefined', 'chrome.runtime.sendMessage: undefined']);
      }
      await new Promise((r) => setTimeout(r, 1000));
      expect(world.sandbox.state.connections).toHaveLength(0);
      expect(world.sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toHaveLength(0);
      await page.close();
    });

    it('when the extension is not set up, the click opens the options page at the missing piece', async () => {
      const { ext } = world;
      const settingsPage = await ext.openPage(`${world.base}/options.html`);
      await settingsPage.waitForSelector('#infisicalUrl');
      const saved = await settingsPage.evaluate(async () => {
        const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
        const api = g.browser ?? g.chrome;
        // Only the secret: the worker's ledger owns the flows in session storage (ledger.ts).
        const session = await api.storage.session.get('identityClientSecret');
        await api.storage.session.remove('identityClientSecret');
        return session;
      });
      try {
        const page = await openOrgPage();
        const optionsPage = ext.waitForPage((url) => url.endsWith('/options.html#identityClientSecret'), 10_000);
        await (await control(page, CONNECT)).click();
        const options = await optionsPage;
        await options.waitForFunction(() => document.activeElement?.id === 'identityClientSecret', { timeout: 10_000 });
        await waitForPanel(page, /Finish setting up the extension/);
        expect(world.sandbox.state.connections).toHaveLength(0);
        await options.close();
        await page.close();
      } finally {
        await settingsPage.evaluate(async (session) => {
          const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
          await (g.browser ?? g.chrome).storage.session.set(session);
        }, saved);
        await settingsPage.close();
      }
    });
  });
});
