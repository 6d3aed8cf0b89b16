import { ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { versionOf } from '@/utils/flow/connect-with-microsoft';
import { initialFlowState, withFailure, withSuccess, type FlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS } from '@/utils/flow/run-connect';
import { appConnectionsPageUrl } from '@/utils/infisical/client';
import { connectionsItem, flowItem, pendingPatItem, readConnections, readPendingPat } from '@/utils/storage';
import { readFlow } from '@/utils/storage-view';
import type { Services } from './services';

/**
 * On every worker start: a PAT minted by a flow the browser stopped before delivery (the service
 * worker was shut down, the browser closed) is either found in Infisical — the create got through,
 * so the flow is finished — or revoked. Revoking needs an Entra token: a silent sign-in is tried;
 * if that needs a person, the pending record stays and the flow says how to finish (issue 6).
 */
export async function recoverInterrupted(services: Pick<Services, 'infisical' | 'entraToken' | 'ado'>, now: () => Date): Promise<void> {
  const pending = await readPendingPat();
  if (!pending) return;
  const running = await readFlow();
  const flow: FlowState =
    running && running.status === 'running' && running.connectionName === pending.connectionName
      ? running
      : initialFlowState(
          { id: crypto.randomUUID(), method: 'microsoft', update: pending.previousVersion !== null, org: pending.org, connectionName: pending.connectionName },
          METHOD_STEPS.microsoft,
          new Date(pending.mintedAt),
        );
  try {
    const { infisical, session } = await services.infisical();
    const found = await session.withToken((t) => infisical.findConnectionByName(t, pending.connectionName));
    const delivered =
      found && found.method === 'access-token' && (pending.previousVersion === null || (versionOf(found) ?? 0) > pending.previousVersion);
    if (found && delivered) {
      await connectionsItem.setValue([
        ...(await readConnections()).filter((c) => c.id !== found.id),
        {
          id: found.id,
          name: found.name,
          instanceUrl: pending.instanceUrl,
          org: pending.org,
          tenantId: pending.tenant,
          method: 'access-token',
          patAuthorizationId: pending.authorizationId,
          patValidTo: pending.validTo,
          createdAt: now().toISOString(),
        },
      ]);
      await flowItem.setValue(
        withSuccess(flow, { connectionId: found.id, connectionUrl: appConnectionsPageUrl(pending.instanceUrl), patValidTo: pending.validTo, expiryClamped: false }, now()),
      );
      await pendingPatItem.removeValue();
      return;
    }
    const token = await services.entraToken({ clientId: pending.clientId, tenant: pending.tenant, interactive: false });
    await services.ado.revokePat(pending.org, token.accessToken, pending.authorizationId);
    await pendingPatItem.removeValue();
    await flowItem.setValue(withFailure(flow, describeError(new ExtensionError('interrupted-revoked', 'Interrupted; token revoked.')), now()));
  } catch (error) {
    const left = new ExtensionError('interrupted-token-left', 'Interrupted; token not revoked.', {
      detail: `authorization ${pending.authorizationId} in '${pending.org}' · ${describeError(error).title}`,
    });
    await flowItem.setValue(withFailure(flow, describeError(left), now()));
  }
}
