import { beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLedger } from '@/utils/worker/ledger';
import { recoverInterrupted } from '@/utils/worker/recover';
import { revokeUnreadable } from '@/utils/worker/recover-unreadable';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createInfisicalEndpoints, givenToken } from '@/utils/infisical/api';
import type { ConnectionRecord, PendingPat } from '@/utils/storage/records';
import { readConnections, readPendingPats } from '@/utils/storage/records-items';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { countUnreadable } from '@/utils/storage/count-unreadable';
import { readSettings } from '@/utils/storage/view';
import { EXTENSION_APP, INFISICAL, TENANT } from '../sandbox/fixtures';
import { infisicalLogin, signIn } from '../sandbox/flows';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { useSandbox } from '../support/use-sandbox';
import { leftoverPat, sandboxInfisical } from '../support/sandbox-records';

/**
 * One record in storage.local that no longer reads (docs/reliability.md): it is set aside raw and
 * counted, everything else is read as before, and no PAT a record names is left unrevoked.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});

const settings = { ...DEFAULT_SETTINGS, infisicalUrl: INFISICAL.siteUrl, identityClientId: INFISICAL.clientId, patLifetimeDays: 30 as const };
const connection = (id: string): ConnectionRecord => ({
  id,
  name: `c-${id}`,
  instanceUrl: INFISICAL.siteUrl,
  projectId: null,
  org: 'contoso',
  tenantId: TENANT.id,
  clientId: EXTENSION_APP.clientId,
  method: 'access-token',
  patAuthorizationId: null,
  patValidTo: null,
  patLifetimeDays: 30,
  createdAt: '2026-11-26T10:00:00.000Z',
});
const good = [connection('one'), connection('two')];

/** The PATs `minted` made, by authorization id (never in a record: records hold no secret). */
const tokens = new Map<string, string>();

/** A PAT in contoso as a stopped flow left it, and its record. */
async function minted(flowId: string): Promise<PendingPat> {
  const { record, token } = await leftoverPat(sandbox, flowId, flowId);
  tokens.set(record.authorizationId!, token);
  return record;
}

/** A worker start: the recovery, with the background's services against the sandbox. */
async function workerStart() {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const infisical = sandboxInfisical(sandbox, fetchFn);
  const services = {
    infisical: async () => ({ instanceUrl: INFISICAL.siteUrl, infisical }),
    ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
    entraToken: async () => ({ accessToken: (await signIn(sandbox, AZURE_DEVOPS_SCOPE)).access_token }),
    microsoftClientId: async () => EXTENSION_APP.clientId,
  } as never;
  const ledger = createLedger();
  await recoverInterrupted(services, { ledger, isRunning: () => false, isCreating: () => false, now: () => new Date(), policySettled: async () => undefined });
  await revokeUnreadable(services, ledger, () => new Date());
  return ledger;
}

const status = (authorizationId: string) => sandbox.state.pats.find((p) => p.authorizationId === authorizationId)?.status;
const setAside = async () => (await fakeBrowser.storage.local.get('unreadableRecords')).unreadableRecords;

