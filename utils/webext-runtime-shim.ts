import { browser } from 'wxt/browser';

/**
 * Stands in for `webextension-polyfill` (aliased in wxt.config.ts), which @webext-core/messaging
 * imports for three calls only. WXT's `browser` already is the promise-based API in Chromium MV3 and
 * Firefox; the one thing the polyfill added was letting an onMessage listener answer by returning a
 * promise, which this adapts to `sendResponse`. Saves ~2.6 KB gzip in every context (docs/performance.md).
 */
type Listener = (message: unknown, sender: unknown) => unknown;
type Raw = (message: unknown, sender: unknown, sendResponse: (response: unknown) => void) => boolean;

const wrapped = new Map<Listener, Raw>();

const onMessage = {
  addListener(listener: Listener) {
    const raw: Raw = (message, sender, sendResponse) => {
      const result = listener(message, sender);
      if (!(result instanceof Promise)) return false;
      // webext-core resolves with { res } or { err } itself; a rejection here is a bug in it.
      result.then(sendResponse, (error: unknown) => sendResponse({ err: { message: String(error) } }));
      return true;
    };
    wrapped.set(listener, raw);
    browser.runtime.onMessage.addListener(raw as never);
  },
  removeListener(listener: Listener) {
    const raw = wrapped.get(listener);
    if (raw) browser.runtime.onMessage.removeListener(raw as never);
    wrapped.delete(listener);
  },
};

export default {
  runtime: {
    sendMessage: (message: unknown) => browser.runtime.sendMessage(message),
    onMessage,
  },
  tabs: {
    sendMessage: (tabId: number, message: unknown, options?: { frameId?: number }) => browser.tabs.sendMessage(tabId, message, options),
  },
};
