import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MicrosoftError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { createInfisicalEndpoints } from '@/utils/infisical/api';
import type { SignIn } from '@/utils/microsoft/sign-in';
import { SETUP_CHECK_IDS, setupCheckItemsSchema, type SetupCheckItem } from '@/utils/setup/check-items';
import { createSetupCheck, type SetupCheckDeps } from '@/utils/setup/run-setup-check';
import { setupInfisical } from '@/utils/setup/setup-infisical';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import type { Sandbox } from '../sandbox/server';
import { useSandbox } from '../support/use-sandbox';
import { ADA, ELSEWHERE_HOST, EXTENSION_APP, INFISICAL, INFISICAL_OAUTH_APP, MEMBER_ACTIONS, TENANT } from '../sandbox/fixtures';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';

/**
 * The setup check with the real Infisical client against the sandbox's fake Infisical. Only the
 * Microsoft sign-in (it opens a window) and the browser's permission API are replaced.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});

const SIGNED_IN = { accessToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.sig', expiresOn: null, tenantId: TENANT.id, username: ADA.upn };

interface Setup {
  settings?: Partial<Settings>;
  secret?: string | null;
  signIn?: SignIn;
  permission?: boolean;
  browserName?: SetupCheckDeps['browserName'];
}

function setup(options: Setup = {}) {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const signIn = vi.fn<SignIn>(options.signIn ?? (async () => SIGNED_IN));
  const hasHostPermission = vi.fn(async (_origin: string) => options.permission ?? true);
  const settings = {
    ...DEFAULT_SETTINGS,
    infisicalUrl: INFISICAL.siteUrl,
    identityClientId: INFISICAL.clientId,
    microsoftClientId: EXTENSION_APP.clientId,
    ...options.settings,
  } as Settings;
  const run = createSetupCheck({
    readSettings: async () => settings,
    readSecret: async () => {
      const secret = 'secret' in options ? (options.secret ?? null) : INFISICAL.clientSecret;
      return secret ? { secret, origin: settings.infisicalUrl ? new URL(settings.infisicalUrl).origin : null } : null;
    },
    infisical: (origin) => setupInfisical(createInfisicalEndpoints({ instanceUrl: origin, fetch: fetchFn }), async () => undefined),
    signIn,
    redirectUri: () => (options.browserName === 'firefox' ? EXTENSION_APP.firefoxRedirect : EXTENSION_APP.chromiumRedirect),
    browserName: options.browserName ?? 'chromium',
    hasHostPermission,
  });
  return { run, signIn, hasHostPermission, fetchFn };
}

function item(items: SetupCheckItem[], id: (typeof SETUP_CHECK_IDS)[number]): SetupCheckItem {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id} in ${JSON.stringify(items)}`);
  return found;
}

const statuses = (items: SetupCheckItem[]) => Object.fromEntries(items.map((i) => [i.id, i.status]));

/** A Universal Auth token minted outside the check, as a user would paste it. */
async function mintToken(fetchFn: ReturnType<typeof fetchViaSandbox>): Promise<string> {
  const { auth } = createInfisicalEndpoints({ instanceUrl: INFISICAL.siteUrl, fetch: fetchFn });
  return (await auth.login(INFISICAL.clientId, INFISICAL.clientSecret)).accessToken;
}

