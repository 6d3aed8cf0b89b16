// Entra tenants (docs/contracts.md C.6): Ada's home tenant contoso, and tailspin, where she is
// a B2B guest (woodgrove and adatum likewise, for a Renew all over four tenants). The extension's multi-tenant app signs her in to each with that tenant's authority;
// each tenant's token works for that tenant's organizations only. At HTTP level, as the extension
// and Infisical make the calls.
import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { seedConnections } from '../support/sandbox-seed.ts';
import {
  ADA,
  ADA_ADATUM_GUEST,
  ADA_TAILSPIN_GUEST,
  ADA_WOODGROVE_GUEST,
  ADATUM_TENANT,
  ADO_RESOURCE_ID,
  EXTENSION_APP,
  INFISICAL,
  INFISICAL_OAUTH_AUTHORIZE,
  INFISICAL_PAT_SCOPE,
  ORGS,
  TAILSPIN_TENANT,
  TENANT,
  WOODGROVE_TENANT,
} from './fixtures.ts';
import { ADO_SCOPE, authorizeUrl, getCode, infisicalLogin, pkcePair, redeem, redirectParams, signIn } from './flows.ts';
import { decodeJwt } from './jwt.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const basic = (pat: string) => ({ authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` });
const pats = (org: string) => `https://vssps.dev.azure.com/${org}/_apis/tokens/pats?api-version=7.1-preview.1`;
const projects = (org: string, headers: Record<string, string>) => sandboxFetch(sb, `https://dev.azure.com/${org}/_apis/projects?api-version=7.1`, { headers });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const mint = (org: string, token: string, displayName: string) =>
  sandboxFetch(sb, pats(org), { method: 'POST', headers: bearer(token), body: { displayName, scope: INFISICAL_PAT_SCOPE, validTo: inDays(30), allOrgs: false } });

