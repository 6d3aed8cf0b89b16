import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { SERVICE_PRINCIPAL, TENANT } from '../sandbox/fixtures';
import { BROWSERS, pollFor } from './support/browsers';
import { fillAndConnect, openPopupForm, text, waitForOutcome } from './support/extension-pages';
import { useWorld } from './support/world';

/**
 * The popup as a first-time user meets it: what it says before anything happens, and what it keeps
 * when something went wrong. Every scenario in both browsers against the sandbox.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  const value = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLInputElement).value);
  const checkedMethod = (page: Page) => page.$eval('input[name=method]:checked', (el) => (el as HTMLInputElement).value);
  const errorOf = (page: Page, field: string) => page.$eval(`#${field}-error`, (el) => el.textContent ?? '').catch(() => null);
  const entraAndAzureDevOps = () => world.sandbox.state.requests.filter((r) => /login\.microsoftonline\.com|vssps\.dev\.azure\.com/.test(r.host) || /_apis\/projects/i.test(r.path));

  const failingServicePrincipal = {
    method: 'service-principal' as const,
    org: 'contoso',
    tenant: TENANT.id,
    clientId: SERVICE_PRINCIPAL.clientId,
    clientSecret: 'not-the-right-secret',
    connectionName: 'sp-kept',
    description: 'kept across a failure',
  };

  it('names an organization that does not exist under its field, before any sign-in', async () => {
    const popup = await openPopupForm(world.ext.browser, world.base);
    await popup.type('#org', 'no-such-org');
    const sentence = 'There is no Azure DevOps organization named “no-such-org”.';
    await pollFor(async () => ((await errorOf(popup, 'org')) === sentence ? true : null), 10_000, 'the missing-org sentence under the field');
    await popup.type('#tenant', TENANT.id);
    const before = entraAndAzureDevOps().length;
    await popup.click('button[type=submit]');
    await new Promise((r) => setTimeout(r, 500));
    expect(await errorOf(popup, 'org')).toBe(sentence);
    // Nothing started: no flow shown, no sign-in, no Azure DevOps call beyond discovery.
    expect(await popup.$('[data-testid=flow]')).toBeNull();
    expect(entraAndAzureDevOps().length).toBe(before);
    expect(world.sandbox.state.tokenExchanges).toHaveLength(0);
    await popup.close();
  });

  it('“Back to the form” after a failure keeps everything typed but the secret', async () => {
    const popup = await openPopupForm(world.ext.browser, world.base);
    await fillAndConnect(popup, failingServicePrincipal);
    expect(await waitForOutcome(popup)).toBe('failed');
    await popup.click('[data-testid=dismiss]');
    await popup.waitForSelector('#org', { visible: true });
    expect(await checkedMethod(popup)).toBe('service-principal');
    expect(await value(popup, '#org')).toBe('contoso');
    expect(await value(popup, '#tenant')).toBe(TENANT.id);
    expect(await value(popup, '#clientId')).toBe(SERVICE_PRINCIPAL.clientId);
    expect(await value(popup, '#connectionName')).toBe('sp-kept');
    expect(await value(popup, '#description')).toBe('kept across a failure');
    expect(await value(popup, '#clientSecret')).toBe('');
    expect(world.sandbox.state.connections).toHaveLength(0);
    await popup.close();
  });

  it('a popup reopened on a failed flow goes back to a form with that flow’s org, name and method', async () => {
    const first = await openPopupForm(world.ext.browser, world.base);
    await fillAndConnect(first, failingServicePrincipal);
    await first.waitForSelector('[data-testid=flow]');
    await first.close();
    const popup = await world.ext.openPage(`${world.base}/popup.html`);
    expect(await waitForOutcome(popup)).toBe('failed');
    await popup.click('[data-testid=dismiss]');
    await popup.waitForSelector('#org', { visible: true });
    expect(await checkedMethod(popup)).toBe('service-principal');
    expect(await value(popup, '#org')).toBe('contoso');
    expect(await value(popup, '#connectionName')).toBe('sp-kept');
    expect(await value(popup, '#clientSecret')).toBe('');
    await popup.close();
  });

  it('a field’s error goes once the field is being fixed', async () => {
    const popup = await openPopupForm(world.ext.browser, world.base);
    await fillAndConnect(popup, { org: 'contoso', connectionName: 'Not A Slug' });
    await popup.waitForSelector('#connectionName-error');
    expect(await text(popup, '#connectionName-error')).toMatch(/lowercase letters, digits and single hyphens/);
    await popup.click('#connectionName', { count: 3 });
    await popup.keyboard.press('Backspace');
    await popup.type('#connectionName', 'a-slug');
    expect(await errorOf(popup, 'connectionName')).toBeNull();
    expect(await popup.$eval('#connectionName', (el) => el.getAttribute('aria-invalid'))).toBeNull();
    await popup.close();
  });
});
