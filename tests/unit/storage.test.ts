import { createStore, get } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { forgetIdentitySecret, markSecretRefused, migrateRememberedSecret, readIdentitySecret, writeIdentitySecret } from '@/utils/storage/secret';
import { readConnections, readPendingPats } from '@/utils/storage/records-items';
import { settingsItem } from '@/utils/storage/settings-item';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { createLedger } from '@/utils/worker/ledger';
import { initialFlowState, withFailure } from '@/utils/flow/flow-state';
import { METHOD_STEPS } from '@/utils/flow/run-connect';
import { followFlows, pickFlow, readFlows, readSettings } from '@/utils/storage/view';

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('settings', () => {
  it('falls back to defaults when nothing or no object is stored, and field by field when one is malformed', async () => {
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
    await fakeBrowser.storage.local.set({ settings: 'not settings' });
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
    await fakeBrowser.storage.local.set({ settings: { infisicalUrl: 42, patLifetimeDays: 30 } });
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, patLifetimeDays: 30 });
  });

  it('round-trips valid settings', async () => {
    const s = { ...DEFAULT_SETTINGS, infisicalUrl: 'https://app.infisical.com', patLifetimeDays: 30 as const };
    await settingsItem.setValue(s);
    expect(await readSettings()).toEqual(s);
  });
});

describe('identity secret', () => {
  const ORIGIN = 'https://app.infisical.com';
  const forRemembered = () => get('identityClientSecret', createStore('infisical-connect', 'secrets'));
  beforeEach(() => forgetIdentitySecret());

  it('lives in session storage unless remembered, then in IndexedDB, never in storage.local, and only ever in one place', async () => {
    await writeIdentitySecret({ secret: 's3cret-value', origin: ORIGIN }, false);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ identityClientSecret: { secret: 's3cret-value', origin: ORIGIN } });
    expect(await forRemembered()).toBeUndefined();

    await writeIdentitySecret({ secret: 's3cret-value', origin: ORIGIN }, true);
    expect(await forRemembered()).toEqual({ secret: 's3cret-value', origin: ORIGIN });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('s3cret-value');
    expect(await readIdentitySecret()).toEqual({ secret: 's3cret-value', origin: ORIGIN });
  });

  it('moves a secret remembered in storage.local by an earlier build into IndexedDB, bound to the saved instance', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, infisicalUrl: ORIGIN });
    await fakeBrowser.storage.local.set({ identityClientSecret: 'old-layout-secret' });
    await migrateRememberedSecret();
    expect(await fakeBrowser.storage.local.get('identityClientSecret')).toEqual({});
    expect(await forRemembered()).toEqual({ secret: 'old-layout-secret', origin: ORIGIN });
    expect(await readIdentitySecret()).toEqual({ secret: 'old-layout-secret', origin: ORIGIN });
  });

  it('a read before the move at start finds the old secret and moves it; nothing is lost if the move is cut short', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, infisicalUrl: ORIGIN });
    await fakeBrowser.storage.local.set({ identityClientSecret: 'old-layout-secret' });
    vi.spyOn(fakeBrowser.storage.local, 'remove').mockRejectedValueOnce(new Error('stopped'));
    await expect(migrateRememberedSecret()).rejects.toThrow('stopped');
    expect(await readIdentitySecret()).toEqual({ secret: 'old-layout-secret', origin: ORIGIN });
    expect(await fakeBrowser.storage.local.get('identityClientSecret')).toEqual({});
  });

  it('keeps a refusal with the secret it refused, and drops it with a new secret', async () => {
    await writeIdentitySecret({ secret: 'wrong', origin: ORIGIN }, true);
    await markSecretRefused('another', 'client-a');
    expect((await readIdentitySecret())?.refusedFor).toBeUndefined();
    await markSecretRefused('wrong', 'client-a');
    expect(await readIdentitySecret()).toEqual({ secret: 'wrong', origin: ORIGIN, refusedFor: 'client-a' });
    await writeIdentitySecret({ secret: 'right', origin: ORIGIN }, true);
    expect(await readIdentitySecret()).toEqual({ secret: 'right', origin: ORIGIN });
  });
});