describe('second tenant: tailspin', () => {
  it('tenant discovery names tailspin for the org tailspin, contoso for contoso', async () => {
    const tailspin = await sandboxFetch(sb, 'https://dev.azure.com/tailspin');
    expect(tailspin.status).toBe(401);
    expect(tailspin.headers['x-vss-resourcetenant']).toBe(TAILSPIN_TENANT.id);
    expect(tailspin.headers['www-authenticate']).toContain(`Bearer authorization_uri=https://login.microsoftonline.com/${TAILSPIN_TENANT.id}`);
    expect((await sandboxFetch(sb, 'https://tailspin.visualstudio.com/_apis/connectionData')).headers['x-vss-resourcetenant']).toBe(TAILSPIN_TENANT.id);
    expect((await sandboxFetch(sb, 'https://dev.azure.com/contoso')).headers['x-vss-resourcetenant']).toBe(TENANT.id);
  });

  it('signs Ada in to tailspin with the same client id (authorize → code → PKCE token): her guest account there, her home account named', async () => {
    const { verifier, challenge } = pkcePair();
    const authz = await sandboxFetch(sb, authorizeUrl({ tenant: TAILSPIN_TENANT.id, challenge, nonce: 'n-t', extra: { client_info: '1' } }));
    const params = redirectParams(authz);
    expect(authz.location?.origin + (authz.location?.pathname ?? '')).toBe(EXTENSION_APP.chromiumRedirect);
    // client_info on the redirect names the home account: MSAL's homeAccountId stays Ada's.
    expect(JSON.parse(Buffer.from(params.get('client_info')!, 'base64url').toString())).toEqual({ uid: ADA.oid, utid: TENANT.id });
    const res = await redeem(
      sb,
      {
        client_id: EXTENSION_APP.clientId,
        grant_type: 'authorization_code',
        code: params.get('code')!,
        code_verifier: verifier,
        redirect_uri: EXTENSION_APP.chromiumRedirect,
        scope: `${ADO_SCOPE} openid profile offline_access`,
        client_info: '1',
      },
      undefined,
      TAILSPIN_TENANT.id,
    );
    expect(res.status, res.text).toBe(200);
    const body = res.json();
    expect(decodeJwt(body.id_token)).toMatchObject({
      aud: EXTENSION_APP.clientId,
      iss: `https://login.microsoftonline.com/${TAILSPIN_TENANT.id}/v2.0`,
      tid: TAILSPIN_TENANT.id,
      oid: ADA_TAILSPIN_GUEST.oid,
      preferred_username: ADA.upn,
      idp: `https://sts.windows.net/${TENANT.id}/`,
      nonce: 'n-t',
    });
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: ADO_RESOURCE_ID, tid: TAILSPIN_TENANT.id, oid: ADA_TAILSPIN_GUEST.oid, appid: EXTENSION_APP.clientId });
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({ uid: ADA.oid, utid: TENANT.id });
    expect(sb.state.tokenExchanges.at(-1)).toMatchObject({ tenant: TAILSPIN_TENANT.id, pkce: 'S256', ok: true });
    // The tenant's domain is an authority too.
    expect((await getCode(sb, { tenant: TAILSPIN_TENANT.domain })).code).toMatch(/^1\.sandbox\./);
  });

  it('a tailspin token lists tailspin projects, mints a PAT there, and reads the profile with Ada’s home address', async () => {
    const token = (await signIn(sb, ADO_SCOPE, TAILSPIN_TENANT.id)).access_token;
    const listed = await projects('tailspin', bearer(token));
    expect(listed.status).toBe(200);
    expect(listed.json().value.map((p: { name: string }) => p.name)).toEqual(['Storefront', 'Warehouse']);

    const created = await mint('tailspin', token, 'Infisical azure-devops-tailspin');
    expect(created.json()).toMatchObject({ patTokenError: 'none', patToken: { targetAccounts: [ORGS.tailspin.accountId] } });
    const pat = created.json().patToken;
    expect(sb.state.pats.find((p) => p.authorizationId === pat.authorizationId)).toMatchObject({ org: 'tailspin', ownerOid: ADA_TAILSPIN_GUEST.oid, status: 'active' });
    expect((await projects('tailspin', basic(pat.token))).status).toBe(200);
    expect((await projects('contoso', basic(pat.token))).status).toBe(401);
    const list = await sandboxFetch(sb, `${pats('tailspin')}&displayFilterOption=active`, { headers: bearer(token) });
    expect(list.json().patTokens.map((p: { authorizationId: string }) => p.authorizationId)).toEqual([pat.authorizationId]);

    const me = await sandboxFetch(sb, 'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1', { headers: bearer(token) });
    expect(me.json()).toMatchObject({ id: ADA_TAILSPIN_GUEST.profileId, emailAddress: ADA.upn, displayName: ADA.name });
    const accounts = await sandboxFetch(sb, `https://app.vssps.visualstudio.com/_apis/accounts?memberId=${ADA_TAILSPIN_GUEST.profileId}&api-version=7.1`, { headers: bearer(token) });
    expect(accounts.json().value.map((a: { accountName: string }) => a.accountName)).toEqual(['tailspin']);
  });

  it('refuses a contoso token for tailspin, and a tailspin token for contoso', async () => {
    const contoso = (await signIn(sb)).access_token;
    const tailspin = (await signIn(sb, ADO_SCOPE, TAILSPIN_TENANT.id)).access_token;
    const refused = await projects('tailspin', bearer(contoso));
    expect(refused.status).toBe(401);
    expect(refused.json().message).toBe(`TF400813: The user '${ADA.upn}' is not authorized to access this resource.`);
    // The 401 still names the org's tenant, so a client knows where to sign in instead.
    expect(refused.headers['x-vss-resourcetenant']).toBe(TAILSPIN_TENANT.id);
    expect((await mint('tailspin', contoso, 'nope')).status).toBe(401);
    expect((await projects('contoso', bearer(tailspin))).status).toBe(401);
    expect((await mint('contoso', tailspin, 'nope')).status).toBe(401);
    expect(sb.state.pats.map((p) => p.org)).toEqual(['contoso', 'fabrikam-msa']);
    // With its own tenant's token, each org answers.
    expect((await projects('contoso', bearer(contoso))).status).toBe(200);
    expect((await projects('tailspin', bearer(tailspin))).status).toBe(200);
  });

  it("one sign-in per tenant covers both tenants' PATs", async () => {
    const contoso = (await signIn(sb, ADO_SCOPE, TENANT.id)).access_token;
    const tailspin = (await signIn(sb, ADO_SCOPE, TAILSPIN_TENANT.id)).access_token;
    expect((await mint('contoso', contoso, 'Infisical a')).json().patTokenError).toBe('none');
    expect((await mint('tailspin', tailspin, 'Infisical b')).json().patTokenError).toBe('none');
    expect(sb.state.tokenExchanges.map((e) => e.tenant)).toEqual([TENANT.id, TAILSPIN_TENANT.id]);
    expect(sb.state.authorizeLog.map((a) => [a.tenant, a.outcome])).toEqual([
      [TENANT.id, 'code'],
      [TAILSPIN_TENANT.id, 'code'],
    ]);
  });

  it('a code issued for tailspin is not redeemed at contoso (AADSTS700005)', async () => {
    const { code, verifier } = await getCode(sb, { tenant: TAILSPIN_TENANT.id });
    const form = { client_id: EXTENSION_APP.clientId, grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: EXTENSION_APP.chromiumRedirect, scope: ADO_SCOPE };
    expect((await redeem(sb, form, undefined, TENANT.id)).json()).toMatchObject({ error: 'invalid_grant', error_codes: [700005] });
    expect((await redeem(sb, form, undefined, TAILSPIN_TENANT.id)).status).toBe(200);
  });

  it('a single-tenant app is not found in tailspin (AADSTS700016), and without a guest account Ada gets AADSTS50020', async () => {
    const infisical = await sandboxFetch(sb, authorizeUrl({ ...INFISICAL_OAUTH_AUTHORIZE, tenant: TAILSPIN_TENANT.id }));
    expect(infisical.status).toBe(400);
    expect(infisical.text).toContain('AADSTS700016');
    expect(infisical.text).toContain("in the directory 'tailspin'");
    delete sb.config.entra.users[ADA_TAILSPIN_GUEST.oid];
    const page = await sandboxFetch(sb, authorizeUrl({ tenant: TAILSPIN_TENANT.id, challenge: pkcePair().challenge }));
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.text).toContain(`AADSTS50020: User account '${ADA.upn}' from identity provider 'https://sts.windows.net/${TENANT.id}/' does not exist in tenant 'tailspin'`);
    expect(sb.state.authorizeLog.at(-1)).toMatchObject({ outcome: 'error-page', error: 'AADSTS50020' });
    // Her home tenant is unaffected.
    expect((await signIn(sb)).access_token).toBeTruthy();
  });

  it('Infisical accepts a tailspin PAT for an access-token connection, checking it against tailspin', async () => {
    const token = (await signIn(sb, ADO_SCOPE, TAILSPIN_TENANT.id)).access_token;
    const pat = (await mint('tailspin', token, 'Infisical azure-devops-tailspin')).json().patToken;
    const identity = await infisicalLogin(sb);
    const res = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v1/app-connections/azure-devops`, {
      method: 'POST',
      headers: bearer(identity),
      body: { name: 'azure-devops-tailspin', method: 'access-token', credentials: { accessToken: pat.token, orgName: 'tailspin' } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json().appConnection.credentials).toEqual({ orgName: 'tailspin' });
    expect(sb.requests.filter((r) => r.host === 'dev.azure.com').map((r) => [r.path, r.auth, r.status])).toEqual([['/tailspin/_apis/projects', 'basic', 200]]);
  });
});

describe('four tenants: woodgrove and adatum, where Ada is a guest as in tailspin', () => {
  const guests = [
    { tenant: TAILSPIN_TENANT, guest: ADA_TAILSPIN_GUEST, org: ORGS.tailspin },
    { tenant: WOODGROVE_TENANT, guest: ADA_WOODGROVE_GUEST, org: ORGS.woodgrove },
    { tenant: ADATUM_TENANT, guest: ADA_ADATUM_GUEST, org: ORGS.adatum },
  ];

  it.each(guests)('signs Ada in to $tenant.name with the same client id: her guest account there, a PAT in its org', async ({ tenant, guest, org }) => {
    expect((await sandboxFetch(sb, `https://dev.azure.com/${org.name}`)).headers['x-vss-resourcetenant']).toBe(tenant.id);
    const body = await signIn(sb, ADO_SCOPE, tenant.id);
    expect(decodeJwt(body.id_token!)).toMatchObject({ tid: tenant.id, oid: guest.oid, preferred_username: ADA.upn, idp: `https://sts.windows.net/${TENANT.id}/` });
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: ADO_RESOURCE_ID, tid: tenant.id, oid: guest.oid, appid: EXTENSION_APP.clientId });
    expect((await getCode(sb, { tenant: tenant.domain })).code).toMatch(/^1\.sandbox\./);
    const listed = await projects(org.name, bearer(body.access_token));
    expect(listed.json().value.map((p: { name: string }) => p.name)).toEqual(org.projects.map((p) => p.name));
    const created = await mint(org.name, body.access_token, `Infisical azure-devops-${org.name}`);
    expect(created.json()).toMatchObject({ patTokenError: 'none', patToken: { targetAccounts: [org.accountId] } });
    expect(sb.state.pats.at(-1)).toMatchObject({ org: org.name, ownerOid: guest.oid, status: 'active' });
    // Each tenant's token is good for its own orgs only.
    expect((await projects('contoso', bearer(body.access_token))).status).toBe(401);
    expect((await projects(org.name, bearer((await signIn(sb)).access_token))).status).toBe(401);
  });

  it('one sign-in per tenant, four tenants: seeded connections in each, every PAT renewable with its tenant’s token', async () => {
    const tenants = [TENANT.id, TAILSPIN_TENANT.id, WOODGROVE_TENANT.id, ADATUM_TENANT.id];
    const { orgs, connections } = seedConnections(sb, { connections: 8, orgs: 4, tenants, validForDays: 30 });
    expect(orgs.map((o) => o.tenantId)).toEqual(tenants);
    expect(orgs.map((o) => o.members)).toEqual([[ADA.oid], [ADA_TAILSPIN_GUEST.oid], [ADA_WOODGROVE_GUEST.oid], [ADA_ADATUM_GUEST.oid]]);
    const tokens = new Map<string, string>();
    for (const tenant of tenants) tokens.set(tenant, (await signIn(sb, ADO_SCOPE, tenant)).access_token);
    expect(sb.state.authorizeLog.map((a) => [a.tenant, a.outcome])).toEqual(tenants.map((t) => [t, 'code']));
    for (const c of connections) {
      const token = tokens.get(c.tenantId)!;
      expect((await mint(c.org, token, c.pat.displayName)).json().patTokenError).toBe('none');
      expect((await projects(c.org, basic(c.pat.token))).status).toBe(200);
    }
  });
});
