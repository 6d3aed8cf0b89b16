import { describe, expect, it } from 'vitest';
import { INFISICAL_PAT_SCOPES } from '@/utils/config/endpoints';
import { readConnections } from '@/utils/storage/records-items';
import { readFlows } from '@/utils/storage/view';
import { INFISICAL, ORGS, SEEDED_PATS, SERVICE_PRINCIPAL_CONNECT, TENANT } from '../sandbox/fixtures';
import { useSandbox } from '../support/use-sandbox';
import { workerParts } from '../support/worker-parts';
import { NO_RULES, type PolicyRules } from '@/utils/policy/policy';
import { addSecretSync } from '../support/sandbox-seed';

/**
 * Renewal, Renew all, removal and the statuses behind them, with the worker's real parts against
 * the sandbox (tests/support/worker-parts.ts): only the browser's sign-in is the sandbox's own.
 */
const sandboxOf = useSandbox();
const microsoft = (connectionName: string, patLifetimeDays = 90) => ({ method: 'microsoft', tenant: TENANT.id, org: ORGS.contoso.name, connectionName, patLifetimeDays }) as const;

async function connect(parts: ReturnType<typeof workerParts>, request: object) {
  const { id } = await parts.runner.start(request);
  await parts.runner.idle();
  const flow = (await readFlows()).find((f) => f.id === id);
  expect(flow?.status, JSON.stringify(flow?.error)).toBe('succeeded');
  return flow!.result!.connectionId;
}

const patsNamed = (name: string) => sandboxOf().state.pats.filter((p) => p.displayName === `Infisical ${name}`);
const heldToken = (id: string) => sandboxOf().state.connections.find((c) => c.id === id)?.secretCredentials.accessToken;
/** The extension's own requests (Infisical's validation calls into Azure DevOps use Basic auth with the new PAT). */
const extensionCallsSince = (since: number) =>
  sandboxOf()
    .requests.slice(since)
    .filter((q) => q.auth !== 'basic');

