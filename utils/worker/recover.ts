import { ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { patDisplayName, patsOf } from '@/utils/flow/pat-matching';
import { deliveredConnection } from '@/utils/flow/pat-recovery';
import { initialFlowState, withFailure, withSuccess, type FlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS } from '@/utils/flow/run-connect';
import { appConnectionsPageUrl } from '@/utils/infisical/app-connections';
import type { ConnectionKey } from '@/utils/connection-key';
import type { PendingPat } from '@/utils/storage/records';
import { pendingKey, type Ledger } from './ledger';
import type { Services } from '@/entrypoints/background/services';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to`; null when either is no date. */
function lifetimeDays(from: string, to: string): number | null {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
  return Number.isFinite(days) ? days : null;
}

/**
 * On every worker start: a PAT minted (or being asked for) by a flow the browser stopped before
 * delivery (the service worker was shut down, the browser closed) is either found in Infisical —
 * the create got through, so the flow is finished — or revoked; a PAT asked for and never made
 * leaves nothing to revoke. Revoking needs an Entra token: a silent sign-in is tried;
 * if that needs a person, the pending record stays and the flow says how to finish (docs/reliability.md).
 * Flows still marked running that minted nothing end with "interrupted". Flows running in this
 * worker (started while this runs) are left alone. Pending-PAT records that no longer read are
 * recover-unreadable.ts's, run after this: flows do not wait for them.
 */
export async function recoverInterrupted(
  services: Pick<Services, 'infisical' | 'entraToken' | 'ado' | 'microsoftClientId'>,
  options: {
    ledger: Ledger;
    isRunning: (flowId: string) => boolean;
    /** Whether a flow running in this worker is making the connection of this key. */
    isCreating: (key: ConnectionKey) => boolean;
    now: () => Date;
    /**
     * Settles once the organization's policy has reached the worker (utils/policy/settled.ts): a
     * record of another Infisical address is judged only then, since the address may be the policy's.
     */
    policySettled: () => Promise<void>;
  },
): Promise<void> {
  const { ledger, isRunning, now } = options;
  const [pendings, flows] = await Promise.all([ledger.pending(), ledger.flows()]);
  const dead = flows.filter((f) => f.status === 'running' && !isRunning(f.id));
  for (const pending of pendings.filter((p) => !isRunning(p.flowId))) {
    await recoverPat(
      services,
      ledger,
      pending,
      dead.find((f) => f.id === pending.flowId),
      now,
      options.isCreating,
      options.policySettled,
    );
  }
  for (const flow of dead.filter((f) => !pendings.some((p) => p.flowId === f.id))) {
    await ledger.putFlow(withFailure(flow, describeError(new ExtensionError('interrupted', 'Interrupted before anything was created.')), now()));
  }
}

async function recoverPat(
  services: Pick<Services, 'infisical' | 'entraToken' | 'ado'>,
  ledger: Ledger,
  pending: PendingPat,
  stored: FlowState | undefined,
  now: () => Date,
  isCreating: (key: ConnectionKey) => boolean,
  policySettled: () => Promise<void>,
): Promise<void> {
  const flow: FlowState =
    stored ??
    initialFlowState(
      {
        id: pending.flowId,
        method: 'microsoft',
        update: pending.previousVersion !== null,
        org: pending.org,
        connectionName: pending.connectionName,
        instanceUrl: pending.instanceUrl,
        projectId: pending.projectId,
      },
      METHOD_STEPS.microsoft,
      new Date(pending.mintedAt),
    );
  const silentToken = () => services.entraToken({ clientId: pending.clientId, tenant: pending.tenant, interactive: false });
  try {
    // Delivered only to the instance it was minted for: a connection of that name on the instance
    // configured now (the address changed since) is another one, and this PAT is revoked.
    let current = await services.infisical();
    // Just after the browser starts, the policy (which may name this very address) may not have
    // arrived yet: another address is taken as the configured one only once it has.
    if (current.instanceUrl !== pending.instanceUrl) {
      await policySettled();
      current = await services.infisical();
    }
    const found = current.instanceUrl === pending.instanceUrl ? await deliveredConnection(current, pending) : null;
    if (found) {
      // A token is needed to revoke the PAT an update replaced, and to find the PAT when the record
      // was written before its id was known (without one, the connection is recorded without it).
      const token = !pending.authorizationId || pending.replaces ? await silentToken().catch(() => null) : null;
      const listed = !pending.authorizationId && token ? await patsOf(services.ado, token.accessToken, pending).catch(() => []) : [];
      const pat = pending.authorizationId ? { authorizationId: pending.authorizationId, validTo: pending.validTo } : listed.length === 1 ? listed[0]! : null;
      await ledger.recordConnection({
        id: found.id,
        name: found.name,
        instanceUrl: pending.instanceUrl,
        projectId: pending.projectId,
        org: pending.org,
        tenantId: pending.tenant,
        clientId: pending.clientId,
        method: 'access-token',
        patAuthorizationId: pat?.authorizationId ?? null,
        patValidTo: pat?.validTo ?? null,
        // The lifetime asked for is not in the record; the one given is near it (a policy may have shortened it).
        patLifetimeDays: pat ? lifetimeDays(pending.mintedAt, pat.validTo) : null,
        createdAt: now().toISOString(),
      });
      await ledger.putFlow(
        withSuccess(flow, { connectionId: found.id, connectionUrl: appConnectionsPageUrl(pending.instanceUrl), patValidTo: pat?.validTo ?? null, expiryClamped: false }, now()),
      );
      await ledger.dropPending(pending.flowId);
      // An update that got through: the token it replaced is of no use any more (best effort).
      if (pending.replaces && token) await services.ado.revokePat(pending.org, token.accessToken, pending.replaces).catch(() => undefined);
      return;
    }
    // A flow of this worker creating the same connection: its own PAT could pass for this record's.
    // The record stays for a later sign-in or start.
    if (!pending.authorizationId && isCreating(pendingKey(pending))) throw new ExtensionError('flow-running', 'A flow for this connection is running.');
    const token = await silentToken();
    const minted = await patsOf(services.ado, token.accessToken, pending);
    for (const { authorizationId } of minted) await services.ado.revokePat(pending.org, token.accessToken, authorizationId);
    await ledger.dropPending(pending.flowId);
    // A record without an id and no token found: the create most likely never reached Azure DevOps, but that is not known.
    const told =
      minted.length > 0
        ? new ExtensionError('interrupted-revoked', 'Interrupted; token revoked.')
        : new ExtensionError(pending.authorizationId ? 'interrupted' : 'interrupted-none-found', 'Interrupted; no token found.', {
            detail: `“${patDisplayName(pending.connectionName)}” in '${pending.org}'`,
          });
    await ledger.putFlow(withFailure(flow, describeError(told), now()));
  } catch (error) {
    const left = new ExtensionError('interrupted-token-left', 'Interrupted; token not revoked.', {
      detail: `${pending.authorizationId ? `authorization ${pending.authorizationId}` : `“${patDisplayName(pending.connectionName)}”`} in '${pending.org}' · ${describeError(error).title}`,
    });
    await ledger.putFlow(withFailure(flow, describeError(left), now()));
  }
}