describe('setup check: a working setup', () => {
  it('passes every check in order, without a sign-in unless asked', async () => {
    const { run, signIn, hasHostPermission } = setup();
    const items = await run({ testSignIn: false });

    expect(setupCheckItemsSchema.parse(items)).toEqual(items);
    expect(items.map((i) => i.id)).toEqual([...SETUP_CHECK_IDS]);
    expect(statuses(items)).toEqual({
      'host-permission': 'pass',
      instance: 'pass',
      'identity-login': 'pass',
      'read-connections': 'pass',
      'oauth-client-id': 'info',
      'microsoft-client-id': 'pass',
      'redirect-uri': 'info',
      'test-sign-in': 'skipped',
    });
    expect(hasHostPermission).toHaveBeenCalledWith(INFISICAL.siteUrl);
    expect(item(items, 'read-connections').summary).toMatch(/app-connections: create.*app-connections: edit/);
    expect(item(items, 'oauth-client-id').summary).toContain(INFISICAL_OAUTH_APP.clientId);
    expect(item(items, 'oauth-client-id').summary).toMatch(/“Infisical’s OAuth app” method is offered/);
    expect(item(items, 'test-sign-in').summary).toMatch(/Include a test sign-in/);
    expect(signIn).not.toHaveBeenCalled();
    expect(items.filter((i) => i.status === 'pass').every((i) => i.fix === undefined)).toBe(true);
  });

  it('shows the redirect URI of this browser with the registration instruction', async () => {
    const chromium = item(await setup().run({ testSignIn: false }), 'redirect-uri');
    expect(chromium).toMatchObject({ status: 'info', label: 'Redirect URI to register (Chromium)', summary: EXTENSION_APP.chromiumRedirect });
    expect(chromium.fix).toMatch(/register as Single-page application/);
    expect(chromium.fix).toMatch(/Azure DevOps › user_impersonation/);
    expect(chromium.fix).toContain(EXTENSION_APP.clientId);

    const firefox = item(await setup({ browserName: 'firefox' }).run({ testSignIn: false }), 'redirect-uri');
    expect(firefox).toMatchObject({ label: 'Redirect URI to register (Firefox)', summary: EXTENSION_APP.firefoxRedirect });
  });

  it('logs in afresh on every run and revokes the token it minted', async () => {
    const { run } = setup();
    await run({ testSignIn: false });
    await run({ testSignIn: false });
    expect(sandbox.state.infisicalTokens).toHaveLength(2);
    expect(sandbox.state.infisicalTokens.every((t) => t.revoked)).toBe(true);
  });

  it('never puts the client secret or a token in any item, even when the server echoes it', async () => {
    sandbox.faults.add({
      host: INFISICAL.host,
      path: '/api/v1/auth/universal-auth/login',
      status: 401,
      body: { statusCode: 401, error: 'UnauthorizedError', message: `Invalid credentials for secret ${INFISICAL.clientSecret}` },
    });
    const items = await setup().run({ testSignIn: true });
    expect(item(items, 'identity-login').status).toBe('fail');
    const text = JSON.stringify(items);
    expect(text).not.toContain(INFISICAL.clientSecret);
    expect(text).not.toContain(SIGNED_IN.accessToken);
  });
});