describe('one record that does not read', () => {
  it('a connection record: set aside raw and counted; the other records, the pending PATs and the settings are all still there', async () => {
    const bad = { ...connection('bad'), method: 'carrier-pigeon' };
    const pending = await minted('left');
    await fakeBrowser.storage.local.set({ settings, connections: [good[0], bad, good[1]], pendingPats: [pending] });
    expect(await countUnreadable()).toBe(1);
    const ledger = await workerStart();
    await ledger.recordConnection(connection('three'));
    expect(await readConnections()).toEqual([...good, connection('three')]);
    expect(await setAside()).toEqual([{ from: 'connections', raw: bad, at: expect.any(String) }]);
    expect(await countUnreadable()).toBe(1);
    expect(await readSettings()).toEqual(settings);
    // The good pending PAT was recovered as always: revoked, its record gone.
    expect(status(pending.authorizationId!)).toBe('revoked');
    expect(await readPendingPats()).toEqual([]);
  });

  it('a pending PAT whose org and authorization id still read: its PAT is revoked at start, as is the good one’s', async () => {
    const [kept, broken] = [await minted('good-flow'), await minted('broken-flow')];
    const bad = { ...broken, validTo: 42, previousVersion: 'none' };
    await fakeBrowser.storage.local.set({ settings, connections: good, pendingPats: [bad, kept] });
    await workerStart();
    expect([status(kept.authorizationId!), status(broken.authorizationId!)]).toEqual(['revoked', 'revoked']);
    expect(await setAside()).toEqual([{ from: 'pendingPats', raw: bad, at: expect.any(String), revokedAt: expect.any(String) }]);
    expect(await readPendingPats()).toEqual([]);
    expect(await readConnections()).toEqual(good);
    expect(await countUnreadable()).toBe(1);
    // A second start does not try again: it is marked revoked.
    const before = sandbox.requests.length;
    await workerStart();
    expect(sandbox.requests.slice(before).filter((r) => r.path.includes('/pats'))).toEqual([]);
  });

  it('a pending PAT with only its org and authorization id: the tenant is discovered, the client ID is the one configured now', async () => {
    const broken = await minted('bare');
    const bare = { org: broken.org, authorizationId: broken.authorizationId };
    await fakeBrowser.storage.local.set({ settings, pendingPats: [bare] });
    await workerStart();
    expect(status(broken.authorizationId!)).toBe('revoked');
    expect(await setAside()).toEqual([{ from: 'pendingPats', raw: bare, at: expect.any(String), revokedAt: expect.any(String) }]);
  });

  it('a pending PAT of which nothing reads: set aside and counted; the good one is recovered; nothing else changes', async () => {
    const kept = await minted('good-flow');
    const garbage = { authorizationId: 7, org: null };
    await fakeBrowser.storage.local.set({ settings, connections: good, pendingPats: [kept, garbage, 'not a record'] });
    await workerStart();
    expect(status(kept.authorizationId!)).toBe('revoked');
    expect(await setAside()).toEqual([
      { from: 'pendingPats', raw: garbage, at: expect.any(String) },
      { from: 'pendingPats', raw: 'not a record', at: expect.any(String) },
    ]);
    expect(await countUnreadable()).toBe(2);
    expect(await readConnections()).toEqual(good);
    expect(await readSettings()).toEqual(settings);
  });

  it('a PAT a connection record holds is never revoked from a set-aside record naming it', async () => {
    const delivered = await minted('delivered');
    await fakeBrowser.storage.local.set({
      settings,
      connections: [{ ...connection('one'), patAuthorizationId: delivered.authorizationId }],
      pendingPats: [{ ...delivered, mintedAt: 0 }],
    });
    await workerStart();
    expect(status(delivered.authorizationId!)).toBe('active');
    expect(await setAside()).toEqual([{ from: 'pendingPats', raw: { ...delivered, mintedAt: 0 }, at: expect.any(String) }]);
  });

  it('a set-aside pending PAT whose connection Infisical has, updated since the mint, is not revoked: it may be the one delivered', async () => {
    const broken = await minted('maybe-delivered');
    const infisical = createInfisicalEndpoints({ instanceUrl: INFISICAL.siteUrl, fetch: fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }) });
    await infisical
      .appConnectionsWith(givenToken(await infisicalLogin(sandbox)))
      .create({ name: 'maybe-delivered', method: 'access-token', credentials: { accessToken: tokens.get(broken.authorizationId!)!, orgName: 'contoso' } });
    const bad = { ...broken, previousVersion: 'unknown' };
    await fakeBrowser.storage.local.set({ settings, pendingPats: [bad] });
    await workerStart();
    expect(status(broken.authorizationId!)).toBe('active');
    expect(await setAside()).toEqual([{ from: 'pendingPats', raw: bad, at: expect.any(String) }]);
  });

  it('a settings field of the wrong type falls back alone; the other fields and every record stay', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...settings, rememberSecret: 'yes', patLifetimeDays: 'long' }, connections: good });
    expect(await readSettings()).toEqual({ ...settings, rememberSecret: false, patLifetimeDays: DEFAULT_SETTINGS.patLifetimeDays });
    await workerStart();
    expect(await readConnections()).toEqual(good);
    expect(await countUnreadable()).toBe(0);
  });

  it('a list that is no list: the whole value is set aside and counted, never turned into an empty list silently', async () => {
    const kept = await minted('good-flow');
    const value = { 0: good[0], note: 'an object where a list belongs' };
    await fakeBrowser.storage.local.set({ settings, connections: value, pendingPats: [kept] });
    expect(await countUnreadable()).toBe(1);
    const ledger = await workerStart();
    expect(status(kept.authorizationId!)).toBe('revoked');
    await ledger.recordConnection(connection('new'));
    expect(await readConnections()).toEqual([connection('new')]);
    expect(await setAside()).toEqual([{ from: 'connections', raw: value, at: expect.any(String) }]);
    expect(await countUnreadable()).toBe(1);
    expect(await readSettings()).toEqual(settings);
  });
});
