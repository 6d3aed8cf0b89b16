// What the connections view and its renewal rely on, at HTTP level: Infisical's list, PATCH (with
// its credential check against Azure DevOps), DELETE, and the PAT Lifecycle API's answers for
// revoked and expired tokens (docs/contracts.md A.3, B.1); and the seeding helpers of
// tests/support/sandbox-seed.ts, checked against those same APIs.
import { describe, expect, it } from 'vitest';
import { addSecretSync, deleteConnectionInInfisical, revokePatBehindTheBack, sandboxAdmin, seedConnections } from '../support/sandbox-seed.ts';
import { sandboxFetch } from './client.ts';
import { ADA, ADA_TAILSPIN_GUEST, INFISICAL, INFISICAL_PAT_SCOPE, SEEDED_PATS, SERVICE_PRINCIPAL, TAILSPIN_TENANT, TENANT } from './fixtures.ts';
import { ADO_SCOPE, infisicalLogin, signIn } from './flows.ts';
import { IN_USE } from './infisical-connections.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const ADO = `${INFISICAL.siteUrl}/api/v1/app-connections/azure-devops`;
const REQ_ID = /^req-[A-Za-z0-9]{14}$/;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const basic = (pat: string) => ({ authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` });
const pats = (org: string, query = '') => `https://vssps.dev.azure.com/${org}/_apis/tokens/pats?api-version=7.1-preview.1${query}`;
const projects = (org: string, headers: Record<string, string>) => sandboxFetch(sb, `https://dev.azure.com/${org}/_apis/projects?api-version=7.1`, { headers });
const inDays = (d: number) => new Date(Date.now() + sb.state.clockOffsetMs + d * 86_400_000).toISOString();

async function mint(org: string, token: string, displayName: string) {
  const res = await sandboxFetch(sb, pats(org), { method: 'POST', headers: bearer(token), body: { displayName, scope: INFISICAL_PAT_SCOPE, validTo: inDays(30), allOrgs: false } });
  expect(res.json().patTokenError).toBe('none');
  return res.json().patToken as { authorizationId: string; token: string; validTo: string };
}

/** The authorization ids of the PATs contoso's PAT list shows the token's user under a `displayFilterOption`. */
async function listedIds(token: string, filter: string): Promise<string[]> {
  const res = await sandboxFetch(sb, pats('contoso', `&displayFilterOption=${filter}`), { headers: bearer(token) });
  return res.json().patTokens.map((p: { authorizationId: string }) => p.authorizationId);
}

/** An access-token connection for contoso holding the seeded "pasted" PAT. */
async function connection(identity: string, name = 'azure-devops-contoso') {
  const res = await sandboxFetch(sb, ADO, {
    method: 'POST',
    headers: bearer(identity),
    body: { name, method: 'access-token', credentials: { accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' } },
  });
  expect(res.status, res.text).toBe(200);
  return res.json().appConnection;
}

const patch = (identity: string, id: string, accessToken: string, orgName = 'contoso') =>
  sandboxFetch(sb, `${ADO}/${id}`, { method: 'PATCH', headers: bearer(identity), body: { credentials: { accessToken, orgName } } });

describe('Infisical PATCH: new credentials, checked as Infisical checks them', () => {
  it('renewal: mint, PATCH by id (checked with the new PAT against Azure DevOps), revoke the old one', async () => {
    const identity = await infisicalLogin(sb);
    const before = await connection(identity);
    expect(before).toMatchObject({ version: 1, isAutoRotationEnabled: false, credentialsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const token = (await signIn(sb)).access_token;
    const fresh = await mint('contoso', token, 'Infisical azure-devops-contoso');
    sb.advanceClock(60_000);
    sb.requests.length = 0;

    const res = await patch(identity, before.id, fresh.token);
    expect(res.status, res.text).toBe(200);
    const after = res.json().appConnection;
    expect(after).toMatchObject({ id: before.id, name: before.name, createdAt: before.createdAt, version: 1, credentials: { orgName: 'contoso' } });
    expect(Date.parse(after.updatedAt) - Date.parse(before.updatedAt)).toBeGreaterThanOrEqual(60_000);
    expect(after.credentialsHash).not.toBe(before.credentialsHash);
    expect(JSON.stringify(after)).not.toContain(fresh.token);
    expect(sb.state.connections[0]?.secretCredentials).toEqual({ accessToken: fresh.token, orgName: 'contoso' });
    // Infisical's own check: the projects call with the new PAT, before anything was stored.
    expect(sb.requests.map((r) => [r.host, r.method, r.path, r.query, r.auth, r.status])).toEqual([
      ['dev.azure.com', 'GET', '/contoso/_apis/projects', '?api-version=7.2-preview.2&$top=1', 'basic', 200],
      ['infisical.sandbox.test', 'PATCH', `/api/v1/app-connections/azure-devops/${before.id}`, '', 'bearer', 200],
    ]);

    const revoked = await sandboxFetch(sb, pats('contoso', `&authorizationId=${SEEDED_PATS.contosoPasted.authorizationId}`), { method: 'DELETE', headers: bearer(token) });
    expect(revoked.status).toBe(204);
    expect((await projects('contoso', basic(SEEDED_PATS.contosoPasted.token))).status).toBe(401);
    expect((await projects('contoso', basic(fresh.token))).status).toBe(200);
  });

  it('PATCH leaves version alone when told to, as Infisical’s code does; updatedAt and credentialsHash still move', async () => {
    sb.config.infisical.patchBumpsVersion = false;
    const identity = await infisicalLogin(sb);
    const before = await connection(identity);
    const fresh = await mint('contoso', (await signIn(sb)).access_token, 'Infisical azure-devops-contoso');
    sb.advanceClock(1000);
    const after = (await patch(identity, before.id, fresh.token)).json().appConnection;
    expect(after.version).toBe(1);
    expect(after.updatedAt).not.toBe(before.updatedAt);
    expect(after.credentialsHash).not.toBe(before.credentialsHash);
    // A PATCH without credentials moves updatedAt only (a database trigger), in both modes.
    sb.advanceClock(1000);
    const described = (await sandboxFetch(sb, `${ADO}/${before.id}`, { method: 'PATCH', headers: bearer(identity), body: { description: 'renewed' } })).json().appConnection;
    expect(described).toMatchObject({ version: 1, description: 'renewed', credentialsHash: after.credentialsHash });
    expect(described.updatedAt > after.updatedAt).toBe(true);
  });

  it.each([
    ['unauthorized', "Failed to validate access token for organization 'contoso': VS30063: You are not authorized to access https://dev.azure.com."],
    ['sign-in-page', 'Unable to validate Azure DevOps token'],
    ['redirect', "Failed to validate access token for organization 'contoso': Request failed with status code 302"],
  ] as const)('a PATCH with a revoked PAT (Azure DevOps answering %s) is refused with Infisical’s body and changes nothing', async (mode, message) => {
    sb.config.azureDevOps.unusablePatAnswer = mode;
    const identity = await infisicalLogin(sb);
    const created = await connection(identity);
    const fresh = await mint('contoso', (await signIn(sb)).access_token, 'Infisical azure-devops-contoso');
    revokePatBehindTheBack(sb, fresh.authorizationId);
    const stored = structuredClone(sb.state.connections[0]);
    sb.advanceClock(1000);
    const res = await patch(identity, created.id, fresh.token);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 400, error: 'BadRequest', message });
    expect(sb.state.connections[0]).toEqual(stored);
    expect((await sandboxFetch(sb, `${ADO}/${created.id}`, { headers: bearer(identity) })).json().appConnection).toEqual(created);
  });

  it('a PATCH with a PAT Azure DevOps never issued, or one for another org, is refused the same way', async () => {
    const identity = await infisicalLogin(sb);
    const created = await connection(identity);
    const unknown = await patch(identity, created.id, 'a'.repeat(52));
    expect(unknown.json()).toMatchObject({ statusCode: 400, error: 'BadRequest', message: expect.stringMatching(/^Failed to validate access token for organization 'contoso': /) });
    const elsewhere = await patch(identity, created.id, SEEDED_PATS.fabrikamMsa.token);
    expect(elsewhere.status).toBe(400);
    expect(sb.state.connections[0]?.secretCredentials).toEqual({ accessToken: SEEDED_PATS.contosoPasted.token, orgName: 'contoso' });
    expect(sb.state.connections[0]?.version).toBe(1);
  });
});

describe('Infisical list and DELETE', () => {
  it('GET / answers every connection, sanitized (no secret), sorted by name; the all-apps list too', async () => {
    const identity = await infisicalLogin(sb);
    const { connections } = seedConnections(sb, { connections: 300, orgs: 30 });
    await connection(identity, 'a-first-by-name');
    await sandboxFetch(sb, ADO, {
      method: 'POST',
      headers: bearer(identity),
      body: {
        name: 'sp',
        method: 'client-secret',
        credentials: { clientId: SERVICE_PRINCIPAL.clientId, clientSecret: SERVICE_PRINCIPAL.clientSecret, tenantId: TENANT.id, orgName: 'contoso' },
      },
    });
    const res = await sandboxFetch(sb, ADO, { headers: bearer(identity) });
    const listed = res.json().appConnections as { name: string; credentials: Record<string, string> }[];
    expect(listed).toHaveLength(302);
    const names = listed.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names[0]).toBe('a-first-by-name');
    const text = res.text;
    for (const secret of [SEEDED_PATS.contosoPasted.token, SERVICE_PRINCIPAL.clientSecret, ...connections.map((c) => c.pat.token)]) expect(text).not.toContain(secret);
    expect(listed.find((c) => c.name === 'sp')?.credentials).toEqual({ clientId: SERVICE_PRINCIPAL.clientId, tenantId: TENANT.id, orgName: 'contoso' });
    expect(listed.find((c) => c.name === connections[0]!.connection.name)).toEqual(connections[0]!.connection);
    const all = await sandboxFetch(sb, `${INFISICAL.siteUrl}/api/v1/app-connections`, { headers: bearer(identity) });
    expect(all.json().appConnections).toHaveLength(302);
  });

  it('DELETE answers the deleted connection, then 404; a connection used by a secret sync is refused with 400 and stays', async () => {
    const identity = await infisicalLogin(sb);
    const created = await connection(identity);
    const sync = addSecretSync(sb, created.id);
    const refused = await sandboxFetch(sb, `${ADO}/${created.id}`, { method: 'DELETE', headers: bearer(identity) });
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 400, error: 'BadRequest', message: IN_USE });
    expect(IN_USE).toBe('Cannot delete App Connection with existing connections. Remove all existing connections and try again.');
    expect(sb.state.connections.map((c) => c.id)).toEqual([created.id]);
    expect(() => deleteConnectionInInfisical(sb, created.id)).toThrow(IN_USE);

    sb.state.secretSyncs.splice(sb.state.secretSyncs.indexOf(sync), 1);
    const deleted = await sandboxFetch(sb, `${ADO}/${created.id}`, { method: 'DELETE', headers: bearer(identity) });
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toEqual({ appConnection: created });
    const again = await sandboxFetch(sb, `${ADO}/${created.id}`, { method: 'DELETE', headers: bearer(identity) });
    expect(again.json()).toEqual({ reqId: expect.stringMatching(REQ_ID), statusCode: 404, error: 'NotFound', message: `Could not find App Connection with ID ${created.id}` });
    // A missing connection is 404 before the sync check could matter, and before the permission.
    sb.config.infisical.identity.actions = ['connect'];
    const other = await infisicalLogin(sb);
    expect((await sandboxFetch(sb, `${ADO}/${created.id}`, { method: 'DELETE', headers: bearer(other) })).status).toBe(404);
  });
});

describe('PAT Lifecycle: revoked and expired PATs', () => {
  it('get by authorizationId answers a revoked PAT as before (nothing says revoked); the list files it under revoked', async () => {
    const token = (await signIn(sb)).access_token;
    const pat = await mint('contoso', token, 'Infisical renewed');
    const got = async () => (await sandboxFetch(sb, pats('contoso', `&authorizationId=${pat.authorizationId}`), { headers: bearer(token) })).json();
    const active = await got();
    revokePatBehindTheBack(sb, pat.authorizationId);
    expect(await got()).toEqual(active);
    expect(active).toMatchObject({ patTokenError: 'none', patToken: { authorizationId: pat.authorizationId, validTo: pat.validTo, token: null } });
    const listed = (filter: string) => listedIds(token, filter);
    expect(await listed('revoked')).toEqual([pat.authorizationId]);
    expect(await listed('active')).toEqual([SEEDED_PATS.contosoPasted.authorizationId]);
    expect((await listed('all')).sort()).toEqual([pat.authorizationId, SEEDED_PATS.contosoPasted.authorizationId].sort());
    // The other reading of Microsoft's silence: the get answers it as not found.
    sb.config.azureDevOps.revokedPatGet = 'not-found';
    expect(await got()).toMatchObject({ patTokenError: 'authorizationNotFound', patToken: { authorizationId: '00000000-0000-0000-0000-000000000000', token: null } });
    // An update of a revoked PAT is refused whatever the get says.
    const update = await sandboxFetch(sb, pats('contoso'), { method: 'PUT', headers: bearer(token), body: { authorizationId: pat.authorizationId, validTo: inDays(60) } });
    expect(update.json().patTokenError).toBe('invalidAuthorizationId');
  });

  it('an expired PAT: get shows its past validTo, the list files it under expired, and it authenticates nothing', async () => {
    const token = () => signIn(sb).then((t) => t.access_token);
    const pat = await mint('contoso', await token(), 'Infisical short');
    sb.advanceClock(31 * 86_400_000);
    const fresh = await token();
    const got = (await sandboxFetch(sb, pats('contoso', `&authorizationId=${pat.authorizationId}`), { headers: bearer(fresh) })).json();
    expect(got).toMatchObject({ patTokenError: 'none', patToken: { validTo: pat.validTo } });
    expect(Date.parse(got.patToken.validTo)).toBeLessThan(Date.now() + sb.state.clockOffsetMs);
    const listed = (filter: string) => listedIds(fresh, filter);
    expect(await listed('expired')).toEqual([pat.authorizationId]);
    expect(await listed('active')).toEqual([SEEDED_PATS.contosoPasted.authorizationId]);
    expect((await projects('contoso', basic(pat.token))).status).toBe(401);
  });
});

describe('seeding helpers (tests/support/sandbox-seed.ts)', () => {
  it('seeds N connections over M orgs that every fake agrees on', async () => {
    const { orgs, connections } = seedConnections(sb, { connections: 7, orgs: 3, validForDays: (i) => 10 + i });
    expect(orgs.map((o) => o.name)).toEqual(['bench-01', 'bench-02', 'bench-03']);
    expect(connections.map((c) => c.connection.name)).toEqual([
      'azure-devops-bench-01',
      'azure-devops-bench-02',
      'azure-devops-bench-03',
      'azure-devops-bench-01-2',
      'azure-devops-bench-02-2',
      'azure-devops-bench-03-2',
      'azure-devops-bench-01-3',
    ]);
    const seven = connections[6]!;
    expect(seven.record).toMatchObject({
      id: seven.connection.id,
      org: 'bench-01',
      tenantId: TENANT.id,
      method: 'access-token',
      patAuthorizationId: seven.pat.authorizationId,
      patLifetimeDays: 16,
    });
    expect(Date.parse(seven.pat.validTo) - Date.parse(seven.pat.validFrom)).toBe(16 * 86_400_000);
    // Azure DevOps: the org answers with its tenant, Ada's token lists it and its PATs, each PAT works for its org.
    expect((await sandboxFetch(sb, 'https://dev.azure.com/bench-02')).headers['x-vss-resourcetenant']).toBe(TENANT.id);
    const token = (await signIn(sb)).access_token;
    expect((await projects('bench-02', bearer(token))).status).toBe(200);
    const listed = (await sandboxFetch(sb, pats('bench-01', '&displayFilterOption=active'), { headers: bearer(token) })).json().patTokens;
    expect(listed.map((p: { displayName: string }) => p.displayName)).toEqual([
      'Infisical azure-devops-bench-01',
      'Infisical azure-devops-bench-01-2',
      'Infisical azure-devops-bench-01-3',
    ]);
    expect((await projects('bench-01', basic(seven.pat.token))).status).toBe(200);
    expect((await projects('bench-02', basic(seven.pat.token))).status).toBe(401);
    // Infisical: lists them, and takes a renewal of one (its check reaches the seeded org).
    const identity = await infisicalLogin(sb);
    expect((await sandboxFetch(sb, `${ADO}/${seven.connection.id}`, { headers: bearer(identity) })).json().appConnection).toEqual(seven.connection);
    const fresh = await mint('bench-01', token, 'Infisical azure-devops-bench-01-3');
    expect((await patch(identity, seven.connection.id, fresh.token, 'bench-01')).status).toBe(200);
    // Gone after a reset, config included.
    sb.reset();
    expect(sb.config.azureDevOps.orgs['bench-01']).toBeUndefined();
    expect(sb.state.connections).toEqual([]);
  });

  it('seeds over two tenants: each org in turn, its member the signed-in user’s account there', async () => {
    const { orgs, connections } = seedConnections(sb, { connections: 4, orgs: 2, tenants: [TENANT.id, TAILSPIN_TENANT.id] });
    expect(orgs.map((o) => [o.name, o.tenantId, o.members])).toEqual([
      ['bench-01', TENANT.id, [ADA.oid]],
      ['bench-02', TAILSPIN_TENANT.id, [ADA_TAILSPIN_GUEST.oid]],
    ]);
    expect(connections.map((c) => c.tenantId)).toEqual([TENANT.id, TAILSPIN_TENANT.id, TENANT.id, TAILSPIN_TENANT.id]);
    const tailspin = (await signIn(sb, ADO_SCOPE, TAILSPIN_TENANT.id)).access_token;
    const listed = (await sandboxFetch(sb, pats('bench-02'), { headers: bearer(tailspin) })).json().patTokens;
    expect(listed).toHaveLength(2);
    expect((await projects('bench-02', bearer((await signIn(sb)).access_token))).status).toBe(401);
  });

  it('revokes behind the back, deletes in Infisical, and refuses what the real services would refuse', async () => {
    const [first, second] = seedConnections(sb, { connections: 2, orgs: 1 }).connections;
    const identity = await infisicalLogin(sb);
    revokePatBehindTheBack(sb, first!.pat.authorizationId);
    expect((await projects('bench-01', basic(first!.pat.token))).status).toBe(401);
    expect((await patch(identity, second!.connection.id, first!.pat.token, 'bench-01')).status).toBe(400);

    expect(deleteConnectionInInfisical(sb, first!.connection.id)).toEqual(first!.connection);
    expect((await sandboxFetch(sb, `${ADO}/${first!.connection.id}`, { headers: bearer(identity) })).status).toBe(404);
    expect((await sandboxFetch(sb, ADO, { headers: bearer(identity) })).json().appConnections.map((c: { id: string }) => c.id)).toEqual([second!.connection.id]);
    expect(() => deleteConnectionInInfisical(sb, first!.connection.id)).toThrow(/no connection/);
    expect(() => revokePatBehindTheBack(sb, 'nope')).toThrow(/no PAT/);
    expect(() => seedConnections(sb, { connections: 1, orgs: 1 })).toThrow(/org bench-01 exists already/);
    delete sb.config.entra.users[ADA_TAILSPIN_GUEST.oid];
    expect(() => seedConnections(sb, { connections: 1, orgs: 1, orgPrefix: 'other', tenants: [TAILSPIN_TENANT.id] })).toThrow(/no account in tenant/);
    expect(sb.config.azureDevOps.orgs['other-01']).toBeUndefined();
  });

  it('does the same over the admin API, for a sandbox in its own process', async () => {
    const admin = sandboxAdmin(sb);
    const { orgs, connections } = await admin.seedConnections({ connections: 4, orgs: 2, validForDays: [5, 50] });
    expect(orgs.map((o) => o.name)).toEqual(['bench-01', 'bench-02']);
    expect(connections.map((c) => c.record.patLifetimeDays)).toEqual([5, 50, 5, 50]);
    expect(sb.state.connections).toHaveLength(4);
    expect(connections[0]!.record).toMatchObject({ id: connections[0]!.connection.id, patAuthorizationId: connections[0]!.pat.authorizationId, clientId: expect.any(String) });
    expect((await admin.revokePat(connections[0]!.pat.authorizationId)).status).toBe('revoked');
    await admin.addSecretSync(connections[1]!.connection.id, 'vars');
    await expect(admin.deleteConnection(connections[1]!.connection.id)).rejects.toThrow(/400 .*Cannot delete App Connection with existing connections/);
    expect(await admin.deleteConnection(connections[2]!.connection.id)).toEqual(connections[2]!.connection);
    await expect(admin.seedConnections({ connections: 1, orgs: 1 })).rejects.toThrow(/org bench-01 exists already/);
    await admin.advanceClock(6 * 86_400_000);
    // Six days on, bench-01's 5-day PATs are past validTo: the revoked one stays under revoked, the
    // other (its connection deleted in Infisical, the PAT still in Azure DevOps) is listed as expired.
    const token = (await signIn(sb)).access_token;
    const listed = async (org: string, filter: string) =>
      (await sandboxFetch(sb, pats(org, `&displayFilterOption=${filter}`), { headers: bearer(token) })).json().patTokens.map((p: { authorizationId: string }) => p.authorizationId);
    expect(await listed('bench-01', 'expired')).toEqual([connections[2]!.pat.authorizationId]);
    expect(await listed('bench-01', 'revoked')).toEqual([connections[0]!.pat.authorizationId]);
    expect((await listed('bench-02', 'active')).sort()).toEqual([connections[1]!.pat.authorizationId, connections[3]!.pat.authorizationId].sort());
  });
});
