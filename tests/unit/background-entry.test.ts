import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '@/entrypoints/background/index';
import { userMessageOf } from '@/utils/errors/user-message-of';
import { backgroundMessaging, msalMessaging, pageMessaging } from '@/utils/messaging';
import { SETUP_CHECK_IDS, type SetupCheckItem } from '@/utils/setup/check-items';
import { writeIdentitySecret } from '@/utils/storage/secret';
import { settingsItem } from '@/utils/storage/settings-item';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { EXTENSION_APP, INFISICAL, MSA_TENANT_ID, ORGS, TENANT } from '../sandbox/fixtures';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { useSandbox } from '../support/use-sandbox';

/**
 * The background entrypoint as the browser starts it: `main()` of entrypoints/background/index.ts
 * on WXT's fake browser, its `fetch` sent to the sandbox. Everything is asked through raw runtime
 * messages with a sender, as a page or a content script sends them, so the test holds whatever
 * the background's modules become. The fake browser lacks the permissions and identity APIs;
 * they are stubbed as a browser that granted the instance's host permission.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});

const EXTENSION = () => `chrome-extension://${fakeBrowser.runtime.id}`;
const OPTIONS_PAGE = () => ({ id: fakeBrowser.runtime.id, url: `${EXTENSION()}/options.html` });
const CONTENT_SCRIPT = () => ({ id: fakeBrowser.runtime.id, url: `https://dev.azure.com/${ORGS.contoso.name}/Payments`, tab: { id: 7 }, frameId: 0 });

type Answer = { ok: true; value: unknown } | { ok: false; title: string };

/**
 * One message as @webext-core/messaging puts it on the wire, answered as the sender would read it.
 * A listener answers by returning a promise of the answer (webextension-polyfill's way) or `true`
 * and calling `respond` (the browser's own way): both are read.
 */
async function send(type: string, data: unknown, sender: object): Promise<Answer> {
  let respond!: (response: unknown) => void;
  const responded = new Promise<unknown>((resolve) => (respond = resolve));
  const results: unknown[] = await fakeBrowser.runtime.onMessage.trigger({ id: 1, type, data, timestamp: Date.now() }, sender as never, respond as never);
  const returned = results.find((r) => r !== undefined && r !== false);
  if (returned === undefined) throw new Error(`nobody answered ${type}`);
  const { res, err } = (returned === true ? await responded : returned) as { res?: unknown; err?: unknown };
  return err === undefined ? { ok: true, value: res } : { ok: false, title: userMessageOf(err).title };
}

/** A (re)started worker: what the browser does when it loads the background. */
async function startWorker() {
  // A worker is one JS context: listeners of the one before it are gone.
  for (const messaging of [backgroundMessaging, pageMessaging, msalMessaging]) messaging.removeAllListeners();
  await background.main();
}

beforeEach(() => {
  vi.stubGlobal('fetch', fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }));
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true as never);
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.permissions.onRemoved]) vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue(EXTENSION_APP.chromiumRedirect);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function configure() {
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, infisicalUrl: INFISICAL.siteUrl, identityClientId: INFISICAL.clientId, microsoftClientId: EXTENSION_APP.clientId });
  await writeIdentitySecret({ secret: INFISICAL.clientSecret, origin: INFISICAL.siteUrl }, false);
}

describe('the background entrypoint', () => {
  it('starts on empty storage and answers its messages', async () => {
    const onMessage = vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener');
    await startWorker();
    expect(onMessage).toHaveBeenCalled();
    // The start-up recovery runs unawaited; a rejection it let through would fail this file
    // (vitest reports unhandled rejections). Given time to finish, it has nothing to recover and
    // leaves storage as it found it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fakeBrowser.storage.local.get()).toEqual({});
    expect(await send('page.status', { org: ORGS.contoso.name }, CONTENT_SCRIPT())).toEqual({ ok: true, value: null });
  });

  it('an unconfigured extension: the setup check says what to enter and skips what needs it', async () => {
    await startWorker();
    const answer = await send('setup.check', { testSignIn: false }, OPTIONS_PAGE());
    expect(answer.ok).toBe(true);
    const items = (answer as { value: SetupCheckItem[] }).value;
    expect(items.map((i) => i.id)).toEqual([...SETUP_CHECK_IDS]);
    expect(Object.fromEntries(items.map((i) => [i.id, i.status]))).toEqual({
      'host-permission': 'fail',
      instance: 'skipped',
      'identity-login': 'skipped',
      'read-connections': 'skipped',
      'oauth-client-id': 'skipped',
      'microsoft-client-id': 'warn',
      'redirect-uri': 'info',
      'test-sign-in': 'skipped',
    });
    expect(items[0]).toMatchObject({ summary: 'No Infisical address is saved.' });
    expect(items.find((i) => i.id === 'redirect-uri')).toMatchObject({ label: 'Redirect URI to register (Chromium)', summary: EXTENSION_APP.chromiumRedirect });
    expect(sandbox.requests).toEqual([]);
  });

  it('an unconfigured extension: the popup’s question about the instance is answered with what to set up', async () => {
    await startWorker();
    expect(await send('instance.methods', undefined, OPTIONS_PAGE())).toEqual({ ok: false, title: 'The extension is not set up yet.' });
  });

  it('a configured extension: asks the instance which methods it offers', async () => {
    await configure();
    await startWorker();
    expect(await send('instance.methods', undefined, OPTIONS_PAGE())).toEqual({ ok: true, value: { oauth: true } });
  });

  it('finds the Entra tenant of an Azure DevOps organization, and says when it uses Microsoft accounts', async () => {
    await startWorker();
    expect(await send('discover.tenant', { org: ORGS.contoso.name }, OPTIONS_PAGE())).toEqual({ ok: true, value: { tenantId: TENANT.id, msa: false } });
    expect(await send('discover.tenant', { org: ORGS.fabrikamMsa.name }, OPTIONS_PAGE())).toEqual({ ok: true, value: { tenantId: MSA_TENANT_ID, msa: true } });
  });

  it('refuses a background-only message from a content script, before doing anything', async () => {
    await configure();
    await startWorker();
    for (const [type, data] of [
      ['setup.check', { testSignIn: false }],
      ['discover.tenant', { org: ORGS.contoso.name }],
      ['connect.start', { org: ORGS.contoso.name }],
    ] as const) {
      expect(await send(type, data, CONTENT_SCRIPT()), type).toEqual({ ok: false, title: 'The extension ignored a request that did not come from one of its own pages.' });
    }
    expect(sandbox.requests).toEqual([]);
  });
});
