import { describe, expect, it, vi } from 'vitest';
import { ExtensionError, InfisicalError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { checkHostPermission } from '@/utils/setup/check-host-permission';
import { checkInstance } from '@/utils/setup/check-instance';
import { SETUP_CHECK_IDS } from '@/utils/setup/check-items';
import { checkReadConnections } from '@/utils/setup/check-read-connections';
import { checkUniversalAuth } from '@/utils/setup/check-universal-auth';
import { createSetupCheck, type SetupCheckDeps } from '@/utils/setup/run-setup-check';
import type { StoredSecret } from '@/utils/storage/secret';
import type { SetupInfisical } from '@/utils/setup/setup-infisical';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';

/**
 * Each check alone, and the runner, with a fake Infisical (utils/setup/setup-infisical.ts is the
 * only interface they see). tests/unit/setup-check.test.ts runs the whole check against the
 * sandbox; this file pins what the parts decide: which catalogue sentence, which call, in which order.
 */
const ORIGIN = 'https://infisical.example.test';
const CLIENT_ID = '5a6b7c8d-1e2f-4a3b-9c4d-0e1f2a3b4c5d';

function fakeInfisical(overrides: Partial<SetupInfisical> = {}) {
  return {
    status: vi.fn(async () => ({ message: 'Ok' })),
    login: vi.fn(async () => 'minted-token'),
    revoke: vi.fn(async () => undefined),
    countConnections: vi.fn(async () => 2),
    oauthClientId: vi.fn(async (): Promise<string | null> => null),
    ...overrides,
  } satisfies SetupInfisical;
}

interface Options {
  settings?: Partial<Settings>;
  stored?: StoredSecret | null;
  permission?: boolean;
  redirectUri?: () => string;
  browserName?: SetupCheckDeps['browserName'];
}

function runner(infisical: SetupInfisical, options: Options = {}) {
  const make = vi.fn((_origin: string) => infisical);
  const run = createSetupCheck({
    readSettings: async () => ({ ...DEFAULT_SETTINGS, infisicalUrl: ORIGIN, identityClientId: 'identity', microsoftClientId: CLIENT_ID, ...options.settings }),
    readSecret: async () => ('stored' in options ? (options.stored ?? null) : { secret: 'the-secret', origin: ORIGIN }),
    infisical: make,
    signIn: async () => Promise.reject(new Error('not in this test')),
    redirectUri: options.redirectUri ?? (() => 'https://example.chromiumapp.org/'),
    browserName: options.browserName ?? 'chromium',
    hasHostPermission: async () => options.permission ?? true,
  });
  return { run, make };
}

describe('setup check parts: sentences come from the error catalogue', () => {
  it('an unreachable instance: the fix is describeError’s for that error', async () => {
    const error = new InfisicalError('network', 'Could not reach infisical.example.test.');
    const result = await checkInstance({ status: async () => Promise.reject(error) }, ORIGIN);
    expect(result).toMatchObject({ status: 'fail', summary: `${ORIGIN} could not be reached. ${describeError(error).title}`, fix: describeError(error).fix });
  });

  it('a server error: the finding names the status, the fix is the catalogue’s for it', async () => {
    const error = new InfisicalError('ServiceUnavailable', 'down', { status: 503 });
    const result = await checkInstance({ status: async () => Promise.reject(error) }, ORIGIN);
    expect(result).toMatchObject({ status: 'fail', summary: `${ORIGIN} answered with a server error (HTTP 503).`, fix: describeError(error).fix });
  });

  it('a missing client ID or secret: the fix every flow gives for a missing identity', async () => {
    const login = vi.fn(async () => 'token');
    const { fix } = describeError(new ExtensionError('identity-missing', ''));
    for (const saved of [
      { clientId: ' ', secret: 'x', refused: false },
      { clientId: 'identity', secret: null, refused: false },
    ]) {
      const { result, token } = await checkUniversalAuth({ login }, saved);
      expect(result).toMatchObject({ status: 'fail', fix });
      expect(token).toBeNull();
    }
    expect(login).not.toHaveBeenCalled();
  });

  it('a denied read: the finding is the catalogue’s PermissionDenied sentence, the fix names the read permission', async () => {
    const error = new InfisicalError('PermissionDenied', 'You are not allowed to read on App Connections', { status: 403 });
    const result = await checkReadConnections({ countConnections: async () => Promise.reject(error) }, 't');
    expect(result.summary).toBe(describeError(error).title);
    expect(result.fix).toMatch(/“app-connections: read” permission/);
  });

  it('a host permission the browser cannot tell about counts as not granted', async () => {
    const result = await checkHostPermission({ hasHostPermission: async () => Promise.reject(new Error('no API')) }, ORIGIN, ORIGIN);
    expect(result).toMatchObject({ status: 'fail', summary: `The extension may not contact ${ORIGIN} yet.` });
  });
});

describe('setup check parts: the runner', () => {
  it('asks Infisical in order, and revokes the token it minted once the checks that need it are done', async () => {
    const infisical = fakeInfisical();
    const { run, make } = runner(infisical);
    const items = await run({ testSignIn: false });
    expect(items.map((i) => i.id)).toEqual([...SETUP_CHECK_IDS]);
    expect(make).toHaveBeenCalledWith(ORIGIN);
    expect(infisical.login).toHaveBeenCalledWith({ clientId: 'identity', clientSecret: 'the-secret', refused: false });
    expect(infisical.revoke).toHaveBeenCalledExactlyOnceWith('minted-token');
    const order = [infisical.status, infisical.login, infisical.countConnections, infisical.oauthClientId, infisical.revoke].map((f) => vi.mocked(f).mock.invocationCallOrder[0]);
    expect(order).toEqual([...order].sort((a, b) => a! - b!));
  });

  it('a pasted token: the options it was tested with are asked once, and the token is never revoked', async () => {
    const infisical = fakeInfisical({ oauthClientId: vi.fn(async () => CLIENT_ID) });
    const items = await runner(infisical, { settings: { identityAuth: 'access-token' }, stored: { secret: 'pasted-token', origin: ORIGIN } }).run({ testSignIn: false });
    expect(items.find((i) => i.id === 'identity-login')).toMatchObject({ status: 'pass', label: 'Machine identity access token accepted' });
    expect(items.find((i) => i.id === 'oauth-client-id')?.summary).toContain(CLIENT_ID);
    expect(infisical.oauthClientId).toHaveBeenCalledOnce();
    expect(infisical.login).not.toHaveBeenCalled();
    expect(infisical.revoke).not.toHaveBeenCalled();
  });

  it('a secret Infisical refused before is passed on as refused (the interface then sends nothing)', async () => {
    const infisical = fakeInfisical({ login: vi.fn(async () => Promise.reject(new ExtensionError('secret-refused', 'refused before'))) });
    const { run } = runner(infisical, { stored: { secret: 'the-secret', origin: ORIGIN, refusedFor: 'identity' } });
    const items = await run({ testSignIn: false });
    expect(infisical.login).toHaveBeenCalledWith({ clientId: 'identity', clientSecret: 'the-secret', refused: true });
    expect(items.find((i) => i.id === 'identity-login')?.status).toBe('fail');
    expect(infisical.revoke).not.toHaveBeenCalled();
  });

  it('no host permission: Infisical is not even made, let alone asked', async () => {
    const infisical = fakeInfisical();
    const { run, make } = runner(infisical, {
      permission: false,
      stored: null,
      browserName: 'firefox',
      redirectUri: () => {
        throw new Error('no identity API');
      },
    });
    const items = await run({ testSignIn: false });
    expect(make).not.toHaveBeenCalled();
    expect(items.filter((i) => i.status === 'skipped').map((i) => i.id)).toEqual(['instance', 'identity-login', 'read-connections', 'oauth-client-id', 'test-sign-in']);
    // Without the identity API the redirect item still says where to find the URI.
    expect(items.find((i) => i.id === 'redirect-uri')).toMatchObject({ label: 'Redirect URI to register (Firefox)', summary: 'the redirect URI shown on this page' });
  });
});
