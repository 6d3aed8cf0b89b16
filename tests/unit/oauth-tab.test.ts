import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createOAuthTab } from '@/utils/worker/oauth-tab';
import { readWait, waitItem, type OAuthWait } from '@/utils/worker/oauth-wait';
import type { OAuthWaitStart } from '@/utils/flow/connect-with-infisical-oauth';

/**
 * The OAuth consent tab's wait (utils/worker/oauth-tab.ts, oauth-wait.ts): kept in session
 * storage while the tab is open, taken up by a restarted worker, and ended — record, redirect rule
 * and tab gone — however it ends. The browser's declarativeNetRequest is faked here (WXT's fake
 * browser has none); tabs and storage are WXT's fakes.
 */
type Rule = { id: number; condition: { tabIds?: number[]; regexFilter?: string }; action: { redirect?: { regexSubstitution?: string } } };
let rules: Rule[] = [];

beforeEach(() => {
  fakeBrowser.reset();
  rules = [];
  const dnr = fakeBrowser.declarativeNetRequest as unknown as Record<string, unknown>;
  dnr.updateSessionRules = async (u: { removeRuleIds?: number[]; addRules?: Rule[] }) => {
    rules = [...rules.filter((r) => !u.removeRuleIds?.includes(r.id)), ...(u.addRules ?? [])];
  };
  dnr.getSessionRules = async () => rules;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const CALLBACK = 'https://infisical.example/organization/app-connections/azure/oauth/callback';
const AUTHORIZE = 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c&state=s-1';
const start: OAuthWaitStart & { flowId: string } = {
  flowId: 'flow-1',
  callbackUrl: CALLBACK,
  state: 's-1',
  request: { method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth', tenant: 'contoso.onmicrosoft.com', mode: 'create', projectId: null },
  target: { kind: 'create' },
};
const page = (query: string) => `${fakeBrowser.runtime.getURL('/oauth-callback.html')}${query}`;
const tabIds = async () => (await fakeBrowser.tabs.query({})).map((t) => t.id);
/** The person closes a tab (the fake's tabs.remove stops short of the event for a tab in the default window). */
async function closeTab(tabId: number) {
  await fakeBrowser.tabs.remove(tabId).catch(() => undefined);
  await fakeBrowser.tabs.onRemoved.trigger(tabId, { isWindowClosing: false, windowId: 0 });
}

/** A consent under way: resolves once its wait is stored (the tab then navigates to Microsoft). */
async function consenting(tab = createOAuthTab()) {
  const answer = tab.consent(AUTHORIZE, start);
  answer.catch(() => undefined);
  await vi.waitFor(async () => expect(await readWait()).not.toBeNull());
  const wait = (await readWait())!;
  return { tab, answer, wait };
}

/** What a stopped worker leaves while its consent tab waits: the tab, its rule and the stored wait. */
async function leftByStoppedWorker(deadline = Date.now() + 60_000): Promise<OAuthWait> {
  const tab = await fakeBrowser.tabs.create({ url: AUTHORIZE });
  rules = [{ id: 4711, condition: { tabIds: [tab.id!] }, action: {} }];
  const wait: OAuthWait = { ...start, tabId: tab.id!, deadline };
  await waitItem.setValue(wait);
  return wait;
}

async function expectEnded(tabId: number) {
  await vi.waitFor(async () => expect(rules).toEqual([]));
  expect(await readWait()).toBeNull();
  expect(await tabIds()).not.toContain(tabId);
}

describe('the consent tab’s wait', () => {
  it('is stored while the tab is open (its tab, flow, state, deadline; no code); the answer ends it', async () => {
    const { tab, answer, wait } = await consenting();
    expect(wait).toMatchObject({ flowId: 'flow-1', state: 's-1', callbackUrl: CALLBACK, request: start.request, target: { kind: 'create' } });
    expect(wait.deadline - Date.now()).toBeGreaterThan(4.9 * 60_000);
    expect(rules).toEqual([expect.objectContaining({ id: 4711, condition: expect.objectContaining({ tabIds: [wait.tabId] }) })]);
    expect(rules[0]?.action.redirect?.regexSubstitution).toBe(`${fakeBrowser.runtime.getURL('/oauth-callback.html')}\\1`);

    await tab.deliver({ tab: { id: wait.tabId }, frameId: 0 }, page('?code=secret-code&state=s-1'));
    expect(await answer).toBe(`${CALLBACK}?code=secret-code&state=s-1`);
    await expectEnded(wait.tabId);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain('secret-code');
  });

  it('hears only the top frame of the awaited tab; anything else is refused and the wait goes on', async () => {
    const { tab, answer, wait } = await consenting();
    await expect(tab.deliver({ tab: { id: wait.tabId }, frameId: 3 }, page('?code=c&state=s-1'))).rejects.toMatchObject({ code: 'forbidden-sender' });
    await expect(tab.deliver({ tab: { id: wait.tabId + 1 }, frameId: 0 }, page('?code=c&state=s-1'))).rejects.toMatchObject({ code: 'forbidden-sender' });
    await expect(tab.deliver({ frameId: 0 }, page('?code=c&state=s-1'))).rejects.toMatchObject({ code: 'forbidden-sender' });
    expect(await readWait()).not.toBeNull();
    await tab.deliver({ tab: { id: wait.tabId }, frameId: 0 }, page('?code=c&state=s-1'));
    expect(await answer).toBe(`${CALLBACK}?code=c&state=s-1`);
  });

  it('the tab closed by the person: cancelled, and the rule and record go', async () => {
    const { answer, wait } = await consenting();
    await closeTab(wait.tabId);
    await expect(answer).rejects.toMatchObject({ source: 'microsoft', code: 'user-cancelled' });
    await expectEnded(wait.tabId);
  });

  it('no answer within 5 minutes: timed out, and the rule, record and tab go', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { answer, wait } = await consenting();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await expect(answer).rejects.toMatchObject({ source: 'microsoft', code: 'timeout' });
    await expectEnded(wait.tabId);
  });

  it('the tab cannot be sent to Microsoft: the consent fails with that error and nothing is left', async () => {
    vi.spyOn(fakeBrowser.tabs, 'update').mockRejectedValue(new Error('No tab with id'));
    const before = await tabIds();
    const tab = createOAuthTab();
    await expect(tab.consent(AUTHORIZE, start)).rejects.toThrow('No tab with id');
    expect(rules).toEqual([]);
    expect(await readWait()).toBeNull();
    expect(await tabIds()).toEqual(before);
  });
});

describe('a worker started again (Chromium stopped the last one)', () => {
  it('takes up a live wait: the answer from its tab finishes it, and the rule, record and tab go', async () => {
    const left = await leftByStoppedWorker();
    const tab = createOAuthTab();
    // The callback page's message may arrive before the start-up has read the record.
    const delivered = tab.deliver({ tab: { id: left.tabId }, frameId: 0 }, page('?code=c&state=s-1'));
    const restored = await tab.restored;
    expect(restored?.wait).toEqual(left);
    await delivered;
    expect(await restored!.callback).toBe(`${CALLBACK}?code=c&state=s-1`);
    await expectEnded(left.tabId);
  });

  it('the tab closed in the restarted worker: cancelled', async () => {
    const left = await leftByStoppedWorker();
    const tab = createOAuthTab();
    const restored = await tab.restored;
    await closeTab(left.tabId);
    await expect(restored!.callback).rejects.toMatchObject({ code: 'user-cancelled' });
    await expectEnded(left.tabId);
  });

  it('a wait whose tab was closed while no worker ran: cancelled at once', async () => {
    const left = await leftByStoppedWorker();
    vi.spyOn(fakeBrowser.tabs, 'get').mockRejectedValue(new Error(`No tab with id: ${left.tabId}.`));
    const restored = await createOAuthTab().restored;
    await expect(restored!.callback).rejects.toMatchObject({ code: 'user-cancelled' });
    await vi.waitFor(async () => expect(rules).toEqual([]));
    expect(await readWait()).toBeNull();
  });

  it('a wait past its deadline: timed out at once, its rule removed and its tab closed', async () => {
    const left = await leftByStoppedWorker(Date.now() - 1000);
    const restored = await createOAuthTab().restored;
    await expect(restored!.callback).rejects.toMatchObject({ code: 'timeout' });
    await expectEnded(left.tabId);
  });

  it.each([
    ['is gone', () => waitItem.removeValue()],
    ['cannot be read', () => waitItem.setValue({ tabId: 'x' } as never)],
  ])('a redirect rule whose wait %s: removed, and its tab closed', async (_what, change) => {
    const left = await leftByStoppedWorker();
    await change();
    expect(await createOAuthTab().restored).toBeNull();
    await expectEnded(left.tabId);
  });

  it('a new consent waits for the wait taken up to end: one rule, one awaited tab at a time', async () => {
    const left = await leftByStoppedWorker();
    const tab = createOAuthTab();
    const second = tab.consent(AUTHORIZE, { ...start, flowId: 'flow-2' });
    second.catch(() => undefined);
    await tab.restored;
    expect((await readWait())?.flowId).toBe('flow-1');
    await tab.deliver({ tab: { id: left.tabId }, frameId: 0 }, page('?code=c&state=s-1'));
    await vi.waitFor(async () => expect((await readWait())?.flowId).toBe('flow-2'));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.condition.tabIds).not.toContain(left.tabId);
  });
});
