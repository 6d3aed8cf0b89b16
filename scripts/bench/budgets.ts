/**
 * The performance budgets of issue #7. A breach fails `npm run bench -- --check` only; the unit
 * and end-to-end tests never look at these numbers. KB = 1024 bytes.
 */
import type { ContentScriptResult } from './content-script';
import type { MemoryResult } from './flow';
import type { PageTimings } from './popup';
import type { ProtocolAnalysis } from './protocol';
import type { EntrypointSize } from './sizes';

export const BUDGETS = {
  popupGzipBytes: 25 * 1024,
  contentScriptGzipBytes: 10 * 1024,
  serviceWorkerGzipBytes: 40 * 1024,
  popupPaintRatio: 1.5,
  extraRoundTrips: 1,
};

/** The context that runs the sign-in on Chromium; MSAL belongs there and nowhere else. */
export const MSAL_HOME = 'offscreen';

export interface BenchFacts {
  sizes: EntrypointSize[];
  popup?: { popup: PageTimings; blank: PageTimings; ratio: number };
  contentScript?: ContentScriptResult;
  protocol?: ProtocolAnalysis;
  memory?: MemoryResult;
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

export function breaches(f: BenchFacts): string[] {
  const out: string[] = [];
  for (const s of f.sizes) {
    if (s.name !== MSAL_HOME && s.msalFiles.length > 0) out.push(`MSAL is in ${s.name} (${s.msalFiles.join(', ')}); it belongs only in ${MSAL_HOME}`);
  }
  const popup = f.sizes.find((s) => s.name === 'popup');
  if (popup && popup.totalGzip > BUDGETS.popupGzipBytes) out.push(`popup JS+CSS ${kb(popup.totalGzip)} gzip > ${kb(BUDGETS.popupGzipBytes)}`);
  const worker = f.sizes.find((s) => s.kind === 'service-worker');
  if (worker && worker.totalGzip > BUDGETS.serviceWorkerGzipBytes) out.push(`service worker ${kb(worker.totalGzip)} gzip > ${kb(BUDGETS.serviceWorkerGzipBytes)}`);
  for (const s of f.sizes.filter((x) => x.kind === 'content-script')) {
    if (s.totalGzip > BUDGETS.contentScriptGzipBytes) out.push(`${s.name} ${kb(s.totalGzip)} gzip > ${kb(BUDGETS.contentScriptGzipBytes)}`);
  }
  if (f.popup && f.popup.ratio > BUDGETS.popupPaintRatio) {
    out.push(
      `popup first contentful paint ${f.popup.popup.firstContentfulPaintMs.toFixed(0)} ms = ${f.popup.ratio.toFixed(2)}× blank (${f.popup.blank.firstContentfulPaintMs.toFixed(0)} ms) > ${BUDGETS.popupPaintRatio}×`,
    );
  }
  if (f.protocol) {
    const p = f.protocol;
    if (p.extensionRequests !== p.minimumRequests) {
      out.push(`connect flow made ${p.extensionRequests} requests, protocol minimum ${p.minimumRequests}${p.extra.length ? ` (extra: ${p.extra.join(', ')})` : ''}`);
    }
    if (p.sequentialRoundTrips > p.minimumChain + BUDGETS.extraRoundTrips) {
      out.push(`connect flow took ${p.sequentialRoundTrips.toFixed(2)} sequential round trips, shortest chain ${p.minimumChain} (+${BUDGETS.extraRoundTrips} allowed)`);
    }
  }
  if (f.memory?.offscreenOpenWhenIdle) out.push('the offscreen document (MSAL) is still open after the flow');
  return out;
}
