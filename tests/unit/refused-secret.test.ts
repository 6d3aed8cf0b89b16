import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createServices } from '@/entrypoints/background/services';
import { createBackgroundSetupCheck } from '@/entrypoints/background/setup-check';
import type { MicrosoftSignIn } from '@/utils/microsoft/sign-in';
import type { SetupCheckItem } from '@/utils/setup/check-items';
import { forgetIdentitySecret, readIdentitySecret, writeIdentitySecret } from '@/utils/storage/secret';
import { settingsItem } from '@/utils/storage/settings-item';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { readSettings } from '@/utils/storage/view';
import { EXTENSION_APP, INFISICAL, OTHER_INFISICAL } from '../sandbox/fixtures';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { useSandbox } from '../support/use-sandbox';

/**
 * A client secret Infisical refused is not sent again until the user changes it, wherever the
 * login comes from: Universal Auth locks the identity for every user after 3 failed logins
 * (tests/sandbox/infisical-auth.ts), and the lock outlasts the fix. Real storage (WXT's fake
 * browser, an in-memory IndexedDB), the real client, the sandbox's Infisical.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});
beforeEach(async () => {
  await forgetIdentitySecret();
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, infisicalUrl: INFISICAL.siteUrl, identityClientId: INFISICAL.clientId, microsoftClientId: EXTENSION_APP.clientId });
  // The fake browser has no permissions API; the instance's host permission is granted.
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true as never);
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.permissions.onRemoved]) vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const WRONG = 'not-the-secret-of-this-identity';
const logins = () => sandbox.requests.filter((r) => r.path === '/api/v1/auth/universal-auth/login').length;

function setupCheck() {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  return createBackgroundSetupCheck({
    fetch: fetchFn,
    signIn: async () => {
      throw new Error('no sign-in in this test');
    },
  });
}

/** A background's services, as a (re)started worker builds them. */
function services() {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  return createServices({ fetch: fetchFn, signIn: {} as MicrosoftSignIn, oauthConsent: async () => ({}) as never, now: () => new Date() });
}

const login = (items: SetupCheckItem[]) => items.find((i) => i.id === 'identity-login')!;

describe('a refused client secret', () => {
  it.each([false, true])('three setup checks make one login attempt; the others say so and name the fix (remembered: %s)', async (remember) => {
    await writeIdentitySecret({ secret: WRONG, origin: INFISICAL.siteUrl }, remember);
    const check = setupCheck();
    const first = login(await check({ testSignIn: false }));
    expect(first.status).toBe('fail');
    expect(first.summary).toMatch(/rejected the machine identity’s client ID or secret/);
    expect(logins()).toBe(1);

    for (let i = 0; i < 2; i++) {
      const again = login(await check({ testSignIn: false }));
      expect(again.status).toBe('fail');
      expect(again.summary).toMatch(/client ID or secret, so the extension does not send this secret again/);
      expect(again.fix).toMatch(/enter the correct client secret in the extension’s options/);
    }
    expect(logins()).toBe(1);
    // The identity is not locked: the right secret still logs in.
    expect(sandbox.state.uaFailures[INFISICAL.clientId]?.lockedUntil ?? 0).toBe(0);
  });

  it('a new secret is tried, and passes', async () => {
    await writeIdentitySecret({ secret: WRONG, origin: INFISICAL.siteUrl }, false);
    const check = setupCheck();
    await check({ testSignIn: false });
    await check({ testSignIn: false });
    expect(logins()).toBe(1);

    await writeIdentitySecret({ secret: INFISICAL.clientSecret, origin: INFISICAL.siteUrl }, false);
    expect(login(await check({ testSignIn: false })).status).toBe('pass');
    expect(logins()).toBe(2);
  });

  it('a refusal met by a flow or lookup holds for the setup check and for a restarted background', async () => {
    await writeIdentitySecret({ secret: WRONG, origin: INFISICAL.siteUrl }, true);
    const before = await services().infisical();
    await expect(before.infisical.session.token()).rejects.toMatchObject({ status: 401 });
    await expect(before.infisical.session.token()).rejects.toMatchObject({ code: 'secret-refused' });
    expect(logins()).toBe(1);

    // The worker restarts: a new services object, nothing in memory.
    const after = await services().infisical();
    await expect(after.infisical.session.token()).rejects.toMatchObject({ code: 'secret-refused' });
    expect(login(await setupCheck()({ testSignIn: false })).summary).toMatch(/does not send this secret again/);
    expect(logins()).toBe(1);

    // Changing the client ID is a change too: the pair is tried once.
    await settingsItem.setValue({ ...(await readSettings()), identityClientId: '11111111-2222-4333-8444-555555555555' });
    await expect((await services().infisical()).infisical.session.token()).rejects.toMatchObject({ status: 401 });
    expect(logins()).toBe(2);
  });

  it('a lock is not a refusal of the secret: the right secret is tried again later', async () => {
    await writeIdentitySecret({ secret: INFISICAL.clientSecret, origin: INFISICAL.siteUrl }, false);
    sandbox.faults.add({
      host: INFISICAL.host,
      path: '/api/v1/auth/universal-auth/login',
      status: 401,
      times: 1,
      body: { statusCode: 401, error: 'UnauthorizedError', message: 'This identity auth method is temporarily locked, please try again later' },
    });
    expect(login(await setupCheck()({ testSignIn: false })).summary).toMatch(/temporarily locked/);
    expect((await readIdentitySecret())?.refusedFor).toBeUndefined();
    expect(login(await setupCheck()({ testSignIn: false })).status).toBe('pass');
  });

  it('a secret entered for another Infisical origin is not sent to this one', async () => {
    await writeIdentitySecret({ secret: INFISICAL.clientSecret, origin: 'https://other.example.com' }, false);
    await expect((await services().infisical()).infisical.session.token()).rejects.toMatchObject({ code: 'identity-missing' });
    expect(login(await setupCheck()({ testSignIn: false })).status).toBe('fail');
    expect(logins()).toBe(0);
  });

  it('a changed instance gets a new session: the old token is dropped and the old secret is not sent there', async () => {
    await writeIdentitySecret({ secret: INFISICAL.clientSecret, origin: INFISICAL.siteUrl }, false);
    const background = services();
    const before = await background.infisical();
    await before.infisical.session.token();
    expect(logins()).toBe(1);

    await settingsItem.setValue({ ...(await readSettings()), infisicalUrl: OTHER_INFISICAL.siteUrl });
    const after = await background.infisical();
    expect(after.instanceUrl).toBe(OTHER_INFISICAL.siteUrl);
    expect(after.infisical.session).not.toBe(before.infisical.session);
    await expect(after.infisical.session.token()).rejects.toMatchObject({ code: 'identity-missing' });
    expect(sandbox.requests.filter((r) => r.host === OTHER_INFISICAL.host)).toEqual([]);
    // The old session logs in again if still used (by a flow that started before the change): at its own origin.
    await before.infisical.session.token();
    expect(sandbox.state.uaLogins.map((l) => l.host)).toEqual([INFISICAL.host, INFISICAL.host]);
  });
});
