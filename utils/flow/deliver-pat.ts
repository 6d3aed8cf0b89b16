import type { ConnectDeps } from './deps';
import type { NewPat } from './mint-pat';
import { revokeOrExplain } from './pat-recovery';
import { outcomeUnknown, saveConnection, type Target } from './save-connection';

/**
 * Hand a minted PAT to Infisical (create, or PATCH of `target`): on a refusal it is revoked and the
 * error says so; once delivered or revoked, its pending record goes. A save whose outcome is not
 * known keeps the record and revokes nothing: recovery (at the next start, or the next sign-in for
 * the tenant) finds out which PAT Infisical holds (utils/flow/pat-recovery.ts `deliveredConnection`).
 */
export async function deliverPat(
  deps: Pick<ConnectDeps, 'infisical' | 'ado' | 'pats'>,
  target: Target,
  request: { org: string; connectionName: string; description?: string | undefined },
  pat: NewPat,
  bearer: string,
) {
  let settled = true;
  try {
    return await saveConnection(deps, target, request, 'access-token', { accessToken: pat.token, orgName: request.org });
  } catch (error) {
    if (outcomeUnknown(error)) settled = false;
    else await revokeOrExplain(deps.ado, request.org, bearer, pat.authorizationId, error);
    throw error;
  } finally {
    if (settled) await deps.pats.pending(null);
  }
}
