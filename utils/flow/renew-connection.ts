import { AzureDevOpsError } from '../errors/boundary-error';
import type { AppConnection } from '../infisical/schemas';
import type { PatLifetime } from '../inputs';
import type { ConnectDeps, ConnectOutcome } from './deps';
import { DAY_MS, mintPat } from './mint-pat';
import { revokeOrExplain } from './pat-recovery';
import { saveConnection, type Target } from './save-connection';

/** What a renewal needs to know of the connection, from Infisical's list and the extension's record. */
export interface RenewalTarget {
  /** The connection as Infisical listed it: its id is what is PATCHed, its version tells a lost PATCH that got through. */
  connection: AppConnection;
  org: string;
  tenant: string;
  /** The Microsoft app (client) ID to sign in with: the record's, else the one configured now. */
  clientId: string;
  patLifetimeDays: PatLifetime;
}

export type RenewDeps = Pick<ConnectDeps, 'infisical' | 'ado' | 'entraToken' | 'pats' | 'now' | 'onStep'>;

/**
 * Renew (or replace) the PAT of an access-token connection, in the only order that never leaves it
 * without a working credential: mint a new least-privilege PAT, PATCH the connection by its id
 * with it, and only then revoke the PAT it held (the one the extension recorded; none for a
 * connection made elsewhere). A failure before the PATCH has landed revokes the new PAT and leaves
 * the connection and its old PAT as they were. No name lookup and no separate access check: the
 * PAT create proves access, and the list the view was built from named the connection (the
 * requests a renewal makes are counted in docs/performance.md).
 * @throws MicrosoftError, AzureDevOpsError, InfisicalError or ExtensionError.
 */
export async function renewConnection(target: RenewalTarget, deps: RenewDeps): Promise<ConnectOutcome & { note: string | null }> {
  const { connection, org, tenant, clientId } = target;
  const request = { org, tenant, connectionName: connection.name, patLifetimeDays: target.patLifetimeDays };
  const update: Target = { kind: 'update', connection };

  await deps.onStep('sign-in');
  let entra = await deps.entraToken({ clientId, tenant });
  await deps.onStep('create-token');
  let pat;
  try {
    pat = await mintPat(deps, request, { clientId, bearer: entra.accessToken, target: update });
  } catch (error) {
    // A remembered token Azure DevOps no longer takes (revoked session, policy): sign in again, once.
    if (!(entra.fromCache && error instanceof AzureDevOpsError && error.code === 'unauthorized')) throw error;
    await deps.onStep('sign-in');
    entra = await deps.entraToken({ clientId, tenant, fresh: true });
    await deps.onStep('create-token');
    pat = await mintPat(deps, request, { clientId, bearer: entra.accessToken, target: update });
  }
  const bearer = entra.accessToken;

  await deps.onStep('save');
  const saved = await saveConnection(deps, update, request, 'access-token', { accessToken: pat.token, orgName: org })
    .catch(async (error: unknown) => {
      await revokeOrExplain(deps.ado, org, bearer, pat.authorizationId, error);
      throw error;
    })
    .finally(() => deps.pats.pending(null));

  // The connection works with the new PAT now; the old one is of no use any more.
  let note: string | null = null;
  if (!pat.replaces) {
    note = 'The token this connection held before was not made by this extension: its owner should revoke it in Azure DevOps › User settings › Personal access tokens.';
  } else if (pat.replaces !== pat.authorizationId) {
    await deps.ado.revokePat(org, bearer, pat.replaces).catch(() => {
      note = `The previous token could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${pat.replaces}).`;
    });
  }
  return {
    connection: saved,
    tenantId: entra.tenantId,
    clientId,
    updated: true,
    pat: { authorizationId: pat.authorizationId, validTo: pat.validTo },
    expiryClamped: new Date(pat.validTo).getTime() < pat.requestedValidTo.getTime() - DAY_MS,
    note,
  };
}
