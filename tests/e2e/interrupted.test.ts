import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { pollFor } from './support/browsers';
import { connectFromPopup, dumpStorage, text, waitForOutcome } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * The browser stops the background after the PAT was minted and before it was delivered (issue 6).
 * Chromium only for now: there the MV3 service worker can be stopped on demand (CDP), as Chromium
 * does after 30 s idle. Firefox's MV2 background page lives as long as the browser; its equivalent
 * (a browser restart mid-flow) is not covered yet. The other branch, "Infisical stored it before
 * the stop: finish the flow", is covered by tests/unit/recover.test.ts: its end-to-end version
 * failed 2 runs in 6 under CI load (the flow never ended; cause not found yet), so it is out of
 * the suite until it is understood (docs/reliability.md).
 */
const CREATE = /^\/api\/v1\/app-connections\/azure-devops\/?$/;

describe('chromium: background stopped mid-flow', () => {
  const world = useWorld('chromium');

  async function interrupt(mode: 'hang', name: string): Promise<Page> {
    world.sandbox.faults.add({ host: 'infisical.sandbox.test', method: 'POST', path: CREATE, mode, times: 1 });
    const popup = await connectFromPopup(world.ext.browser, world.base, { org: 'contoso', connectionName: name });
    // The PAT is minted and recorded as pending; the create is on its way and will not be answered.
    await pollFor(async () => (((await dumpStorage(popup)).local.pendingPats as unknown[] | undefined)?.length ? true : null), 20_000, 'the pending PAT record');
    await pollFor(async () => (world.sandbox.requests.some((r) => r.method === 'POST' && CREATE.test(r.path)) ? true : null), 10_000, 'the create request');
    const cdp = await popup.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
    await popup.close();
    world.sandbox.faults.clear();
    // The next time the worker starts (any message wakes it), it finishes or revokes.
    const reopened = await world.ext.browser.newPage();
    await reopened.goto(`${world.base}/popup.html`);
    return reopened;
  }

  it('not saved: the PAT is revoked and the popup says so', async () => {
    const popup = await interrupt('hang', 'interrupted');
    expect(await waitForOutcome(popup, 45_000), JSON.stringify(await dumpStorage(popup))).toBe('failed');
    expect(await text(popup, '[data-testid=error-title]')).toMatch(/stopped the extension before the connection was saved; the token it had created was revoked/);
    const minted = world.sandbox.state.pats.filter((p) => p.displayName === 'Infisical interrupted');
    expect(minted.map((p) => p.status)).toEqual(['revoked']);
    expect(world.sandbox.state.connections).toHaveLength(0);
    expect((await dumpStorage(popup)).local.pendingPats).toEqual([]);
    await popup.close();
  });
});
