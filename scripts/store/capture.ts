/**
 * The raw screenshots of the listings: the production build in Debian's Chromium or Firefox ESR,
 * against the local sandbox under the real hostnames (tests/e2e/support/world.ts sets that up the
 * same way for the end-to-end suites), configured through its options page, then driven as a
 * person would. frame.ts then sets each shot in a frame of the stores' exact size.
 */
import type { Page } from 'puppeteer-core';
import { ORGS, TENANT } from '../../tests/sandbox/fixtures';
import { pollFor, type BrowserName, type ExtensionBrowser } from '../../tests/e2e/support/browsers';
import { openPopupForm, typeInto, waitForOutcome } from '../../tests/e2e/support/extension-pages';
import { startWorld } from '../../tests/e2e/support/world';
import { seedConnections, setExpiryWindow } from './seed-connections';

/** Each shot as PNG bytes. */
export interface Shots {
  /** An Azure DevOps project page with the Connect to Infisical control. */
  adoPage: Buffer;
  /** The popup's form, org and tenant filled from that page. */
  popupForm: Buffer;
  /** The popup once the connection is made. */
  popupSuccess: Buffer;
  /** An Azure DevOps page after one click on the control: the result panel under it. */
  pageConnected: Buffer;
  /** The options page's connections view. */
  connections: Buffer;
}

/** The page area of a listing screenshot (frame.ts leaves this much under the caption). */
export const PAGE_VIEWPORT = { width: 1184, height: 640, deviceScaleFactor: 1 } as const;
const POPUP_VIEWPORT = { width: 360, height: 560, deviceScaleFactor: 1 } as const;

const png = async (page: Page) => Buffer.from(await page.screenshot({ type: 'png' }));

/** Throws when a flow fails or an expected element never shows: a listing never shows a broken state. */
export async function captureShots(browserName: BrowserName): Promise<Shots> {
  const world = await startWorld(browserName);
  const { ext, sandbox, base } = world;
  try {
    await seedConnections(ext.browser, base, sandbox);
    await setExpiryWindow(ext.browser, base, 30);

    const page = await ext.browser.newPage();
    await page.setViewport(PAGE_VIEWPORT);
    await page.goto(`https://dev.azure.com/${ORGS.contoso.name}/Payments`);
    await ext.waitForInClosedShadow(page, 'infisical-connect', '::-p-aria([name="Connect contoso to Infisical"][role="button"])');
    const adoPage = await png(page);

    const popup = await popupFor(ext, page);
    await pollFor(
      () => popup.evaluate((id) => ((document.querySelector('#tenant') as HTMLInputElement | null)?.value === id ? true : null), TENANT.id),
      10_000,
      'the discovered tenant',
    );
    const popupForm = await png(popup);
    await popup.click('button[type=submit]');
    if ((await waitForOutcome(popup)) !== 'succeeded') throw new Error('store: the popup connect failed');
    const popupSuccess = await png(popup);
    await popup.close();

    await page.goto(`https://dev.azure.com/${ORGS.tailspin.name}/Storefront`);
    const button = await ext.waitForInClosedShadow(page, 'infisical-connect', `::-p-aria([name="Connect ${ORGS.tailspin.name} to Infisical"][role="button"])`);
    await button.click();
    await pollFor(async () => (/is ready in Infisical\./.test(await ext.readableText(page)) ? true : null), 20_000, 'the one-click result panel', 150);
    const pageConnected = await png(page);
    await page.close();

    const options = await ext.openPage(`${base}/options.html`);
    await options.setViewport(PAGE_VIEWPORT);
    await options.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    // The view's first rows under its heading, as the page shows them when scrolled there.
    await options.$eval('[data-testid=connections]', (section) => (section.closest('section') ?? section).scrollIntoView({ block: 'start' }));
    const connections = await png(options);
    await options.close();
    return { adoPage, popupForm, popupSuccess, pageConnected, connections };
  } finally {
    await world.close();
  }
}

/**
 * The popup for the Azure DevOps tab `page`. Chromium: the real toolbar popup, which fills the
 * org and tenant from the active tab (tests/e2e/methods.test.ts "prefills the org"). Firefox's
 * popup is no browsing context puppeteer can photograph (docs/browsers.md "Opening the real toolbar
 * popup"), so there the popup's page in a tab at the popup's width, with the org typed.
 */
async function popupFor(ext: ExtensionBrowser, tab: Page): Promise<Page> {
  if (ext.name === 'chromium') {
    await ext.openToolbarPopup(tab);
    const target = await ext.browser.waitForTarget((t) => t.url() === `${ext.base}/popup.html`, { timeout: 10_000 });
    const popup = await target.asPage();
    if (!popup) throw new Error('store: the toolbar popup is not a page');
    // The last seeded connect is shown first; start over as a person would (openPopupForm does the same).
    await popup.waitForSelector('#org, [data-testid=dismiss]');
    if (await popup.$('[data-testid=dismiss]')) await popup.click('[data-testid=dismiss]');
    await popup.waitForSelector('#org');
    return popup;
  }
  const popup = await openPopupForm(ext.browser, ext.base);
  await popup.setViewport(POPUP_VIEWPORT);
  await typeInto(popup, '#org', ORGS.contoso.name);
  return popup;
}
