import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { INFISICAL, SANDBOX_HOSTS, SEEDED_PATS, TENANT } from './fixtures.ts';
import { infisicalLogin, signIn } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const PATS = 'https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1';
const admin = (path: string, init?: Parameters<typeof sandboxFetch>[2]) => sandboxFetch(sb, `https://localhost${path}`, init);

describe('sandbox server', () => {
  it('presents a certificate for every real hostname, issued by the test CA', async () => {
    const ca = new X509Certificate(sb.caPem);
    expect(ca.subject).toContain('CN=Infisical Connect Test CA');
    expect(sb.hosts).toEqual([...SANDBOX_HOSTS]);
    for (const host of sb.hosts) {
      // sandboxFetch trusts only the sandbox CA and checks the name, so a bad cert would throw here.
      const res = await sandboxFetch(sb, `https://${host}/__nothing__`);
      expect(res.status).toBe(404);
    }
  });

  it("answers unknown routes with each host's own error shape, and unknown hosts with 421", async () => {
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v9/nope`)).json()).toMatchObject({ statusCode: 404, reqId: expect.stringMatching(/^req-/) });
    expect((await sandboxFetch(sb, 'https://dev.azure.com/')).json()).toMatchObject({ $id: '1', eventId: 3000 });
    expect((await sandboxFetch(sb, 'https://login.microsoftonline.com/nope')).headers['content-type']).toContain('text/html');
    expect((await sandboxFetch(sb, 'https://localhost/', { headers: { host: 'example.com' } })).status).toBe(421);
    // A port in the Host header is ignored.
    expect((await sandboxFetch(sb, 'https://dev.azure.com/contoso', { headers: { host: `dev.azure.com:${sb.port}` } })).headers['x-vss-resourcetenant']).toBe(TENANT.id);
  });

  it('logs every request and applies global latency', async () => {
    sb.setLatency(120);
    const res = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`);
    expect(res.status).toBe(200);
    expect(sb.requests.at(-1)).toMatchObject({ host: 'infisical.sandbox.test', method: 'GET', path: '/api/status', status: 200 });
    expect(sb.requests.at(-1)!.ms).toBeGreaterThanOrEqual(115);
  });

  it('answers L after the request arrived, plus the time its own upstream calls took', async () => {
    const token = await infisicalLogin(sb);
    sb.setLatency(150);
    const started = performance.now();
    const res = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v1/app-connections/azure-devops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: { name: 'latency-model', method: 'access-token', credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' } },
    });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    // Infisical's credential check is a round trip of its own: two L in a row, not one.
    const [check, create] = sb.requests.slice(-2);
    expect(check).toMatchObject({ host: 'dev.azure.com', path: '/contoso/_apis/projects' });
    expect(create).toMatchObject({ host: 'infisical.sandbox.test', method: 'POST' });
    expect(check!.ms).toBeGreaterThanOrEqual(148);
    expect(create!.ms).toBeGreaterThanOrEqual(298);
    expect(elapsed).toBeGreaterThanOrEqual(298);
  });
});

describe('faults', () => {
  it('responds with an injected status a limited number of times', async () => {
    const id = sb.faults.add({ host: 'infisical.sandbox.test', path: '/api/status', status: 503, body: { message: 'down' }, times: 1 });
    expect(id).toMatch(/^fault-/);
    const first = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`);
    expect(first.status).toBe(503);
    expect(first.json()).toEqual({ message: 'down' });
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`)).status).toBe(200);
    expect(sb.faults.list()).toEqual([]);
  });

  it('resets the connection or hangs', async () => {
    sb.faults.add({ path: /status$/, mode: 'reset', times: 1 });
    await expect(sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`)).rejects.toThrow();
    sb.faults.add({ path: /status$/, mode: 'hang', times: 1 });
    await expect(sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`, { timeoutMs: 300 })).rejects.toThrow(/timed out/);
  });

  it('after-handler-hang: the PAT is created but the answer is lost', async () => {
    const token = (await signIn(sb)).access_token;
    sb.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', mode: 'after-handler-hang', times: 1 });
    const attempt = sandboxFetch(sb, PATS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: 400,
      body: { displayName: 'lost', scope: 'vso.project', validTo: new Date(Date.now() + 86_400_000).toISOString(), allOrgs: false },
    });
    await expect(attempt).rejects.toThrow(/timed out/);
    expect(sb.state.pats.filter((p) => p.displayName === 'lost')).toHaveLength(1);
  });

  it('pass mode delays and adds headers but keeps the real answer', async () => {
    sb.faults.add({ host: 'dev.azure.com', delayMs: 100, headers: { 'x-injected': 'yes' } });
    const res = await sandboxFetch(sb, 'https://dev.azure.com/contoso');
    expect(res.status).toBe(401);
    expect(res.headers['x-injected']).toBe('yes');
    expect(res.headers['x-vss-resourcetenant']).toBe(TENANT.id);
  });
});

describe('admin API', () => {
  it('shows state with secrets, merges config, manages faults and latency, resets', async () => {
    const token = await infisicalLogin(sb);
    await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v1/app-connections/azure-devops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: { name: 'from-admin-test', method: 'access-token', credentials: { accessToken: sb.state.pats[0]!.token, orgName: 'contoso' } },
    });
    const state = (await admin('/__sandbox/state')).json();
    expect(state.state.connections[0]).toMatchObject({ name: 'from-admin-test', secretCredentials: { accessToken: sb.state.pats[0]!.token } });
    expect(state.config.entra.authorizeMode).toBe('auto');

    await admin('/__sandbox/config', { method: 'POST', body: { entra: { authorizeMode: 'login-page' }, azureDevOps: { orgs: { contoso: { policy: { maxLifespanDays: 7 } } } } } });
    expect(sb.config.entra.authorizeMode).toBe('login-page');
    expect(sb.config.azureDevOps.orgs.contoso!.policy).toMatchObject({ maxLifespanDays: 7, restrictGlobalPats: true });

    const added = (await admin('/__sandbox/faults', { method: 'POST', body: { pathRegex: '^/api/status$', status: 500 } })).json();
    expect(added.ids).toHaveLength(1);
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`)).status).toBe(500);
    await admin('/__sandbox/faults', { method: 'DELETE' });
    expect((await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/status`)).status).toBe(200);

    expect((await admin('/__sandbox/latency', { method: 'POST', body: { ms: 5 } })).json()).toEqual({ latencyMs: 5 });
    expect(sb.latencyMs).toBe(5);

    await admin('/__sandbox/reset', { method: 'POST' });
    expect(sb.config.entra.authorizeMode).toBe('auto');
    expect(sb.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays).toBeNull();
    expect(sb.state.connections).toEqual([]);
    expect(sb.latencyMs).toBe(0);
  });
});
