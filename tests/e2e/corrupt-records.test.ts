import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { leftoverPat } from '../support/sandbox-records';
import { BROWSERS, pollFor } from './support/browsers';
import { connectFromPopup, dumpStorage, text, waitForOutcome, type ExtensionApi } from './support/extension-pages';
import { stopBackground } from './support/restart';
import { useWorld } from './support/world';

/**
 * Records in storage.local that no longer read (docs/reliability.md), in every browser: a connection
 * record and a pending PAT are corrupted beside good ones, the background restarts, and afterwards
 * the good records are intact, both leftover PATs are revoked in the sandbox, and the options page
 * shows the count. The secret is remembered so that Firefox's reload (its restart) keeps it.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName, { remember: true });

  /** A PAT in contoso as a stopped flow left it, and its pending record (as this build writes it). */
  const leftover = async (name: string) => (await leftoverPat(world.sandbox, name, `stopped-${name}`)).record;

  const plant = (page: Page, values: Record<string, unknown>) =>
    page.evaluate(async (v) => {
      const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
      await (g.browser ?? g.chrome).storage.local.set(v);
    }, values);

  it('a corrupt connection record and a corrupt pending PAT: set aside and counted, good records intact, both leftover PATs revoked', async () => {
    // A connection made as a person would: a good record, and a sign-in the restarted background can renew silently.
    const popup = await connectFromPopup(world.ext.browser, world.base, { org: 'contoso', connectionName: 'kept' });
    expect(await waitForOutcome(popup, 45_000)).toBe('succeeded');
    const before = await dumpStorage(popup);
    const [record] = before.local.connections as { id: string; patAuthorizationId: string }[];

    const [good, broken] = [await leftover('left-good'), await leftover('left-broken')];
    const badRecord = { id: 'half-written', method: 'carrier-pigeon' };
    const badPending = { ...broken, validTo: 42, previousVersion: 'none' };
    await plant(popup, { connections: [record, badRecord], pendingPats: [good, badPending] });
    await stopBackground(browserName, popup);
    await popup.close().catch(() => undefined);

    // The next start (the reopened popup wakes it) recovers what was left.
    const again = await pollFor(() => world.ext.openPage(`${world.base}/popup.html`).catch(() => null), 15_000, 'the popup after the restart', 500);
    const status = (id: string) => world.sandbox.state.pats.find((p) => p.authorizationId === id)?.status;
    await pollFor(async () => (status(good.authorizationId) === 'revoked' && status(broken.authorizationId) === 'revoked' ? true : null), 45_000, 'both leftover PATs revoked').catch(
      async (e) => {
        throw new Error(`${e}; storage: ${JSON.stringify(await dumpStorage(again).catch(() => null))}`);
      },
    );
    expect(status(record!.patAuthorizationId)).toBe('active');

    const options = await world.ext.openPage(`${world.base}/options.html`);
    await options.waitForSelector('[data-testid=unreadable-records]', { timeout: 10_000 });
    expect(await text(options, '[data-testid=unreadable-records]')).toMatch(/^2 records could not be read\./);
    await pollFor(async () => ((await dumpStorage(options)).local.pendingPats as unknown[]).length === 0 || null, 10_000, 'the pending PATs cleared');
    const after = await dumpStorage(options);
    expect(after.local.connections).toEqual([record]);
    expect(after.local.pendingPats).toEqual([]);
    expect(after.local.settings).toEqual(before.local.settings);
    // In the order the two lists were first read: the recovery and the expiry watch's first check both read at start.
    expect(after.local.unreadableRecords).toHaveLength(2);
    expect(after.local.unreadableRecords).toEqual(
      expect.arrayContaining([
        { from: 'pendingPats', raw: badPending, at: expect.any(String), revokedAt: expect.any(String) },
        { from: 'connections', raw: badRecord, at: expect.any(String) },
      ]),
    );
    await options.close();
    await again.close();
  });
});
