import { DEFAULT_TIMEOUT_MS } from '../http/request';
import type { AzureDevOpsClient, ListedPat } from '../azure-devops/client';
import type { PendingPat } from '../storage/records';

/** Clocks differ: a token made by an attempt may carry a creation time somewhat off its start. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** A PAT create: the token's name, when it began, the expiry asked for, and the token it must never touch. */
export interface MintAttempt {
  displayName: string;
  since: Date;
  validTo: Date;
  keep: string | null;
}

/** The name of the PAT minted for a connection: what a person sees in Azure DevOps, and how a lost one is found. */
export const patDisplayName = (connectionName: string) => `Infisical ${connectionName}`;

/**
 * Whether a listed PAT is the one an attempt made: its name and the expiry asked for, to the
 * second (which tells one attempt from another whatever the clocks say); or, when the org's policy
 * shortened the expiry, its name and made while the attempt's request could have been answered
 * (its start to its timeout, give or take the clocks' skew), so that a token of that name made by
 * another attempt (an earlier connection, a later retry) does not pass for it. The token of the
 * connection being updated (`keep`) never matches.
 */
export function madeBy(p: ListedPat, attempt: MintAttempt): boolean {
  if (p.displayName !== attempt.displayName || p.authorizationId === attempt.keep || !p.validTo) return false;
  const validTo = Date.parse(p.validTo);
  const asked = attempt.validTo.getTime();
  if (Math.abs(validTo - asked) < 1000) return true;
  if (validTo > asked || p.validFrom === null) return false;
  const madeAt = Date.parse(p.validFrom);
  const since = attempt.since.getTime();
  return madeAt >= since - CLOCK_SKEW_MS && madeAt <= since + DEFAULT_TIMEOUT_MS + CLOCK_SKEW_MS;
}

/** The PATs of the org that the attempt made (`madeBy`), as Azure DevOps lists them now. */
export async function listMadeBy(ado: Pick<AzureDevOpsClient, 'listPats'>, org: string, bearer: string, attempt: MintAttempt): Promise<ListedPat[]> {
  return (await ado.listPats(org, bearer)).filter((p) => madeBy(p, attempt));
}

/**
 * The PATs a pending record stands for: its own, or, for a record written while the PAT was being
 * asked for (no id yet), those Azure DevOps made for that attempt (none if it never got there).
 */
export async function patsOf(ado: Pick<AzureDevOpsClient, 'listPats'>, bearer: string, pending: PendingPat): Promise<{ authorizationId: string; validTo: string }[]> {
  if (pending.authorizationId) return [{ authorizationId: pending.authorizationId, validTo: pending.validTo }];
  const attempt = { displayName: patDisplayName(pending.connectionName), since: new Date(pending.mintedAt), validTo: new Date(pending.validTo), keep: pending.replaces ?? null };
  return (await listMadeBy(ado, pending.org, bearer, attempt)).map((p) => ({ authorizationId: p.authorizationId, validTo: p.validTo! }));
}
