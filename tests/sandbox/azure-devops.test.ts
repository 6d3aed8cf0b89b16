import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { ADA, INFISICAL_PAT_SCOPE, MSA_TENANT_ID, ORGS, SEEDED_PATS, TENANT } from './fixtures.ts';
import { signIn } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const basic = (pat: string) => ({ authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const PATS = 'https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1';
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const projects = (org: string, headers: Record<string, string>, query = 'api-version=7.1') => sandboxFetch(sb, `https://dev.azure.com/${org}/_apis/projects?${query}`, { headers });

describe('fake Azure DevOps: tenant discovery and projects', () => {
  it('answers anonymous requests with 401 and the org tenant (GET and HEAD)', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await sandboxFetch(sb, 'https://dev.azure.com/contoso', { method });
      expect(res.status).toBe(401);
      expect(res.headers['x-vss-resourcetenant']).toBe(TENANT.id);
      expect(res.headers['www-authenticate']).toContain(`Bearer authorization_uri=https://login.microsoftonline.com/${TENANT.id}`);
    }
    const msa = await sandboxFetch(sb, 'https://dev.azure.com/fabrikam-msa/_apis/connectionData');
    expect(msa.status).toBe(401);
    expect(msa.headers['x-vss-resourcetenant']).toBe(MSA_TENANT_ID);
    const legacy = await sandboxFetch(sb, 'https://contoso.visualstudio.com/_apis/connectionData');
    expect(legacy.headers['x-vss-resourcetenant']).toBe(TENANT.id);
    const missing = await sandboxFetch(sb, 'https://dev.azure.com/no-such-org');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ $id: '1', innerException: null, errorCode: 0, eventId: 3000, typeKey: expect.any(String), typeName: expect.any(String) });
  });

  it('lists projects for a member with an Entra token, honouring $top', async () => {
    const token = (await signIn(sb)).access_token;
    const all = await projects('contoso', bearer(token));
    expect(all.status).toBe(200);
    expect(all.json().count).toBe(2);
    expect(all.json().value.map((p: { name: string }) => p.name)).toEqual(['Payments', 'Platform']);
    expect(all.json().value[0]).toMatchObject({ id: ORGS.contoso.projects[0].id, state: 'wellFormed', visibility: 'private' });
    const one = await projects('contoso', bearer(token), 'api-version=7.2-preview.2&$top=1');
    expect(one.json().count).toBe(1);
  });

  it('refuses non-members, bad tokens and anonymous callers with 401', async () => {
    const token = (await signIn(sb)).access_token;
    const north = await projects('northwind', bearer(token));
    expect(north.status).toBe(401);
    expect(north.json().message).toBe(`TF400813: The user '${ADA.upn}' is not authorized to access this resource.`);
    expect(north.headers['x-vss-resourcetenant']).toBe(TENANT.id);
    expect((await projects('fabrikam-msa', bearer(token))).status).toBe(401);
    expect((await projects('contoso', bearer('garbage'))).status).toBe(401);
    expect((await projects('contoso', {})).json().message).toMatch(/^TF400813: Resource not available for anonymous access/);
    sb.advanceClock(3600_000);
    expect((await projects('contoso', bearer(token))).status).toBe(401);
  });

  it('accepts an active PAT for its org only', async () => {
    expect((await projects('contoso', basic(SEEDED_PATS.contosoPasted.token))).status).toBe(200);
    expect((await projects('fabrikam-msa', basic(SEEDED_PATS.fabrikamMsa.token))).status).toBe(200);
    expect((await projects('northwind', basic(SEEDED_PATS.contosoPasted.token))).status).toBe(401);
    expect((await projects('contoso', basic('not-a-pat'))).status).toBe(401);
  });

  it('can answer a PAT it does not accept with the 203 sign-in page or a 302, unless the caller suppresses the redirect', async () => {
    sb.config.azureDevOps.unusablePatAnswer = 'sign-in-page';
    const page = await projects('contoso', basic('not-a-pat'), 'api-version=7.2-preview.2&$top=1');
    expect(page.status).toBe(203);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Sign in');
    expect(() => page.json()).toThrow();
    sb.state.pats.find((p) => p.token === SEEDED_PATS.contosoPasted.token)!.status = 'revoked';
    expect((await projects('contoso', basic(SEEDED_PATS.contosoPasted.token))).status).toBe(203);
    expect((await projects('northwind', basic(SEEDED_PATS.fabrikamMsa.token))).status).toBe(203);
    const suppressed = await projects('contoso', { ...basic('not-a-pat'), 'x-tfs-fedauthredirect': 'Suppress' });
    expect(suppressed.status).toBe(401);
    expect(suppressed.json().message).toMatch(/^VS30063/);
    sb.config.azureDevOps.unusablePatAnswer = 'redirect';
    const moved = await projects('contoso', basic('not-a-pat'));
    expect(moved.status).toBe(302);
    expect(moved.location?.origin).toBe('https://app.vssps.visualstudio.com');
    // A good PAT, and a missing scope, are answered as before.
    expect((await projects('fabrikam-msa', basic(SEEDED_PATS.fabrikamMsa.token))).status).toBe(200);
    expect((await projects('contoso', {})).status).toBe(401);
  });
});

