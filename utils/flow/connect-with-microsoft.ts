import { AzureDevOpsError } from '../errors/boundary-error';
import type { EntraToken } from '../microsoft/types';
import type { ConnectRequest } from './connect-request';
import { lookupEarly, type ConnectDeps, type ConnectOutcome } from './deps';
import { DAY_MS, mintPat } from './mint-pat';
import { revokeLeftovers } from './pat-recovery';
import { resolveTarget } from './save-connection';
import { deliverPat } from './deliver-pat';
import { signInClientId } from './sign-in-client-id';

type MicrosoftRequest = Extract<ConnectRequest, { method: 'microsoft' }>;
/** Everything but the OAuth consent tab and `random`: this method signs in, mints and saves. */
export type MicrosoftDeps = Pick<ConnectDeps, 'infisical' | 'ado' | 'entraToken' | 'microsoftClientId' | 'pats' | 'now' | 'onStep'>;

/**
 * The default method: Microsoft sign-in (PKCE) → access check → least-privilege org-scoped PAT →
 * `access-token` connection. A PAT minted here and not delivered is revoked before the error
 * surfaces (pat-recovery.ts); on update, the PAT it replaces is revoked after the update.
 * @throws MicrosoftError, AzureDevOpsError, InfisicalError or ExtensionError.
 */
export async function connectWithMicrosoft(request: MicrosoftRequest, deps: MicrosoftDeps): Promise<ConnectOutcome> {
  // Independent of the sign-in, so it runs alongside it: Infisical login + the name lookup.
  const existing = lookupEarly(deps, request);

  await deps.onStep('sign-in');
  const clientId = await signInClientId(deps);
  const remembered = await deps.entraToken({ clientId, tenant: request.tenant });

  await deps.onStep('check-access');
  // Read while the access check is out, not after it (docs/performance.md).
  const leftovers = deps.pats.leftovers();
  leftovers.catch(() => undefined);
  const entra = await checkAccess(deps, request, clientId, remembered);
  const bearer = entra.accessToken;
  await revokeLeftovers(deps, { tenant: request.tenant, bearer }, await leftovers);
  const target = resolveTarget(await existing, request, 'access-token');

  await deps.onStep('create-token');
  const pat = await mintPat(deps, request, { clientId, bearer, target });

  await deps.onStep('save');
  // Not delivered: the PAT is revoked, and the error says so (deliver-pat.ts).
  const connection = await deliverPat(deps, target, request, pat, bearer);

  // Rotation: the token the connection held before is of no use any more.
  if (pat.replaces && pat.replaces !== pat.authorizationId) await deps.ado.revokePat(request.org, bearer, pat.replaces).catch(() => undefined);
  return {
    connection,
    tenantId: entra.tenantId,
    clientId,
    updated: target.kind === 'update',
    pat: { authorizationId: pat.authorizationId, validTo: pat.validTo },
    expiryClamped: new Date(pat.validTo).getTime() < pat.requestedValidTo.getTime() - DAY_MS,
  };
}

/**
 * Azure DevOps takes the sign-in's token for the org: answers the token that passed. A remembered
 * token it no longer accepts is replaced by a fresh sign-in, once.
 * @throws AzureDevOpsError, MicrosoftError.
 */
async function checkAccess(deps: MicrosoftDeps, request: MicrosoftRequest, clientId: string, entra: EntraToken): Promise<EntraToken> {
  try {
    await deps.ado.listProjects(request.org, { bearer: entra.accessToken });
    return entra;
  } catch (error) {
    if (!(entra.fromCache && error instanceof AzureDevOpsError && error.code === 'unauthorized')) throw error;
    await deps.onStep('sign-in');
    const fresh = await deps.entraToken({ clientId, tenant: request.tenant, fresh: true });
    await deps.onStep('check-access');
    await deps.ado.listProjects(request.org, { bearer: fresh.accessToken });
    return fresh;
  }
}
