import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NO_RULES } from '@/utils/policy/policy';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFlowRunner, type PreparedDeps } from '@/utils/worker/flow-runner';
import { finishOAuth, type OAuthWaitStart } from '@/utils/flow/connect-with-infisical-oauth';
import { connectWithPat } from '@/utils/flow/connect-with-pat';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, INFISICAL_PAT_SCOPES, PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createInfisicalApi } from '@/utils/infisical/api';
import { createLedger } from '@/utils/worker/ledger';
import { createEntraTokenCache } from '@/utils/microsoft/token-cache';
import { pendingPatsItem, readConnections, readPendingPats } from '@/utils/storage/records-items';
import { readFlows } from '@/utils/storage/view';
import type { Sandbox } from '../sandbox/server';
import { useSandbox } from '../support/use-sandbox';
import { sandboxInfisical } from '../support/sandbox-records';
import { ADA, ELSEWHERE_HOST, EXTENSION_APP, INFISICAL, ORGS, SEEDED_PATS, SERVICE_PRINCIPAL, SERVICE_PRINCIPAL_CONNECT, TENANT } from '../sandbox/fixtures';
import { signIn as sandboxSignIn } from '../sandbox/flows';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { describeError } from '@/utils/errors/describe-error';

/**
 * The flows with the real API clients against the sandbox's fakes. Only the browser parts are
 * replaced: MSAL + launchWebAuthFlow by the sandbox's own PKCE exchange, the OAuth tab by following
 * Microsoft's redirect with fetch.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});
afterEach(() => vi.restoreAllMocks());

/** Every call to a storage area's `get` or `set` goes past `see` first (which may throw), then through. */
function interceptStorage(area: 'local' | 'session', method: 'get' | 'set', see: (arg: unknown) => void) {
  const real = fakeBrowser.storage[area][method].bind(fakeBrowser.storage[area]) as (arg: unknown) => Promise<never>;
  return vi.spyOn(fakeBrowser.storage[area], method).mockImplementation(async (arg: unknown) => {
    see(arg);
    return real(arg);
  });
}

function runner(options: { microsoftClientId?: string; recovered?: Promise<void>; oauthConsent?: PreparedDeps['oauthConsent'] } = {}) {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const infisical = sandboxInfisical(sandbox, fetchFn);
  const now = () => new Date();
  const signIns: { clientId: string; tenant: string }[] = [];
  // The background's real token cache: flows for one tenant share a sign-in.
  const entraToken = createEntraTokenCache(async (request) => {
    signIns.push({ clientId: request.clientId, tenant: request.tenant });
    const token = await sandboxSignIn(sandbox, AZURE_DEVOPS_SCOPE);
    return { accessToken: token.access_token, expiresOn: null, tenantId: TENANT.id, username: ADA.upn };
  }, Date.now);
  const ledger = createLedger();
  const r = createFlowRunner({
    now,
    ledger,
    recovered: () => options.recovered ?? Promise.resolve(),
    instanceUrl: async () => INFISICAL.siteUrl,
    rules: async () => NO_RULES,
    newId: () => crypto.randomUUID(),
    prepare: async () => ({
      instanceUrl: INFISICAL.siteUrl,
      infisical,
      ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
      microsoftClientId: options.microsoftClientId ?? EXTENSION_APP.clientId,
      now,
      random: () => crypto.randomUUID(),
      entraToken,
      oauthConsent:
        options.oauthConsent ??
        (async (authorizeUrl) => {
          const response = await fetchFn(authorizeUrl, { redirect: 'manual' });
          return response.headers.get('location') ?? '';
        }),
    }),
  });
  return { r, signIns, ledger };
}

const microsoft = { method: 'microsoft', tenant: TENANT.id, org: ORGS.contoso.name, connectionName: 'azure-devops-contoso', patLifetimeDays: 90 } as const;

async function run(r: ReturnType<typeof runner>['r'], request: object) {
  const { id } = await r.start(request);
  await r.idle();
  return (await readFlows()).find((f) => f.id === id) ?? null;
}

