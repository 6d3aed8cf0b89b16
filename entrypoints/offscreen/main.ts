import { browser } from 'wxt/browser';
import { z } from 'zod/mini';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { msalMessaging } from '@/utils/messaging';
import { createMsalRunner } from '@/utils/microsoft/msal-runner';
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

/**
 * Open connections (DNS, TCP, TLS) to the hosts the next seconds will call — Entra's token
 * endpoint from here, Azure DevOps from the worker — while the person is still filling the form,
 * so the first request to each does not pay the handshake (issue 7). Connections only, no requests.
 */
function preconnect(origins: string[]): void {
  for (const old of document.head.querySelectorAll('link[rel=preconnect]')) old.remove();
  for (const origin of origins) {
    const link = document.createElement('link');
    link.rel = 'preconnect';
    link.href = origin;
    // MSAL's token POST and the worker's fetches are credential-less (`credentials: 'omit'`).
    link.crossOrigin = 'anonymous';
    document.head.append(link);
  }
}

msalMessaging.onMessage('msal.warm', ({ data, sender }) => {
  assertFromWorker(sender);
  const request = beginSchema.parse(data);
  preconnect([new URL(request.authority).origin, PUBLIC_CLOUD.azureDevOps, PUBLIC_CLOUD.azureDevOpsVssps]);
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
