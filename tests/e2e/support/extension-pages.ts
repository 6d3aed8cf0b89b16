import type { Browser, Page } from 'puppeteer-core';
import { gotoPage } from './browsers';

export interface OptionsInput {
  infisicalUrl: string;
  identityClientId: string;
  identityClientSecret: string;
  microsoftClientId: string;
  remember?: boolean;
}

export interface PopupInput {
  method?: 'microsoft' | 'infisical-oauth' | 'pat' | 'service-principal';
  tenant?: string;
  org: string;
  pat?: string;
  clientId?: string;
  clientSecret?: string;
  connectionName?: string;
  description?: string;
  patLifetimeDays?: number;
}

export async function typeInto(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await page.type(selector, value);
}

/** The options page, filled in and saved as a person would. */
export async function configureOptions(browser: Browser, base: string, input: OptionsInput): Promise<Page> {
  const page = await browser.newPage();
  await gotoPage(page, `${base}/options.html`);
  await page.waitForSelector('#infisicalUrl');
  await typeInto(page, '#infisicalUrl', input.infisicalUrl);
  await typeInto(page, '#identityClientId', input.identityClientId);
  await typeInto(page, '#identityClientSecret', input.identityClientSecret);
  await typeInto(page, '#microsoftClientId', input.microsoftClientId);
  if (input.remember) await page.click('#rememberSecret');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.', {
    timeout: 10_000,
  });
  return page;
}

/** Open the popup page in a tab (headless cannot click the toolbar), showing its form. */
export async function openPopupForm(browser: Browser, base: string): Promise<Page> {
  const page = await browser.newPage();
  await gotoPage(page, `${base}/popup.html`);
  // A finished flow from before is shown first; start over as a person would.
  await page.waitForSelector('#org, [data-testid=dismiss]');
  if (await page.$('[data-testid=dismiss]')) await page.click('[data-testid=dismiss]');
  await page.waitForSelector('#org');
  return page;
}

/** Fill the popup's form for a method and press Connect. */
export async function fillAndConnect(page: Page, input: PopupInput): Promise<void> {
  if (input.method) {
    // The OAuth choice becomes selectable once the background has asked the instance.
    await page.waitForSelector(`input[name=method][value=${input.method}]:not([disabled])`);
    await page.click(`input[name=method][value=${input.method}]`);
  }
  await typeInto(page, '#org', input.org);
  // Let tenant discovery (debounced, then one request) settle before typing over its result.
  await new Promise((r) => setTimeout(r, 400));
  await page.waitForFunction(() => !document.querySelector('#tenant-hint')?.textContent?.includes('Looking up'));
  if (input.tenant !== undefined) await typeInto(page, '#tenant', input.tenant);
  if (input.pat) await typeInto(page, '#pat', input.pat);
  if (input.clientId) await typeInto(page, '#clientId', input.clientId);
  if (input.clientSecret) await typeInto(page, '#clientSecret', input.clientSecret);
  if (input.connectionName) await typeInto(page, '#connectionName', input.connectionName);
  if (input.description) await typeInto(page, '#description', input.description);
  if (input.patLifetimeDays) await page.select('#patLifetimeDays', String(input.patLifetimeDays));
  await page.click('button[type=submit]');
}

/** Open the popup, fill the form and connect. */
export async function connectFromPopup(browser: Browser, base: string, input: PopupInput): Promise<Page> {
  const page = await openPopupForm(browser, base);
  await fillAndConnect(page, input);
  return page;
}

/** Wait until the flow shown in the popup has ended; returns its status. */
export async function waitForOutcome(page: Page, timeout = 30_000): Promise<'succeeded' | 'failed'> {
  const handle = await page.waitForFunction(
    () => {
      const status = document.querySelector('[data-testid=flow]')?.getAttribute('data-status');
      return status === 'succeeded' || status === 'failed' ? status : null;
    },
    { timeout },
  );
  return (await handle.jsonValue()) as 'succeeded' | 'failed';
}

export async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => el.textContent ?? '');
}

/**
 * The extension API object of an extension page: Firefox's promise-based `browser`, else
 * Chromium's `chrome` (promise-based in MV3). For use inside `page.evaluate`.
 */
export type ExtensionApi = {
  storage: Record<
    'local' | 'sync' | 'session',
    { get(keys: string | null): Promise<Record<string, unknown>>; set(v: object): Promise<void>; remove(keys: string): Promise<void>; clear(): Promise<void> }
  >;
  permissions: { getAll(): Promise<{ origins?: string[]; permissions?: string[] }>; contains(p: { origins: string[] }): Promise<boolean> };
  identity: { getRedirectURL(): string };
};

/** Everything the extension keeps in storage, read from one of its pages. */
export async function dumpStorage(page: Page): Promise<Record<'local' | 'sync' | 'session', Record<string, unknown>>> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
    const api = g.browser ?? g.chrome;
    return {
      local: await api.storage.local.get(null),
      sync: await api.storage.sync.get(null),
      session: await api.storage.session.get(null),
    };
  });
}