describe('Sign in with Microsoft → minted PAT', () => {
  it('creates the connection with a least-privilege, org-scoped PAT and records it without secrets', async () => {
    const { r, signIns } = runner();
    const flow = await run(r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(flow?.steps.map((s) => [s.id, s.state])).toEqual([
      ['sign-in', 'done'],
      ['check-access', 'done'],
      ['create-token', 'done'],
      ['save', 'done'],
    ]);
    expect(signIns).toEqual([{ clientId: EXTENSION_APP.clientId, tenant: TENANT.id }]);

    const [connection] = sandbox.state.connections;
    expect(connection).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', credentials: { orgName: 'contoso' } });
    const pat = sandbox.state.pats.find((p) => p.token === connection?.secretCredentials.accessToken);
    expect(pat).toMatchObject({ status: 'active', allOrgs: false, org: 'contoso', scope: INFISICAL_PAT_SCOPES.join(' ') });

    const [record] = await readConnections();
    expect(record).toMatchObject({ id: connection?.id, org: 'contoso', tenantId: TENANT.id, patAuthorizationId: pat?.authorizationId, patValidTo: pat?.validTo });
    expect(record).toMatchObject({ name: 'azure-devops-contoso', instanceUrl: INFISICAL.siteUrl, projectId: null, clientId: EXTENSION_APP.clientId, patLifetimeDays: 90 });
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null)) + JSON.stringify(await fakeBrowser.storage.session.get(null));
    expect(stored).not.toContain(pat?.token);
  });

  it('the pending-PAT record never holds the PAT itself, at any write (it is kept in local storage)', async () => {
    const written: string[] = [];
    interceptStorage('local', 'set', (items) => written.push(JSON.stringify(items)));
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    const pat = sandbox.state.pats.find((p) => p.displayName === 'Infisical azure-devops-contoso')!;
    expect(written.filter((w) => w.includes('pendingPats')).length).toBeGreaterThan(1);
    for (const w of written) expect(w).not.toContain(pat.token);
  });

  it('writes the success the popup shows before the connection record and the pending-PAT cleanup', async () => {
    const writes: string[] = [];
    const track = (items: unknown) => {
      const flows = (items as { flows?: { status: string }[] }).flows;
      writes.push(...Object.keys(items as object).map((k) => (k === 'flows' ? `flows:${flows?.at(-1)?.status}` : k)));
    };
    interceptStorage('local', 'set', track);
    interceptStorage('session', 'set', track);
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    const succeeded = writes.indexOf('flows:succeeded');
    expect(succeeded).toBeGreaterThan(-1);
    expect(writes.slice(succeeded + 1)).toEqual(['connections', 'pendingPats']);
  });

  it('the pending-PAT record is written while the PAT is being asked for, then given its id; it is gone once the PAT is delivered', async () => {
    const seen: { authorizationId: string | null; validTo: string; madeYet: boolean }[] = [];
    interceptStorage('local', 'set', (items) => {
      const [record] = (items as { pendingPats?: { authorizationId: string | null; validTo: string }[] }).pendingPats ?? [];
      const madeYet = sandbox.state.pats.some((p) => p.displayName === 'Infisical azure-devops-contoso');
      if (record) seen.push({ authorizationId: record.authorizationId, validTo: record.validTo, madeYet });
    });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    const pat = sandbox.state.pats.find((p) => p.displayName === 'Infisical azure-devops-contoso')!;
    expect(seen).toEqual([
      { authorizationId: null, validTo: pat.validTo, madeYet: false },
      { authorizationId: pat.authorizationId, validTo: pat.validTo, madeYet: true },
    ]);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a connection record that cannot be written leaves the success shown and the pending PAT for recovery', async () => {
    interceptStorage('local', 'set', (items) => {
      if ('connections' in (items as object)) throw new Error('storage unavailable');
    });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections).toHaveLength(1);
    const minted = sandbox.state.pats.find((p) => p.token === sandbox.state.connections[0]?.secretCredentials.accessToken);
    expect((await readPendingPats()).map((p) => p.authorizationId)).toEqual([minted?.authorizationId]);
    expect(await readConnections()).toEqual([]);
  });

  it('a pending-PAT record that cannot be written: nothing is sent to Infisical, the PAT is revoked and the person told why', async () => {
    interceptStorage('local', 'set', (items) => {
      if ((items as { pendingPats?: unknown[] }).pendingPats?.length) throw new Error('QuotaExceededError: storage full');
    });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status).toBe('failed');
    expect(flow?.steps.find((s) => s.id === 'create-token')?.state).toBe('failed');
    expect(flow?.error?.title).toMatch(/could not write to the browser’s storage/);
    expect(flow?.error?.details).toMatch(/was revoked/);
    expect(sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso').map((p) => p.status)).toEqual(['revoked']);
    expect(sandbox.requests.filter((q) => q.host === INFISICAL.host && q.method === 'POST' && q.path.startsWith('/api/v1/app-connections'))).toEqual([]);
    expect(sandbox.state.connections).toHaveLength(0);
  });

  it('revokes the minted PAT when Infisical refuses the connection (403)', async () => {
    sandbox.config.infisical.identity.actions = ['read'];
    const flow = await run(runner().r, microsoft);
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.title).toMatch(/may not create app connections/);
    expect(flow?.error?.details).toMatch(/revoked/);
    expect(flow?.steps.find((s) => s.id === 'save')?.state).toBe('failed');
    const minted = sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
    expect(minted.map((p) => p.status)).toEqual(['revoked']);
    expect(sandbox.state.connections).toHaveLength(0);
    expect(await readConnections()).toEqual([]);
  });

  it('refuses a taken name before anything is minted, then updates it on request and revokes the old PAT', async () => {
    const { r } = runner();
    await run(r, microsoft);
    const firstPat = sandbox.state.pats.find((p) => p.displayName === 'Infisical azure-devops-contoso')!;
    const before = sandbox.state.pats.length;
    expect((await run(r, microsoft))?.error?.title).toMatch(/already exists/);
    expect(sandbox.state.pats.length).toBe(before);

    const updated = await run(r, { ...microsoft, mode: 'update' });
    expect(updated?.status, JSON.stringify(updated?.error)).toBe('succeeded');
    expect(updated?.update).toBe(true);
    expect(sandbox.state.connections).toHaveLength(1);
    // Updated in place: Infisical keeps the version (docs/contracts.md A.3 "Update").
    expect(sandbox.state.connections[0]?.version).toBe(1);
    const current = sandbox.state.pats.find((p) => p.token === sandbox.state.connections[0]?.secretCredentials.accessToken)!;
    expect(current.authorizationId).not.toBe(firstPat.authorizationId);
    expect(sandbox.state.pats.find((p) => p.authorizationId === firstPat.authorizationId)?.status).toBe('revoked');
    expect((await readConnections()).map((c) => c.patAuthorizationId)).toEqual([current.authorizationId]);
  });

  it('a create whose answer is lost after Infisical stored it counts as saved: one connection, PAT kept', async () => {
    sandbox.faults.add({ host: INFISICAL.host, method: 'POST', path: /^\/api\/v1\/app-connections\/azure-devops\/?$/, mode: 'after-handler-reset', times: 1 });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections).toHaveLength(1);
    const pat = sandbox.state.pats.find((p) => p.token === sandbox.state.connections[0]?.secretCredentials.accessToken);
    expect(pat?.status).toBe('active');
    expect((await readConnections())[0]?.patAuthorizationId).toBe(pat?.authorizationId);
  });

  it('a create lost before Infisical stored it fails, and the PAT is revoked', async () => {
    sandbox.faults.add({ host: INFISICAL.host, method: 'POST', path: /^\/api\/v1\/app-connections\/azure-devops\/?$/, mode: 'reset', times: 1 });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.title).toMatch(/reach|Infisical/i);
    expect(sandbox.state.connections).toHaveLength(0);
    expect(sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso').map((p) => p.status)).toEqual(['revoked']);
  });

  it('a create answered with a 308 to another address: the PAT goes nowhere else, is revoked, and the person is told', async () => {
    sandbox.faults.add({
      host: INFISICAL.host,
      method: 'POST',
      path: /^\/api\/v1\/app-connections\/azure-devops\/?$/,
      status: 308,
      headers: { location: `https://${ELSEWHERE_HOST}/api/v1/app-connections/azure-devops` },
      body: '',
    });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.title).toBe('Your Infisical instance answered with a redirect to another address; the extension did not send your credentials there.');
    expect(sandbox.state.elsewhere).toEqual([]);
    expect(sandbox.state.connections).toHaveLength(0);
    expect(sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso').map((p) => p.status)).toEqual(['revoked']);
  });

  it('a PAT create whose answer is lost: the token is found by name and revoked, never made twice', async () => {
    // An earlier token of the same name (a connection made before) must survive.
    const { r } = runner();
    await run(r, microsoft);
    const earlier = sandbox.state.pats.find((p) => p.displayName === 'Infisical azure-devops-contoso')!;
    sandbox.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', path: /\/_apis\/tokens\/pats\/?$/, mode: 'after-handler-reset', times: 1 });
    const flow = await run(r, { ...microsoft, mode: 'update' });
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.details).toMatch(/created the token before the answer was lost; it was found and revoked/);
    const named = sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
    expect(named.map((p) => [p.authorizationId === earlier.authorizationId, p.status])).toEqual([
      [true, 'active'],
      [false, 'revoked'],
    ]);
    expect(sandbox.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/_apis/tokens/pats'))).toHaveLength(2);
    expect(sandbox.state.connections[0]?.version).toBe(1);
  });

  it('a PAT create lost before Azure DevOps made it: says no token was created', async () => {
    sandbox.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', path: /\/_apis\/tokens\/pats\/?$/, mode: 'reset', times: 1 });
    const flow = await run(runner().r, microsoft);
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.details).toMatch(/No token had been created when the extension looked \(twice\)/);
    expect(sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toEqual([]);
  });

  it.each([
    ['lost', 'revoked'],
    // The create got through before the stop: the PAT is in use and must stay.
    ['azure-devops-contoso', 'active'],
  ])('a PAT an interrupted flow left behind for connection “%s” ends %s once a sign-in for its tenant is at hand', async (connectionName, status) => {
    const { r } = runner();
    await run(r, microsoft);
    const leftover = sandbox.state.pats.find((p) => p.token === sandbox.state.connections[0]?.secretCredentials.accessToken)!;
    await pendingPatsItem.setValue([
      {
        authorizationId: leftover.authorizationId,
        validTo: leftover.validTo,
        org: 'contoso',
        tenant: TENANT.id,
        clientId: EXTENSION_APP.clientId,
        instanceUrl: INFISICAL.siteUrl,
        projectId: null,
        connectionName,
        previousVersion: null,
        mintedAt: new Date().toISOString(),
        flowId: 'a-flow-the-browser-stopped',
      },
    ]);
    // What a worker before this one left: this one (a new runner and ledger) starts from storage.
    const flow = await run(runner().r, { ...microsoft, connectionName: 'second' });
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.pats.find((p) => p.authorizationId === leftover.authorizationId)?.status).toBe(status);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a PAT an interrupted flow was asking for when it stopped (no id recorded) is found by its name and expiry and revoked by the next sign-in', async () => {
    const validTo = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const token = (await sandboxSignIn(sandbox, AZURE_DEVOPS_SCOPE)).access_token;
    const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }) });
    const made = await ado.createPat('contoso', token, { displayName: 'Infisical lost', scope: INFISICAL_PAT_SCOPES.join(' '), validTo });
    await pendingPatsItem.setValue([
      {
        authorizationId: null,
        validTo,
        org: 'contoso',
        tenant: TENANT.id,
        clientId: EXTENSION_APP.clientId,
        instanceUrl: INFISICAL.siteUrl,
        projectId: null,
        connectionName: 'lost',
        previousVersion: null,
        mintedAt: new Date(Date.now() - 1000).toISOString(),
        flowId: 'a-flow-the-browser-stopped',
      },
    ]);
    const flow = await run(runner().r, microsoft);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.pats.find((p) => p.authorizationId === made.authorizationId)?.status).toBe('revoked');
    expect(await readPendingPats()).toEqual([]);
  });

  it('an access check that fails is what the person is told, though the leftover-PAT list (read alongside it) failed too', async () => {
    sandbox.faults.add({ host: 'dev.azure.com', method: 'GET', path: /\/_apis\/projects/, status: 401, body: { message: 'TF400813: not authorized' } });
    const reads = interceptStorage('local', 'get', (keys) => {
      if (JSON.stringify(keys ?? null).includes('pendingPats')) throw new Error('storage unavailable');
    });
    const flow = await run(runner().r, microsoft);
    expect(reads.mock.calls.some(([keys]) => JSON.stringify(keys ?? null).includes('pendingPats'))).toBe(true);
    expect(flow?.status).toBe('failed');
    expect(flow?.steps.find((s) => s.id === 'check-access')?.state).toBe('failed');
    expect(flow?.error?.title).toMatch(/did not accept/);
    expect(sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toEqual([]);
  });

  it('reports a clamped expiry', async () => {
    sandbox.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30;
    const flow = await run(runner().r, { ...microsoft, patLifetimeDays: 365 });
    expect(flow?.result?.expiryClamped).toBe(true);
    const days = (new Date(flow!.result!.patValidTo!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30.01);
  });

  it('explains a PAT refused by policy and creates nothing', async () => {
    sandbox.config.azureDevOps.orgs.contoso!.policy.disablePatCreation = true;
    const flow = await run(runner().r, microsoft);
    expect(flow?.error?.title).toMatch(/does not allow you to create personal access tokens/);
    expect(sandbox.state.connections).toHaveLength(0);
  });

  it('signs in with the instance’s oauthClientId when no Microsoft client ID is set', async () => {
    const { r, signIns } = runner({ microsoftClientId: '' });
    await run(r, microsoft);
    expect(signIns[0]?.clientId).toBe(sandbox.config.infisical.oauthClientId);
  });

  it('rejects invalid input', async () => {
    await expect(runner().r.start({ ...microsoft, org: '-bad-' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await readFlows()).toEqual([]);
  });

  it('two starts for one org at once: one flow, one sign-in, one PAT, one connection', async () => {
    const { r, signIns } = runner();
    const [first, second] = await Promise.all([r.start(microsoft), r.start({ ...microsoft })]);
    expect(second.id).toBe(first.id);
    await r.idle();
    expect((await readFlows()).map((f) => [f.org, f.status])).toEqual([['contoso', 'succeeded']]);
    expect(signIns).toHaveLength(1);
    expect(sandbox.state.connections.map((c) => c.name)).toEqual(['azure-devops-contoso']);
    expect(sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toHaveLength(1);
  });

  it('a second start for the running flow’s connection key with another method is refused, naming the flow that runs', async () => {
    const sentence = /“azure-devops-contoso” is already being created for contoso with “Sign in with Microsoft/;
    const { r } = runner();
    const first = await r.start(microsoft);
    const refused = await r.start({ ...microsoft, method: 'infisical-oauth' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'flow-running' });
    expect(describeError(refused)).toMatchObject({ title: expect.stringMatching(sentence), fix: expect.stringMatching(/Wait for it to finish/) });
    await r.idle();
    expect((await readFlows()).map((f) => [f.id, f.connectionName, f.status])).toEqual([[first.id, 'azure-devops-contoso', 'succeeded']]);
    expect(sandbox.state.connections.map((c) => c.name)).toEqual(['azure-devops-contoso']);
  });

  it('two names for one org at once are two connection keys: both flows run side by side and both connections are made', async () => {
    const { r, signIns } = runner();
    const [a, b] = await Promise.all([r.start(microsoft), r.start({ ...microsoft, connectionName: 'contoso-second' })]);
    expect(a.id).not.toBe(b.id);
    expect([a, b].map((f) => [f.instanceUrl, f.projectId, f.connectionName])).toEqual([
      [INFISICAL.siteUrl, null, 'azure-devops-contoso'],
      [INFISICAL.siteUrl, null, 'contoso-second'],
    ]);
    await r.idle();
    expect((await readFlows()).map((f) => [f.connectionName, f.status]).sort()).toEqual([
      ['azure-devops-contoso', 'succeeded'],
      ['contoso-second', 'succeeded'],
    ]);
    expect(signIns).toHaveLength(1);
    expect(sandbox.state.connections.map((c) => c.name).sort()).toEqual(['azure-devops-contoso', 'contoso-second']);
    // Each record keeps what a renewal needs: its key, the client signed in with, the lifetime asked for.
    const records = await readConnections();
    expect(records.map((c) => [c.name, c.instanceUrl, c.projectId, c.clientId, c.patLifetimeDays]).sort()).toEqual([
      ['azure-devops-contoso', INFISICAL.siteUrl, null, EXTENSION_APP.clientId, 90],
      ['contoso-second', INFISICAL.siteUrl, null, EXTENSION_APP.clientId, 90],
    ]);
    expect(await readPendingPats()).toEqual([]);
  });

  it('two orgs at once: both succeed, side by side, sharing the tenant’s one sign-in', async () => {
    sandbox.config.azureDevOps.orgs.northwind!.members.push(ADA.oid);
    const { r, signIns } = runner();
    const [a, b] = await Promise.all([r.start(microsoft), r.start({ ...microsoft, org: 'northwind', connectionName: 'azure-devops-northwind' })]);
    expect(a.id).not.toBe(b.id);
    await r.idle();
    const flows = await readFlows();
    expect(flows.map((f) => [f.org, f.status, f.error?.title])).toEqual([
      ['contoso', 'succeeded', undefined],
      ['northwind', 'succeeded', undefined],
    ]);
    expect(signIns).toHaveLength(1);
    expect(sandbox.state.connections.map((c) => [c.name, c.credentials.orgName]).sort()).toEqual([
      ['azure-devops-contoso', 'contoso'],
      ['azure-devops-northwind', 'northwind'],
    ]);
    const minted = sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '));
    expect(minted.map((p) => [p.org, p.status]).sort()).toEqual([
      ['contoso', 'active'],
      ['northwind', 'active'],
    ]);
    expect((await readConnections()).map((c) => c.org).sort()).toEqual(['contoso', 'northwind']);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a flow reads the leftover records, and so mints, only once the recovery at start has finished', async () => {
    let finish!: () => void;
    const { r } = runner({ recovered: new Promise<void>((resolve) => (finish = resolve)) });
    const { id } = await r.start(microsoft);
    await vi.waitFor(() => expect(sandbox.requests.some((q) => q.path.endsWith('/_apis/projects'))).toBe(true), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '))).toEqual([]);
    finish();
    await r.idle();
    expect((await readFlows()).find((f) => f.id === id)?.status).toBe('succeeded');
  });

  it('another org’s flow leaves alone a leftover record named like a running flow’s connection: that flow’s PAT could pass for its own', async () => {
    sandbox.config.azureDevOps.orgs.northwind!.members.push(ADA.oid);
    sandbox.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30; // PATs' expiry shortened: matched by name and time
    sandbox.faults.add({ host: INFISICAL.host, method: 'POST', path: /^\/api\/v1\/app-connections\/azure-devops\/?$/, delayMs: 1500, times: 1 });
    const { r, ledger } = runner();
    await r.start({ ...microsoft, connectionName: 'x' });
    await vi.waitFor(() => expect(sandbox.state.pats.some((p) => p.displayName === 'Infisical x')).toBe(true), { timeout: 5000 });
    // What an earlier flow for “x”, stopped while asking for its PAT, would have left.
    await ledger.putPending({
      authorizationId: null,
      validTo: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      org: 'contoso',
      tenant: TENANT.id,
      clientId: EXTENSION_APP.clientId,
      instanceUrl: INFISICAL.siteUrl,
      projectId: null,
      connectionName: 'x',
      previousVersion: null,
      mintedAt: new Date(Date.now() - 2000).toISOString(),
      flowId: 'a-flow-the-browser-stopped',
    });
    await r.start({ ...microsoft, org: 'northwind', connectionName: 'y' });
    await r.idle();
    expect((await readFlows()).map((f) => [f.org, f.status]).sort()).toEqual([
      ['contoso', 'succeeded'],
      ['northwind', 'succeeded'],
    ]);
    const x = sandbox.state.connections.find((c) => c.name === 'x');
    expect(sandbox.state.pats.find((p) => p.token === x?.secretCredentials.accessToken)?.status).toBe('active');
  });

  it('refuses a second org’s flow that would create a connection of the same name', async () => {
    const { r } = runner();
    await r.start(microsoft);
    await expect(r.start({ ...microsoft, org: 'northwind' })).rejects.toMatchObject({ code: 'flow-running', message: expect.stringMatching(/azure-devops-contoso.*contoso/) });
    await r.idle();
  });
});

describe('the other methods', () => {
  it('Paste a PAT: validated against the org, then sent as access-token', async () => {
    const flow = await run(runner().r, { method: 'pat', org: 'contoso', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token });
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections[0]).toMatchObject({ method: 'access-token', secretCredentials: { accessToken: SEEDED_PATS.contosoPasted.token } });
  });

  it('a method runs on its part of the deps alone: Paste a PAT needs Infisical, Azure DevOps and the step reporter', async () => {
    const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
    const steps: string[] = [];
    const outcome = await connectWithPat(
      { method: 'pat', mode: 'create', org: 'contoso', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token, projectId: null },
      {
        infisical: createInfisicalApi({
          instanceUrl: INFISICAL.siteUrl,
          fetch: fetchFn,
          now: Date.now,
          credentials: async () => ({ clientId: INFISICAL.clientId, clientSecret: INFISICAL.clientSecret }),
        }),
        ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
        onStep: async (step) => void steps.push(step),
      },
    );
    expect(outcome).toMatchObject({ connection: { name: 'pasted', method: 'access-token' }, updated: false, pat: null });
    expect(steps).toEqual(['check-access', 'save']);
  });

  it('Paste a PAT: a token Azure DevOps refuses never reaches Infisical', async () => {
    const flow = await run(runner().r, { method: 'pat', org: 'northwind', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token });
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.details).toMatch(/pat-unauthorized/);
    expect(sandbox.requests.filter((q) => q.host === INFISICAL.host && q.method === 'POST' && q.path.startsWith('/api/v1/app-connections'))).toHaveLength(0);
  });

  it('Service principal: sent as client-secret and validated by Infisical', async () => {
    const flow = await run(runner().r, { ...SERVICE_PRINCIPAL_CONNECT, connectionName: 'sp' });
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections[0]).toMatchObject({ method: 'client-secret', credentials: { clientId: SERVICE_PRINCIPAL.clientId, tenantId: TENANT.id } });
  });

  it('Infisical OAuth: the code from the instance’s app is handed to Infisical, state checked', async () => {
    const flow = await run(runner().r, { method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth', tenant: TENANT.id });
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections[0]).toMatchObject({ method: 'oauth', credentials: { orgName: 'contoso', tenantId: TENANT.id } });
    const authorize = sandbox.state.authorizeLog.find((a) => a.clientId === sandbox.config.infisical.oauthClientId);
    expect(authorize?.redirectUri).toBe(`${INFISICAL.siteUrl}/organization/app-connections/azure/oauth/callback`);
    expect(authorize?.scope).toContain('offline_access');
  });

  it('Infisical OAuth: an answer with another state ends as a mismatch, even an error answer, and nothing is sent', async () => {
    const answers = [
      (wait: OAuthWaitStart) => `${wait.callbackUrl}?error=access_denied&error_description=AADSTS65004%3A+declined&state=forged`,
      (wait: OAuthWaitStart) => `${wait.callbackUrl}?error=access_denied&error_description=AADSTS65004%3A+declined`,
      (wait: OAuthWaitStart) => `${wait.callbackUrl}?code=forged-code&state=forged`,
    ];
    for (const answer of answers) {
      const flow = await run(runner({ oauthConsent: async (_url, wait) => answer(wait) }).r, { method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth', tenant: TENANT.id });
      expect(flow?.error?.details).toMatch(/oauth-state-mismatch/);
    }
    // The right state with an error: that error.
    const declined = await run(
      runner({ oauthConsent: async (_url, wait) => `${wait.callbackUrl}?error=access_denied&error_description=AADSTS65004%3A+declined&state=${wait.state}` }).r,
      {
        method: 'infisical-oauth',
        org: 'contoso',
        connectionName: 'oauth',
        tenant: TENANT.id,
      },
    );
    expect(declined?.error?.details).toMatch(/AADSTS65004/);
    expect(sandbox.state.connections).toEqual([]);
  });

  it('Infisical OAuth: the wait is handed on with its flow id; a restarted worker’s runner finishes the flow from it', async () => {
    const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
    let left: { authorizeUrl: string; wait: OAuthWaitStart & { flowId: string } } | undefined;
    // The first worker is stopped while its consent tab waits: its flow never hears back.
    const first = runner({
      oauthConsent: (authorizeUrl, wait) => {
        left = { authorizeUrl, wait };
        return new Promise<string>(() => undefined);
      },
    }).r;
    const { id } = await first.start({ method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth', tenant: TENANT.id });
    await vi.waitFor(() => expect(left).toBeDefined());
    expect(left!.wait).toMatchObject({ flowId: id, target: { kind: 'create' }, request: { org: 'contoso', connectionName: 'oauth' } });
    await vi.waitFor(async () => expect((await readFlows()).find((f) => f.id === id)?.steps[0]?.state).toBe('active'));

    const second = runner().r;
    expect(await second.resume('another-flow', left!.wait.request, () => Promise.reject(new Error('not run')))).toBeNull();
    const answer = (await fetchFn(left!.authorizeUrl, { redirect: 'manual' })).headers.get('location')!;
    expect(await second.resume(id, left!.wait.request, (deps) => finishOAuth(left!.wait, answer, deps))).not.toBeNull();
    expect(second.isRunning(id)).toBe(true);
    await second.idle();
    const flow = (await readFlows()).find((f) => f.id === id);
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(sandbox.state.connections).toEqual([expect.objectContaining({ name: 'oauth', method: 'oauth' })]);
    expect(await readConnections()).toEqual([expect.objectContaining({ id: sandbox.state.connections[0]?.id, method: 'oauth', patAuthorizationId: null })]);
  });

  it('Infisical OAuth: not offered without an oauthClientId', async () => {
    sandbox.config.infisical.oauthClientId = null;
    const flow = await run(runner().r, { method: 'infisical-oauth', org: 'contoso', connectionName: 'oauth', tenant: TENANT.id });
    expect(flow?.error?.details).toMatch(/oauth-unavailable/);
  });

  it('an update with another method explains that the method cannot change, before sending anything', async () => {
    const { r } = runner();
    await run(r, microsoft);
    const flow = await run(r, {
      method: 'service-principal',
      mode: 'update',
      org: 'contoso',
      connectionName: 'azure-devops-contoso',
      tenant: TENANT.id,
      clientId: SERVICE_PRINCIPAL.clientId,
      clientSecret: SERVICE_PRINCIPAL.clientSecret,
    });
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.details).toMatch(/method-mismatch/);
    expect(sandbox.state.connections[0]?.version).toBe(1);
  });
});
