import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { INFISICAL, OTHER_INFISICAL } from '../sandbox/fixtures';
import { BROWSERS, pollFor } from './support/browsers';
import { dumpStorage, typeInto, type ExtensionApi } from './support/extension-pages';
import { useInstance, useWorld } from './support/world';

/**
 * The machine identity's secret, remembered on this device, in every browser: out of reach of the
 * content script, and sent to no Infisical origin but the one it was entered for. Also the
 * options page's other checks of what a person types.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName, { remember: true });

  /**
   * `storage.local`, `storage.session` and IndexedDB as the content script on `page` sees them.
   * Chromium: evaluated in the content script's own isolated world through CDP. Firefox: WebDriver
   * BiDi lists only the page's realm and puppeteer's sandboxes (`script.getRealms`), not the
   * content script's, so `storage.local` is read in full from an extension page: a content script
   * can read exactly that there (its session storage is trusted contexts only).
   */
  async function seenByContentScript(page: Page): Promise<{ local: unknown; session: string; databases: string[] }> {
    if (browserName === 'firefox') {
      const extensionPage = await world.ext.openPage(`${world.base}/popup.html`);
      try {
        return { local: (await dumpStorage(extensionPage)).local, session: 'not reachable through BiDi', databases: [] };
      } finally {
        await extensionPage.close();
      }
    }
    const cdp = await page.createCDPSession();
    const contexts: { id: number; name: string; origin: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
    await cdp.send('Runtime.enable');
    const world_ = contexts.find((c) => c.auxData?.type === 'isolated' && (c.name === 'Infisical Connect for Azure DevOps' || c.origin.includes(world.ext.extensionId)));
    if (!world_) throw new Error(`no content script world among ${JSON.stringify(contexts)}`);
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      contextId: world_.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => ({
        local: await chrome.storage.local.get(null),
        session: await chrome.storage.session.get(null).then((v) => JSON.stringify(v), (e) => 'refused: ' + e.message),
        databases: (await indexedDB.databases()).map((d) => d.name),
      }))()`,
    });
    await cdp.detach();
    if (exceptionDetails) throw new Error(`content script world: ${JSON.stringify(exceptionDetails)}`);
    return result.value;
  }

  const options = async () => {
    const page = await world.ext.openPage(`${world.base}/options.html`);
    await page.waitForSelector('#infisicalUrl');
    return page;
  };
  const save = (page: Page) => page.click('button[type=submit]');
  const saveStatus = (page: Page, pattern: RegExp) =>
    page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid=save-status]')?.textContent ?? ''), { timeout: 10_000 }, pattern.source);
  const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '').catch(() => '');
  const hasPermission = (page: Page, origin: string) =>
    page.evaluate(async (pattern) => {
      const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
      return (g.browser ?? g.chrome).permissions.contains({ origins: [pattern] });
    }, `${origin}/*`);

  it('a remembered secret is out of the content script’s reach on an Azure DevOps page', async () => {
    const page = await world.ext.browser.newPage();
    await page.goto('https://dev.azure.com/contoso/Payments');
    await page.waitForSelector('infisical-connect', { timeout: 10_000 });
    const seen = await seenByContentScript(page);
    expect(JSON.stringify(seen)).not.toContain(INFISICAL.clientSecret);
    expect(seen.local).not.toHaveProperty('identityClientSecret');
    if (browserName === 'chromium') {
      expect(seen.session).toMatch(/^refused: /);
      expect(seen.databases).not.toContain('infisical-connect');
    }
    // The page itself (its origin's IndexedDB) has nothing of the extension's either.
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('infisical-connect');
    await page.close();

    // Yet the extension still has it: the options say it is saved.
    const settings = await options();
    expect(await textOf(settings, '#identityClientSecret-hint')).toBe('Saved; leave empty to keep it');
    await settings.close();
  });

  it('the connection-name template is checked and previewed, and saved', async () => {
    const page = await options();
    expect(await textOf(page, '#connectionNameTemplate-hint')).toBe('contoso → azure-devops-contoso');
    await typeInto(page, '#connectionNameTemplate', 'Azure DevOps');
    await save(page);
    await page.waitForSelector('#connectionNameTemplate-error');
    expect(await textOf(page, '#connectionNameTemplate-error')).toMatch(/Include \{org\}/);
    await typeInto(page, '#connectionNameTemplate', 'ADO {org}');
    await save(page);
    await page.waitForFunction(() => /lowercase letters/.test(document.querySelector('#connectionNameTemplate-error')?.textContent ?? ''));
    await typeInto(page, '#connectionNameTemplate', 'ado-{org}-prod');
    expect(await textOf(page, '#connectionNameTemplate-hint')).toBe('contoso → ado-contoso-prod');
    await save(page);
    await saveStatus(page, /^Saved\.$/);
    expect((await dumpStorage(page)).local.settings).toMatchObject({ connectionNameTemplate: 'ado-{org}-prod' });
    await typeInto(page, '#connectionNameTemplate', 'azure-devops-{org}');
    await save(page);
    await saveStatus(page, /^Saved\.$/);
    await page.close();
  });

  it('an address typed with a path is saved as its origin, and the status says so', async () => {
    const page = await options();
    await typeInto(page, '#infisicalUrl', `${INFISICAL.siteUrl}/app/`);
    await save(page);
    await saveStatus(page, /saved as https:\/\/infisical\.sandbox\.test, without \/app\/: Infisical’s API lives at the origin/);
    expect((await dumpStorage(page)).local.settings).toMatchObject({ infisicalUrl: INFISICAL.siteUrl });
    await page.close();
  });

  it('a changed Infisical address asks for the secret again, sends only the new one there, and gives up the old origin', async () => {
    await world.ext.grantHostPermission(OTHER_INFISICAL.siteUrl);
    const typedForOther = 'secret-typed-for-the-other-instance';
    const page = await options();
    try {
      await typeInto(page, '#infisicalUrl', OTHER_INFISICAL.siteUrl);
      const again = `Enter the client secret again: it will be sent to ${OTHER_INFISICAL.siteUrl}`;
      expect(await textOf(page, '#identityClientSecret-hint')).toBe(again);
      await save(page);
      await page.waitForSelector('#identityClientSecret-error');
      expect(await textOf(page, '#identityClientSecret-error')).toBe(again);
      expect((await dumpStorage(page)).local.settings).toMatchObject({ infisicalUrl: INFISICAL.siteUrl });
      expect(world.sandbox.requests.filter((r) => r.host === OTHER_INFISICAL.host)).toEqual([]);

      await typeInto(page, '#identityClientSecret', typedForOther);
      await save(page);
      await saveStatus(page, /^Saved\.$/);
      expect((await dumpStorage(page)).local.settings).toMatchObject({ infisicalUrl: OTHER_INFISICAL.siteUrl });
      expect(await hasPermission(page, OTHER_INFISICAL.siteUrl)).toBe(true);
      // The removal reaches the page's process a moment after the save has returned (once in Chromium).
      await pollFor(async () => ((await hasPermission(page, INFISICAL.siteUrl)) ? null : true), 3000, 'the old origin’s permission to go');

      // The setup check logs in at the new origin with what was typed for it, which Infisical
      // refuses; checked again, it is not sent again, and the check says what to do.
      const login = '[data-testid=setup-results] li[data-check-id=identity-login]';
      await page.click('[data-testid=check-setup]');
      await page.waitForSelector(login, { timeout: 15_000 });
      expect(await textOf(page, login)).toMatch(/rejected the machine identity’s client ID or secret/);
      await page.click('[data-testid=check-setup]');
      await page.waitForFunction((s) => /so the extension does not send this secret again/.test(document.querySelector(s)?.textContent ?? ''), { timeout: 15_000 }, login);
      expect(await textOf(page, login)).toMatch(/enter the correct client secret in the extension’s options/);
      expect(await textOf(page, '#identityClientSecret-hint')).toMatch(/Infisical refused the saved secret/);

      // Every login the new origin saw carried the secret typed for it, never the old one.
      const toOther = world.sandbox.state.uaLogins.filter((l) => l.host === OTHER_INFISICAL.host);
      expect(toOther.map((l) => l.clientSecret)).toEqual([typedForOther]);
      // (Logins at the old origin with its own secret may show up here: the popup the storage
      // audit opened after the previous test asks the instance for its methods.)
    } finally {
      await page.close();
      // Back to the instance the other suites' worlds use (this one's last test).
      await useInstance(world.ext, INFISICAL.siteUrl, { remember: true });
    }
  });
});
