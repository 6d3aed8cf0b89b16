import { browser } from 'wxt/browser';
import { z } from 'zod/mini';
import { msalMessaging } from '@/utils/messaging';
import { createMsalRunner } from '@/utils/microsoft/msal-runner';

// zod/mini has no messages of its own; keep classic zod's English ones in errors sent to the worker.
z.config(z.locales.en());

/**
 * Chromium's offscreen document: runs MSAL for the service worker. Answers only the `msal.*`
 * messages, and only from this extension's own worker (a sender without a tab).
 */
const runner = createMsalRunner();

const beginSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  authority: z.url(),
  redirectUri: z.url(),
  scopes: z.array(z.string()).check(z.minLength(1)),
  loginHint: z.optional(z.string()),
});

function assertFromWorker(sender: { id?: string; tab?: unknown }): void {
  if (sender.id !== browser.runtime.id || sender.tab) throw new Error('Unexpected sender.');
}

msalMessaging.onMessage('msal.warm', ({ data, sender }) => {
  assertFromWorker(sender);
  return runner.warm!(beginSchema.parse(data));
});
msalMessaging.onMessage('msal.begin', ({ data, sender }) => {
  assertFromWorker(sender);
  return runner.begin(beginSchema.parse(data));
});
msalMessaging.onMessage('msal.complete', ({ data, sender }) => {
  assertFromWorker(sender);
  return runner.complete(z.object({ responseUrl: z.url() }).parse(data));
});
msalMessaging.onMessage('msal.end', ({ sender }) => {
  assertFromWorker(sender);
  return runner.end();
});