describe('setup check: the Infisical instance', () => {
  it('fails without an address and skips everything that needs one', async () => {
    const items = await setup({ settings: { infisicalUrl: null } }).run({ testSignIn: false });
    expect(item(items, 'host-permission')).toMatchObject({ status: 'fail', summary: 'No Infisical address is saved.' });
    expect(item(items, 'host-permission').fix).toMatch(/Enter the address of your Infisical instance/);
    for (const id of ['instance', 'identity-login', 'read-connections', 'oauth-client-id'] as const) {
      expect(item(items, id).status).toBe('skipped');
    }
  });

  it('fails when the host permission is missing, with the fix, and sends nothing to the instance', async () => {
    const items = await setup({ permission: false }).run({ testSignIn: false });
    const permission = item(items, 'host-permission');
    expect(permission.status).toBe('fail');
    expect(permission.summary).toContain(`may not contact ${INFISICAL.siteUrl}`);
    expect(permission.fix).toMatch(/Save the Infisical address again .* allow access/);
    expect(item(items, 'instance')).toMatchObject({ status: 'skipped' });
    expect(item(items, 'instance').summary).toMatch(/may not contact/);
    expect(sandbox.requests.filter((r) => r.host === INFISICAL.host)).toEqual([]);
  });

  it('says an address that answers but is not Infisical is not an Infisical instance', async () => {
    const items = await setup({ settings: { infisicalUrl: 'https://dev.azure.com' } }).run({ testSignIn: false });
    const instance = item(items, 'instance');
    expect(instance.status).toBe('fail');
    expect(instance.summary).toMatch(/https:\/\/dev\.azure\.com answered, but it is not an Infisical instance/);
    expect(instance.fix).toMatch(/Check the Infisical address/);
    expect(instance.details).toMatch(/HTTP 404/);
    expect(item(items, 'identity-login')).toMatchObject({ status: 'skipped' });
    expect(item(items, 'identity-login').summary).toMatch(/instance check did not pass/);
  });

  it('says an unreachable host could not be reached and names the network fix', async () => {
    sandbox.faults.add({ host: INFISICAL.host, mode: 'reset' });
    const items = await setup().run({ testSignIn: false });
    const instance = item(items, 'instance');
    expect(instance.status).toBe('fail');
    expect(instance.summary).toMatch(/could not be reached/);
    expect(instance.fix).toMatch(/network connection/);
    expect(item(items, 'read-connections').status).toBe('skipped');
  });

  it('says an instance that redirects elsewhere answered with a redirect, and names the address to enter', async () => {
    sandbox.faults.add({ host: INFISICAL.host, path: '/api/status', status: 301, headers: { location: `https://${ELSEWHERE_HOST}/api/status` }, body: '' });
    const items = await setup().run({ testSignIn: false });
    expect(item(items, 'instance')).toMatchObject({
      status: 'fail',
      summary: 'Your Infisical instance answered with a redirect to another address; the extension did not send your credentials there.',
      fix: expect.stringMatching(/^Enter the instance’s final address/),
    });
    expect(item(items, 'identity-login').status).toBe('skipped');
    expect(sandbox.state.elsewhere).toEqual([]);
  });

  it('does not send the client secret where a redirected login points', async () => {
    sandbox.faults.add({
      host: INFISICAL.host,
      method: 'POST',
      path: '/api/v1/auth/universal-auth/login',
      status: 307,
      headers: { location: `https://${ELSEWHERE_HOST}/api/v1/auth/universal-auth/login` },
      body: '',
    });
    const items = await setup().run({ testSignIn: false });
    expect(item(items, 'instance').status).toBe('pass');
    expect(item(items, 'identity-login')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/answered with a redirect/) });
    expect(sandbox.state.elsewhere).toEqual([]);
  });

  it('reports a server error as a server error, not as a wrong address', async () => {
    sandbox.faults.add({ host: INFISICAL.host, path: '/api/status', status: 503, body: { message: 'down' } });
    const instance = item(await setup().run({ testSignIn: false }), 'instance');
    expect(instance.status).toBe('fail');
    expect(instance.summary).toMatch(/server error \(HTTP 503\)/);
    expect(instance.fix).toMatch(/try again/i);
  });
});

describe('setup check: the machine identity', () => {
  it('fails a wrong client secret with the fix and skips the checks that need a login', async () => {
    const items = await setup({ secret: 'not-the-secret-at-all' }).run({ testSignIn: false });
    const login = item(items, 'identity-login');
    expect(login.status).toBe('fail');
    expect(login.summary).toMatch(/rejected the machine identity’s client ID or secret/);
    expect(login.fix).toMatch(/client ID and secret/);
    expect(login.details).toMatch(/HTTP 401/);
    expect(item(items, 'read-connections')).toMatchObject({ status: 'skipped' });
    expect(item(items, 'read-connections').summary).toMatch(/login did not pass/);
    expect(item(items, 'oauth-client-id').status).toBe('skipped');
    // The Microsoft client ID does not depend on Infisical when it is set.
    expect(item(items, 'microsoft-client-id').status).toBe('pass');
  });

  it('fails when no client secret is saved, without calling Infisical to log in', async () => {
    const items = await setup({ secret: null }).run({ testSignIn: false });
    expect(item(items, 'identity-login')).toMatchObject({ status: 'fail', summary: 'The machine identity’s client secret is not saved.' });
    expect(sandbox.requests.some((r) => r.path.includes('universal-auth'))).toBe(false);
  });

  it('fails the read check for an identity with only "connect", naming App Connections: read and the role', async () => {
    sandbox.config.infisical.identity.actions = [...MEMBER_ACTIONS];
    const items = await setup().run({ testSignIn: false });
    expect(item(items, 'identity-login').status).toBe('pass');
    const read = item(items, 'read-connections');
    expect(read.status).toBe('fail');
    expect(read.summary).toMatch(/may not read app connections/);
    expect(read.fix).toMatch(/“app-connections: read” permission/);
    expect(read.fix).toMatch(/Admin role .* Member role lacks it/);
    expect(read.fix).toMatch(/app-connections: create.*app-connections: edit/);
    expect(read.details).toMatch(/PermissionDenied/);
    // The options only need a valid token.
    expect(item(items, 'oauth-client-id').status).toBe('info');
  });

  it('accepts a pasted identity access token and does not revoke it', async () => {
    const token = await mintToken(setup().fetchFn);
    const items = await setup({ settings: { identityAuth: 'access-token', identityClientId: '' }, secret: token }).run({ testSignIn: false });
    expect(item(items, 'identity-login')).toMatchObject({ status: 'pass', label: 'Machine identity access token accepted' });
    expect(item(items, 'read-connections').status).toBe('pass');
    expect(item(items, 'oauth-client-id').status).toBe('info');
    expect(sandbox.state.infisicalTokens.every((t) => !t.revoked)).toBe(true);
    expect(JSON.stringify(items)).not.toContain(token);
  });

  it('fails a revoked pasted token with the fix', async () => {
    const { fetchFn } = setup();
    const token = await mintToken(fetchFn);
    await createInfisicalEndpoints({ instanceUrl: INFISICAL.siteUrl, fetch: fetchFn }).auth.revoke(token);
    const items = await setup({ settings: { identityAuth: 'access-token' }, secret: token }).run({ testSignIn: false });
    const login = item(items, 'identity-login');
    expect(login.status).toBe('fail');
    expect(login.summary).toMatch(/did not accept the pasted identity access token/);
    expect(login.fix).toMatch(/Create a new access token .* paste it/);
    expect(item(items, 'read-connections').status).toBe('skipped');
  });

  it('fails a pasted-token setup with no token saved', async () => {
    const items = await setup({ settings: { identityAuth: 'access-token' }, secret: null }).run({ testSignIn: false });
    expect(item(items, 'identity-login')).toMatchObject({ status: 'fail', summary: 'No identity access token is saved.' });
  });
});

