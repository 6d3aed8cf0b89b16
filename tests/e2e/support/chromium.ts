import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Target } from 'puppeteer-core';
import { withoutTestPolicies } from './policy-files';
import { gotoPage, type ExtensionBrowser } from './browsers';
import { CHROME_BUILD } from './paths';

export type LaunchedChromium = ExtensionBrowser;

/**
 * Debian's Chromium with the production build loaded, resolving the real hostnames to the sandbox
 * and trusting the sandbox CA through a private NSS database (docs/browsers.md
 * "Pointing the real, unmodified build at local servers"). No certificate errors are ignored.
 */
export async function launchChromium(options: { hosts: string[]; port: number; caPath: string; extensionDir?: string; withTestPolicy?: boolean }): Promise<LaunchedChromium> {
  // Only the policy suite runs under the tests' policy file (tests/e2e/support/policy-files.ts).
  if (!options.withTestPolicy) withoutTestPolicies();
  const home = mkdtempSync(path.join(os.tmpdir(), 'icado-chromium-'));
  const nssdb = path.join(home, '.pki/nssdb');
  mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'icado-sandbox', '-t', 'C,,', '-i', options.caPath]);
  const rules = options.hosts.map((h) => `MAP ${h} 127.0.0.1:${options.port}`).join(', ');

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    pipe: true,
    enableExtensions: [options.extensionDir ?? CHROME_BUILD],
    userDataDir: path.join(home, 'profile'),
    env: { ...process.env, HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--host-resolver-rules=${rules}`,
    ],
  });
  const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
    timeout: 15_000,
  });
  const extensionId = new URL(worker.url()).host;
  const base = `chrome-extension://${extensionId}`;
  return {
    name: 'chromium',
    browser,
    extensionId,
    base,
    async openPage(url) {
      const page = await browser.newPage();
      await gotoPage(page, url);
      return page;
    },
    async waitForPage(match, timeout = 10_000) {
      const target = await browser.waitForTarget((t) => t.type() === 'page' && match(t.url()), { timeout });
      return (await target.asPage())!;
    },
    async pageUrls() {
      return (await browser.pages()).map((p) => p.url());
    },
    grantHostPermission: (origin) => grantHostPermission(browser, extensionId, origin),
    async openToolbarPopup(tab) {
      await tab.bringToFront();
      // Open the real toolbar popup for the active tab, from the service worker.
      const sw = await (await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(base))).worker();
      await sw!.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
      const popupTarget = await browser.waitForTarget((t: Target) => t.url() === `${base}/popup.html`, { timeout: 10_000 });
      const page = (await popupTarget.asPage())!;
      return {
        value: (s) => page.evaluate((sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value ?? null, s),
        text: (s) => page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, s),
        close: () => page.close().catch(() => undefined),
      };
    },
    async waitForInClosedShadow(page, _host, selector, timeout = 10_000) {
      // Chromium's accessibility tree (puppeteer's ARIA selectors) reaches into closed shadow roots.
      return (await page.waitForSelector(selector, { timeout })) as ElementHandle<Element>;
    },
    async readableText(page) {
      return JSON.stringify(await page.accessibility.snapshot({ interestingOnly: false }));
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Grant an optional host permission the way the extensions page's "Site access" does, because
 * headless Chromium never answers the permissions prompt (docs/browsers.md "Optional host permissions").
 */
export async function grantHostPermission(browser: Browser, extensionId: string, origin: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(`chrome://extensions/?id=${extensionId}`);
  await page.evaluate(
    (id, pattern) =>
      new Promise<void>((resolve, reject) => {
        const api = (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string, cb: () => void): void } } }).chrome;
        api.developerPrivate.addHostPermission(id, pattern, () => resolve());
        setTimeout(() => reject(new Error('addHostPermission did not answer')), 5000);
      }),
    extensionId,
    `${origin}/*`,
  );
  await page.close();
}
