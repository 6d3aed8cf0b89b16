import { AzureDevOpsError, ExtensionError } from '../errors/boundary-error';
import type { AppConnection } from '../infisical/schemas';
import type { PatLifetime } from '../inputs';
import type { PendingPat } from '../storage/records';
import { deliverPat } from './deliver-pat';
import type { ConnectDeps, ConnectOutcome } from './deps';
import { DAY_MS, mintPat } from './mint-pat';
import { deliveredConnection, revokeLeftovers, revokeOrExplain } from './pat-recovery';

/** What a renewal needs to know of the connection, from Infisical's list and the extension's record. */
export interface RenewalTarget {
  /** The connection as Infisical listed it: its id is what is PATCHed. */
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
 * the connection and its old PAT as they were; a PATCH whose outcome cannot be known revokes
 * neither (deliver-pat.ts). No name lookup and no separate access check: the PAT create proves
 * access. The connection is read again by id while the PAT is made: a lost PATCH answer is
 * judged against it as it is then, not as it was listed (docs/performance.md counts that read).
 * @throws MicrosoftError, AzureDevOpsError, InfisicalError or ExtensionError.
 */
export async function renewConnection(target: RenewalTarget, deps: RenewDeps): Promise<ConnectOutcome & { note: string | null }> {
  const { org, tenant, clientId } = target;
  const now = deps.infisical.appConnections.getById(target.connection.id);
  now.catch(() => undefined);

  await deps.onStep('sign-in');
  let entra = await deps.entraToken({ clientId, tenant });
  const listed = target.connection;
  const request = { org, tenant, connectionName: listed.name, patLifetimeDays: target.patLifetimeDays };
  const inUse = await settleLeftovers(deps, { tenant, bearer: entra.accessToken }, listed);

  // The PAT is asked for while the connection is read again (no round trip added to the chain).
  await deps.onStep('create-token');
  const mint = (bearer: string) => mintPat(deps, request, { clientId, bearer, target: { kind: 'update', connection: listed }, current: now });
  let pat;
  try {
    pat = await mint(entra.accessToken);
  } catch (error) {
    // A remembered token Azure DevOps no longer takes (revoked session, policy): sign in again, once.
    if (!(entra.fromCache && error instanceof AzureDevOpsError && error.code === 'unauthorized')) throw error;
    await deps.onStep('sign-in');
    entra = await deps.entraToken({ clientId, tenant, fresh: true });
    await deps.onStep('create-token');
    pat = await mint(entra.accessToken);
  }
  const bearer = entra.accessToken;
  let connection: AppConnection;
  try {
    connection = await now;
    if (connection.method !== 'access-token' || connection.credentials.orgName.toLowerCase() !== org.toLowerCase()) {
      throw new ExtensionError(
        'connection-changed',
        `'${connection.name}' changed in Infisical since it was listed (method ${connection.method}, organization ${connection.credentials.orgName}).`,
      );
    }
  } catch (error) {
    // Nothing was sent: the new PAT goes (pat-recovery.ts), and its record with it.
    await revokeOrExplain(deps.ado, org, bearer, pat.authorizationId, error);
    await deps.pats.pending(null);
    throw error;
  }
  const update = { kind: 'update', connection } as const;

  await deps.onStep('save');
  const saved = await deliverPat(deps, update, request, pat, bearer);

  // The connection works with the new PAT now; the ones it held before are of no use any more.
  const replaced = [...new Set([pat.replaces, ...inUse])].filter((id): id is string => Boolean(id) && id !== pat.authorizationId);
  const failed: string[] = [];
  for (const id of replaced) await deps.ado.revokePat(org, bearer, id).catch(() => failed.push(id));
  let note: string | null = null;
  if (!pat.replaces && inUse.length === 0) {
    note = 'The token this connection held before was not made by this extension: its owner should revoke it in Azure DevOps › User settings › Personal access tokens.';
  } else if (failed.length > 0) {
    note = `The previous token could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${failed.join(', ')}).`;
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

/**
 * PATs earlier flows left undelivered (a stopped worker, a save whose outcome was not known), as a
 * connect settles them (pat-recovery.ts `revokeLeftovers`), with one difference for those of this
 * connection: one Infisical holds now is the credential this renewal replaces, so it is revoked
 * after the PATCH (answered here), not left live. Waits for the recovery at start (the ledger's
 * `leftovers`), so a renewal never races it for the same PAT.
 * @throws ExtensionError `renewal-unsettled` when whether one of this connection's was delivered cannot be read.
 */
async function settleLeftovers(deps: RenewDeps, signedIn: { tenant: string; bearer: string }, connection: AppConnection): Promise<string[]> {
  const left = await deps.pats.leftovers();
  const ofThis = (p: PendingPat) => p.instanceUrl === deps.infisical.instanceUrl && p.connectionName.toLowerCase() === connection.name.toLowerCase();
  await revokeLeftovers(
    deps,
    signedIn,
    left.filter((p) => !ofThis(p)),
  );
  const inUse: string[] = [];
  for (const p of left.filter(ofThis)) {
    const delivered = await deliveredConnection(deps, p).catch((cause: unknown) => {
      throw new ExtensionError('renewal-unsettled', `An earlier change of '${connection.name}' is not settled yet.`, { cause });
    });
    if (!delivered) {
      await revokeLeftovers(deps, signedIn, [p]);
      continue;
    }
    if (p.authorizationId) inUse.push(p.authorizationId);
    await deps.pats.forgetLeftover(p.flowId);
  }
  return inUse;
}