describe('setup check: Microsoft app and the instance OAuth app', () => {
  it('says the OAuth method is hidden when the instance has no oauthClientId (info, not a failure)', async () => {
    sandbox.config.infisical.oauthClientId = null;
    const items = await setup().run({ testSignIn: false });
    const oauth = item(items, 'oauth-client-id');
    expect(oauth.status).toBe('info');
    expect(oauth.summary).toMatch(/no Azure DevOps OAuth app configured.*method is hidden/);
    expect(item(items, 'microsoft-client-id').status).toBe('pass');
    expect(items.some((i) => i.status === 'fail')).toBe(false);
  });

  it('fails when neither a Microsoft client ID nor the instance OAuth app exists, and skips the sign-in', async () => {
    sandbox.config.infisical.oauthClientId = null;
    const { run, signIn } = setup({ settings: { microsoftClientId: '' } });
    const items = await run({ testSignIn: true });
    const microsoft = item(items, 'microsoft-client-id');
    expect(microsoft.status).toBe('fail');
    expect(microsoft.summary).toMatch(/No Microsoft app \(client\) ID is set, and the instance has no OAuth app to fall back to/);
    expect(microsoft.fix).toMatch(/Single-page application redirect/);
    expect(microsoft.fix).toMatch(/enter its Application \(client\) ID/);
    expect(item(items, 'test-sign-in')).toMatchObject({ status: 'skipped' });
    expect(signIn).not.toHaveBeenCalled();
  });

  it('warns when it falls back to the instance OAuth app: the admin must add the SPA redirect', async () => {
    const { run, signIn } = setup({ settings: { microsoftClientId: '' } });
    const items = await run({ testSignIn: true });
    const microsoft = item(items, 'microsoft-client-id');
    expect(microsoft.status).toBe('warn');
    expect(microsoft.summary).toContain(`falls back to the instance’s OAuth app ${INFISICAL_OAUTH_APP.clientId}`);
    expect(microsoft.fix).toContain(EXTENSION_APP.chromiumRedirect);
    expect(microsoft.fix).toMatch(/administrator .* Single-page application redirect/);
    expect(item(items, 'redirect-uri').fix).toContain(`instance’s OAuth app ${INFISICAL_OAUTH_APP.clientId}`);
    expect(signIn).toHaveBeenCalledWith({ clientId: INFISICAL_OAUTH_APP.clientId, tenant: 'organizations', interactive: true });
  });

  it('warns (not fails) when the client ID is empty and the instance could not be asked', async () => {
    const items = await setup({ settings: { microsoftClientId: '' }, secret: 'wrong-secret-value' }).run({ testSignIn: false });
    const microsoft = item(items, 'microsoft-client-id');
    expect(microsoft.status).toBe('warn');
    expect(microsoft.summary).toMatch(/unknown until the Infisical checks above pass/);
  });

  it('fails a Microsoft client ID that is not a GUID', async () => {
    const items = await setup({ settings: { microsoftClientId: 'my-app' } }).run({ testSignIn: false });
    expect(item(items, 'microsoft-client-id')).toMatchObject({ status: 'fail' });
    expect(item(items, 'microsoft-client-id').fix).toMatch(/Application \(client\) ID/);
  });
});

