import { browser } from 'wxt/browser';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import { policySettled } from '@/utils/policy/settled';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { backgroundMessaging, pageMessaging } from '@/utils/messaging';
import { createMicrosoftSignIn } from '@/utils/microsoft/sign-in';
import { WARM_IDLE_MS, type MsalHost } from '@/utils/microsoft/types';
import { createOffscreenMsalHost } from '@/utils/microsoft/offscreen-host';
import { preconnectForSignIn } from '@/utils/microsoft/preconnect';
import { createFlowRunner } from '@/utils/worker/flow-runner';
import { registerHandlers } from './handlers';
import { createLedger } from '@/utils/worker/ledger';
import { registerPageHandlers } from './page-handlers';
import { registerPageSyncHandlers } from './page-sync-handlers';
import { recoverInterrupted } from '@/utils/worker/recover';
import { revokeUnreadable } from '@/utils/worker/recover-unreadable';
import { createOAuthTab } from '@/utils/worker/oauth-tab';
import { finishOAuth } from '@/utils/flow/connect-with-infisical-oauth';
import { createServices } from './services';
import { ExtensionError } from '@/utils/errors/boundary-error';
import { migrateRememberedSecret } from '@/utils/storage/secret';
import { createInventory } from '@/utils/worker/inventory';
import { createRenewals } from '@/utils/worker/renewals';
import { createSyncs } from '@/utils/worker/syncs';
import { createRemoval } from '@/utils/worker/removal';
import { createExpiryWatch, EXPIRY_ALARM, EXPIRY_PERIOD_MINUTES } from '@/utils/worker/expiry-watch';
import { KEYS } from '@/utils/storage/keys';
import { originPattern } from '@/utils/inputs';

/**
 * The background owns every network call and every secret. Real implementations of the edges
 * (fetch, identity API, clock, MSAL host, OAuth tab) are wired here; everything else receives them.
 */
export default defineBackground(() => {
  const now = () => new Date();
  /** When this worker (or background page) started: the policy may take a few seconds more (utils/policy/settled.ts). */
  const started = Date.now();
  const host: MsalHost = import.meta.env.FIREFOX ? lazyInProcessHost() : createOffscreenMsalHost();
  const signIn = createMicrosoftSignIn({
    identity: {
      getRedirectURL: () => browser.identity.getRedirectURL(),
      launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    },
    host,
    endpoints: PUBLIC_CLOUD,
  });
  // A secret remembered in storage.local by an earlier build, where content scripts can read it,
  // moves to the extension's IndexedDB now rather than at its first use (utils/storage/secret.ts).
  void migrateRememberedSecret().catch(() => undefined);
  const oauthTab = createOAuthTab();
  const services = createServices({ fetch: (input, init) => fetch(input, init), signIn, oauthConsent: oauthTab.consent, now });
  const ledger = createLedger();
  let recovery: Promise<void> = Promise.resolve();
  const runner = createFlowRunner({
    prepare: services.prepare,
    now,
    newId: () => crypto.randomUUID(),
    ledger,
    // The key's instance from the same read the flow's deps and records come from (services.ts).
    instanceUrl: async () => (await services.settings()).infisicalUrl,
    rules: services.rules,
    recovered: () => recovery,
  });
  const inventory = createInventory({ services, ledger, now });
  const watch = createExpiryWatch({
    inventory,
    canNotify: async () => (await services.settings()).expiryNotifications && (await browser.permissions.contains({ permissions: ['notifications'] })),
  });
  const connections = {
    inventory,
    renewals: createRenewals({ services, ledger, runner, inventory, newId: () => crypto.randomUUID(), now }),
    removal: createRemoval({ services, ledger, inventory }),
    watch,
  };
  const syncs = createSyncs({ services, runner, removal: connections.removal, now });
  registerHandlers(backgroundMessaging, { services, runner, oauthTab, signIn, connections, syncs });
  registerPageHandlers(pageMessaging, { services, runner, inventory, renewals: connections.renewals });
  registerPageSyncHandlers(pageMessaging, { services, syncs });
  watchExpiry(watch, services);

  // A flow the browser stopped mid-way: finish or revoke what it left (the worker restarts here).
  // An OAuth flow whose consent tab is still waiting is taken up first, so the recovery sees it
  // running and leaves it alone; one past its deadline ends as timed out (oauth-tab.ts).
  // Flows read the leftover records (and so mint) only once it has finished.
  recovery = oauthTab.restored
    .then(async (left) => {
      if (!left) return;
      left.callback.catch(() => undefined);
      const resumed = await runner.resume(left.wait.flowId, left.wait.request, async (prepared) => {
        // The code was issued for the instance the wait was started with; an address changed since
        // gets nothing (the flow fails, saying so). Just after the browser starts, the policy (which
        // may name that address) may still be on its way (utils/policy/settled.ts).
        const origin = new URL(left.wait.callbackUrl).origin;
        const deps = origin === prepared.infisical.instanceUrl ? prepared : await policySettled(started).then(async () => ({ ...prepared, ...(await services.prepare()) }));
        if (origin !== deps.infisical.instanceUrl) {
          throw new ExtensionError('oauth-instance-changed', 'The Infisical address changed while the consent was open.');
        }
        // A policy that arrived since the consent began may forbid the method.
        assertAllowedByPolicy(left.wait.request, await services.rules());
        return finishOAuth(left.wait, await left.callback, deps);
      });
      // However the flow ends (before its answer too, e.g. settings unreadable), its wait goes with it.
      void (resumed?.done ?? Promise.resolve()).finally(() => oauthTab.abandon(left.wait.tabId));
    })
    .catch(() => undefined)
    .then(() => recoverInterrupted(services, { ledger, isRunning: runner.isRunning, isCreating: runner.isCreating, now, policySettled: () => policySettled(started) }))
    .catch(() => undefined);
  // A set-aside record that still names its PAT: revoked once the recovery flows wait for is done,
  // and not waited for by them (flows read only the records that read).
  void recovery.then(() => revokeUnreadable(services, ledger, now)).catch(() => undefined);
});