describe('Renew', () => {
  it('mints a least-privilege PAT, PATCHes the connection by id, and only then revokes the old PAT', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    const [old] = patsNamed('azure-devops-contoso');
    await parts.inventory.view(true);
    const since = sandboxOf().requests.length;

    const outcome = await parts.renewals.renewOne(id);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true, id, note: null });

    const fresh = patsNamed('azure-devops-contoso').find((p) => p.authorizationId !== old!.authorizationId)!;
    expect(fresh).toMatchObject({ status: 'active', allOrgs: false, org: 'contoso' });
    expect(fresh.scope.split(' ').sort()).toEqual([...INFISICAL_PAT_SCOPES].sort());
    expect(old!.status).toBe('revoked');
    expect(heldToken(id)).toBe(fresh.token);
    // 90 days again: the lifetime it was made with.
    expect((Date.parse(fresh.validTo) - Date.now()) / 86_400_000).toBeGreaterThan(89);

    // Exactly create, PATCH by id, revoke of the old one, in that order: no lookup, no access check.
    const calls = extensionCallsSince(since)
      .filter((q) => !q.path.startsWith('/api/v1/auth'))
      .map((q) => `${q.method} ${q.path}${q.method === 'DELETE' ? q.query : ''}`);
    // The connection read again while the PAT is asked for (what a lost PATCH answer is judged against), in either order.
    expect(calls.slice(0, 2).sort()).toEqual([`GET /api/v1/app-connections/azure-devops/${id}`, 'POST /contoso/_apis/tokens/pats'].sort());
    expect(calls.slice(2)).toEqual([
      `PATCH /api/v1/app-connections/azure-devops/${id}`,
      `DELETE /contoso/_apis/tokens/pats?authorizationId=${old!.authorizationId}&api-version=7.1-preview.1`,
    ]);
    const [record] = await readConnections();
    expect(record).toMatchObject({ id, patAuthorizationId: fresh.authorizationId, patValidTo: fresh.validTo, patLifetimeDays: 90 });
  });

  it('a PATCH that fails leaves the connection and its old PAT working, and revokes the new PAT', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    const [old] = patsNamed('azure-devops-contoso');
    const { credentialsHash, updatedAt } = sandboxOf().state.connections[0]!;
    sandboxOf().faults.add({
      host: INFISICAL.host,
      method: 'PATCH',
      path: '/api/v1/app-connections/',
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'boom' },
    });

    const outcome = await parts.renewals.renewOne(id);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.details).toMatch(/revoked/);
    expect(old!.status).toBe('active');
    expect(heldToken(id)).toBe(old!.token);
    expect(sandboxOf().state.connections[0]).toMatchObject({ credentialsHash, updatedAt });
    const fresh = patsNamed('azure-devops-contoso').filter((p) => p.authorizationId !== old!.authorizationId);
    expect(fresh.map((p) => p.status)).toEqual(['revoked']);
    expect((await readConnections())[0]).toMatchObject({ patAuthorizationId: old!.authorizationId });
  });

  it('a PATCH answer lost, not landed, after the connection changed since the list was read: the new PAT is revoked, the one in use kept', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    await parts.inventory.view(true);
    // Updated since the list was read (the popup's update path, or Infisical's own page).
    await connect(parts, { ...microsoft('azure-devops-contoso'), mode: 'update' });
    const inUse = patsNamed('azure-devops-contoso').find((p) => p.status === 'active')!;
    sandboxOf().faults.add({ host: INFISICAL.host, method: 'PATCH', path: '/api/v1/app-connections/', mode: 'reset' });

    const outcome = await parts.renewals.renewOne(id);
    expect(outcome.ok).toBe(false);
    expect(inUse.status).toBe('active');
    expect(heldToken(id)).toBe(inUse.token);
    expect(patsNamed('azure-devops-contoso').filter((p) => p.status === 'active')).toEqual([inUse]);
  });

  it('a PATCH answer lost and the connection then unreadable: neither PAT is revoked, and the next sign-in keeps the one Infisical holds', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    const [old] = patsNamed('azure-devops-contoso');
    await parts.inventory.view(true);
    sandboxOf().faults.add({ host: INFISICAL.host, method: 'PATCH', path: '/api/v1/app-connections/', mode: 'after-handler-reset' });
    const connections = parts.infisical.appConnections;
    const getById = connections.getById.bind(connections);
    let reads = 0;
    connections.getById = async (cid) => {
      if (++reads > 1) throw new Error('Infisical unreachable');
      return getById(cid);
    };

    const outcome = await parts.renewals.renewOne(id);
    expect(outcome).toMatchObject({ ok: false, error: { title: expect.stringMatching(/neither token was revoked/) } });
    const fresh = patsNamed('azure-devops-contoso').find((p) => p !== old)!;
    // The PATCH landed: Infisical holds the new PAT; nothing was revoked.
    expect(heldToken(id)).toBe(fresh.token);
    expect([old!.status, fresh.status]).toEqual(['active', 'active']);
    expect((await parts.ledger.pending()).map((p) => p.authorizationId)).toEqual([fresh.authorizationId]);

    // The next renewal (a sign-in for the tenant) settles it: the PAT Infisical holds counts as in use, and is replaced in turn.
    connections.getById = getById;
    expect((await parts.renewals.renewOne(id)).ok).toBe(true);
    const last = patsNamed('azure-devops-contoso').find((p) => p !== old && p !== fresh)!;
    expect(heldToken(id)).toBe(last.token);
    expect([old!.status, fresh.status, last.status]).toEqual(['revoked', 'revoked', 'active']);
    expect(await parts.ledger.pending()).toEqual([]);
  });

  it('an access-token connection made elsewhere is replaced with a least-privilege PAT, and the person told the old token is theirs to revoke', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, { method: 'pat', org: 'contoso', connectionName: 'pasted', pat: SEEDED_PATS.contosoPasted.token });
    const view = await parts.inventory.view(true);
    expect(view.rows.find((r) => r.id === id)).toMatchObject({ renew: 'replace', status: { kind: 'not-managed' } });

    const outcome = await parts.renewals.renewOne(id);
    expect(outcome).toMatchObject({ ok: true, note: expect.stringMatching(/not made by this extension.*revoke it/) });
    const minted = patsNamed('pasted');
    expect(minted.map((p) => p.status)).toEqual(['active']);
    expect(heldToken(id)).toBe(minted[0]!.token);
    // The pasted token is not the extension's to revoke.
    expect(sandboxOf().state.pats.find((p) => p.authorizationId === SEEDED_PATS.contosoPasted.authorizationId)?.status).toBe('active');
    expect((await parts.inventory.view(false)).rows.find((r) => r.id === id)).toMatchObject({ renew: 'renew', madeHere: true });
  });

  it('goes by the organization’s policy: a longer recorded lifetime is brought within its maximum, and without Sign in with Microsoft nothing is minted', async () => {
    const policy: { rules?: PolicyRules } = {};
    const parts = workerParts(sandboxOf(), policy);
    const id = await connect(parts, microsoft('azure-devops-contoso', 365));
    policy.rules = { ...NO_RULES, maxPatLifetimeDays: 90 };
    expect(await parts.renewals.renewOne(id)).toMatchObject({ ok: true });
    const fresh = patsNamed('azure-devops-contoso').find((p) => p.token === heldToken(id))!;
    expect(Math.round((Date.parse(fresh.validTo) - Date.now()) / 86_400_000)).toBe(90);

    policy.rules = { allowedMethods: ['pat', 'service-principal'], maxPatLifetimeDays: null };
    const minted = patsNamed('azure-devops-contoso').length;
    const refused = await parts.renewals.renewOne(id);
    expect(refused).toMatchObject({ ok: false, error: { title: 'Your organization’s policy does not allow “Sign in with Microsoft” connections.' } });
    expect(patsNamed('azure-devops-contoso')).toHaveLength(minted);
    expect(heldToken(id)).toBe(fresh.token);
  });

  it('OAuth and client-secret connections are listed with their method and offer no renewal, saying why', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, { ...SERVICE_PRINCIPAL_CONNECT, connectionName: 'sp' });
    const row = (await parts.inventory.view(true)).rows.find((r) => r.id === id);
    expect(row).toMatchObject({ method: 'client-secret', renew: null, renewNote: expect.stringMatching(/Infisical rotates/) });
    expect((await parts.renewals.renewOne(id)).ok).toBe(false);
  });
});

