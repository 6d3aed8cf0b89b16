import { AzureDevOpsError } from '../errors/boundary-error';
import type { ConnectRequest } from './connect-request';
import { lookupEarly, type ConnectDeps, type ConnectOutcome } from './deps';
import { resolveTarget, saveConnection } from './save-connection';

type PatRequest = Extract<ConnectRequest, { method: 'pat' }>;
/** The pasted token is checked with Azure DevOps, then saved: no sign-in, nothing minted. */
export type PatDeps = Pick<ConnectDeps, 'infisical' | 'ado' | 'onStep'>;

/**
 * Paste a PAT: checked against the org's projects API before it is sent, so a wrong or
 * under-scoped token is explained here rather than as Infisical's generic validation error.
 */
export async function connectWithPat(request: PatRequest, deps: PatDeps): Promise<ConnectOutcome> {
  const existing = lookupEarly(deps, request);

  await deps.onStep('check-access');
  try {
    await deps.ado.listProjects(request.org, { pat: request.pat });
  } catch (error) {
    if (error instanceof AzureDevOpsError && (error.code === 'unauthorized' || error.code === 'forbidden')) {
      throw new AzureDevOpsError(`pat-${error.code}`, `Azure DevOps did not accept the token for '${request.org}'.`, {
        ...(error.status ? { status: error.status } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
      });
    }
    throw error;
  }
  const target = resolveTarget(await existing, request, 'access-token');

  await deps.onStep('save');
  const connection = await saveConnection(deps, target, request, 'access-token', { accessToken: request.pat, orgName: request.org });
  return { connection, tenantId: '', clientId: null, updated: target.kind === 'update', pat: null, expiryClamped: false };
}
