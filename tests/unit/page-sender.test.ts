import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { assertFromOrgPage } from '@/entrypoints/background/page-handlers';
import { assertFromProjectPage } from '@/entrypoints/background/page-sync-handlers';
import { assertFromExtensionPage } from '@/entrypoints/background/senders';

beforeEach(() => fakeBrowser.reset());

describe('who may ask the background for what', () => {
  const id = () => fakeBrowser.runtime.id;
  const page = (url: string, extra: object = {}) => ({ id: id(), url, frameId: 0, tab: { id: 7 }, ...extra });

  it('accepts the content script on that org’s page only', () => {
    expect(() => assertFromOrgPage(page('https://dev.azure.com/contoso/Payments'), 'contoso')).not.toThrow();
    expect(() => assertFromOrgPage(page('https://contoso.visualstudio.com/Web'), 'Contoso')).not.toThrow();
  });

  it.each([
    ['another org’s page', page('https://dev.azure.com/northwind/x')],
    ['a page outside Azure DevOps', page('https://evil.example/contoso')],
    ['a sub-frame', page('https://dev.azure.com/contoso', { frameId: 3 })],
    ['no tab (not a content script)', { id: 'x', url: 'https://dev.azure.com/contoso', frameId: 0 }],
    ['another extension', page('https://dev.azure.com/contoso', { id: 'someone-else' })],
  ])('rejects %s', (_label, sender) => {
    expect(() => assertFromOrgPage(sender as never, 'contoso')).toThrow(expect.objectContaining({ code: 'forbidden-sender' }));
  });

  it('takes sync messages only from that project’s pages (project names without case)', () => {
    expect(() => assertFromProjectPage(page('https://dev.azure.com/contoso/Payments/_library'), 'contoso', 'payments')).not.toThrow();
    expect(() => assertFromProjectPage(page('https://contoso.visualstudio.com/Payments'), 'contoso', 'Payments')).not.toThrow();
    for (const url of [
      'https://dev.azure.com/contoso/Platform',
      'https://dev.azure.com/contoso',
      'https://dev.azure.com/contoso/_settings',
      'https://dev.azure.com/northwind/Payments',
    ]) {
      expect(() => assertFromProjectPage(page(url), 'contoso', 'Payments'), url).toThrow(expect.objectContaining({ code: 'forbidden-sender' }));
    }
  });

  it('after an in-page move takes the tab’s address: Chromium keeps sender.url at the one the script started on', () => {
    const moved = page('https://dev.azure.com/contoso/Payments', { tab: { id: 7, url: 'https://dev.azure.com/contoso/Platform' } });
    expect(() => assertFromProjectPage(moved, 'contoso', 'Platform')).not.toThrow();
    expect(() => assertFromProjectPage(moved, 'contoso', 'Payments')).toThrow(expect.objectContaining({ code: 'forbidden-sender' }));
  });

  it('lets only the popup and options page drive flows, never a content script', () => {
    const base = `chrome-extension://${id()}`;
    expect(() => assertFromExtensionPage({ id: id(), url: `${base}/popup.html` })).not.toThrow();
    expect(() => assertFromExtensionPage({ id: id(), url: `${base}/options.html#x` })).not.toThrow();
    expect(() => assertFromExtensionPage({ id: id(), url: 'https://dev.azure.com/contoso', tab: { id: 1 } })).toThrow();
    expect(() => assertFromExtensionPage({ id: id(), url: `${base}/oauth-callback.html` })).toThrow();
  });
});