describe('setup check: test sign-in', () => {
  it('signs in with the organizations tenant by default and shows who signed in', async () => {
    const { run, signIn } = setup();
    const signInItem = item(await run({ testSignIn: true }), 'test-sign-in');
    expect(signInItem.status).toBe('pass');
    expect(signInItem.summary).toContain(`Signed in as ${ADA.upn}`);
    expect(signIn).toHaveBeenCalledWith({ clientId: EXTENSION_APP.clientId, tenant: 'organizations', interactive: true });
  });

  it('uses the tenant typed in the setup check', async () => {
    const { run, signIn } = setup();
    await run({ testSignIn: true, tenant: ' Contoso.onmicrosoft.com ' });
    expect(signIn).toHaveBeenCalledWith({ clientId: EXTENSION_APP.clientId, tenant: 'contoso.onmicrosoft.com', interactive: true });
  });

  it('refuses a tenant that is neither a GUID nor a domain, without opening a window', async () => {
    const { run, signIn } = setup();
    const signInItem = item(await run({ testSignIn: true, tenant: 'not a tenant' }), 'test-sign-in');
    expect(signInItem.status).toBe('fail');
    expect(signInItem.fix).toMatch(/GUID .* domain/);
    expect(signIn).not.toHaveBeenCalled();
  });

  it.each([
    ['AADSTS700016', /does not know the app \(client\) ID/, /Application \(client\) ID/],
    ['AADSTS50011', /redirect URI is not registered/, /Single-page application/],
    ['AADSTS9002326', /wrong platform/, /“Single-page application”/],
    ['AADSTS65001', /consented/, /consent .*Azure DevOps › user_impersonation/],
    ['AADSTS50020', /not a member of this tenant/, /guest/],
    ['AADSTS90072', /not a guest of this tenant/, /invite your account as an external user/],
  ])('maps %s to describeError’s sentence with the fix', async (code, summary, fix) => {
    const error = new MicrosoftError(code, `${code}: description from Microsoft`, { detail: `${code}: description from Microsoft` });
    const { run } = setup({
      signIn: async () => {
        throw error;
      },
    });
    const signInItem = item(await run({ testSignIn: true }), 'test-sign-in');
    const described = describeError(error);
    expect(signInItem).toMatchObject({ status: 'fail', summary: described.title, fix: described.fix });
    expect(signInItem.summary).toMatch(summary);
    expect(signInItem.fix).toMatch(fix);
    expect(signInItem.details).toContain(code);
  });

  it('tells the user to run the check again when the sign-in window was closed', async () => {
    const { run } = setup({
      signIn: async () => {
        throw new MicrosoftError('user-cancelled', 'The Microsoft sign-in window was closed.');
      },
    });
    const signInItem = item(await run({ testSignIn: true }), 'test-sign-in');
    expect(signInItem.status).toBe('fail');
    expect(signInItem.summary).toMatch(/closed before it finished/);
    expect(signInItem.fix).toMatch(/Click “Check setup” again and complete the sign-in/);
  });

  it('still runs the sign-in when Infisical is not set up (it does not need it)', async () => {
    const { run, signIn } = setup({ settings: { infisicalUrl: null } });
    const items = await run({ testSignIn: true });
    expect(item(items, 'test-sign-in').status).toBe('pass');
    expect(signIn).toHaveBeenCalledOnce();
  });
});
