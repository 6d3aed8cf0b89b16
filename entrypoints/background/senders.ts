import { browser } from 'wxt/browser';
import { ExtensionError } from '@/utils/errors/boundary-error';

interface Sender {
  id?: string;
  url?: string;
  tab?: { url?: string };
}

/** Extension pages that may drive the background: the popup and the options page. */
const PAGES = ['/popup.html', '/options.html'];

/**
 * Only this extension's own popup and options page may start flows. Content scripts (issue: one-click
 * connect) get their own, narrower message.
 * @throws ExtensionError `forbidden-sender`.
 */
export function assertFromExtensionPage(sender: Sender): void {
  const base = browser.runtime.getURL('/');
  const url = sender.url ?? '';
  const ok = sender.id === browser.runtime.id && url.startsWith(base) && PAGES.some((p) => new URL(url).pathname === p);
  if (!ok) throw new ExtensionError('forbidden-sender', 'This message is only accepted from the extension’s own pages.');
}
