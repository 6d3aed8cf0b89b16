import { NOT_ORGANIZATIONS, parseAdoUrl } from '@/utils/azure-devops/page-url';
import { createConnectControl } from './connect-control';
import { createSyncPanel } from './sync-panel';
import { createShadowHost } from './shadow-host';
import style from './style.css?inline';

/**
 * "Connect to Infisical" on Azure DevOps pages, and on a project's pages "Sync secrets from
 * Infisical" (sync-panel.ts). It follows the single-page app's navigation (a move to another
 * project mounts the control for that project), mounts once per page (re-mounting when Azure
 * DevOps rebuilds its header), and does nothing on pages outside an organization. It only ever
 * asks the background about this page's org and project.
 */
export default defineContentScript({
  matches: ['https://dev.azure.com/*', 'https://*.visualstudio.com/*'],
  // Microsoft's own sites there are not organizations (utils/azure-devops/page-url.ts).
  excludeMatches: NOT_ORGANIZATIONS.map((name) => `https://${name}.visualstudio.com/*`),
  runAt: 'document_idle',
  main(ctx) {
    let current: { page: string; remove: () => void } | null = null;

    /** `href`: where the page is going. Chromium's Navigation API tells WXT before `location` changes. */
    function sync(href: string = location.href) {
      const parsed = parseAdoUrl(href);
      const org = parsed?.org ?? null;
      const project = parsed?.project ?? null;
      const page = JSON.stringify([org, project]);
      if (current?.page === page) return;
      current?.remove();
      current = null;
      if (!org) return;
      const { host, container } = createShadowHost('infisical-connect', style);
      // Beside the org/project breadcrumb in the header bar; the header's own buttons stay put.
      // Where a page lacks that region, at the top of the page, pushing content down, covering nothing.
      const anchor = anchorSelector();
      const mount = () => {
        const parent = document.querySelector(anchor);
        if (!parent) return;
        if (anchor === 'body') parent.prepend(host);
        else parent.append(host);
        const wrap = createConnectControl(container, org);
        if (project) createSyncPanel(wrap, org, project);
      };
      const unmount = () => {
        host.remove();
        container.replaceChildren();
      };
      mount();
      // Azure DevOps rebuilds its header on navigation, taking the control with it: mount it again
      // into the new header, as a new control that picks a running flow back up (connect-control.ts).
      // (WXT's autoMount watches a selector, which never stops matching here.)
      const observer = new MutationObserver(() => {
        if (!host.isConnected && document.querySelector(anchorSelector())) {
          unmount();
          mount();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
      current = {
        page,
        remove: () => {
          observer.disconnect();
          unmount();
        },
      };
    }

    sync();
    ctx.addEventListener(window, 'wxt:locationchange', (event) => sync(event.newUrl.href));
    ctx.onInvalidated(() => current?.remove());
  },
});

const ANCHORS = ['.region-header .header-left', '.region-header', '[role=banner]'];

function anchorSelector(): string {
  return ANCHORS.find((selector) => document.querySelector(selector)) ?? 'body';
}
