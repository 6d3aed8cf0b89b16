import { browser } from 'wxt/browser';
import { z } from 'zod/mini';
import { msalMessaging } from '@/utils/messaging';
import { createMsalRunner } from '@/utils/microsoft/msal-runner';
import { preconnectForSignIn } from '@/utils/microsoft/preconnect';
import { useShortZodMessages } from '@/utils/zod-messages';

// zod/mini has no messages of its own; short English ones for errors sent to the worker.
useShortZodMessages();

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
  const request = beginSchema.parse(data);
  preconnectForSignIn(request.authority);
  return runner.warm!(request);
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
