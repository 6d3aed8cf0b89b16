import { PUBLIC_CLOUD } from '@/utils/config/endpoints';

/**
 * Open connections (DNS, TCP, TLS) to the hosts the seconds after a click will call — Entra's
 * token endpoint (MSAL, from the page running it) and Azure DevOps (the background's access check
 * and PAT) — while the person is still filling the form, so the first request to each does not pay
 * the handshake (docs/performance.md). Connections only, no requests. Needs a DOM: Chromium's offscreen
 * document, Firefox's background page.
 */
export function preconnectForSignIn(authority: string): void {
  for (const old of document.head.querySelectorAll('link[rel=preconnect]')) old.remove();
  for (const origin of [new URL(authority).origin, PUBLIC_CLOUD.azureDevOps, PUBLIC_CLOUD.azureDevOpsVssps]) {
    const link = document.createElement('link');
    link.rel = 'preconnect';
    link.href = origin;
    // MSAL's token POST and the background's fetches are credential-less (`credentials: 'omit'`).
    link.crossOrigin = 'anonymous';
    document.head.append(link);
  }
}
