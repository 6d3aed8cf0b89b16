import { describe, expect, it } from 'vitest';
import { INFISICAL_PAT_SCOPES } from '../../utils/config/endpoints';
import { EXTENSION_APP, INFISICAL, ORGS, TENANT } from '../sandbox/fixtures';
import { leaks } from './support/audit';
import { BROWSERS } from './support/browsers';
import { connectFromPopup, dumpStorage, text, waitForOutcome, type ExtensionApi } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * The main job, end to end, in every browser: the production build, configured through its options
 * page, connecting from its popup against the sandbox under the real hostnames.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  // Starts the world, resets the sandbox before each scenario and audits storage after each.
  const world = useWorld(browserName);

  describe('sign in with Microsoft → PAT → Infisical', () => {
    it('has the stable extension id the redirect URI is registered for', async () => {
      if (browserName === 'chromium') {
        expect(world.ext.extensionId).toBe('caiekacklhaldebomccfigafhmmkpmla');
      } else {
        // Firefox: the fixed add-on id; the redirect host is its SHA-1.
        expect(world.ext.extensionId).toBe('infisical-connect-ado@infisical-connect.dev');
      }
      // The options page shows the redirect URI of this browser, the one the sandbox's Entra app
      // registers (as an admin would, from the README).
      const options = await world.ext.openPage(`${world.base}/options.html`);
      await options.waitForSelector('[data-testid=redirect-uri]');
      expect(await text(options, '[data-testid=redirect-uri]')).toBe(world.redirectUri);
      expect(world.redirectUri).toBe(browserName === 'chromium' ? EXTENSION_APP.chromiumRedirect : EXTENSION_APP.firefoxRedirect);
      await options.close();
    });

    it('creates an access-token connection with a least-privilege PAT and leaks nothing', async () => {
      const popup = await connectFromPopup(world.ext.browser, world.base, {
        tenant: TENANT.id,
        org: ORGS.contoso.name,
        connectionName: 'azure-devops-contoso',
        patLifetimeDays: 90,
      });
      const outcome = await waitForOutcome(popup);
      expect(outcome, await popup.$eval('body', (b) => b.innerText)).toBe('succeeded');
      await popup.setViewport({ width: 360, height: 420 });
      await popup.screenshot({ path: world.artifact('popup-success.png') });

      // Infisical has the connection, method access-token, for the org.
      expect(world.sandbox.state.connections).toHaveLength(1);
      const connection = world.sandbox.state.connections[0]!;
      expect(connection).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', credentials: { orgName: 'contoso' } });

      // Its PAT is live in Azure DevOps with exactly the four scopes, org-scoped.
      const pat = world.sandbox.state.pats.find((p) => p.token === connection.secretCredentials.accessToken);
      expect(pat).toBeDefined();
      expect(pat).toMatchObject({ status: 'active', allOrgs: false, org: 'contoso', targetAccounts: [ORGS.contoso.accountId] });
      expect(pat!.scope.split(' ').sort()).toEqual([...INFISICAL_PAT_SCOPES].sort());
      const days = (new Date(pat!.validTo).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(89);
      expect(days).toBeLessThan(91);

      // The code was redeemed with PKCE S256 from the extension's origin (SPA rule), for the
      // redirect URI of this browser.
      const exchanges = world.sandbox.state.tokenExchanges.filter((e) => e.grantType === 'authorization_code');
      expect(exchanges).toHaveLength(1);
      expect(exchanges[0]).toMatchObject({
        ok: true,
        pkce: 'S256',
        clientId: EXTENSION_APP.clientId,
        redirectUri: world.redirectUri,
        origin: world.base,
      });

      // The popup links to the instance's app connections page.
      const href = await popup.$eval('[data-testid=connection-link]', (a) => (a as HTMLAnchorElement).href);
      expect(href).toBe(`${INFISICAL.siteUrl}/organization/app-connections`);

      // No PAT, Entra token or Infisical token in storage.local / sync / session.
      const dump = await dumpStorage(popup);
      expect(leaks(dump, world.sandbox.state, world.sandbox.config)).toEqual([]);
      expect(dump.local.connections).toEqual([expect.objectContaining({ id: connection.id, org: 'contoso', method: 'access-token', patAuthorizationId: pat!.authorizationId })]);
      await popup.close();
    });

    it('Infisical 403: shows the permission fix and revokes the PAT it minted', async () => {
      world.sandbox.config.infisical.identity.actions = ['read'];
      const popup = await connectFromPopup(world.ext.browser, world.base, {
        tenant: TENANT.domain,
        org: ORGS.contoso.name,
        connectionName: 'azure-devops-denied',
      });
      expect(await waitForOutcome(popup)).toBe('failed');
      expect(await text(popup, '[data-testid=error-title]')).toBe('The machine identity may not create app connections in Infisical.');
      expect(await text(popup, '[data-testid=error-fix]')).toMatch(/app-connections: create/i);
      await popup.setViewport({ width: 360, height: 420 });
      await popup.screenshot({ path: world.artifact('popup-403.png') });

      expect(world.sandbox.state.connections).toHaveLength(0);
      const minted = world.sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-denied');
      expect(minted).toHaveLength(1);
      expect(minted[0]!.status).toBe('revoked');
      expect(leaks(await dumpStorage(popup), world.sandbox.state, world.sandbox.config)).toEqual([]);
      await popup.close();
    });

    it('keeps the flow going when the popup closes, and shows the outcome when it reopens', async () => {
      world.sandbox.config.entra.authorizeMode = 'login-page';
      const popup = await connectFromPopup(world.ext.browser, world.base, {
        tenant: TENANT.id,
        org: ORGS.contoso.name,
        connectionName: 'azure-devops-reopened',
      });
      // The Microsoft page waits for a person; meanwhile the popup shows the sign-in step.
      const signInPage = await world.ext.waitForPage((url) => url.startsWith('https://login.microsoftonline.com/'), 10_000);
      await popup.waitForSelector('li[data-state=active]');
      expect(await text(popup, 'li[data-state=active]')).toBe('Signing in with Microsoft');
      await popup.close();

      await signInPage.waitForSelector('#signin');
      await signInPage.click('#signin');

      const reopened = await world.ext.openPage(`${world.base}/popup.html`);
      expect(await waitForOutcome(reopened)).toBe('succeeded');
      expect(world.sandbox.state.connections.map((c) => c.name)).toEqual(['azure-devops-reopened']);
      await reopened.close();
    });

    it('holds exactly the Infisical origin saved in the options as an optional permission', async () => {
      const page = await world.ext.openPage(`${world.base}/popup.html`);
      const granted = await page.evaluate(() => {
        const g = globalThis as unknown as { browser?: ExtensionApi; chrome: ExtensionApi };
        return (g.browser ?? g.chrome).permissions.getAll();
      });
      // Chromium also reports the content script's match patterns as granted origins (install-time,
      // like host_permissions); Firefox reports only host permissions.
      const contentScriptOnly = browserName === 'chromium' ? ['https://*.visualstudio.com/*'] : [];
      expect(granted.origins?.sort()).toEqual(
        ['https://app.vssps.visualstudio.com/*', 'https://dev.azure.com/*', 'https://vssps.dev.azure.com/*', ...contentScriptOnly, `${INFISICAL.siteUrl}/*`].sort(),
      );
      await page.close();
    });
  });
});
