import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { EXTENSION_APP, INFISICAL, ORGS, SEEDED_PATS, SERVICE_PRINCIPAL, TENANT } from '../sandbox/fixtures';
import { axeViolations } from './support/axe';
import { BROWSERS, pollFor } from './support/browsers';
import { fillAndConnect, openPopupForm, text, waitForOutcome } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * Every connection method and the "zero typing" paths, in every browser against the sandbox. Each
 * test asserts on the sandbox's state and on the sentence a person reads.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  async function outcome(page: Page) {
    const status = await waitForOutcome(page);
    const error = status === 'failed' ? `${await text(page, '[data-testid=error-title]')} ${await text(page, '[data-testid=error-fix]')}` : '';
    return { status, error };
  }

  describe('discovery and prefill', () => {
    it('prefills the org from the active Azure DevOps tab and discovers its tenant without sign-in', async () => {
      const { ext, sandbox } = world;
      const tab = await ext.openPage('https://dev.azure.com/contoso/Payments/_library');
      // Open the real toolbar popup for the active tab.
      const popup = await ext.openToolbarPopup(tab);
      await pollFor(async () => ((await popup.value('#tenant')) === TENANT.id ? true : null), 10_000, 'the discovered tenant');
      expect(await popup.value('#org')).toBe('contoso');
      expect(await popup.text('#tenant-hint')).toBe('Found from the organization');
      expect(sandbox.state.tokenExchanges).toHaveLength(0);
      await popup.close();
      await tab.close();
    });

    it('a Microsoft-account org: says only a PAT can work and preselects it', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await popup.type('#org', ORGS.fabrikamMsa.name);
      await popup.waitForSelector('[data-testid=msa-notice]');
      expect(await text(popup, '[data-testid=msa-notice]')).toMatch(/only “Paste a personal access token” can work/);
      expect(await popup.$eval('input[value=pat]', (i) => (i as HTMLInputElement).checked)).toBe(true);
      expect(await popup.$eval('input[value=microsoft]', (i) => (i as HTMLInputElement).disabled)).toBe(true);
      await popup.close();
    });

    it('offers the organizations the user belongs to after sign-in', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await popup.type('#tenant', TENANT.id);
      await popup.click('[data-testid=find-orgs]');
      await popup.waitForSelector('[data-testid=org-picker]');
      const options = await popup.$$eval('[data-testid=org-picker] option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(options).toEqual(['contoso']);
      await popup.select('[data-testid=org-picker]', 'contoso');
      expect(await popup.$eval('#org', (i) => (i as HTMLInputElement).value)).toBe('contoso');
      // The sign-in's token is reused by the connect that follows: one sign-in in all.
      await popup.click('button[type=submit]');
      expect((await outcome(popup)).status).toBe('succeeded');
      expect(world.sandbox.state.tokenExchanges.filter((e) => e.grantType === 'authorization_code')).toHaveLength(1);
      await popup.close();
    });
  });

  describe('methods', () => {
    it('Paste a PAT: validated, then stored as access-token', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, { method: 'pat', org: 'contoso', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token });
      expect(await outcome(popup)).toEqual({ status: 'succeeded', error: '' });
      expect(world.sandbox.state.connections[0]).toMatchObject({ name: 'pasted', method: 'access-token', secretCredentials: { accessToken: SEEDED_PATS.contosoPasted.token } });
      await popup.close();
    });

    it('Paste a PAT: a token for another org is explained and never sent', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, { method: 'pat', org: 'northwind', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token });
      const result = await outcome(popup);
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/token/i);
      expect(world.sandbox.state.connections).toHaveLength(0);
      await popup.close();
    });

    it('Service principal: stored as client-secret after Infisical validates it', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, {
        method: 'service-principal',
        org: 'contoso',
        tenant: TENANT.id,
        connectionName: 'sp',
        clientId: SERVICE_PRINCIPAL.clientId,
        clientSecret: SERVICE_PRINCIPAL.clientSecret,
      });
      expect(await outcome(popup)).toEqual({ status: 'succeeded', error: '' });
      expect(world.sandbox.state.connections[0]).toMatchObject({ name: 'sp', method: 'client-secret', credentials: { clientId: SERVICE_PRINCIPAL.clientId } });
      await popup.close();
    });

    it('Infisical’s OAuth app: code caught in the tab, state checked, never consumed by the instance page', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, { method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth' });
      expect(await outcome(popup)).toEqual({ status: 'succeeded', error: '' });
      const { state, config } = world.sandbox;
      expect(state.connections[0]).toMatchObject({ name: 'oauth', method: 'oauth', credentials: { orgName: 'contoso', tenantId: TENANT.id } });
      const authorize = state.authorizeLog.find((a) => a.clientId === config.infisical.oauthClientId);
      expect(authorize?.redirectUri).toBe(`${INFISICAL.siteUrl}/organization/app-connections/azure/oauth/callback`);
      expect(state.callbackLoads).toEqual([]);
      const urls = await world.ext.pageUrls();
      expect(urls.some((u) => u.includes('oauth-callback') || u.includes('/oauth/callback'))).toBe(false);
      await popup.close();
    });

    it('Infisical’s OAuth app is not offered when the instance has no oauthClientId', async () => {
      world.sandbox.config.infisical.oauthClientId = null;
      const popup = await openPopupForm(world.ext.browser, world.base);
      await new Promise((r) => setTimeout(r, 500));
      expect(await popup.$eval('input[value=infisical-oauth]', (i) => (i as HTMLInputElement).disabled)).toBe(true);
      expect(await popup.$eval('input[value=infisical-oauth]', (i) => i.parentElement?.textContent)).toMatch(/not set up on this instance/);
      expect(await popup.$eval('input[value=pat]', (i) => (i as HTMLInputElement).disabled)).toBe(false);
      await popup.close();
    });
  });

  describe('never a duplicate', () => {
    it('offers to update the existing connection’s credentials instead of creating a second one', async () => {
      const first = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(first, { org: 'contoso', connectionName: 'azure-devops-contoso' });
      expect((await outcome(first)).status).toBe('succeeded');
      await first.close();

      const second = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(second, { org: 'contoso', connectionName: 'azure-devops-contoso' });
      await second.waitForSelector('[data-testid=existing]');
      expect(await text(second, '[data-testid=existing]')).toMatch(/already exists.*Made with “Sign in with Microsoft” or “Paste a personal access token”, organization contoso/s);
      expect(await text(second, '[data-testid=existing]')).not.toMatch(/access-token/);
      await second.setViewport({ width: 360, height: 520 });
      await second.screenshot({ path: world.artifact('popup-existing.png') });
      await second.click('[data-testid=update]');
      expect((await outcome(second)).status).toBe('succeeded');
      expect(world.sandbox.state.connections).toHaveLength(1);
      const pats = world.sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
      expect(pats.map((p) => p.status).sort()).toEqual(['active', 'revoked']);
      // Updated in place, with the new PAT (Infisical keeps the version on update: docs/contracts.md A.3 "Update").
      expect(world.sandbox.state.connections[0]?.secretCredentials.accessToken).toBe(pats.find((p) => p.status === 'active')?.token);
      await second.close();
    });
  });

  describe('failures name the fix', () => {
    it('consent missing (AADSTS65001)', async () => {
      world.sandbox.config.entra.apps[EXTENSION_APP.clientId]!.consented = false;
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, { org: 'contoso', connectionName: 'no-consent' });
      const result = await outcome(popup);
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/consent/i);
      expect(result.error).toMatch(/user_impersonation/);
      expect(world.sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toHaveLength(0);
      await popup.close();
    });

    it('PAT creation blocked by organization policy (disablePatCreationPolicyViolation)', async () => {
      world.sandbox.config.azureDevOps.orgs.contoso!.policy.disablePatCreation = true;
      const popup = await openPopupForm(world.ext.browser, world.base);
      await fillAndConnect(popup, { org: 'contoso', connectionName: 'blocked' });
      const result = await outcome(popup);
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/does not allow you to create personal access tokens/);
      expect(world.sandbox.state.connections).toHaveLength(0);
      await popup.close();
    });
  });

  describe('accessibility', () => {
    it('popup form and options page have no axe-core violations', async () => {
      const popup = await openPopupForm(world.ext.browser, world.base);
      expect(await axeViolations(popup)).toEqual([]);
      await popup.close();
      const options = await world.ext.openPage(`${world.base}/options.html`);
      await options.waitForSelector('#infisicalUrl');
      expect(await axeViolations(options)).toEqual([]);
      await options.close();
    });
  });
});
