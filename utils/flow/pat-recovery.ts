import type { AzureDevOpsError } from '../errors/boundary-error';
import type { AzureDevOpsClient } from '../azure-devops/client';
import type { AppConnection } from '../infisical/schemas';
import type { PendingPat } from '../storage/records';
import type { ConnectDeps } from './deps';
import { listMadeBy, patsOf, type MintAttempt } from './pat-matching';
import { credentialsChanged } from './save-connection';

/**
 * What happens to a PAT that did not reach Infisical: one left by a flow the browser stopped,
 * one whose create answer was lost, one Infisical did not take. None stays behind unrevoked
 * without the person being told (docs/reliability.md).
 */

/** Before looking a second time for a token whose create answer was lost. */
const LOOK_AGAIN_MS = 3_000;

/**
 * The connection a pending PAT was minted for, when Infisical has it with that PAT: an
 * access-token connection of that name, created, or for an update, whose credentials were written
 * since the mint (`credentialsChanged` in save-connection.ts).
 */
export async function deliveredConnection(deps: Pick<ConnectDeps, 'infisical'>, pending: PendingPat): Promise<AppConnection | null> {
  const found = await deps.infisical.appConnections.findByName(pending.connectionName, pending.projectId);
  if (found?.method !== 'access-token') return null;
  if (pending.previousVersion === null) return found;
  const before = { version: pending.previousVersion, updatedAt: pending.previousUpdatedAt ?? undefined, credentialsHash: pending.previousCredentialsHash ?? undefined };
  return credentialsChanged(before, found) ? found : null;
}

/**
 * Tokens left by flows the browser stopped (`PatLedger.leftovers`): a sign-in to their tenant can
 * revoke them, unless the connection they were made for was saved after all (then they are in use
 * and stay). Best effort: what fails is left for a later sign-in or the next start, and the flow
 * that called goes on.
 */
export async function revokeLeftovers(
  deps: Pick<ConnectDeps, 'infisical' | 'pats'> & { ado: Pick<AzureDevOpsClient, 'listPats' | 'revokePat'> },
  signedIn: { tenant: string; bearer: string },
  leftovers: PendingPat[],
): Promise<void> {
  const { ado } = deps;
  const ours = leftovers.filter((p) => p.tenant.toLowerCase() === signedIn.tenant.toLowerCase());
  await Promise.all(
    ours.map(async (p) => {
      try {
        if (!(await deliveredConnection(deps, p))) {
          for (const left of await patsOf(ado, signedIn.bearer, p)) await ado.revokePat(p.org, signedIn.bearer, left.authorizationId);
        }
        await deps.pats.forgetLeftover(p.flowId);
      } catch {
        // Left for a later sign-in or the next start.
      }
    }),
  );
}

/**
 * A PAT create whose answer was lost: revoke the token this attempt made (`madeBy` in
 * pat-matching.ts), if Azure DevOps made it, and say what happened in the original error's details.
 */
export async function revokeLostPat(
  ado: Pick<AzureDevOpsClient, 'listPats' | 'revokePat'>,
  org: string,
  bearer: string,
  attempt: MintAttempt,
  original: AzureDevOpsError,
): Promise<void> {
  let note: string;
  try {
    // Azure DevOps may still be creating it when the answer is given up on: look twice.
    let lost = await listMadeBy(ado, org, bearer, attempt);
    if (lost.length === 0) {
      await new Promise((r) => setTimeout(r, LOOK_AGAIN_MS));
      lost = await listMadeBy(ado, org, bearer, attempt);
    }
    await Promise.all(lost.map((p) => ado.revokePat(org, bearer, p.authorizationId)));
    note =
      lost.length > 0
        ? ' Azure DevOps had created the token before the answer was lost; it was found and revoked.'
        : ` No token had been created when the extension looked (twice); if one named “${attempt.displayName}” appears in Azure DevOps › User settings › Personal access tokens, revoke it.`;
  } catch {
    note = ` A token named “${attempt.displayName}” may have been created; check Azure DevOps › User settings › Personal access tokens and revoke it.`;
  }
  addToDetail(original, note);
}

/** Revoke a PAT that was not delivered and say so in the original error's details (or that it failed). */
export async function revokeOrExplain(ado: Pick<AzureDevOpsClient, 'revokePat'>, org: string, bearer: string, authorizationId: string, original: unknown): Promise<void> {
  let note = ' The token created for this attempt was revoked.';
  try {
    await ado.revokePat(org, bearer, authorizationId);
  } catch {
    note = ` The token created for Infisical could not be revoked; revoke it in Azure DevOps › User settings › Personal access tokens (authorization ${authorizationId}).`;
  }
  addToDetail(original, note);
}

/** Append what happened to the token to the original error's details, which the user sees. */
function addToDetail(error: unknown, note: string): void {
  if (error && typeof error === 'object') Object.assign(error, { detail: `${(error as { detail?: string }).detail ?? ''}${note}` });
}