describe('fake Azure DevOps: PAT lifecycle', () => {
  it('creates, lists, gets, updates and revokes an org-scoped PAT', async () => {
    const h = bearer((await signIn(sb)).access_token);
    const created = await sandboxFetch(sb, PATS, { method: 'POST', headers: h, body: { displayName: 'infisical', scope: INFISICAL_PAT_SCOPE, validTo: inDays(30), allOrgs: false } });
    expect(created.status).toBe(200);
    const { patToken, patTokenError } = created.json();
    expect(patTokenError).toBe('none');
    expect(patToken.token).toMatch(/^[a-z2-7]{52}$/);
    expect(patToken.targetAccounts).toEqual([ORGS.contoso.accountId]);
    expect(sb.state.pats.find((p) => p.authorizationId === patToken.authorizationId)).toMatchObject({ status: 'active', org: 'contoso', ownerOid: ADA.oid, allOrgs: false });

    const listed = await sandboxFetch(sb, `${PATS}&displayFilterOption=active&$top=100`, { headers: h });
    // Ada's seeded "pasted" PAT and the new one, sorted by displayName, secrets never listed.
    expect(listed.json().patTokens.map((p: { displayName: string; token: null }) => [p.displayName, p.token])).toEqual([
      ['infisical', null],
      [SEEDED_PATS.contosoPasted.displayName, null],
    ]);
    const got = await sandboxFetch(sb, `${PATS}&authorizationId=${patToken.authorizationId}`, { headers: h });
    expect(got.json().patToken).toMatchObject({ displayName: 'infisical', token: null });
    const updated = await sandboxFetch(sb, PATS, { method: 'PUT', headers: h, body: { authorizationId: patToken.authorizationId, displayName: 'renamed' } });
    expect(updated.json().patToken.displayName).toBe('renamed');

    expect((await projects('contoso', basic(patToken.token))).status).toBe(200);
    const revoked = await sandboxFetch(sb, `${PATS}&authorizationId=${patToken.authorizationId}`, { method: 'DELETE', headers: h });
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    expect((await projects('contoso', basic(patToken.token))).status).toBe(401);
    const revokedList = await sandboxFetch(sb, `${PATS}&displayFilterOption=revoked`, { headers: h });
    expect(revokedList.json().patTokens).toHaveLength(1);
  });

  it('refuses PATs as credentials (InvalidAccessException)', async () => {
    const res = await sandboxFetch(sb, PATS, { headers: basic(SEEDED_PATS.contosoPasted.token) });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ message: 'The requested operation is not allowed.', typeKey: 'InvalidAccessException' });
  });

  it('reports policy violations as 200 with patTokenError and an empty patToken', async () => {
    const h = bearer((await signIn(sb)).access_token);
    const create = (body: object) =>
      sandboxFetch(sb, PATS, { method: 'POST', headers: h, body: { displayName: 'x', scope: 'vso.project', validTo: inDays(10), allOrgs: false, ...body } });
    const global = await create({ allOrgs: true });
    expect(global.status).toBe(200);
    expect(global.json()).toMatchObject({ patTokenError: 'globalPatPolicyViolation', patToken: { authorizationId: '00000000-0000-0000-0000-000000000000', token: null } });
    expect((await create({ displayName: '' })).json().patTokenError).toBe('displayNameRequired');
    expect((await create({ scope: 'vso.nonsense' })).json().patTokenError).toBe('invalidScope');
    expect((await create({ validTo: inDays(-1) })).json().patTokenError).toBe('invalidValidTo');
    sb.config.azureDevOps.orgs.contoso!.policy.restrictFullScope = true;
    expect((await create({ scope: 'app_token' })).json().patTokenError).toBe('fullScopePatPolicyViolation');
    sb.config.azureDevOps.orgs.contoso!.policy.disablePatCreation = true;
    expect((await create({})).json().patTokenError).toBe('disablePatCreationPolicyViolation');
    sb.config.azureDevOps.orgs.contoso!.policy.disablePatCreation = false;
    sb.config.azureDevOps.forcePatTokenError = 'failedToReadTenantPolicy';
    expect((await create({})).json().patTokenError).toBe('failedToReadTenantPolicy');
    expect(sb.state.pats).toHaveLength(2); // only the seeded ones
  });

  it('clamps validTo to the max lifespan silently', async () => {
    sb.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30;
    const h = bearer((await signIn(sb)).access_token);
    const res = await sandboxFetch(sb, PATS, { method: 'POST', headers: h, body: { displayName: 'long', scope: 'vso.project', validTo: inDays(365), allOrgs: false } });
    expect(res.json().patTokenError).toBe('none');
    const days = (Date.parse(res.json().patToken.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('requires a preview api-version', async () => {
    const h = bearer((await signIn(sb)).access_token);
    const res = await sandboxFetch(sb, 'https://vssps.dev.azure.com/contoso/_apis/Tokens/Pats?api-version=7.1', { headers: h });
    expect(res.status).toBe(400);
    expect(res.json().typeKey).toBe('VssInvalidPreviewVersionException');
  });
});

describe('fake Azure DevOps: profile and accounts', () => {
  it('returns the profile and the orgs of the token tenant the user belongs to', async () => {
    const h = bearer((await signIn(sb)).access_token);
    const me = await sandboxFetch(sb, 'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1', { headers: h });
    expect(me.json()).toMatchObject({ displayName: ADA.name, emailAddress: ADA.upn, id: ADA.profileId });
    const accounts = await sandboxFetch(sb, `https://app.vssps.visualstudio.com/_apis/accounts?memberId=${ADA.profileId}&api-version=7.1`, { headers: h });
    expect(accounts.json()).toEqual({
      count: 1,
      value: [{ accountId: ORGS.contoso.accountId, accountUri: 'https://vssps.dev.azure.com/contoso/', accountName: 'contoso', properties: {} }],
    });
    expect((await sandboxFetch(sb, 'https://app.vssps.visualstudio.com/_apis/profile/profiles/me')).status).toBe(401);
  });
});
