import { beforeAll, describe, expect, it } from 'vitest';
import { recoverInterrupted } from '@/utils/worker/recover';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { AZURE_DEVOPS_SCOPE, INFISICAL_PAT_SCOPES, PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { MicrosoftError } from '@/utils/errors/boundary-error';
import { createInfisicalEndpoints, givenToken } from '@/utils/infisical/api';
import { createLedger } from '@/utils/worker/ledger';
import { initialFlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS } from '@/utils/flow/run-connect';
import { flowsItem, pendingPatsItem, readConnections, readPendingPats } from '@/utils/storage/records-items';
import type { PendingPat } from '@/utils/storage/records';
import { readFlows } from '@/utils/storage/view';
import { EXTENSION_APP, INFISICAL, TENANT } from '../sandbox/fixtures';
import { infisicalLogin, signIn } from '../sandbox/flows';
import type { Sandbox } from '../sandbox/server';
import { fetchViaSandbox } from '../support/fetch-via-sandbox';
import { useSandbox } from '../support/use-sandbox';
import { sandboxInfisical } from '../support/sandbox-records';

/**
 * A flow the browser stopped after minting its PAT and before delivering it (docs/reliability.md): on the
 * next worker start the extension finishes it (Infisical has the connection) or revokes the PAT.
 */
const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = sandboxOf();
});

type Minted = PendingPat & { authorizationId: string; token: string };

/** A PAT in contoso named for this suite's connection, “Infisical interrupted”, as a flow asks for it. */
async function createPat(validTo: string) {
  const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }) });
  const token = await signIn(sandbox, AZURE_DEVOPS_SCOPE);
  return ado.createPat('contoso', token.access_token, { displayName: 'Infisical interrupted', scope: INFISICAL_PAT_SCOPES.join(' '), validTo });
}

/** A flow's record as a stopped worker left it, after minting its PAT (as `asked`: while asking for it, before its id was known). */
async function mintPat(options: { update?: { previousVersion: number; replaces: string; previousCredentialsHash?: string }; asked?: boolean } = {}): Promise<Minted> {
  const mintedAt = new Date().toISOString();
  const validTo = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const pat = await createPat(validTo);
  await pendingPatsItem.setValue([record({ update: options.update, mintedAt, ...(options.asked ? { authorizationId: null, validTo } : pat) })]);
  return { ...record({ update: options.update, mintedAt, ...pat }), authorizationId: pat.authorizationId, token: pat.token };
}

function record(r: {
  update?: { previousVersion: number; replaces: string; previousCredentialsHash?: string };
  mintedAt: string;
  authorizationId: string | null;
  validTo: string;
}): PendingPat {
  return {
    authorizationId: r.authorizationId,
    validTo: r.validTo,
    org: 'contoso',
    tenant: TENANT.id,
    clientId: EXTENSION_APP.clientId,
    instanceUrl: INFISICAL.siteUrl,
    connectionName: 'interrupted',
    projectId: null,
    previousVersion: r.update?.previousVersion ?? null,
    ...(r.update?.previousCredentialsHash ? { previousCredentialsHash: r.update.previousCredentialsHash } : {}),
    ...(r.update ? { replaces: r.update.replaces } : {}),
    mintedAt: r.mintedAt,
    flowId: 'flow-1',
  };
}

/** The background's services, with the Infisical instance configured now (`instanceUrl`). */
function services(entraToken: () => Promise<{ accessToken: string }>, instanceUrl: string = INFISICAL.siteUrl) {
  const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
  const infisical = sandboxInfisical(sandbox, fetchFn);
  return {
    infisical: async () => ({ instanceUrl, infisical }),
    ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
    entraToken: entraToken as never,
  } as never;
}

/** A start of the worker: nothing of its own running (unless `running` says so). */
/** The sandbox instance's connections with a token of its identity, to set up what a stopped flow left there. */
const connectionsWith = (token: string) =>
  createInfisicalEndpoints({ instanceUrl: INFISICAL.siteUrl, fetch: fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem }) }).appConnectionsWith(givenToken(token));

const recover = (svc: ReturnType<typeof services>, running: string[] = [], creating: string[] = [], policySettled = async () => undefined) =>
  recoverInterrupted(svc, { ledger: createLedger(), isRunning: (id) => running.includes(id), isCreating: (key) => creating.includes(key.name), now: () => new Date(), policySettled });
const readFlow = async () => (await readFlows()).at(-1) ?? null;

const silentSignIn = async () => ({ accessToken: (await signIn(sandbox, AZURE_DEVOPS_SCOPE)).access_token });

