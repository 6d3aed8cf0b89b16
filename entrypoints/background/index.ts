import { browser } from 'wxt/browser';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { backgroundMessaging } from '@/utils/messaging';
import { createMicrosoftSignIn } from '@/utils/microsoft/sign-in';
import type { MsalHost } from '@/utils/microsoft/types';
import { createFlowRunner } from './flow-runner';
import { assertFromExtensionPage } from './senders';
import { createPrepare } from './prepare';

/**
 * The background owns every network call and every secret. Real implementations of the edges
 * (fetch, identity API, clock, MSAL host) are wired here; everything else receives them.
 */
export default defineBackground(() => {
  const now = () => new Date();
  const host: MsalHost = import.meta.env.FIREFOX ? lazyInProcessHost() : lazyOffscreenHost();
  const signIn = createMicrosoftSignIn({
    identity: {
      getRedirectURL: () => browser.identity.getRedirectURL(),
      launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    },
    host,
    endpoints: PUBLIC_CLOUD,
  });
  const runner = createFlowRunner({
    prepare: createPrepare({ fetch: (input, init) => fetch(input, init), signIn, now }),
    now,
    newId: () => crypto.randomUUID(),
  });

  backgroundMessaging.onMessage('connect.start', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return runner.start(data);
  });
  backgroundMessaging.onMessage('flow.dismiss', ({ sender }) => {
    assertFromExtensionPage(sender);
    return runner.dismiss();
  });
});

/** Chromium: MSAL in the offscreen document; loaded only when a sign-in starts. */
function lazyOffscreenHost(): MsalHost {
  const load = import('@/utils/microsoft/offscreen-host').then((m) => m.createOffscreenMsalHost());
  return {
    begin: async (r) => (await load).begin(r),
    complete: async (r) => (await load).complete(r),
    end: async () => (await load).end(),
  };
}

/** Firefox: the background page has a DOM, so MSAL runs right here, imported on first use. */
function lazyInProcessHost(): MsalHost {
  let load: Promise<MsalHost> | null = null;
  const get = () => (load ??= import('@/utils/microsoft/msal-runner').then((m) => m.createMsalRunner()));
  return {
    begin: async (r) => (await get()).begin(r),
    complete: async (r) => (await get()).complete(r),
    end: async () => (await get()).end(),
  };
}
