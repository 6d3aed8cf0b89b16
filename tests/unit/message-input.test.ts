import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerHandlers } from '@/entrypoints/background/handlers';
import { userMessageOf } from '@/utils/errors/user-message-of';
import type { backgroundMessaging } from '@/utils/messaging';

beforeEach(() => fakeBrowser.reset());

/**
 * The background's handlers, registered on a bus that keeps them, called as the options page and
 * popup call them. What comes back is what a page reads (userMessageOf on the thrown error).
 */
function handlers() {
  const registered = new Map<string, (m: { data: unknown; sender: unknown }) => Promise<unknown>>();
  const bus = { onMessage: (type: string, handler: never) => registered.set(type, handler) } as unknown as typeof backgroundMessaging;
  registerHandlers(bus, { services: {} as never, runner: {} as never, oauthTab: {} as never, signIn: {} as never, connections: {} as never, syncs: {} as never });
  const sender = { id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/options.html` };
  return async (type: string, data: unknown) => {
    try {
      return { ok: true as const, value: await registered.get(type)!({ data, sender }) };
    } catch (error) {
      return { ok: false as const, message: userMessageOf(error) };
    }
  };
}

describe('input a message schema refuses comes back as a field sentence', () => {
  it('the setup check’s tenant: the sentence the page shows, under its field, not raw validation output', async () => {
    const answer = await handlers()('setup.check', { testSignIn: true, tenant: 'not a tenant' });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.message.field).toBe('tenant');
    expect(answer.message.title).toMatch(/^A tenant is a GUID like .* Or leave it empty to use “organizations”/);
    expect(answer.message.title).not.toMatch(/Something went wrong|invalid_|expected/i);
  });

  it('the setup check accepts “common”, as the page does', async () => {
    const answer = await handlers()('setup.check', { testSignIn: true, tenant: 'common' });
    expect(answer.ok).toBe(true);
  });

  it('a tenant for listing organizations: the tenant sentence, under the tenant field', async () => {
    const answer = await handlers()('orgs.list', { tenant: 'contoso' });
    expect(answer.ok ? null : answer.message).toMatchObject({ field: 'tenant', title: expect.stringMatching(/^A tenant is a GUID/) });
  });

  it('an org name for discovery: the org field’s sentence', async () => {
    const answer = await handlers()('discover.tenant', { org: '-bad-' });
    expect(answer.ok ? null : answer.message).toMatchObject({ field: 'org', title: expect.stringMatching(/^Organization names use only letters/) });
  });
});