describe('flows', () => {
  const flow = (org: string, startedAt: string, connectionName = `c-${org}`) =>
    initialFlowState(
      { id: `id-${org}`, method: 'microsoft', update: false, org, connectionName, instanceUrl: 'https://infisical.example', projectId: null },
      METHOD_STEPS.microsoft,
      new Date(startedAt),
    );

  it('the ledger keeps one flow per connection key (the one started last) and the view picks by id, org and name, then start time', async () => {
    const ledger = createLedger();
    const [a, b] = [flow('contoso', '2026-11-26T10:00:00Z'), flow('northwind', '2026-11-26T10:00:05Z')];
    await ledger.putFlow(b);
    await ledger.putFlow(a); // written last, started first
    expect(pickFlow(await readFlows(), {})?.org).toBe('northwind');
    expect(pickFlow(await readFlows(), { org: 'CONTOSO', name: 'C-contoso' })?.id).toBe(a.id);
    expect(pickFlow(await readFlows(), { org: 'contoso', name: 'another' })?.id).toBe(b.id); // no flow of that name: the latest
    expect(pickFlow(await readFlows(), { id: a.id, org: 'northwind' })?.id).toBe(a.id);

    // A second name for one org is another key: kept beside the first.
    await ledger.putFlow({ ...flow('contoso', '2026-11-26T10:00:07Z', 'c-second'), id: 'second-name' });
    expect((await readFlows()).map((f) => f.id)).toEqual(['id-northwind', 'id-contoso', 'second-name']);
    await ledger.dismissFlow('second-name'); // running: stays
    expect(await readFlows()).toHaveLength(3);
    await ledger.putFlow(withFailure({ ...flow('contoso', '2026-11-26T10:00:07Z', 'c-second'), id: 'second-name' }, { title: 'x.', fix: 'y.' }, new Date()));
    await ledger.dismissFlow('second-name');

    // A stale write for a key with a newer flow (recovery finishing late) is dropped.
    await ledger.putFlow({ ...flow('contoso', '2026-11-26T10:00:10Z'), id: 'newer' });
    await ledger.putFlow(withFailure(a, { title: 'x.', fix: 'y.' }, new Date()));
    expect((await readFlows()).map((f) => f.id).sort()).toEqual(['id-northwind', 'newer']);

    await ledger.dismissFlow('newer'); // running: stays
    expect(await readFlows()).toHaveLength(2);
  });

  it('the ledger starts from the stored flows, then writes without reading; a failed write changes nothing it remembers', async () => {
    const [a, b, c] = [flow('contoso', '2026-11-26T10:00:00Z'), flow('northwind', '2026-11-26T10:00:05Z'), flow('fabrikam', '2026-11-26T10:00:10Z')];
    await createLedger().putFlow(a); // a worker before this one
    const ledger = createLedger();
    const get = vi.spyOn(fakeBrowser.storage.session, 'get');
    await ledger.putFlow(b);
    expect((await readFlows()).map((f) => f.org)).toEqual(['contoso', 'northwind']);
    const set = vi.spyOn(fakeBrowser.storage.session, 'set').mockRejectedValueOnce(new Error('quota'));
    await expect(ledger.putFlow(c)).rejects.toThrow('quota');
    await ledger.dismissFlow(a.id); // running: stays; nothing to write
    await ledger.putFlow(withFailure(b, { title: 'x.', fix: 'y.' }, new Date()));
    expect((await readFlows()).map((f) => `${f.org} ${f.status}`)).toEqual(['contoso running', 'northwind failed']);
    // A dismissed flow stays gone when the next one is written.
    await ledger.dismissFlow(b.id);
    await ledger.putFlow(c);
    expect((await readFlows()).map((f) => f.org)).toEqual(['contoso', 'fabrikam']);
    expect(set).toHaveBeenCalledTimes(4);
    // One read by this ledger (what the earlier one wrote), plus this test's own three.
    expect(get).toHaveBeenCalledTimes(4);
  });

  it('a view following the flows ends on the newest write, even when it lands while the first read is on its way', async () => {
    const running = flow('contoso', '2026-11-26T10:00:00Z');
    const ended = withFailure(running, { title: 'x.', fix: 'y.' }, new Date('2026-11-26T10:00:03Z'));
    await fakeBrowser.storage.session.set({ flows: [running] });
    // The first read is taken before the flow ends, and its answer arrives after the change event.
    const stale = await fakeBrowser.storage.session.get('flows');
    let answer: (v: typeof stale) => void = () => undefined;
    const late = new Promise<typeof stale>((resolve) => (answer = resolve));
    vi.spyOn(fakeBrowser.storage.session, 'get').mockImplementationOnce(() => late as never);
    const seen: string[] = [];
    const view = followFlows((flows) => seen.push(flows.map((f) => f.status).join()));
    await fakeBrowser.storage.session.set({ flows: [ended] });
    answer(stale);
    await view.first;
    expect(seen).toEqual(['failed']);

    // Without a write on the way, the first read is passed on; after stop, nothing is.
    const quiet: string[] = [];
    const other = followFlows((flows) => quiet.push(flows.map((f) => f.status).join()));
    await other.first;
    other.stop();
    await fakeBrowser.storage.session.set({ flows: [running] });
    expect(quiet).toEqual(['failed']);
    view.stop();
  });
});

