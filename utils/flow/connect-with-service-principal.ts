import type { ConnectRequest } from './connect-request';
import type { ConnectDeps, ConnectOutcome } from './deps';
import { lookupEarly } from './deps';
import { resolveTarget, saveConnection } from './save-connection';

type SpRequest = Extract<ConnectRequest, { method: 'service-principal' }>;
/** Infisical is all this method talks to. */
export type ServicePrincipalDeps = Pick<ConnectDeps, 'infisical' | 'onStep'>;

/**
 * Service principal: Infisical itself validates it (client-credentials grant + projects probe,
 * docs/contracts.md A.3): a browser may not send a client secret to Entra (AADSTS90023), so the
 * extension cannot check it first.
 */
export async function connectWithServicePrincipal(request: SpRequest, deps: ServicePrincipalDeps): Promise<ConnectOutcome> {
  const target = resolveTarget(await lookupEarly(deps, request), request, 'client-secret');
  await deps.onStep('save');
  const connection = await saveConnection(deps, target, request, 'client-secret', {
    clientId: request.clientId,
    clientSecret: request.clientSecret,
    tenantId: request.tenant,
    orgName: request.org,
    ...(request.clientSecretKeyId ? { clientSecretKeyId: request.clientSecretKeyId } : {}),
  });
  return { connection, tenantId: request.tenant, clientId: null, updated: target.kind === 'update', pat: null, expiryClamped: false };
}