describe('Renew all', () => {
  it('renews every connection in the warning window with one sign-in for their tenant, and reports each row', async () => {
    const first = workerParts(sandboxOf());
    const ids = [await connect(first, microsoft('one', 30)), await connect(first, microsoft('two', 30)), await connect(first, microsoft('three', 90))];
    // A worker started afresh (no token held): the 30-day ones are within a 30-day window.
    const parts = workerParts(sandboxOf(), { settings: { expiryWarningDays: 30 } });
    const view = await parts.inventory.view(true);
    expect(
      view.rows
        .filter((r) => r.status.kind === 'expiring')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['one', 'two']);

    const outcomes = await parts.renewals.renewAll();
    expect(outcomes.map((o) => [o.name, o.ok]).sort()).toEqual([
      ['one', true],
      ['two', true],
    ]);
    expect(parts.signIns).toHaveLength(1);
    expect(patsNamed('three').map((p) => p.status)).toEqual(['active']);
    for (const name of ['one', 'two']) expect(patsNamed(name).map((p) => p.status)).toEqual(['revoked', 'active']);
    expect(heldToken(ids[2]!)).toBe(patsNamed('three')[0]!.token);
  });

  it('one row failing does not stop the others', async () => {
    const first = workerParts(sandboxOf());
    await connect(first, microsoft('one', 30));
    const two = await connect(first, microsoft('two', 30));
    const parts = workerParts(sandboxOf(), { settings: { expiryWarningDays: 30 } });
    await parts.inventory.view(true);
    sandboxOf().faults.add({
      host: INFISICAL.host,
      method: 'PATCH',
      path: `/api/v1/app-connections/azure-devops/${two}`,
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'boom' },
    });
    const outcomes = await parts.renewals.renewAll();
    expect(outcomes.map((o) => [o.name, o.ok]).sort()).toEqual([
      ['one', true],
      ['two', false],
    ]);
    expect(patsNamed('two').map((p) => p.status)).toEqual(['active', 'revoked']);
  });
});

