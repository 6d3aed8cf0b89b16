import { INFISICAL_PAT_SCOPES } from '../config/endpoints';
import { AzureDevOpsError, ExtensionError } from '../errors/boundary-error';
import type { ConnectRequest } from './connect-request';
import type { ConnectDeps } from './deps';
import type { AppConnection } from '../infisical/schemas';
import { patDisplayName } from './pat-matching';
import { revokeLostPat, revokeOrExplain } from './pat-recovery';
import type { Target } from './save-connection';

type MicrosoftRequest = Extract<ConnectRequest, { method: 'microsoft' }>;
export const DAY_MS = 86_400_000;

/** A PAT this flow minted, not yet delivered: its secret, and the PAT it is to replace (update), if recorded. */
export interface NewPat {
  token: string;
  authorizationId: string;
  validTo: string;
  /** The expiry asked for; the org's policy may have shortened it (docs/contracts.md B.1). */
  requestedValidTo: Date;
  replaces: string | null;
}

/**
 * Mint the least-privilege, org-scoped PAT, never without its record (`PatLedger.pending`): the
 * record a restarted background recovers from is written while the PAT is being asked for, not
 * after it is made, so the create to Infisical does not wait for a storage write
 * (docs/performance.md), and a background stopped at any point from here on leaves a record. Until
 * the PAT's id is known, recovery finds it by its name and the expiry asked for (`patsOf` in
 * pat-matching.ts). A PAT whose record could not be written is revoked; a create whose answer was
 * lost is looked for and revoked, never made again blindly.
 * @throws AzureDevOpsError from the create, ExtensionError `storage-failed`.
 */
export async function mintPat(
  deps: Pick<ConnectDeps, 'ado' | 'infisical' | 'pats' | 'now'>,
  request: Pick<MicrosoftRequest, 'org' | 'tenant' | 'connectionName' | 'patLifetimeDays'>,
  signedIn: {
    clientId: string;
    bearer: string;
    target: Target;
    /** On update: the connection read again meanwhile (a renewal), whose state the record keeps once the PAT is made. */
    current?: Promise<AppConnection>;
  },
): Promise<NewPat> {
  const { ado } = deps;
  const { bearer, target } = signedIn;
  // On update: the PAT this extension recorded for the connection, which the new one replaces.
  const replaced = target.kind === 'update' ? deps.pats.recorded(target.connection.id).catch(() => null) : Promise.resolve(null);
  const mintStarted = deps.now();
  const requestedValidTo = new Date(mintStarted.getTime() + request.patLifetimeDays * DAY_MS);
  const displayName = patDisplayName(request.connectionName);
  const record = (pat: { authorizationId: string | null; validTo: string }, replaces: string | null, connection = target.kind === 'update' ? target.connection : null) => ({
    ...pat,
    org: request.org,
    tenant: request.tenant,
    clientId: signedIn.clientId,
    instanceUrl: deps.infisical.instanceUrl,
    connectionName: request.connectionName,
    previousVersion: connection ? (connection.version ?? null) : null,
    previousCredentialsHash: connection ? (connection.credentialsHash ?? null) : null,
    previousUpdatedAt: connection ? (connection.updatedAt ?? null) : null,
    replaces,
    mintedAt: mintStarted.toISOString(),
  });
  const intent = replaced.then((keep) => deps.pats.pending(record({ authorizationId: null, validTo: requestedValidTo.toISOString() }, keep)));
  intent.catch(() => undefined);
  let pat;
  try {
    pat = await ado.createPat(request.org, bearer, { displayName, scope: INFISICAL_PAT_SCOPES.join(' '), validTo: requestedValidTo.toISOString() });
  } catch (error) {
    // The answer was lost, not refused: the token may exist. Find it and revoke it.
    if (error instanceof AzureDevOpsError && (error.code === 'timeout' || error.code === 'network')) {
      await revokeLostPat(ado, request.org, bearer, { displayName, since: mintStarted, validTo: requestedValidTo, keep: await replaced }, error);
    }
    await intent.catch(() => undefined);
    await deps.pats.pending(null);
    throw error;
  }

  // No PAT leaves for Infisical without its record: one that could not be written stops here.
  try {
    await intent;
  } catch (cause) {
    const error = new ExtensionError('storage-failed', 'The pending-PAT record could not be written.', { cause, detail: `${cause instanceof Error ? cause.message : String(cause)}.` });
    await revokeOrExplain(ado, request.org, bearer, pat.authorizationId, error);
    throw error;
  }
  const replaces = await replaced;
  // With the PAT's id, for an exact recovery; its id and expiry only, never its secret (the record
  // is kept in local storage). Not waited for: the record above already covers the PAT.
  const minted = { authorizationId: pat.authorizationId, validTo: pat.validTo };
  void (signedIn.current ?? Promise.reject())
    .then(
      (current) => record(minted, replaces, current),
      () => record(minted, replaces),
    )
    .then((r) => deps.pats.pending(r))
    .catch(() => undefined);
  return { token: pat.token, authorizationId: pat.authorizationId, validTo: pat.validTo, requestedValidTo, replaces };
}