describe('recovering a flow the browser stopped', () => {
  it('finishes it when Infisical already has the connection: recorded, PAT kept', async () => {
    const pending = await mintPat();
    const token = await infisicalLogin(sandbox);
    const created = await connectionsWith(token).create({
      name: 'interrupted',
      method: 'access-token',
      credentials: { accessToken: pending.token, orgName: 'contoso' },
    });
    await recover(services(silentSignIn));
    expect((await readFlow())?.status).toBe('succeeded');
    expect(await readConnections()).toEqual([expect.objectContaining({ id: created.id, patAuthorizationId: pending.authorizationId })]);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('active');
    expect(await readPendingPats()).toEqual([]);
  });

  it('a connection of that name on another instance (the address changed since): the PAT is revoked, nothing recorded', async () => {
    const pending = await mintPat();
    const token = await infisicalLogin(sandbox);
    await connectionsWith(token).create({
      name: 'interrupted',
      method: 'access-token',
      credentials: { accessToken: (await createPat(pending.validTo)).token, orgName: 'contoso' },
    });
    // The PAT was minted for another instance; the one configured now has a connection of that name.
    await pendingPatsItem.setValue([{ ...(await readPendingPats())[0]!, instanceUrl: 'https://infisical-before.example' }]);
    await recover(services(silentSignIn));
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('revoked');
    expect(await readConnections()).toEqual([]);
    expect(await readPendingPats()).toEqual([]);
  });

  it('the policy naming the PAT’s instance arrives after the worker started (Chromium’s first seconds): finished, not revoked', async () => {
    const pending = await mintPat();
    const token = await infisicalLogin(sandbox);
    const created = await connectionsWith(token).create({ name: 'interrupted', method: 'access-token', credentials: { accessToken: pending.token, orgName: 'contoso' } });
    // The person's own address until the policy arrives; the policy's (the PAT's) once it has.
    let arrived = false;
    const fetchFn = fetchViaSandbox({ port: sandbox.port, caPem: sandbox.caPem });
    const infisical = sandboxInfisical(sandbox, fetchFn);
    const svc = {
      infisical: async () => ({ instanceUrl: arrived ? INFISICAL.siteUrl : 'https://mine.example', infisical }),
      ado: createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: fetchFn }),
      entraToken: silentSignIn as never,
    } as never;
    let waited = 0;
    await recover(svc, [], [], async () => {
      waited++;
      arrived = true;
    });
    expect(waited).toBe(1);
    expect((await readFlow())?.status).toBe('succeeded');
    expect(await readConnections()).toEqual([expect.objectContaining({ id: created.id, patAuthorizationId: pending.authorizationId })]);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('active');
  });

  it('an update that got through: finished, and the token it replaced is revoked', async () => {
    const first = await mintPat();
    const client = connectionsWith(await infisicalLogin(sandbox));
    const created = await client.create({ name: 'interrupted', method: 'access-token', credentials: { accessToken: first.token, orgName: 'contoso' } });
    const second = await mintPat({ update: { previousVersion: 1, replaces: first.authorizationId, previousCredentialsHash: created.credentialsHash! } });
    await client.update(created.id, { credentials: { accessToken: second.token, orgName: 'contoso' } });
    await recover(services(silentSignIn));
    expect((await readFlow())?.status).toBe('succeeded');
    const status = (id: string) => sandbox.state.pats.find((p) => p.authorizationId === id)?.status;
    expect([status(first.authorizationId), status(second.authorizationId)]).toEqual(['revoked', 'active']);
    expect(await readPendingPats()).toEqual([]);
  });

  it('revokes the PAT when the connection was never saved, and says so', async () => {
    const pending = await mintPat();
    await recover(services(silentSignIn));
    const flow = await readFlow();
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.title).toMatch(/stopped the extension.*revoked/);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('revoked');
    expect(sandbox.state.connections).toHaveLength(0);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a record written while the PAT was being asked for: the PAT made is found by its name and expiry and revoked; an older one of that name stays', async () => {
    const older = await createPat(new Date(Date.now() + 90 * 86_400_000).toISOString());
    const pending = await mintPat({ asked: true });
    await recover(services(silentSignIn));
    const flow = await readFlow();
    expect(flow?.error?.title).toMatch(/stopped the extension.*revoked/);
    const status = (id: string) => sandbox.state.pats.find((p) => p.authorizationId === id)?.status;
    expect([status(pending.authorizationId), status(older.authorizationId)]).toEqual(['revoked', 'active']);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a record written while the PAT was being asked for, which Azure DevOps never made: nothing to revoke, and the flow says nothing was created', async () => {
    await pendingPatsItem.setValue([record({ mintedAt: new Date().toISOString(), authorizationId: null, validTo: new Date(Date.now() + 30 * 86_400_000).toISOString() })]);
    await recover(services(silentSignIn));
    expect((await readFlow())?.error?.title).toMatch(/none was found there afterwards/);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE' || r.path.includes('/tokens/pats?'))).toHaveLength(0);
    expect(await readPendingPats()).toEqual([]);
  });

  it('a record written while the PAT was being asked for, whose connection was saved: finished, with the PAT found and recorded', async () => {
    const pending = await mintPat({ asked: true });
    const created = await connectionsWith(await infisicalLogin(sandbox)).create({
      name: 'interrupted',
      method: 'access-token',
      credentials: { accessToken: pending.token, orgName: 'contoso' },
    });
    await recover(services(silentSignIn));
    expect((await readFlow())?.status).toBe('succeeded');
    expect(await readConnections()).toEqual([expect.objectContaining({ id: created.id, patAuthorizationId: pending.authorizationId, patValidTo: pending.validTo })]);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('active');
    expect(await readPendingPats()).toEqual([]);
  });

  it('a record written while the PAT was being asked for leaves alone a PAT of that name made later (a retry), even with a shortened expiry', async () => {
    sandbox.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30;
    const retry = await createPat(new Date(Date.now() + 90 * 86_400_000).toISOString());
    // The stopped attempt asked for 90 days, three minutes before the retry made its token.
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await pendingPatsItem.setValue([
      record({ mintedAt: minutesAgo(3).toISOString(), authorizationId: null, validTo: new Date(minutesAgo(3).getTime() + 90 * 86_400_000).toISOString() }),
    ]);
    await recover(services(silentSignIn));
    expect((await readFlow())?.error?.title).toMatch(/none was found there afterwards/);
    expect(sandbox.state.pats.find((p) => p.authorizationId === retry.authorizationId)?.status).toBe('active');
  });

  it('a record written while the PAT was being asked for finds it by its exact expiry even when the computer’s clock was 10 minutes off', async () => {
    const pending = await mintPat({ asked: true });
    const [stored] = await readPendingPats();
    await pendingPatsItem.setValue([{ ...stored!, mintedAt: new Date(Date.now() - 10 * 60_000).toISOString() }]);
    await recover(services(silentSignIn));
    expect((await readFlow())?.error?.title).toMatch(/stopped the extension.*revoked/);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('revoked');
  });

  it('a record written while the PAT was being asked for is left for later while a flow of this worker creates the same connection', async () => {
    const pending = await mintPat({ asked: true });
    await recover(services(silentSignIn), [], ['interrupted']);
    expect((await readFlow())?.error?.title).toMatch(/could not be revoked yet/);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('active');
    expect(await readPendingPats()).toHaveLength(1);
  });

  it('keeps the record and names the token when a silent sign-in is not possible', async () => {
    const pending = await mintPat();
    await recover(services(async () => Promise.reject(new MicrosoftError('interaction_required', 'x'))));
    const flow = await readFlow();
    expect(flow?.status).toBe('failed');
    expect(flow?.error?.fix).toMatch(/Click Connect again/);
    expect(flow?.error?.details).toContain(pending.authorizationId);
    expect(sandbox.state.pats.find((p) => p.authorizationId === pending.authorizationId)?.status).toBe('active');
    expect((await readPendingPats()).map((p) => p.authorizationId)).toEqual([pending.authorizationId]);
  });

  it('ends a flow the browser stopped before it minted anything, and leaves this worker’s own flows alone', async () => {
    const flow = (org: string, id: string) =>
      initialFlowState({ id, method: 'microsoft', update: false, org, connectionName: `c-${org}`, instanceUrl: INFISICAL.siteUrl, projectId: null }, METHOD_STEPS.microsoft, new Date());
    await flowsItem.setValue([flow('contoso', 'stopped'), flow('northwind', 'mine')]);
    await recover(services(silentSignIn), ['mine']);
    const flows = await readFlows();
    expect(flows.find((f) => f.id === 'stopped')).toMatchObject({ status: 'failed', error: { title: expect.stringMatching(/nothing was created/) } });
    expect(flows.find((f) => f.id === 'mine')?.status).toBe('running');
    expect(sandbox.requests).toHaveLength(0);
  });

  it('does nothing when no flow was interrupted', async () => {
    await recover(services(silentSignIn));
    expect(await readFlow()).toBeNull();
  });
});
