import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS } from './support/paths';
import { startWorld, type World } from './support/world';

/**
 * One-click connect from Azure DevOps pages (the sandbox serves a stand-in of Azure DevOps' layout
 * with in-page navigation). The control lives in a closed shadow root, so it is found the way
 * assistive technology finds it: by role and accessible name.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());
beforeEach(() => world.sandbox.reset());

const CONNECT = '::-p-aria([name="Connect contoso to Infisical"][role="button"])';

async function openOrgPage(url = 'https://dev.azure.com/contoso/Payments'): Promise<Page> {
  const page = await world.chromium.browser.newPage();
  await page.setViewport({ width: 1100, height: 700 });
  await page.goto(url);
  await page.waitForSelector(CONNECT, { timeout: 10_000 });
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
    const snapshot = await page.accessibility.snapshot({ interestingOnly: false });
    const text = JSON.stringify(snapshot);
    const match = pattern.exec(text);
    if (match) return match[0];
    if (Date.now() - started > timeout) throw new Error(`panel never showed ${pattern}: ${text.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

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
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-control.png') });
    await page.close();
  });

  it('is not shown outside an organization', async () => {
    const page = await world.chromium.browser.newPage();
    await page.goto('https://dev.azure.com/_sandbox-not-an-org').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 800));
    expect(await page.$('infisical-connect')).toBeNull();
    await page.close();
  });

  it('survives in-page navigation to another project without duplicating itself', async () => {
    const page = await openOrgPage();
    await page.click('.navigation-container a[href="/contoso/Platform"]');
    await page.waitForFunction(() => document.querySelector('.project-name')?.textContent === 'Platform');
    await page.waitForSelector(CONNECT);
    await new Promise((r) => setTimeout(r, 500));
    expect(page.url()).toBe('https://dev.azure.com/contoso/Platform');
    expect(await page.$$eval('infisical-connect', (hosts) => hosts.length)).toBe(1);
    await page.close();
  });

  it('one click creates the connection; a second click offers the update path', async () => {
    const page = await openOrgPage();
    await page.click(CONNECT);
    await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
    expect(world.sandbox.state.connections).toHaveLength(1);
    expect(world.sandbox.state.connections[0]).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', credentials: { orgName: 'contoso' } });
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-connected.png') });

    await page.click(CONNECT);
    await waitForPanel(page, /A connection named “azure-devops-contoso” already exists/);
    await page.click('::-p-aria([name="Update credentials"][role="button"])');
    await waitForPanel(page, /Connection “azure-devops-contoso” is ready in Infisical\./);
    expect(world.sandbox.state.connections).toHaveLength(1);
    expect(world.sandbox.state.connections[0]?.version).toBe(2);
    // The panel lives in a closed shadow root: the page's own scripts cannot read it.
    expect(await panelText(page)).toBe('');
    await page.close();
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
      return results;
    }, world.chromium.extensionId);
    expect(attempts[0]).toMatch(/^rejected/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(world.sandbox.state.connections).toHaveLength(0);
    expect(world.sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toHaveLength(0);
    await page.close();
  });

  it('when the extension is not set up, the click opens the options page at the missing piece', async () => {
    const { browser } = world.chromium;
    const settingsPage = await browser.newPage();
    await settingsPage.goto(`${world.base}/options.html`);
    await settingsPage.waitForSelector('#infisicalUrl');
    const saved = await settingsPage.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { session: { get(k: null): Promise<object>; clear(): Promise<void> } } } }).chrome;
      const session = await api.storage.session.get(null);
      await api.storage.session.clear();
      return session;
    });
    try {
      const page = await openOrgPage();
      const optionsTarget = browser.waitForTarget((t) => t.url().endsWith('/options.html#identityClientSecret'), { timeout: 10_000 });
      await page.click(CONNECT);
      const options = (await (await optionsTarget).asPage())!;
      await options.waitForFunction(() => document.activeElement?.id === 'identityClientSecret', { timeout: 10_000 });
      await waitForPanel(page, /Finish setting up the extension/);
      expect(world.sandbox.state.connections).toHaveLength(0);
      await options.close();
      await page.close();
    } finally {
      await settingsPage.evaluate(async (session) => {
        const api = (globalThis as unknown as { chrome: { storage: { session: { set(v: object): Promise<void> } } } }).chrome;
        await api.storage.session.set(session);
      }, saved);
      await settingsPage.close();
    }
  });
});
