import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFlowRunner } from '@/entrypoints/background/flow-runner';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, INFISICAL_PAT_SCOPES, PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createInfisicalClient } from '@/utils/infisical/client';
import { createInfisicalSession } from '@/utils/infisical/session';
import { readConnections, readFlow } from '@/utils/storage';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { ADA, EXTENSION_APP, INFISICAL, ORGS, TENANT } from '../sandbox/fixtures';
import { signIn as sandboxSignIn } from '../sandbox/flows';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';

/**
 * The flow orchestration with the real API clients against the sandbox's fakes. Only MSAL and the
 * browser's identity API are replaced, by a real PKCE exchange made from Node.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  fakeBrowser.reset();
});

function runner(options: { lifetime?: number } = {}) {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const infisical = createInfisicalClient({ baseUrl: INFISICAL.siteUrl, fetch: fetchFn });
  const now = () => new Date();
  const r = createFlowRunner({
    now,
    newId: () => 'flow-1',
    prepare: async () => ({
      instanceUrl: INFISICAL.siteUrl,
      infisical,
      session: createInfisicalSession({
        client: infisical,
        now: () => Date.now(),
        credentials: async () => ({ clientId: INFISICAL.clientId, clientSecret: INFISICAL.clientSecret }),
      }),
      ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
      microsoftClientId: EXTENSION_APP.clientId,
      now,
      // The sandbox's own PKCE exchange stands in for MSAL + launchWebAuthFlow.
      signIn: async ({ clientId, tenant }) => {
        expect({ clientId, tenant }).toEqual({ clientId: EXTENSION_APP.clientId, tenant: TENANT.id });
        const token = await sandboxSignIn(sandbox, AZURE_DEVOPS_SCOPE);
        return { accessToken: token.access_token, expiresOn: null, tenantId: TENANT.id, username: ADA.upn };
      },
    }),
  });
  const request = { tenant: TENANT.id, org: ORGS.contoso.name, connectionName: 'azure-devops-contoso', patLifetimeDays: options.lifetime ?? 90 };
  return { r, request };
}

describe('connect flow against the sandbox', () => {
  it('creates the connection with a least-privilege, org-scoped PAT and records it without secrets', async () => {
    const { r, request } = runner();
    const first = await r.start(request);
    expect(first.status).toBe('running');
    await r.idle();

    const flow = await readFlow();
    expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
    expect(flow?.steps.every((s) => s.state === 'done')).toBe(true);

    const [connection] = sandbox.state.connections;
    expect(connection).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', credentials: { orgName: 'contoso' } });
    const pat = sandbox.state.pats.find((p) => p.token === connection?.secretCredentials.accessToken);
    expect(pat).toMatchObject({ status: 'active', allOrgs: false, org: 'contoso', scope: INFISICAL_PAT_SCOPES.join(' ') });

    const [record] = await readConnections();
    expect(record).toMatchObject({ id: connection?.id, org: 'contoso', tenantId: TENANT.id, patAuthorizationId: pat?.authorizationId, patValidTo: pat?.validTo });
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null)) + JSON.stringify(await fakeBrowser.storage.session.get(null));
    expect(stored).not.toContain(pat?.token);
  });

  it('revokes the minted PAT when Infisical refuses the connection (403)', async () => {
    sandbox.config.infisical.identity.actions = ['read'];
    const { r, request } = runner();
    await r.start(request);
    await r.idle();

    const flow = await readFlow();
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.title).toMatch(/may not create app connections/);
    expect(flow?.steps.find((s) => s.id === 'save')?.state).toBe('failed');
    const minted = sandbox.state.pats.filter((p) => p.displayName === 'Infisical azure-devops-contoso');
    expect(minted).toHaveLength(1);
    expect(minted[0]?.status).toBe('revoked');
    expect(sandbox.state.connections).toHaveLength(0);
    expect(await readConnections()).toEqual([]);
  });

  it('refuses a taken name before anything is minted', async () => {
    const { r, request } = runner();
    await r.start(request);
    await r.idle();
    const before = sandbox.state.pats.length;
    await r.start(request);
    await r.idle();
    expect((await readFlow())?.error?.title).toMatch(/already exists/);
    expect(sandbox.state.pats.length).toBe(before);
  });

  it('reports a clamped expiry', async () => {
    sandbox.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30;
    const { r, request } = runner({ lifetime: 365 });
    await r.start(request);
    await r.idle();
    const flow = await readFlow();
    expect(flow?.result?.expiryClamped).toBe(true);
    const days = (new Date(flow!.result!.patValidTo!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30.01);
  });

  it('rejects invalid input and a second flow while one runs', async () => {
    const { r, request } = runner();
    await expect(r.start({ ...request, org: '-bad-' })).rejects.toMatchObject({ code: 'invalid-input' });
    await r.start(request);
    await expect(r.start(request)).rejects.toMatchObject({ code: 'flow-running' });
    await r.idle();
  });
});
