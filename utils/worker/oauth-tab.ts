import { browser } from 'wxt/browser';
import { ExtensionError, MicrosoftError } from '@/utils/errors/boundary-error';
import type { OAuthWaitStart } from '@/utils/flow/connect-with-infisical-oauth';
import { createSerial } from '@/utils/serial';
import { readWait, waitItem, type OAuthWait } from './oauth-wait';

const CALLBACK_PAGE = '/oauth-callback.html';
const RULE_ID = 4711;
const TIMEOUT_MS = 5 * 60_000;

const cancelled = () => new MicrosoftError('user-cancelled', 'The Microsoft consent tab was closed.');

/**
 * Infisical's OAuth app redirects to the instance's own callback page, which would try to use the
 * code itself. A session rule (declarativeNetRequest) scoped to the one tab we open redirects that
 * navigation to the extension's callback page instead, query intact, before any request reaches
 * the instance; that page reports its URL to the background (`oauth.callback`).
 *
 * The wait is also stored (oauth-wait.ts): a worker started again while it is on — the callback
 * page's message, the tab being closed, anything — takes it up (`restored`, which the background
 * hands to the flow runner), and one whose wait is over or gone removes the rule and closes the tab.
 * However a wait ends (answer, tab closed, time-out), its record, rule and tab go with it.
 */
export function createOAuthTab() {
  let waiting: { tabId: number; resolve: (url: string) => void; reject: (e: unknown) => void } | null = null;

  /** Wait for the consent tab's answer until the wait's deadline; the callback URL as the instance would have seen it. */
  async function awaitCallback(wait: OAuthWait): Promise<string> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const pageUrl = await new Promise<string>((resolve, reject) => {
        waiting = { tabId: wait.tabId, resolve, reject };
        timer = setTimeout(() => reject(new MicrosoftError('timeout', 'The Microsoft consent did not finish in 5 minutes.')), wait.deadline - Date.now());
      });
      return `${wait.callbackUrl}${new URL(pageUrl).search}`;
    } finally {
      clearTimeout(timer);
      waiting = null;
      await end([wait.tabId]);
    }
  }

  async function end(tabIds: number[]) {
    await waitItem.removeValue().catch(() => undefined);
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [RULE_ID] }).catch(() => undefined);
    await browser.tabs.remove(tabIds).catch(() => undefined);
  }

  /** At start: the wait a stopped worker left, taken up here (its callback awaited), or the rule and tab of one that is gone. */
  const restored = (async () => {
    const wait = await readWait();
    if (!wait) {
      const rules = await browser.declarativeNetRequest.getSessionRules();
      const tabIds = rules.filter((r) => r.id === RULE_ID).flatMap((r) => r.condition.tabIds ?? []);
      if (rules.length) await end(tabIds);
      return null;
    }
    const callback = awaitCallback(wait);
    // A tab closed while no worker ran: nobody was told.
    await browser.tabs.get(wait.tabId).catch(() => waiting?.reject(cancelled()));
    return { wait, callback };
  })().catch(() => null);

  browser.tabs.onRemoved.addListener((tabId) => {
    void restored.then(() => {
      if (waiting?.tabId === tabId) waiting.reject(cancelled());
    });
  });

  // One consent tab at a time (one redirect rule); a second flow's consent follows the first's.
  const serial = createSerial();
  const consent = (authorizeUrl: string, start: OAuthWaitStart & { flowId: string }) =>
    serial(async () => {
      // A wait taken up from a stopped worker goes first: one rule, one awaited tab at a time.
      await (await restored)?.callback.catch(() => undefined);
      const tab = await browser.tabs.create({ url: 'about:blank', active: true });
      const wait: OAuthWait = { ...start, tabId: tab.id!, deadline: Date.now() + TIMEOUT_MS };
      const escaped = wait.callbackUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const callback = awaitCallback(wait);
      try {
        await browser.declarativeNetRequest.updateSessionRules({
          removeRuleIds: [RULE_ID],
          addRules: [
            {
              id: RULE_ID,
              priority: 1,
              condition: { regexFilter: `^${escaped}(\\?.*)?$`, resourceTypes: ['main_frame'], tabIds: [wait.tabId] },
              // runtime.getURL gives the page's dynamic URL where the manifest asks for one (use_dynamic_url).
              action: { type: 'redirect', redirect: { regexSubstitution: `${browser.runtime.getURL(CALLBACK_PAGE)}\\1` } },
            },
          ],
        });
        await waitItem.setValue(wait);
        await browser.tabs.update(wait.tabId, { url: authorizeUrl });
      } catch (error) {
        waiting?.reject(error);
      }
      return callback;
    });

  /**
   * The callback page (via the background's message handler) reports its own URL. Only the top
   * frame of the awaited tab counts: the page is web accessible, so a frame could load it too.
   */
  async function deliver(sender: { tab?: { id?: number }; frameId?: number }, pageUrl: string): Promise<void> {
    await restored;
    if (!waiting || waiting.tabId !== sender.tab?.id || sender.frameId !== 0) throw new ExtensionError('forbidden-sender', 'No consent is expected from this tab.');
    waiting.resolve(pageUrl);
  }

  /** The wait of this tab's consent is given up (its flow has ended or is gone): rule and tab go. */
  const abandon = (tabId: number) => {
    if (waiting?.tabId === tabId) waiting.reject(new ExtensionError('interrupted', 'The flow is gone.'));
  };

  return { consent, deliver, restored, abandon };
}
