import type { ConnectionKey } from '@/utils/connection-key';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import { lifetimeUnder } from '@/utils/policy/policy';
import type { RenewalProgress, RenewalsState, RowOutcome } from '@/utils/connections/view-model';
import { ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import type { FlowState } from '@/utils/flow/flow-state';
import { renewConnection, type RenewalTarget } from '@/utils/flow/renew-connection';
import { DAY_MS } from '@/utils/flow/mint-pat';
import { PAT_LIFETIMES, type PatLifetime } from '@/utils/inputs';
import { createSerial } from '@/utils/serial';
import { renewalsItem } from '@/utils/storage/records-items';
import { needsAttention } from '@/utils/connections/status';
import type { ConnectionRecord } from '@/utils/storage/records';
import type { Services } from '@/entrypoints/background/services';
import type { createFlowRunner } from './flow-runner';
import type { Inventory } from './inventory';
import type { Ledger } from './ledger';

/** Renewals at a time in a Renew all: enough to overlap the round trips, few enough not to look like a burst to Azure DevOps. */
export const RENEW_CONCURRENCY = 4;

/** A renewal made ready: the flow's key and the target (utils/flow/renew-connection.ts). */
interface Prepared {
  key: ConnectionKey;
  target: RenewalTarget;
}

/**
 * The lifetime a renewal asks for: the one the connection was made with (v2 records keep it),
 * else the one its recorded PAT had, else the default of the options; always one the form offers.
 * `prepare` then brings it within the policy's maximum (utils/policy/policy.ts `lifetimeUnder`).
 */
export function renewalLifetime(record: ConnectionRecord | null, fallback: PatLifetime): PatLifetime {
  const days = record?.patLifetimeDays ?? (record?.patValidTo ? (Date.parse(record.patValidTo) - Date.parse(record.createdAt)) / DAY_MS : Number.NaN);
  if (!Number.isFinite(days)) return fallback;
  return PAT_LIFETIMES.reduce((best, d) => (Math.abs(d - days) < Math.abs(best - days) ? d : best));
}

/**
 * Renew one connection, or every one that needs it (utils/connections/view-model.ts): each runs as
 * the flow of its ConnectionKey (utils/worker/flow-runner.ts), so progress, records, the pending PAT
 * and the recovery after a stopped worker are those of any flow. A Renew all signs in once per
 * tenant, one tenant after the other (a sign-in window at a time), then renews RENEW_CONCURRENCY at
 * a time; one row failing does not stop the others. Its progress is kept in `session:renewals`.
 */
export function createRenewals(parts: {
  services: Pick<Services, 'infisical' | 'ado' | 'entraToken' | 'microsoftClientId' | 'rules'>;
  ledger: Pick<Ledger, 'connections'>;
  runner: Pick<ReturnType<typeof createFlowRunner>, 'runFor'>;
  inventory: Pick<Inventory, 'view' | 'listedOnce' | 'listedConnection' | 'updated' | 'patState'>;
  newId: () => string;
  now: () => Date;
}) {
  const { services, ledger, runner, inventory } = parts;
  const writes = createSerial();

  async function prepare(id: string): Promise<Prepared> {
    const [{ instanceUrl, infisical, settings }, rules] = await Promise.all([services.infisical(), services.rules()]);
    // A renewal signs in with Microsoft and mints a PAT: the organization's policy must allow that.
    assertAllowedByPolicy({ method: 'microsoft' }, rules);
    const record = (await ledger.connections()).find((r) => r.id === id && r.instanceUrl === instanceUrl) ?? null;
    const connection = (await inventory.listedConnection(id)) ?? (await infisical.appConnections.getById(id));
    if (connection.method !== 'access-token') {
      throw new ExtensionError('renew-not-possible', `'${connection.name}' uses the ${connection.method} method, which holds no personal access token.`);
    }
    const org = connection.credentials.orgName;
    const [tenant, clientId] = await Promise.all([
      record ? record.tenantId : services.ado.discoverTenant(org).then((t) => t.tenantId),
      record?.clientId ?? services.microsoftClientId(),
    ]);
    return {
      key: { instanceUrl, projectId: record?.projectId ?? null, name: connection.name },
      target: { connection, org, tenant, clientId, patLifetimeDays: lifetimeUnder(rules, renewalLifetime(record, settings.patLifetimeDays)) },
    };
  }

  /** Start the renewal's flow; `ended` is its outcome. */
  function launch({ key, target }: Prepared): { flow: FlowState; ended: Promise<RowOutcome> } {
    const { connection, org, tenant, patLifetimeDays } = target;
    let note: string | null = null;
    const request = { method: 'microsoft', mode: 'update', org, tenant, connectionName: connection.name, patLifetimeDays, projectId: key.projectId } as const;
    const started = runner.runFor(key, request, async (deps) => {
      const outcome = await renewConnection(target, deps);
      note = outcome.note;
      inventory.updated(outcome.connection, connection.id);
      if (outcome.pat) inventory.patState(outcome.pat.authorizationId, { active: true, validTo: outcome.pat.validTo });
      return outcome;
    });
    const ended = started.ended.then((last): RowOutcome => {
      if (last.status === 'succeeded' && last.result) {
        return { id: connection.id, name: connection.name, ok: true, patValidTo: last.result.patValidTo, expiryClamped: last.result.expiryClamped, note };
      }
      return { id: connection.id, name: connection.name, ok: false, error: last.error ?? describeError(new Error('The renewal ended without a result.')) };
    });
    return { flow: started.state, ended };
  }

  const run = async (prepared: Prepared) => launch(prepared).ended;

  const failed = (id: string, name: string, error: unknown): RowOutcome => ({ id, name, ok: false, error: describeError(error) });

  /** Renew (or replace) one connection's PAT. */
  async function renewOne(id: string): Promise<RowOutcome> {
    try {
      return await run(await prepare(id));
    } catch (error) {
      return failed(id, (await inventory.listedConnection(id).catch(() => null))?.name ?? id, error);
    }
  }

  /** Start renewing one connection, for a page that follows its flow (entrypoints/background/page-handlers.ts). */
  async function startOne(id: string): Promise<{ flow: FlowState; ended: Promise<RowOutcome> }> {
    return launch(await prepare(id));
  }

  /** The Renew all under way: a second one asked for meanwhile (another tab) joins it. */
  let all: Promise<RowOutcome[]> | null = null;
  function renewAll(): Promise<RowOutcome[]> {
    all ??= renewAllNow().finally(() => {
      all = null;
    });
    return all;
  }

  /** Renew every connection that is expired, revoked or expiring and can be renewed here. */
  async function renewAllNow(): Promise<RowOutcome[]> {
    // The list the person is looking at, read again only by a worker that has not read it yet.
    const { rows } = await inventory.view(!inventory.listedOnce());
    const due = rows.filter((r) => r.renew && needsAttention(r.status));
    const state: RenewalsState = {
      runId: parts.newId(),
      startedAt: parts.now().toISOString(),
      endedAt: null,
      rows: due.map((r) => ({ id: r.id, name: r.name, org: r.org, state: 'waiting' })),
    };
    const show = (id: string, progress: RenewalProgress) => {
      state.rows = state.rows.map((r) => (r.id === id ? progress : r));
      void writes(() => renewalsItem.setValue(state)).catch(() => undefined);
    };
    void writes(() => renewalsItem.setValue(state)).catch(() => undefined);

    const outcomes = new Map<string, RowOutcome>();
    const settle = (outcome: RowOutcome) => {
      outcomes.set(outcome.id, outcome);
      show(outcome.id, { state: 'done', ...outcome });
    };
    // Tenants and sign-in apps are known once each row is prepared (a replaced one's tenant is discovered).
    const ready = (
      await Promise.all(
        due.map(async (r) => {
          try {
            return await prepare(r.id);
          } catch (error) {
            settle(failed(r.id, r.name, error));
            return null;
          }
        }),
      )
    ).filter((p): p is Prepared => p !== null);
    const tenants = new Map<string, Prepared[]>();
    for (const p of ready) {
      const key = `${p.target.clientId} ${p.target.tenant.toLowerCase()}`;
      tenants.set(key, [...(tenants.get(key) ?? []), p]);
    }
    const signedIn: Prepared[] = [];
    for (const group of tenants.values()) {
      const { clientId, tenant } = group[0]!.target;
      for (const p of group) show(p.target.connection.id, { id: p.target.connection.id, name: p.target.connection.name, org: p.target.org, state: 'signing-in' });
      try {
        await services.entraToken({ clientId, tenant });
        signedIn.push(...group);
      } catch (error) {
        for (const p of group) settle(failed(p.target.connection.id, p.target.connection.name, error));
      }
    }
    let next = 0;
    const worker = async () => {
      while (next < signedIn.length) {
        const p = signedIn[next++]!;
        show(p.target.connection.id, { id: p.target.connection.id, name: p.target.connection.name, org: p.target.org, state: 'renewing' });
        settle(await run(p).catch((error: unknown) => failed(p.target.connection.id, p.target.connection.name, error)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(RENEW_CONCURRENCY, signedIn.length) }, worker));
    state.endedAt = parts.now().toISOString();
    await writes(() => renewalsItem.setValue(state)).catch(() => undefined);
    return due.flatMap((r) => outcomes.get(r.id) ?? []);
  }

  return { renewOne, startOne, renewAll };
}
