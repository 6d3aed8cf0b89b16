import { browser } from 'wxt/browser';
import { z } from 'zod';
import { msalMessaging } from '@/utils/messaging';
import { createMsalRunner } from '@/utils/microsoft/msal-runner';

/**
 * Chromium's offscreen document: runs MSAL for the service worker. Answers only the `msal.*`
 * messages, and only from this extension's own worker (a sender without a tab).
 */
const runner = createMsalRunner();

const beginSchema = z.object({
  clientId: z.string().min(1),
  authority: z.url(),
  redirectUri: z.url(),
  scopes: z.array(z.string()).min(1),
  loginHint: z.string().optional(),
});

function assertFromWorker(sender: { id?: string; tab?: unknown }): void {
  if (sender.id !== browser.runtime.id || sender.tab) throw new Error('Unexpected sender.');
}

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
