import { describe, expect, it, vi } from 'vitest';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createMicrosoftSignIn } from '@/utils/microsoft/sign-in';
import type { IdentityApi, MsalHost } from '@/utils/microsoft/types';

const REDIRECT = 'https://caiekacklhaldebomccfigafhmmkpmla.chromiumapp.org/';
const AUTHORIZE = 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize?client_id=x&state=s';
const TOKEN = { accessToken: 'eyJ.fake.token', expiresOn: null, tenantId: 't', username: 'ada' };

function fakes(launch: IdentityApi['launchWebAuthFlow'], authorizeUrl = AUTHORIZE) {
  const host: MsalHost = {
    begin: vi.fn(async () => ({ authorizeUrl })),
    complete: vi.fn(async () => TOKEN),
    end: vi.fn(async () => undefined),
  };
  const identity: IdentityApi = { getRedirectURL: () => REDIRECT, launchWebAuthFlow: vi.fn(launch) };
  return { host, identity, signIn: createMicrosoftSignIn({ identity, host, endpoints: PUBLIC_CLOUD }) };
}

describe('Microsoft sign-in', () => {
  it('runs begin → launchWebAuthFlow → complete with the tenant authority and redirect URI', async () => {
    const { host, identity, signIn } = fakes(async () => `${REDIRECT}#code=abc&state=s`);
    await expect(signIn({ clientId: 'cid', tenant: 'contoso.com' })).resolves.toEqual(TOKEN);
    expect(host.begin).toHaveBeenCalledWith({
      clientId: 'cid',
      authority: 'https://login.microsoftonline.com/contoso.com',
      redirectUri: REDIRECT,
      scopes: ['499b84ac-1321-427f-aa17-267ca6975798/.default'],
    });
    expect(identity.launchWebAuthFlow).toHaveBeenCalledWith({ url: AUTHORIZE, interactive: true });
    expect(host.complete).toHaveBeenCalledWith({ responseUrl: `${REDIRECT}#code=abc&state=s` });
    // The token is handed over first; the MSAL document is closed right after, off the caller's path.
    expect(host.end).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(host.end).toHaveBeenCalledOnce());
  });

  it('starts the next sign-in only once the previous one has closed its document', async () => {
    const { host, signIn } = fakes(async () => `${REDIRECT}#code=abc&state=s`);
    let closeDocument = () => {};
    vi.mocked(host.end).mockImplementationOnce(() => new Promise<void>((resolve) => (closeDocument = resolve)));
    await expect(signIn({ clientId: 'cid', tenant: 'a' })).resolves.toEqual(TOKEN);
    const second = signIn({ clientId: 'cid', tenant: 'b' });
    await vi.waitFor(() => expect(host.end).toHaveBeenCalledOnce());
    expect(host.begin).toHaveBeenCalledOnce();
    closeDocument();
    await expect(second).resolves.toEqual(TOKEN);
    expect(host.begin).toHaveBeenCalledTimes(2);
  });

  it('maps a closed window to user-cancelled and still ends the interaction', async () => {
    const { host, signIn } = fakes(async () => {
      throw new Error('The user did not approve access.');
    });
    await expect(signIn({ clientId: 'cid', tenant: 't' })).rejects.toMatchObject({ source: 'microsoft', code: 'user-cancelled' });
    expect(host.complete).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(host.end).toHaveBeenCalledOnce());
  });

  it('turns an error redirect into its AADSTS code without redeeming anything', async () => {
    const { host, signIn } = fakes(
      async () => `${REDIRECT}?error=invalid_client&error_description=${encodeURIComponent('AADSTS65001: The user or administrator has not consented.\r\nTrace ID: 1')}`,
    );
    await expect(signIn({ clientId: 'cid', tenant: 't' })).rejects.toMatchObject({
      code: 'AADSTS65001',
      detail: 'AADSTS65001: The user or administrator has not consented.',
    });
    expect(host.complete).not.toHaveBeenCalled();
  });

  it('refuses a response that is not on the extension redirect URI', async () => {
    const { host, signIn } = fakes(async () => 'https://evil.example/#code=abc');
    await expect(signIn({ clientId: 'cid', tenant: 't' })).rejects.toMatchObject({ code: 'no-response' });
    expect(host.complete).not.toHaveBeenCalled();
  });

  it('refuses to open an authorize URL that is not on the Microsoft authority', async () => {
    const { identity, signIn } = fakes(async () => REDIRECT, 'https://login.evil.example/authorize');
    await expect(signIn({ clientId: 'cid', tenant: 't' })).rejects.toMatchObject({ code: 'unexpected-authority' });
    expect(identity.launchWebAuthFlow).not.toHaveBeenCalled();
  });

  it('maps an unloadable page to authorize-page-failed', async () => {
    const { signIn } = fakes(async () => {
      throw new Error('Authorization page could not be loaded.');
    });
    await expect(signIn({ clientId: 'cid', tenant: 't' })).rejects.toMatchObject({ code: 'authorize-page-failed' });
  });
});