describe('pending PATs and connection records', () => {
  const pending = (authorizationId: string, flowId: string) => ({
    authorizationId,
    validTo: '2027-01-01T00:00:00Z',
    org: 'contoso',
    tenant: 't',
    clientId: 'c',
    instanceUrl: 'https://infisical.example',
    projectId: null,
    connectionName: 'n',
    previousVersion: null,
    mintedAt: '2026-11-26T10:00:00Z',
    flowId,
  });
  const record = (id: string) => ({
    id,
    name: `c-${id}`,
    instanceUrl: 'https://infisical.example',
    projectId: null,
    org: 'contoso',
    tenantId: 't',
    clientId: null,
    method: 'access-token' as const,
    patAuthorizationId: null,
    patValidTo: null,
    patLifetimeDays: null,
    createdAt: '2026-11-26T10:00:00Z',
  });

  it('the ledger reads each once (a worker before it may have left some), then writes without reading', async () => {
    const before = createLedger(); // a worker before this one
    await before.putPending(pending('left', 'stopped-flow'));
    await before.recordConnection(record('old'));
    const ledger = createLedger();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    expect((await ledger.pending()).map((p) => p.authorizationId)).toEqual(['left']);
    await ledger.putPending(pending('mine', 'flow-1'));
    await ledger.dropPending('stopped-flow');
    await ledger.recordConnection(record('new'));
    await ledger.dropPending('flow-1');
    const reads = get.mock.calls.length;
    expect(reads).toBe(2); // pending PATs once, connection records once
    expect(await readPendingPats()).toEqual([]);
    expect((await readConnections()).map((c) => c.id)).toEqual(['old', 'new']);
  });

  it('one connection record per Infisical id; a connection made again under its name is another record (the old one names the PAT it held)', async () => {
    const ledger = createLedger();
    await ledger.recordConnection(record('first'));
    await ledger.recordConnection({ ...record('other-scope'), name: 'c-first', projectId: 'project-1' });
    await ledger.recordConnection({ ...record('again'), name: 'C-First' });
    await ledger.recordConnection({ ...record('again'), name: 'c-first' });
    expect((await readConnections()).map((c) => c.id)).toEqual(['first', 'other-scope', 'again']);
  });

  it('a pending-PAT write that fails changes nothing the ledger remembers', async () => {
    const ledger = createLedger();
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('quota'));
    await expect(ledger.putPending(pending('a', 'flow-1'))).rejects.toThrow('quota');
    await ledger.putPending(pending('b', 'flow-2'));
    expect((await readPendingPats()).map((p) => p.authorizationId)).toEqual(['b']);
    expect((await ledger.pending()).map((p) => p.authorizationId)).toEqual(['b']);
  });
});