/**
 * The expiry watch's triggers (README "Expiry watch"): the badge from the records at every start of
 * the worker (no request), a refresh from Infisical and Azure DevOps when the browser starts, when
 * the extension is installed or updated and every 12 hours (`alarms`), and the badge again after
 * every change to the records, the settings or the organization's policy (a connect, a renewal, a
 * removal, another window).
 */
function watchExpiry(watch: ReturnType<typeof createExpiryWatch>, services: ReturnType<typeof createServices>): void {
  // Refreshing needs the instance's host permission; without it, the records alone.
  const refresh = async () => {
    const { infisicalUrl } = await services.settings();
    const permitted = Boolean(infisicalUrl) && (await browser.permissions.contains({ origins: [originPattern(infisicalUrl!)] }));
    await watch.check(permitted);
  };
  browser.runtime.onStartup.addListener(() => void refresh().catch(() => undefined));
  browser.runtime.onInstalled.addListener(() => void refresh().catch(() => undefined));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === EXPIRY_ALARM) void refresh().catch(() => undefined);
  });
  // Created once: re-created at every start of the worker, its 12 hours would never run out.
  void browser.alarms
    .get(EXPIRY_ALARM)
    .then(async (alarm) => {
      if (!alarm) await browser.alarms.create(EXPIRY_ALARM, { delayInMinutes: EXPIRY_PERIOD_MINUTES, periodInMinutes: EXPIRY_PERIOD_MINUTES });
    })
    .catch(() => undefined);
  let soon: ReturnType<typeof setTimeout> | undefined;
  let policyChanged = false;
  browser.storage.onChanged.addListener((changes, area) => {
    // The policy may set the warning window and notifications (utils/policy/managed-keys.ts).
    const relevant = area === 'managed' || (area === 'local' && (KEYS.connections in changes || KEYS.settings in changes));
    if (!relevant) return;
    // A Renew all writes a record per connection: one check for a burst of writes. A policy may
    // bring the instance itself (just after the browser starts, after the start's refresh found
    // none): then a refresh from Infisical and Azure DevOps, as the start would have done.
    clearTimeout(soon);
    policyChanged ||= area === 'managed';
    soon = setTimeout(() => {
      const network = policyChanged;
      policyChanged = false;
      void (network ? refresh() : watch.check(false)).catch(() => undefined);
    }, 100);
  });
  void watch.check(false);
}

/**
 * Firefox: the background page has a DOM, so MSAL runs right here, imported on first use. `warm`
 * (the popup knows the tenant) builds the instance and the authorize URL ahead of the click, as the
 * offscreen document does in Chromium: 15–20 ms off the click's path (docs/performance.md), and opens the
 * connections the flow will use, as that document does. A warmed instance
 * nobody signs in with is dropped after the same idle time as Chromium's document.
 */
function lazyInProcessHost(): MsalHost {
  let load: Promise<MsalHost> | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const get = () => (load ??= import('@/utils/microsoft/msal-runner').then((m) => m.createMsalRunner()));
  return {
    warm: async (r) => {
      preconnectForSignIn(r.authority);
      const runner = await get();
      clearTimeout(idle);
      const warmed = await runner.warm!(r);
      idle = setTimeout(() => void runner.end().catch(() => undefined), WARM_IDLE_MS);
      return warmed;
    },
    begin: async (r) => {
      clearTimeout(idle);
      return (await get()).begin(r);
    },
    complete: async (r) => (await get()).complete(r),
    end: async () => (await get()).end(),
  };
}
