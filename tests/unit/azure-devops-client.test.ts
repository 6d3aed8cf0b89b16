import { describe, expect, it } from 'vitest';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { describeError } from '@/utils/errors/describe-error';
import type { FetchLike } from '@/utils/http/request';
import { opaqueRedirect } from '../support/opaque-redirect';

function client(respond: (url: string, init?: RequestInit) => Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ url, ...(init ? { init } : {}) });
    return respond(url, init);
  };
  return { ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }), calls };
}

const TENANT = '7c1e5f4a-2b8d-4e36-9a0f-5d3c2b1a0e9f';

describe('tenant discovery (docs/contracts.md B.4)', () => {
  it('reads X-VSS-ResourceTenant from the unauthenticated 401', async () => {
    const { ado, calls } = client(() => new Response('', { status: 401, headers: { 'X-VSS-ResourceTenant': TENANT } }));
    expect(await ado.discoverTenant('contoso')).toEqual({ tenantId: TENANT, msa: false });
    expect(calls[0]?.url).toBe('https://dev.azure.com/contoso/_apis/connectionData');
  });
  it('falls back to WWW-Authenticate and recognises Microsoft-account orgs', async () => {
    const { ado } = client(() => new Response('', { status: 401, headers: { 'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/${TENANT}` } }));
    expect(await ado.discoverTenant('x')).toEqual({ tenantId: TENANT, msa: false });
    const msa = client(() => new Response('', { status: 401, headers: { 'X-VSS-ResourceTenant': '00000000-0000-0000-0000-000000000000' } }));
    expect(await msa.ado.discoverTenant('x')).toEqual({ tenantId: '00000000-0000-0000-0000-000000000000', msa: true });
  });
  it('reads only the first answer: a redirect is not followed and tells no tenant, as before', async () => {
    const { ado, calls } = client(() => opaqueRedirect());
    await expect(ado.discoverTenant('contoso')).rejects.toMatchObject({ code: 'tenant-unknown' });
    expect(calls[0]?.init?.redirect).toBe('manual');
    const node = client(() => new Response(null, { status: 302, headers: { location: 'https://app.vssps.visualstudio.com/_signin', 'X-VSS-ResourceTenant': TENANT } }));
    expect(await node.ado.discoverTenant('contoso')).toEqual({ tenantId: TENANT, msa: false });
  });
  it('reports an unknown org', async () => {
    const { ado } = client(() => new Response('{}', { status: 404 }));
    await expect(ado.discoverTenant('nope')).rejects.toMatchObject({ code: 'org-not-found' });
  });
});

describe('PAT lifecycle (docs/contracts.md B.1)', () => {
  const result = (patTokenError: string, patToken: unknown = null) => new Response(JSON.stringify({ patToken, patTokenError }), { status: 200 });

  it('sends allOrgs false, Bearer auth and returns the (possibly clamped) validTo', async () => {
    const { ado, calls } = client(() =>
      result('none', { authorizationId: 'a1', displayName: 'd', scope: 'vso.project', token: 'secret', validTo: '2027-01-01T00:00:00Z', validFrom: null, targetAccounts: ['x'] }),
    );
    const pat = await ado.createPat('contoso', 'bearer', { displayName: 'd', scope: 'vso.project', validTo: '2027-06-01T00:00:00Z' });
    expect(pat).toEqual({ authorizationId: 'a1', token: 'secret', scope: 'vso.project', validTo: '2027-01-01T00:00:00Z' });
    expect(calls[0]?.url).toBe('https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1');
    expect(JSON.parse(String(calls[0]?.init?.body))).toMatchObject({ allOrgs: false });
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer bearer');
  });

  it('treats a 200 with patTokenError as the error it names', async () => {
    const { ado } = client(() => result('disablePatCreationPolicyViolation'));
    await expect(ado.createPat('contoso', 'b', { displayName: 'd', scope: 's', validTo: 'v' })).rejects.toMatchObject({
      code: 'disablePatCreationPolicyViolation',
    });
  });

  it('rejects a success without the token secret', async () => {
    const { ado } = client(() => result('none', { authorizationId: 'a', displayName: 'd', scope: 's', token: null, validTo: 'v' }));
    await expect(ado.createPat('contoso', 'b', { displayName: 'd', scope: 's', validTo: 'v' })).rejects.toMatchObject({ code: 'malformed-response' });
  });

  it('revokes by authorization id and treats 404 as already revoked', async () => {
    const { ado, calls } = client(() => new Response(null, { status: 204 }));
    await ado.revokePat('contoso', 'b', 'a1');
    expect(calls[0]?.url).toContain('authorizationId=a1&');
    expect(calls[0]?.init?.method).toBe('DELETE');
    const gone = client(() => new Response('', { status: 404 }));
    await expect(gone.ado.revokePat('contoso', 'b', 'a1')).resolves.toBeUndefined();
  });
});

describe('authenticated requests follow no redirect', () => {
  it.each([
    ['listProjects', (ado: ReturnType<typeof client>['ado']) => ado.listProjects('contoso', { pat: 'p'.repeat(52) })],
    ['createPat', (ado: ReturnType<typeof client>['ado']) => ado.createPat('contoso', 'bearer', { displayName: 'd', scope: 's', validTo: '2027-01-01T00:00:00Z' })],
    ['revokePat', (ado: ReturnType<typeof client>['ado']) => ado.revokePat('contoso', 'bearer', 'a1')],
    ['listOrganizations', (ado: ReturnType<typeof client>['ado']) => ado.listOrganizations('bearer')],
  ])('%s: an opaque redirect is `redirected`, with its sentence', async (_name, call) => {
    const { ado, calls } = client(() => opaqueRedirect());
    const error = await call(ado).catch((e: unknown) => e);
    expect(error).toMatchObject({ source: 'azure-devops', code: 'redirected' });
    expect(describeError(error).title).toBe('Azure DevOps answered with a redirect to another address; the extension did not send your credentials there.');
    expect(calls.map((c) => c.init?.redirect)).toEqual(['manual']);
  });
});

describe('projects', () => {
  it('uses Basic auth with an empty user name for a PAT', async () => {
    const { ado, calls } = client(() => new Response(JSON.stringify({ count: 0, value: [] }), { status: 200 }));
    await ado.listProjects('contoso', { pat: 'p4t' });
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe(`Basic ${btoa(':p4t')}`);
  });
  it('maps 401 with the Azure DevOps message into details', async () => {
    const { ado } = client(() => new Response(JSON.stringify({ message: 'TF400813: not authorized', typeKey: 'X' }), { status: 401 }));
    await expect(ado.listProjects('contoso', { bearer: 'b' })).rejects.toMatchObject({ code: 'unauthorized', detail: 'TF400813: not authorized' });
  });
});