describe('statuses from Infisical and Azure DevOps', () => {
  it('a PAT revoked in Azure DevOps behind the extension’s back shows revoked once a silent token can ask', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    expect((await parts.inventory.view(true)).rows[0]).toMatchObject({ id, status: { kind: 'ok' } });
    patsNamed('azure-devops-contoso')[0]!.status = 'revoked';
    const view = await parts.inventory.view(true);
    expect(view.patStatesRead).toBe(true);
    expect(view.rows[0]).toMatchObject({ id, status: { kind: 'revoked' }, renew: 'renew' });
    expect(view.attention).toBe(1);
  });

  it('a connection made after the list was read is not taken for gone before the next read', async () => {
    const parts = workerParts(sandboxOf());
    expect((await parts.inventory.view(true)).rows).toEqual([]);
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    expect((await parts.inventory.view(false)).rows).toEqual([expect.objectContaining({ id, status: { kind: 'ok', daysLeft: 90 }, renew: 'renew' })]);
  });

  it('without a token held, the record is trusted and the view says so', async () => {
    await connect(workerParts(sandboxOf()), microsoft('azure-devops-contoso'));
    patsNamed('azure-devops-contoso')[0]!.status = 'revoked';
    const view = await workerParts(sandboxOf()).inventory.view(true);
    expect(view.patStatesRead).toBe(false);
    expect(view.rows[0]?.status.kind).toBe('ok');
  });

  it('a connection deleted in Infisical shows gone; forgetting it revokes its PAT and drops the record', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    sandboxOf().state.connections.splice(0, 1);
    const view = await parts.inventory.view(true);
    expect(view.rows).toEqual([expect.objectContaining({ id, status: { kind: 'gone' }, canForget: true, renew: null })]);

    expect(await parts.removal.forget(id)).toMatchObject({ ok: true, note: null });
    expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['revoked']);
    expect(await readConnections()).toEqual([]);
    expect((await parts.inventory.view(true)).rows).toEqual([]);
  });

  it('forgetting a connection that is still in Infisical is refused and revokes nothing', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    const outcome = await parts.removal.forget(id);
    expect(outcome).toMatchObject({ ok: false, error: { title: expect.stringMatching(/still exists in Infisical/) } });
    expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['active']);
    expect(await readConnections()).toHaveLength(1);
  });

  it('Infisical’s list unreadable: the rows are the records, with the reason', async () => {
    const parts = workerParts(sandboxOf());
    await connect(parts, microsoft('azure-devops-contoso'));
    sandboxOf().config.infisical.identity.actions = ['connect'];
    const view = await workerParts(sandboxOf()).inventory.view(true);
    expect(view.listError?.title).toBeTruthy();
    expect(view.rows.map((r) => [r.name, r.status.kind])).toEqual([['azure-devops-contoso', 'ok']]);
  });
});

describe('Remove', () => {
  it('deletes the connection in Infisical, revokes its PAT and forgets the record', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    expect(await parts.removal.remove(id)).toMatchObject({ ok: true, name: 'azure-devops-contoso', note: null });
    expect(sandboxOf().state.connections).toEqual([]);
    expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['revoked']);
    expect(await readConnections()).toEqual([]);
  });

  it('a connection secret syncs still use: Infisical refuses the delete, the person reads why, nothing changes', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    addSecretSync(sandboxOf(), id, 'pipeline-secrets');
    const outcome = await parts.removal.remove(id);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.title).toBe('Infisical will not delete a connection that syncs or integrations still use.');
    expect(outcome.error.fix).toMatch(/Remove the syncs/);
    expect(sandboxOf().state.connections).toHaveLength(1);
    expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['active']);
    expect(await readConnections()).toHaveLength(1);
  });

  it('a delete Infisical refuses changes nothing and says why', async () => {
    const parts = workerParts(sandboxOf());
    const id = await connect(parts, microsoft('azure-devops-contoso'));
    sandboxOf().config.infisical.identity.actions = ['read', 'create', 'edit', 'connect'];
    const outcome = await parts.removal.remove(id);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.title).toMatch(/delete|permission/i);
    expect(sandboxOf().state.connections).toHaveLength(1);
    expect(patsNamed('azure-devops-contoso').map((p) => p.status)).toEqual(['active']);
    expect(await readConnections()).toHaveLength(1);
  });
});
