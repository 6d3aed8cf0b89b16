import { browser } from 'wxt/browser';
import { badgeOf, notificationsDue } from '@/utils/connections/badge';
import type { ConnectionsView } from '@/utils/connections/view-model';
import { createSerial } from '@/utils/serial';
import { notifiedItem } from '@/utils/storage/records-items';
import type { Inventory } from './inventory';

/** The periodic check's alarm, and its period: twice a day catches a 7-day window with days to spare. */
export const EXPIRY_ALARM = 'expiry-check';
export const EXPIRY_PERIOD_MINUTES = 12 * 60;

/** The store-sized icon the manifest names (wxt.config.ts), for notifications. */
const iconUrl = () => browser.runtime.getURL((browser.runtime.getManifest().icons?.['128'] ?? '') as '/options.html');

/** The toolbar button: `action` in Manifest V3, `browserAction` in Firefox's Manifest V2. */
const toolbar = () => browser.action ?? browser.browserAction;

/**
 * The expiry watch: statuses to the toolbar badge and, when the person turned them on, desktop
 * notifications. `check(false)` uses what is known without a request (the records, and what was
 * read last); `check(true)` reads Infisical and Azure DevOps first (utils/worker/inventory.ts).
 * Checks run one at a time, in the order asked.
 */
export function createExpiryWatch(parts: { inventory: Pick<Inventory, 'view'>; canNotify: () => Promise<boolean> }) {
  const serial = createSerial();

  async function show(view: ConnectionsView): Promise<void> {
    const badge = badgeOf(view.rows);
    const action = toolbar();
    await Promise.all([action.setBadgeText({ text: badge.text }), action.setBadgeBackgroundColor({ color: badge.color }), action.setTitle({ title: badge.title })]);
    if (!(await parts.canNotify())) return;
    const seen = await notifiedItem.getValue();
    const due = notificationsDue(view.rows, Array.isArray(seen) ? seen.filter((s): s is string => typeof s === 'string') : []);
    for (const n of due.show) {
      await browser.notifications.create(`expiry ${n.mark}`, { type: 'basic', iconUrl: iconUrl(), title: n.title, message: n.message });
    }
    await notifiedItem.setValue(due.keep);
  }

  /** Compute the statuses (after a refresh when `network`) and show them; resolves with the view, null when it could not be made. */
  const check = (network: boolean): Promise<ConnectionsView | null> =>
    serial(async () => {
      try {
        const view = await parts.inventory.view(network);
        await show(view);
        return view;
      } catch {
        return null;
      }
    });

  return {
    check,
    /** Show a view already computed (the connections view was just read): no second computation. */
    show: (view: ConnectionsView) => serial(() => show(view).catch(() => undefined)),
  };
}
