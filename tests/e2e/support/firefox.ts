import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type ElementHandle, type Page } from 'puppeteer-core';
import { withoutTestPolicies } from './policy-files';
import { gotoPage, pollFor, type ExtensionBrowser, type ToolbarPopup } from './browsers';
import { FIREFOX_BUILD } from './paths';

/**
 * The `moz-extension://<uuid>` of the add-on in the test profile. Firefox picks a random UUID per
 * profile; the pref `extensions.webextensions.uuids` fixes it (docs/browsers.md "Stable extension IDs").
 */
export const FIREFOX_EXTENSION_UUID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';

/**
 * Debian's Firefox ESR over WebDriver BiDi with the production Firefox build installed, resolving
 * the real hostnames to the sandbox and trusting the sandbox CA through the profile's own NSS
 * database (docs/browsers.md "Pointing the real, unmodified build at local servers"). No certificate
 * errors are ignored.
 */
export async function launchFirefox(options: { hosts: string[]; port: number; caPath: string; extensionDir?: string; withTestPolicy?: boolean }): Promise<ExtensionBrowser> {
  // Only the policy suite runs under the tests' policy file (tests/e2e/support/policy-files.ts).
  if (!options.withTestPolicy) withoutTestPolicies();
  const dir = options.extensionDir ?? FIREFOX_BUILD;
  const geckoId = (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } }).browser_specific_settings.gecko.id;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'icado-firefox-'));
  execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${profile}`, '-n', 'icado-sandbox', '-t', 'C,,', '-i', options.caPath]);

  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profile,
    // Lets WebDriver BiDi open moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      // The real hostnames resolve to 127.0.0.1, and port 443 goes to the sandbox's port.
      'network.dns.localDomains': options.hosts.join(','),
      'network.trr.mode': 5,
      'network.socket.forcePort': `443=${options.port}`,
      'network.http.http3.enable': false,
      // Headless Firefox cannot show prompts: grant optional permissions the extension requests
      // (the request itself still happens, from the options page, as in real use).
      'extensions.webextOptionalPermissionPrompts': false,
      // browserAction.openPopup() outside a user gesture: the test's stand-in for a toolbar click.
      'extensions.openPopupWithoutUserGesture.enabled': true,
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID }),
      'browser.shell.checkDefaultBrowser': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(dir);
  } catch (error) {
    await browser.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const base = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

  async function realUrl(page: Page): Promise<string> {
    // puppeteer's page.url() is not updated for moz-extension:// navigations under BiDi.
    return Promise.race([page.evaluate(() => location.href), new Promise<string>((resolve) => setTimeout(() => resolve(page.url()), 1000))]).catch(() => page.url());
  }

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    await gotoPage(page, url);
    return page;
  }

  return {
    name: 'firefox',
    browser,
    extensionId,
    base,
    openPage,
    async waitForPage(match, timeout = 10_000) {
      return pollFor(
        async () => {
          for (const page of await browser.pages()) {
            if (match(await realUrl(page))) return page;
          }
          return null;
        },
        timeout,
        'a tab with the expected address',
      );
    },
    async pageUrls() {
      return Promise.all((await browser.pages()).map(realUrl));
    },
    async grantHostPermission() {
      // Nothing to do: `extensions.webextOptionalPermissionPrompts=false` grants the request.
    },
    async openToolbarPopup(tab) {
      // The popup is not a tab, so it is not a BiDi browsing context puppeteer can attach to.
      // An extension page opens it (as the toolbar button would) and reads it through
      // extension.getViews, which returns the popup's window to the extension's own pages.
      const driver = await openPage(`${base}/options.html`);
      await tab.bringToFront();
      await driver.evaluate(async () => {
        const api = (globalThis as unknown as { browser: FirefoxApi }).browser;
        const [active] = await api.tabs.query({ active: true, currentWindow: true });
        if (!active?.url?.startsWith('https://')) throw new Error(`the web page is not the active tab: ${active?.url}`);
        await api.browserAction.openPopup();
      });
      const read = (selector: string, what: 'value' | 'text') =>
        driver.evaluate(
          (s, w) => {
            const api = (globalThis as unknown as { browser: FirefoxApi }).browser;
            const view = api.extension.getViews({ type: 'popup' })[0];
            const el = view?.document.querySelector(s) as HTMLInputElement | null | undefined;
            if (!el) return null;
            return w === 'value' ? el.value : (el.textContent ?? '');
          },
          selector,
          what,
        );
      await pollFor(
        () => driver.evaluate(() => (globalThis as unknown as { browser: FirefoxApi }).browser.extension.getViews({ type: 'popup' }).length || null),
        10_000,
        'the toolbar popup',
      );
      const popup: ToolbarPopup = {
        value: (s) => read(s, 'value'),
        text: (s) => read(s, 'text'),
        async close() {
          await driver.evaluate(() =>
            (globalThis as unknown as { browser: FirefoxApi }).browser.extension.getViews({ type: 'popup' }).forEach((v) => {
              v.close();
            }),
          );
          await driver.close();
        },
      };
      return popup;
    },
    async waitForInClosedShadow(page, host, selector, timeout = 10_000) {
      return pollFor(
        async () => {
          const root = await closedShadowRoot(page, host);
          return root ? ((await root.$(selector)) as ElementHandle<Element> | null) : null;
        },
        timeout,
        `${selector} inside <${host}>`,
        150,
      );
    },
    async readableText(page) {
      // The page's own text, plus the text of every closed shadow root the extension renders.
      const own = await page.evaluate(() => document.body.innerText);
      const hosts = await page.$$eval('*', (all) => all.filter((e) => e.localName.includes('-')).map((e) => e.localName));
      const inside: string[] = [];
      for (const host of [...new Set(hosts)]) {
        const root = await closedShadowRoot(page, host);
        if (root) {
          inside.push(
            await root.evaluate((r) =>
              [...(r as ShadowRoot).children]
                .filter((c) => c.localName !== 'style')
                .map((c) => (c as HTMLElement).innerText)
                .join('\n'),
            ),
          );
        }
      }
      return [own, ...inside].join('\n');
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface FirefoxApi {
  tabs: { query(q: object): Promise<{ id?: number; url?: string; windowId?: number }[]> };
  browserAction: { openPopup(options?: { windowId?: number }): Promise<void> };
  extension: { getViews(q: { type: 'popup' | 'tab' }): Window[] };
}

/** What of puppeteer's BiDi frame this module needs (internal API: see closedShadowRoot). */
interface BidiFrameInternals {
  realms: {
    default: {
      realm: {
        callFunction(fn: string, awaitPromise: boolean, options: object): Promise<{ type: string; result?: BidiNode }>;
      };
      serialize(arg: unknown): unknown;
      createHandle(value: unknown): ElementHandle<Node>;
    };
  };
}
interface BidiNode {
  type: string;
  value?: { shadowRoot?: { type: string; sharedId?: string; value?: { mode?: string } } | null };
}

/**
 * The closed shadow root of the first `host` element on the page. Page scripts cannot reach it, but
 * WebDriver BiDi serialises closed shadow roots on request (`includeShadowTree: "all"`), the way
 * Chromium's CDP exposes them to puppeteer's ARIA queries. puppeteer does not offer that option, so
 * this calls its BiDi realm directly; if puppeteer's internals change, it fails loudly here.
 */
async function closedShadowRoot(page: Page, host: string): Promise<ElementHandle<Node> | null> {
  const element = await page.$(host);
  if (!element) return null;
  const frame = page.mainFrame() as unknown as Partial<BidiFrameInternals>;
  const realm = frame.realms?.default;
  if (!realm?.realm?.callFunction) throw new Error('puppeteer internals changed: no BiDi realm on the frame');
  const answer = await realm.realm.callFunction('(h) => h', true, {
    arguments: [realm.serialize(element)],
    resultOwnership: 'root',
    serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
  });
  const shadow = answer.result?.value?.shadowRoot;
  if (!shadow?.sharedId) return null;
  return realm.createHandle(shadow);
}
