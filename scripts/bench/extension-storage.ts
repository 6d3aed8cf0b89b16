/**
 * What the connections measurements do to the extension from outside, as a test would: write its
 * storage from one of its pages, and stop its background (the ledger reads the records again when
 * it starts: it keeps them in memory, utils/worker/ledger.ts).
 */
import type { Page } from 'puppeteer-core';
import type { ConnectionRecord } from '../../utils/storage/records';
import { restartFirefoxBackground, stopWorkers } from './flow';
import type { BenchSession } from './session';

/** Keys of `storage.local` set from an extension page (Firefox's `browser`, else Chromium's `chrome`). */
export async function setLocal(page: Page, items: Record<string, unknown>): Promise<void> {
  await page.evaluate(async (values) => {
    const g = globalThis as unknown as { browser?: { storage: { local: { set(v: object): Promise<void> } } }; chrome: { storage: { local: { set(v: object): Promise<void> } } } };
    await (g.browser ?? g.chrome).storage.local.set(values);
  }, items);
}

export async function getLocal(page: Page, key: string): Promise<unknown> {
  return page.evaluate(async (k) => {
    const g = globalThis as unknown as {
      browser?: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
      chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
    };
    return (await (g.browser ?? g.chrome).storage.local.get(k))[k];
  }, key);
}

/**
 * The connection records as this build's ledger keeps them: `local:connections` at version 2
 * (the WXT item's version lives in `connections$`, utils/storage/records-items.ts).
 */
export async function plantRecords(page: Page, records: ConnectionRecord[]): Promise<void> {
  await setLocal(page, { connections: records, connections$: { v: 2 } });
}

/**
 * Plant the records and restart the background so that its ledger reads them (Chromium: the worker
 * stopped, as after 30 s idle; Firefox: the add-on reloaded). The next message starts it again.
 */
export async function plantAndRestart(session: BenchSession, records: ConnectionRecord[]): Promise<void> {
  const page = await session.ext.openPage(`${session.base}/blank.html`);
  try {
    await plantRecords(page, records);
    if (session.ext.name === 'chromium') await stopWorkers(page);
  } finally {
    await page.close();
  }
  if (session.ext.name === 'firefox') await restartFirefoxBackground(session);
}
