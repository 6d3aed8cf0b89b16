import { browser } from 'wxt/browser';
import { ExtensionError, MicrosoftError } from '@/utils/errors/boundary-error';
import { createSerial } from '@/utils/serial';

const CALLBACK_PAGE = '/oauth-callback.html';
const RULE_ID = 4711;
const TIMEOUT_MS = 5 * 60_000;

/**
 * Infisical's OAuth app redirects to the instance's own callback page, which would try to use the
 * code itself. A session rule (declarativeNetRequest) scoped to the one tab we open redirects that
 * navigation to the extension's callback page instead, query intact, before any request reaches
 * the instance; that page reports its URL to the background (`oauth.callback`).
 */
export function createOAuthTab() {
  let waiting: { tabId: number; resolve: (url: string) => void; reject: (e: unknown) => void } | null = null;

  browser.tabs.onRemoved.addListener((tabId) => {
    if (waiting?.tabId === tabId) {
      waiting.reject(new MicrosoftError('user-cancelled', 'The Microsoft consent tab was closed.'));
    }
  });

  // One consent tab at a time (one redirect rule); a second flow's consent follows the first's.
  const serial = createSerial();
  const consent = (authorizeUrl: string, callbackUrl: string) => serial(() => consentOnce(authorizeUrl, callbackUrl));

  async function consentOnce(authorizeUrl: string, callbackUrl: string): Promise<string> {
    const tab = await browser.tabs.create({ url: 'about:blank', active: true });
    const tabId = tab.id!;
    const escaped = callbackUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    await browser.declarativeNetRequest.updateSessionRules({
      removeRuleIds: [RULE_ID],
      addRules: [
        {
          id: RULE_ID,
          priority: 1,
          condition: { regexFilter: `^${escaped}(\\?.*)?$`, resourceTypes: ['main_frame'], tabIds: [tabId] },
          action: { type: 'redirect', redirect: { regexSubstitution: `${browser.runtime.getURL(CALLBACK_PAGE)}\\1` } },
        },
      ],
    });
    try {
      const result = new Promise<string>((resolve, reject) => {
        waiting = { tabId, resolve, reject };
        setTimeout(() => reject(new MicrosoftError('timeout', 'The Microsoft consent did not finish in 5 minutes.')), TIMEOUT_MS);
      });
      await browser.tabs.update(tabId, { url: authorizeUrl });
      const pageUrl = new URL(await result);
      // Give the flow the URL the instance would have seen.
      return `${callbackUrl}${pageUrl.search}`;
    } finally {
      waiting = null;
      await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [RULE_ID] }).catch(() => undefined);
      await browser.tabs.remove(tabId).catch(() => undefined);
    }
  }

  /** Called by the callback page (via the background's message handler) with its own URL. */
  function deliver(tabId: number | undefined, pageUrl: string): void {
    if (!waiting || waiting.tabId !== tabId) throw new ExtensionError('forbidden-sender', 'No consent is expected from this tab.');
    waiting.resolve(pageUrl);
  }

  return { consent, deliver };
}
