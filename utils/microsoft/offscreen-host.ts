import { browser } from 'wxt/browser';
import { msalMessaging } from '../messaging';
import { createSerial } from '../serial';
import { MicrosoftError } from '../errors/boundary-error';
import { beginRequestKey, WARM_IDLE_MS, type MsalHost } from './types';

const DOCUMENT_PATH = '/offscreen.html';

/**
 * A document just created may not have registered its listeners yet: Chromium then answers
 * "Receiving end does not exist" and the message was not delivered, so sending it again is safe.
 * Bounded: 40 tries, 25 ms apart.
 */
async function whenListening<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const notYet = /Receiving end does not exist|Could not establish connection|No response/i.test(String(error));
      if (!notYet || attempt >= 40) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/**
 * Chromium: MSAL cannot run in the service worker, so it runs in an offscreen document that lives
 * from `begin` to `end` (the PKCE verifier is in that document's sessionStorage) and is closed
 * afterwards, which also frees its memory (docs/browsers.md "MSAL on Chromium").
 */
export function createOffscreenMsalHost(): MsalHost {
  let creating: Promise<void> | null = null;
  /**
   * The authorize URL the document built at `warm` (its PKCE state is kept there): a sign-in with
   * the same request opens it at once, while `begin` confirms it with the document alongside.
   */
  let armed: { key: string; authorizeUrl: string } | null = null;
  /** The document's answer to the `begin` of the sign-in under way; `complete` waits for it. */
  let confirming: Promise<unknown> = Promise.resolve();
  /** A warmed document nobody signs in with is closed again, so it does not linger. */
  let idle: ReturnType<typeof setTimeout> | undefined;
  // warm and begin one at a time: a warm still under way when the click comes finishes first (so
  // its idle timer cannot close the document mid-sign-in, nor its message overtake begin's).
  const serial = createSerial();
  const close = async () => {
    clearTimeout(idle);
    armed = null;
    confirming = Promise.resolve();
    const contexts = await browser.runtime.getContexts({ contextTypes: [browser.runtime.ContextType.OFFSCREEN_DOCUMENT] });
    if (contexts.length > 0) await browser.offscreen.closeDocument();
  };

  // A document left by a worker that was stopped (after 30 idle seconds, with its idle timer, or
  // in the moment between a sign-in and its close) belongs to nobody now: close it first thing.
  void serial(close).catch(() => undefined);

  async function ensureDocument(): Promise<void> {
    const url = browser.runtime.getURL(DOCUMENT_PATH);
    const contexts = await browser.runtime.getContexts({
      contextTypes: [browser.runtime.ContextType.OFFSCREEN_DOCUMENT],
      documentUrls: [url],
    });
    if (contexts.length > 0) return;
    creating ??= browser.offscreen
      .createDocument({
        url,
        reasons: [browser.offscreen.Reason.LOCAL_STORAGE],
        justification: 'Microsoft sign-in (MSAL) keeps the PKCE verifier in web storage.',
      })
      .finally(() => {
        creating = null;
      });
    await creating;
  }

  return {
    warm: (config) =>
      serial(async () => {
        clearTimeout(idle);
        await ensureDocument();
        idle = setTimeout(() => void close().catch(() => undefined), WARM_IDLE_MS);
        const { authorizeUrl } = await whenListening(() => msalMessaging.sendMessage('msal.warm', config));
        armed = { key: beginRequestKey(config), authorizeUrl };
        return { authorizeUrl };
      }),
    begin: (request) =>
      serial(async () => {
        clearTimeout(idle);
        confirming = Promise.resolve();
        const early = armed?.key === beginRequestKey(request) ? armed.authorizeUrl : null;
        armed = null;
        const answer = ensureDocument().then(() => whenListening(() => msalMessaging.sendMessage('msal.begin', request)));
        if (!early) return answer;
        // The window opens now; the document's answer (the same URL, unless it was recreated and
        // built a new one) is checked before the code is redeemed.
        confirming = answer.then(({ authorizeUrl }) => {
          if (authorizeUrl !== early) throw new MicrosoftError('no-interaction', 'The document holding the sign-in state was replaced.');
        });
        confirming.catch(() => undefined);
        return { authorizeUrl: early };
      }),
    async complete(request) {
      const confirmed = confirming;
      confirming = Promise.resolve();
      await confirmed;
      return msalMessaging.sendMessage('msal.complete', request);
    },
    end: close,
  };
}
