import type { Page } from 'puppeteer-core';
import type { BrowserName } from './browsers';

/**
 * Stop the extension's background as the browser would. Chromium: the MV3 service worker is
 * stopped on demand (CDP), as Chromium does after 30 s idle; the next message starts it again.
 * Firefox: the MV2 background page lives as long as the extension, so the extension is reloaded
 * (what an update or a browser restart does).
 */
export async function stopBackground(browserName: BrowserName, page: Page): Promise<void> {
  if (browserName === 'chromium') {
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  } else {
    // The page goes away with the extension: its evaluate may not get an answer.
    await page.evaluate(() => void (globalThis as unknown as { browser: { runtime: { reload(): void } } }).browser.runtime.reload()).catch(() => undefined);
  }
}
