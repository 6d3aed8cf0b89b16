import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { BROWSERS, pollFor } from './support/browsers';
import { connectFromPopup, dumpStorage, openPopupForm, text, waitForOutcome } from './support/extension-pages';
import { stopBackground } from './support/restart';
import { useWorld } from './support/world';

/**
 * The browser stops the background after the PAT was minted and before it was delivered (docs/reliability.md),
 * in every browser (tests/e2e/support/restart.ts). Chromium keeps session storage then; Firefox's
 * reload empties it, so this suite's identity secret is remembered, as a person who wants
 * recovery after a restart would choose.
 */
const CREATE = /^\/api\/v1\/app-connections\/azure-devops\/?$/;

describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName, { remember: true });

  /** The sandbox's log in one line, for a failure message. */
  const requestLog = () => world.sandbox.requests.map((r) => `${r.at.slice(17, 23)} ${r.method} ${r.host}${r.path.slice(0, 50)} ${r.status}`).join(' | ');

  async function interrupt(mode: 'hang' | 'after-handler-hang', name: string): Promise<Page> {
    world.sandbox.faults.add({ host: 'infisical.sandbox.test', method: 'POST', path: CREATE, mode, times: 1 });
    const popup = await connectFromPopup(world.ext.browser, world.base, { org: 'contoso', connectionName: name });
    // The PAT is minted and recorded as pending; the create is on its way and will not be answered.
    await pollFor(async () => (((await dumpStorage(popup)).local.pendingPats as unknown[] | undefined)?.length ? true : null), 30_000, 'the pending PAT record').catch(async (e) => {
      throw new Error(`${e}; popup: ${await text(popup, 'main').catch(() => '?')}; requests: ${requestLog()}`);
    });
    await pollFor(async () => (world.sandbox.requests.some((r) => r.method === 'POST' && CREATE.test(r.path)) ? true : null), 10_000, 'the create request');
    await stopBackground(browserName, popup);
    await popup.close().catch(() => undefined);
    world.sandbox.faults.clear();
    // The next time the background starts (any message wakes the worker; the reloaded page starts
    // at once), it finishes or revokes.
    return pollFor(() => world.ext.openPage(`${world.base}/popup.html`).catch(() => null), 15_000, 'the popup after the restart', 500);
  }

  describe('background stopped mid-flow', () => {
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

    it('saved before the stop: the flow is finished, the PAT kept and the connection recorded', async () => {
      const popup = await interrupt('after-handler-hang', 'stored');
      const outcome = await waitForOutcome(popup, 45_000).catch(async (e) => {
        throw new Error(`${e}; popup: ${await text(popup, 'main').catch(() => '?')}; storage: ${JSON.stringify(await dumpStorage(popup).catch(() => null))}; requests: ${requestLog()}`);
      });
      expect(outcome).toBe('succeeded');
      const [connection] = world.sandbox.state.connections;
      expect(connection?.name).toBe('stored');
      const pat = world.sandbox.state.pats.find((p) => p.displayName === 'Infisical stored');
      expect(pat?.status).toBe('active');
      expect(connection?.secretCredentials.accessToken).toBe(pat?.token);
      const stored = await dumpStorage(popup);
      expect(stored.local.pendingPats).toEqual([]);
      expect(stored.local.connections).toEqual([expect.objectContaining({ id: connection?.id, patAuthorizationId: pat?.authorizationId })]);
      await popup.close();
    });
  });

  // Chromium only: Firefox runs MSAL in its background page, there is no document to leave behind.
  if (browserName === 'chromium') {
    it('a sign-in document left by a stopped worker is closed when the worker starts again', async () => {
      const offscreen = () => world.ext.browser.targets().some((t) => t.url().endsWith('/offscreen.html'));
      // Typing the org finds the tenant; the popup then has MSAL got ready in an offscreen document,
      // which the worker would close after 2 idle minutes, or after a sign-in.
      const popup = await openPopupForm(world.ext.browser, world.base);
      await popup.type('#org', 'contoso');
      await pollFor(async () => (offscreen() ? true : null), 10_000, 'the offscreen document');
      await stopBackground(browserName, popup);
      await popup.close();
      // The stopped worker's timer is gone; the next start closes what it left.
      const again = await openPopupForm(world.ext.browser, world.base);
      await pollFor(async () => (offscreen() ? null : true), 10_000, 'the offscreen document to close');
      await again.close();
    });
  }
});
