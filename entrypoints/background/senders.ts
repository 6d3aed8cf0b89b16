import { browser } from 'wxt/browser';
import { ExtensionError } from '@/utils/errors/boundary-error';

interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
}

/**
 * The sender is this extension's own page at `path`.
 * @throws ExtensionError `forbidden-sender`.
 */
export function assertFromPage(sender: Sender, ...paths: string[]): void {
  const base = browser.runtime.getURL('/');
  const url = sender.url ?? '';
  const ok = sender.id === browser.runtime.id && url.startsWith(base) && paths.includes(new URL(url).pathname);
  if (!ok) throw new ExtensionError('forbidden-sender', 'This message is only accepted from the extension’s own pages.');
}

/** Only the popup and the options page may drive flows and read connection details. */
export function assertFromExtensionPage(sender: Sender): void {
  assertFromPage(sender, '/popup.html', '/options.html');
}
