import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerPageSyncHandlers } from '@/entrypoints/background/page-sync-handlers';
import type { pageMessaging } from '@/utils/messaging';
import { writeIdentitySecret } from '@/utils/storage/secret';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

const INSTANCE = 'https://infisical.example.com';

beforeEach(async () => {
  fakeBrowser.reset();
  // A set-up extension (instance, identity and its secret), so the answers get past the setup check.
  await writeIdentitySecret({ secret: 'identity-access-token', origin: INSTANCE }, false);
});

/**
 * The page's sync messages, called as the browser calls them: a page reads and runs only the syncs
 * of its own project (entrypoints/background/page-sync-handlers.ts), whatever id it sends.
 */
function handlersWith(record: { org: string; adoProjectName: string }) {
  const registered = new Map<string, (m: { data: unknown; sender: unknown }) => Promise<unknown>>();
  const bus = { onMessage: (type: string, handler: never) => registered.set(type, handler) } as unknown as typeof pageMessaging;
  const calls: string[] = [];
  const syncs = {
    record: async () => record,
    line: async (id: string) => {
      calls.push(`line ${id}`);
      return { syncId: id };
    },
    run: async (id: string) => {
      calls.push(`run ${id}`);
      return { syncId: id };
    },
  };
  const settings = { ...DEFAULT_SETTINGS, infisicalUrl: INSTANCE, identityAuth: 'access-token' as const };
  registerPageSyncHandlers(bus, { services: { settings: async () => settings }, syncs: syncs as never });
  const from = (url: string) => ({ id: fakeBrowser.runtime.id, url, frameId: 0, tab: { id: 3 } });
  return { registered, calls, from };
}

describe('a page asks about a sync', () => {
  it.each(['page.sync.line', 'page.sync.run'])('%s: of another project, by id, is refused and nothing is read or run', async (type) => {
    const { registered, calls, from } = handlersWith({ org: 'contoso', adoProjectName: 'Platform' });
    const answer = await registered.get(type)!({ data: { org: 'contoso', project: 'Payments', syncId: 's-1' }, sender: from('https://dev.azure.com/contoso/Payments') });
    expect(answer).toMatchObject({ ok: false, error: { title: 'The extension has no record of that secret sync in this project.' } });
    expect(calls).toEqual([]);
  });

  it('of its own project is read (names without case)', async () => {
    const { registered, calls, from } = handlersWith({ org: 'contoso', adoProjectName: 'Payments' });
    const answer = await registered.get('page.sync.line')!({
      data: { org: 'contoso', project: 'payments', syncId: 's-1' },
      sender: from('https://dev.azure.com/contoso/payments/_library'),
    });
    expect(answer).toMatchObject({ ok: true });
    expect(calls).toEqual(['line s-1']);
  });

  it('from another project’s page than the one it names is refused before anything', async () => {
    const { registered, calls, from } = handlersWith({ org: 'contoso', adoProjectName: 'Payments' });
    const run = registered.get('page.sync.run')!;
    await expect((async () => run({ data: { org: 'contoso', project: 'Payments', syncId: 's-1' }, sender: from('https://dev.azure.com/contoso/Platform') }))()).rejects.toMatchObject({
      code: 'forbidden-sender',
    });
    expect(calls).toEqual([]);
  });
});
